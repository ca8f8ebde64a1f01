"""In-memory fakes for Provtagning's use cases: a unit of work whose sampling and print-log
repositories hold one sampling unit, its laboratories and orders, and record what is
written; a network printer that records or fails."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.db.repositories.label_prints import NewLabelPrint
from adapters.db.repositories.sampling import SamplingOrderRow, SamplingUnitRow
from api.persons.usecases import PersonLookup
from domain.access import StaffContext
from domain.actors import StaffActor
from domain.audit import AuditEvent
from domain.identity_numbers import PersonalIdentityNumber
from domain.labels import PrinterNotAllowed, PrinterUnavailable
from domain.orders import OrderState
from domain.persons import CachedPerson, Person
from domain.sampling import LaboratoryRef, MappedLine
from domain.staff import EmployeeAssignment

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SITE = "SE2321000016-P001"
TOLVAN = PersonalIdentityNumber.parse("199012129897")
UNIT = SamplingUnitRow(id=uuid.uuid4(), hsa_id=SITE, name="Provtagningen", region_code="01")
KUL = LaboratoryRef(id=uuid.uuid4(), code="KUL", name="Karolinska", label_template_zpl=None)
RECIPIENT = uuid.uuid4()
PRINTER = "10.0.0.9:9100"


def nurse() -> StaffActor:
    at_site = EmployeeAssignment(
        assignment_id="uppdrag",
        care_unit_hsa_id=SITE,
        care_unit_name="Provtagningen",
        care_giver_hsa_id="SE2321000016-0001",
        care_giver_name="Region Test",
        purpose="Vård och behandling",
    )
    return StaffActor(
        StaffContext(
            hsa_id="SE2321000016-1001", assignments=(at_site,), selected=at_site, permissions=()
        )
    )


def order(status: str = "ordered", **fields: Any) -> SamplingOrderRow:
    base = SamplingOrderRow(
        id=uuid.uuid4(),
        rid="ABCD12345X",
        status=status,
        version=1,
        citizen_hash=b"h" * 32,
        personnummer=TOLVAN.value,
        catalog_id="1003",
        offer_name="PSA",
        offer_region_code="01",
        offer_region_name="Region Stockholm",
        validity_days=30,
        sampling_method="site_drop_in",
        created_at=NOW - timedelta(days=1),
        handled_at=None,
        expires_at=None,
        booked_start=None,
        booked_unit_id=None,
        booked_unit_name=None,
        sampled_at=None,
        sampled_at_unit_id=None,
        sampled_by_hsa_id=None,
        laboratory_id=None,
        laboratory_code=None,
        laboratory_name=None,
        recipient_id=RECIPIENT,
        recipient_hsa_id="SE2321000016-A001",
        recipient_name="Vårdcentralen",
    )
    return replace(base, **fields)


class FakeSampling:
    def __init__(self) -> None:
        self.orders: dict[uuid.UUID, SamplingOrderRow] = {}
        self.labs = [KUL]
        self.mapped: dict[str, tuple[str, str]] = {"PEP-PSA": ("PSA", "SST5")}
        self.products = ["PEP-PSA"]
        self.customers = {(KUL.id, RECIPIENT)}
        self.sampled: list[tuple[uuid.UUID, OrderState]] = []

    async def unit_for_care_unit(self, care_unit_hsa_id: str) -> SamplingUnitRow | None:
        return UNIT if care_unit_hsa_id == SITE else None

    async def order(
        self, order_id: uuid.UUID, *, unit_id: uuid.UUID, for_update: bool = False
    ) -> SamplingOrderRow | None:
        return self.orders.get(order_id)

    async def laboratories(self, unit_id: uuid.UUID) -> list[LaboratoryRef]:
        return list(self.labs)

    async def laboratory(self, laboratory_id: uuid.UUID) -> LaboratoryRef:
        return next(lab for lab in self.labs if lab.id == laboratory_id)

    async def lines(
        self, order_id: uuid.UUID, *, laboratory_id: uuid.UUID | None
    ) -> list[MappedLine]:
        lines = []
        for n, code in enumerate(self.products, start=1):
            lab_code, tube = self.mapped.get(code, (None, None))
            if laboratory_id is None:
                lab_code = tube = None
            lines.append(MappedLine(n, code, code.title(), lab_code, tube, None))
        return lines

    async def is_customer(self, *, laboratory_id: uuid.UUID, care_unit_id: uuid.UUID) -> bool:
        return (laboratory_id, care_unit_id) in self.customers

    async def set_sampled(self, order_id: uuid.UUID, state: OrderState, **_: Any) -> bool:
        self.sampled.append((order_id, state))
        return True


class FakeLabelPrints:
    def __init__(self) -> None:
        self.logged: list[NewLabelPrint] = []

    async def record(self, prints: list[NewLabelPrint], **_: Any) -> None:
        self.logged.extend(prints)


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)


class FakePersonCache:
    async def load(self, personnummer: PersonalIdentityNumber) -> CachedPerson | None:
        return None

    async def store(self, person: Person, *, fetched_at: datetime) -> None:
        return None


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.sampling = FakeSampling()
        self.label_prints = FakeLabelPrints()
        self.audit = FakeAudit()
        self.person_cache = FakePersonCache()
        self.committed = False

    async def commit(self) -> None:
        self.committed = True


class NoRegister:
    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        return None


LOOKUP = PersonLookup(register=NoRegister(), max_age=timedelta(days=5))


@dataclass
class FakePrinters:
    allowed: tuple[str, ...] = (PRINTER,)
    fail: bool = False
    sent: list[tuple[str, str]] = field(default_factory=list)

    def check(self, printer: str) -> None:
        if printer not in self.allowed:
            raise PrinterNotAllowed(printer)

    async def send(self, printer: str, zpl: str) -> None:
        self.check(printer)
        if self.fail:
            raise PrinterUnavailable(f"the printer {printer} did not answer")
        self.sent.append((printer, zpl))
