"""In-memory fakes for the administration use cases: a unit of work whose repositories hold
plain dicts of simple configuration items (standing in for the ORM rows), an audit log that
keeps its events, and a flag telling whether the use case committed. They keep only what the
use cases read back, and record what they write."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.db.repositories.laboratories import ProductMapping
from domain.access import Permission, StaffContext
from domain.actors import StaffActor
from domain.audit import AuditEvent

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SOLNA = "SE2321000016-A001"
LUND = "SE2321000255-B001"


def administrator(*permissions: Permission) -> StaffActor:
    """A staff member holding these permissions (a regional administrator of Stockholm when
    none are given)."""
    return StaffActor(
        StaffContext(
            hsa_id="SE2321000016-9001",
            assignments=(),
            selected=None,
            permissions=permissions or (Permission("region_admin", region_code="01"),),
        )
    )


STOCKHOLM_ADMIN = administrator()
SKANE_ADMIN = administrator(Permission("region_admin", region_code="12"))
CENTRAL_ADMIN = administrator(Permission("central_admin"))


@dataclass
class Item:
    """A configuration row: what the use cases read and change of it."""

    region_code: str = "01"
    version: int = 1
    retired_at: datetime | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    hsa_id: str = SOLNA
    code: str = "KS-MIKRO"
    name: str = "Namn"
    label_template_zpl: str | None = None
    laboratory_id: uuid.UUID | None = None
    material: str = "Urin"
    npu_code: str | None = None
    analyses: list[Any] = field(default_factory=list)
    default_comment: str | None = None
    insight: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)


class FakeCareUnits:
    def __init__(self, *units: Item) -> None:
        self.units = {u.hsa_id: u for u in units}

    async def by_hsa_ids(self, hsa_ids: Sequence[str]) -> dict[str, Item]:
        return {h: self.units[h] for h in hsa_ids if h in self.units}

    async def get(self, hsa_id: str, *, for_update: bool = False) -> Item | None:
        return self.units.get(hsa_id)

    async def assignable_catalog_ids(self, care_unit_id: uuid.UUID) -> list[str]:
        return []


class FakeLaboratories:
    def __init__(self, *labs: Item, templates: Sequence[Item] = ()) -> None:
        self.labs = {lab.code: lab for lab in labs}
        self.templates = {t.id: t for t in templates}
        self.customers_set: dict[uuid.UUID, list[uuid.UUID]] = {}
        self.mappings_set: dict[uuid.UUID, list[ProductMapping]] = {}
        self.looked_up_by_id: list[uuid.UUID] = []

    async def get(self, code: str, *, for_update: bool = False) -> Item | None:
        return self.labs.get(code)

    async def by_id(self, laboratory_id: uuid.UUID) -> Item | None:
        self.looked_up_by_id.append(laboratory_id)
        return next((lab for lab in self.labs.values() if lab.id == laboratory_id), None)

    async def in_regions(self, region_codes: Sequence[str] | None) -> list[Item]:
        raise AssertionError("a use case editing one thing must not load every laboratory")

    async def customers(self, lab_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        return {i: [] for i in lab_ids}

    async def mappings(self, lab_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        return {i: list(self.mappings_set.get(i, [])) for i in lab_ids}

    async def set_customers(self, lab_id: uuid.UUID, care_unit_ids: Sequence[uuid.UUID]) -> None:
        self.customers_set[lab_id] = list(care_unit_ids)

    async def set_mappings(self, lab_id: uuid.UUID, rows: Sequence[ProductMapping]) -> None:
        self.mappings_set[lab_id] = list(rows)

    async def result_template(self, template_id: uuid.UUID, *, for_update: bool = False) -> Any:
        return self.templates.get(template_id)


class FakeProducts:
    def __init__(self, *products: Item) -> None:
        self.products = {p.code: p for p in products}

    async def get(self, code: str, *, for_update: bool = False) -> Item | None:
        return self.products.get(code)

    async def active_codes(self, codes: Sequence[str]) -> set[str]:
        return {c for c in codes if c in self.products and self.products[c].retired_at is None}


class FakeOffersAdmin:
    def __init__(self, *, reporting: dict[uuid.UUID, list[str]] | None = None) -> None:
        self.reporting = reporting or {}

    async def reporting_to(self, care_unit_id: uuid.UUID) -> list[str]:
        return self.reporting.get(care_unit_id, [])


@dataclass
class FakeUnitOfWork:
    care_units: FakeCareUnits = field(default_factory=FakeCareUnits)
    laboratories: FakeLaboratories = field(default_factory=FakeLaboratories)
    products: FakeProducts = field(default_factory=FakeProducts)
    offers_admin: FakeOffersAdmin = field(default_factory=FakeOffersAdmin)
    audit: FakeAudit = field(default_factory=FakeAudit)
    committed: bool = False

    async def commit(self) -> None:
        self.committed = True
