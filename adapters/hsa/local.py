"""A local HSA directory for development and tests, serving fictitious staff.

``test_staff.json`` holds the demo organisation (``care_units``) and the staff, whose
assignments refer to care units by HSA-id. Test doubles (outages, extra staff) live in
tests/support/doubles.py, not here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from domain.staff import (
    EmployeeAssignment,
    HsaDirectory,
    StaffIdentity,
    is_valid_hsa_id,
)

DEFAULT_TEST_STAFF_PATH = Path(__file__).with_name("test_staff.json")


class CareUnitRecord(TypedDict):
    hsa_id: str
    name: str
    care_giver_hsa_id: str
    care_giver_name: str
    region_code: str


@dataclass(frozen=True, slots=True)
class TestStaffEntry:
    """A test staff member with a stable ``key`` for tests and a ``label`` for login pickers."""

    __test__ = False  # not a pytest test class

    key: str
    label: str
    staff: StaffIdentity


def load_care_units(path: Path = DEFAULT_TEST_STAFF_PATH) -> list[CareUnitRecord]:
    """The demo care units (unique by HSA-id), so demo data can create them."""
    units: dict[str, CareUnitRecord] = {}
    for raw in _read(path)["care_units"]:
        unit = CareUnitRecord(
            hsa_id=raw["hsa_id"],
            name=raw["name"],
            care_giver_hsa_id=raw["care_giver_hsa_id"],
            care_giver_name=raw["care_giver_name"],
            region_code=raw["region_code"],
        )
        if not is_valid_hsa_id(unit["hsa_id"]):
            raise ValueError(f"invalid care unit HSA-id in {path.name}: {unit['hsa_id']!r}")
        units.setdefault(unit["hsa_id"], unit)
    return list(units.values())


def load_test_staff(path: Path = DEFAULT_TEST_STAFF_PATH) -> list[TestStaffEntry]:
    units = {unit["hsa_id"]: unit for unit in load_care_units(path)}
    return [_entry(raw, units) for raw in _read(path)["staff"]]


class LocalHsaDirectory(HsaDirectory):
    def __init__(self, *, path: Path = DEFAULT_TEST_STAFF_PATH) -> None:
        self._entries = {entry.key: entry for entry in load_test_staff(path)}
        self._staff = {entry.staff.hsa_id: entry.staff for entry in self._entries.values()}

    @property
    def entries(self) -> Mapping[str, TestStaffEntry]:
        return self._entries

    def by_key(self, key: str) -> StaffIdentity:
        return self._entries[key].staff

    async def get_staff(self, hsa_id: str) -> StaffIdentity | None:
        return self._staff.get(hsa_id)


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _entry(raw: Mapping[str, Any], units: Mapping[str, CareUnitRecord]) -> TestStaffEntry:
    if not is_valid_hsa_id(raw["hsa_id"]):
        raise ValueError(f"invalid staff HSA-id: {raw['hsa_id']!r}")
    assignments = []
    for assignment in raw.get("assignments", []):
        unit = units[assignment["care_unit_hsa_id"]]
        assignments.append(
            EmployeeAssignment(
                assignment_id=assignment["assignment_id"],
                care_unit_hsa_id=unit["hsa_id"],
                care_unit_name=unit["name"],
                care_giver_hsa_id=unit["care_giver_hsa_id"],
                care_giver_name=unit["care_giver_name"],
                purpose=assignment["purpose"],
            )
        )
    staff = StaffIdentity(
        hsa_id=raw["hsa_id"],
        given_name=raw["given_name"],
        family_name=raw["family_name"],
        title=raw.get("title"),
        assignments=tuple(assignments),
    )
    return TestStaffEntry(key=raw["key"], label=raw["label"], staff=staff)
