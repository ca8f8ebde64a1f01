"""Care staff as the HSA directory knows them: identity and employee assignments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

CARE_AND_TREATMENT = "Vård och behandling"

# Country code, the organisation number of the issuing organisation, '-', a local part.
# HSA-ids are at most 31 characters in practice; the local part bound here is deliberately loose.
_HSA_ID = re.compile(r"^SE\d{10}-[A-Za-z0-9]{1,31}$", re.ASCII)


def is_valid_hsa_id(value: str) -> bool:
    """Pragmatic format check of an HSA-id such as ``SE2321000016-1234``."""
    return _HSA_ID.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class EmployeeAssignment:
    assignment_id: str
    care_unit_hsa_id: str
    care_unit_name: str
    care_giver_hsa_id: str
    care_giver_name: str
    purpose: str

    @property
    def allows_patient_data(self) -> bool:
        """Modules showing patient data need the purpose "Vård och behandling" (SPEC §1)."""
        return self.purpose == CARE_AND_TREATMENT


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    hsa_id: str
    given_name: str
    family_name: str
    title: str | None
    assignments: tuple[EmployeeAssignment, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def care_assignments(self) -> tuple[EmployeeAssignment, ...]:
        return tuple(a for a in self.assignments if a.allows_patient_data)

    def assignment_at(self, care_unit_hsa_id: str) -> EmployeeAssignment | None:
        """The assignment at a care unit, preferring one that allows patient data."""
        at_unit = [a for a in self.assignments if a.care_unit_hsa_id == care_unit_hsa_id]
        at_unit.sort(key=lambda a: not a.allows_patient_data)
        return at_unit[0] if at_unit else None


class HsaDirectoryUnavailable(Exception):
    """The HSA directory did not answer, or answered with an error."""


class HsaDirectory(Protocol):
    async def get_staff(self, hsa_id: str) -> StaffIdentity | None:
        """The person's identity and assignments, ``None`` when the directory has no such id.

        Raises ``HsaDirectoryUnavailable`` when the directory fails.
        """
        ...
