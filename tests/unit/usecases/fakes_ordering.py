"""In-memory fakes for the citizen's use cases (ordering, kits, results): a unit of work
whose repositories hold plain dicts and lists, a recording Idempotency-Key port and a kit
attempt counter. They keep only what the use cases read back, and record what they write."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.db.repositories.kits import KitRow
from adapters.db.repositories.offers import (
    CitizenOfferRow,
    OfferDetailsRow,
    ProductRef,
    SamplingPlace,
)
from adapters.db.repositories.orders import LineWithResult, OrderRow
from adapters.protection import DataProtector
from domain.actors import CitizenActor
from domain.audit import AuditEvent
from domain.identity_numbers import PersonalIdentityNumber
from domain.kits import KIT_ATTEMPTS_ALLOWED, KitAttempt
from domain.offers import OfferRules, SamplingMethod, Visibility
from domain.orders import OrderStatus

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PROTECTOR = DataProtector(hash_key="unit-test", encryption_key="unit-test")
# Personnummer of Skatteverket's test series.
TOLVAN = PersonalIdentityNumber.parse("199012129897")
KARIN = PersonalIdentityNumber.parse("198504129829")


def citizen(
    personnummer: PersonalIdentityNumber = TOLVAN, *, protected_identity: bool = False
) -> CitizenActor:
    return CitizenActor(
        personnummer=personnummer, region_code="01", protected_identity=protected_identity
    )


def hash_of(actor: CitizenActor) -> bytes:
    return PROTECTOR.lookup_hash(actor.personnummer.value)


def create_offer(
    *,
    catalog_id: str = "1001",
    method: SamplingMethod = SamplingMethod.HOME_KIT,
    visibility: Visibility = Visibility.GENERAL,
    assigned: bool = False,
    asks: Mapping[str, Any] | None = None,
    result_care_unit_id: uuid.UUID | None = None,
    assigning_care_unit_id: uuid.UUID | None = None,
) -> OfferDetailsRow:
    return OfferDetailsRow(
        offer=CitizenOfferRow(
            offer_id=uuid.uuid4(),
            version=1,
            name=f"Offer {catalog_id}",
            region_name="Region Stockholm",
            validity_days=30,
            products=(ProductRef("PEP-CT", "Klamydia"), ProductRef("PEP-GC", "Gonorré")),
            rules=OfferRules(
                catalog_id=catalog_id,
                region_code="01",
                visibility=visibility,
                sampling_method=method,
                min_age=None,
                max_age=None,
                sex=None,
                usage_limit=None,
                usage_period_days=None,
                active_from=None,
                active_until=None,
            ),
            assigned=assigned,
            uses_in_period=0,
        ),
        instructions="<p>Instructions</p>",
        asks=dict(asks or {}),
        result_care_unit_id=result_care_unit_id or uuid.uuid4(),
        assigning_care_unit_id=assigning_care_unit_id,
    )


def create_place(name: str = "Provtagningen Huddinge") -> SamplingPlace:
    return SamplingPlace(
        id=uuid.uuid4(),
        name=name,
        street="Storgatan 1",
        postal_code="141 86",
        city="Huddinge",
        opening_hours=None,
    )


@dataclass
class Slot:
    sampling_unit_id: uuid.UUID
    starts_at: datetime
    free: int


@dataclass
class StoredOrder:
    row: OrderRow
    citizen_hash: bytes
    answers: dict[str, Any]
    kit_id: uuid.UUID | None = None
    lines: list[LineWithResult] = field(default_factory=list)
    result_care_unit_id: uuid.UUID | None = None


class FakeOfferRepository:
    def __init__(self) -> None:
        self.offers: dict[str, OfferDetailsRow] = {}
        self.places: dict[uuid.UUID, list[SamplingPlace]] = {}

    def add(self, details: OfferDetailsRow, places: list[SamplingPlace] | None = None) -> None:
        self.offers[details.offer.rules.catalog_id] = details
        self.places[details.offer.offer_id] = list(places or [])

    async def get_for_citizen(
        self, *, catalog_id: str, citizen_hash: bytes, now: datetime
    ) -> OfferDetailsRow | None:
        return self.offers.get(catalog_id)

    async def sampling_places(self, offer_id: uuid.UUID) -> list[SamplingPlace]:
        return list(self.places.get(offer_id, []))


class FakeOrderRepository:
    def __init__(self) -> None:
        self.orders: dict[uuid.UUID, StoredOrder] = {}
        self.slots: dict[uuid.UUID, Slot] = {}
        self.released: list[uuid.UUID] = []
        self.assignments_used: list[tuple[bytes, str]] = []
        self.results_read: list[uuid.UUID] = []
        self.usage_locks: list[tuple[bytes, str]] = []
        self.deleted_uses: list[tuple[bytes, str]] = []

    def add_slot(self, sampling_unit_id: uuid.UUID, *, free: int = 1) -> uuid.UUID:
        slot_id = uuid.uuid4()
        self.slots[slot_id] = Slot(sampling_unit_id, NOW + timedelta(days=2), free)
        return slot_id

    def add_order(
        self,
        actor: CitizenActor,
        *,
        status: OrderStatus = OrderStatus.ORDERED,
        method: SamplingMethod = SamplingMethod.HOME_KIT,
        booked_start: datetime | None = None,
        slot_id: uuid.UUID | None = None,
        version: int = 1,
    ) -> uuid.UUID:
        order_id = uuid.uuid4()
        self.orders[order_id] = StoredOrder(
            row=_order_row(
                order_id,
                rid="ABCDEFGHJ",
                offer_id=uuid.uuid4(),
                method=method.value,
                status=status.value,
                booked_start=booked_start,
                slot_id=slot_id,
                version=version,
            ),
            citizen_hash=hash_of(actor),
            answers={"answers": {}},
        )
        return order_id

    async def book_slot(
        self, *, slot_id: uuid.UUID, sampling_unit_id: uuid.UUID, now: datetime
    ) -> datetime | None:
        slot = self.slots.get(slot_id)
        if slot is None or slot.sampling_unit_id != sampling_unit_id or slot.free < 1:
            return None
        slot.free -= 1
        return slot.starts_at

    async def lock_usage(self, *, citizen_hash: bytes, catalog_id: str) -> None:
        self.usage_locks.append((citizen_hash, catalog_id))

    async def count_deleted_use(
        self, *, citizen_hash: bytes, catalog_id: str, created_at: datetime
    ) -> None:
        self.deleted_uses.append((citizen_hash, catalog_id))

    async def release_slot(self, slot_id: uuid.UUID) -> None:
        self.released.append(slot_id)
        if slot_id in self.slots:
            self.slots[slot_id].free += 1

    async def insert(
        self,
        *,
        order_id: uuid.UUID,
        rid: str,
        citizen_value: str,
        offer_id: uuid.UUID,
        catalog_id: str,
        sampling_method: str,
        answers: dict[str, Any],
        slot_id: uuid.UUID | None,
        sampling_unit_id: uuid.UUID | None,
        booked_start: datetime | None,
        anonymous_kit_id: uuid.UUID | None,
        product_codes: list[str],
        result_care_unit_id: uuid.UUID,
        now: datetime,
    ) -> bool:
        if any(o.row.rid == rid for o in self.orders.values()):
            return False
        self.orders[order_id] = StoredOrder(
            row=_order_row(
                order_id,
                rid=rid,
                offer_id=offer_id,
                catalog_id=catalog_id,
                method=sampling_method,
                status=OrderStatus.ORDERED.value,
                booked_start=booked_start,
                slot_id=slot_id,
                version=1,
            ),
            citizen_hash=PROTECTOR.lookup_hash(citizen_value),
            answers=answers,
            kit_id=anonymous_kit_id,
            lines=[
                LineWithResult.without_result(n, code, code)
                for n, code in enumerate(product_codes, start=1)
            ],
            result_care_unit_id=result_care_unit_id,
        )
        return True

    async def mark_assignment_used(
        self, *, citizen_hash: bytes, catalog_id: str, now: datetime
    ) -> None:
        self.assignments_used.append((citizen_hash, catalog_id))

    async def get_for_citizen(
        self, order_id: uuid.UUID, citizen_hash: bytes, *, for_update: bool = False
    ) -> OrderRow | None:
        stored = self.orders.get(order_id)
        if stored is None or stored.citizen_hash != citizen_hash:
            return None
        return stored.row

    async def answers(self, order_id: uuid.UUID) -> dict[str, Any]:
        return self.orders[order_id].answers

    async def lines_with_latest_results(self, order_id: uuid.UUID) -> list[LineWithResult]:
        return list(self.orders[order_id].lines)

    async def set_cancelled(self, order_id: uuid.UUID, *, now: datetime) -> None:
        stored = self.orders[order_id]
        stored.row = replace(
            stored.row,
            status=OrderStatus.CANCELLED.value,
            cancelled_at=now,
            version=stored.row.version + 1,
        )

    async def delete(self, order_id: uuid.UUID) -> None:
        del self.orders[order_id]

    async def mark_results_read(self, order_id: uuid.UUID, *, now: datetime) -> int:
        self.results_read.append(order_id)
        return 0


class FakeKitRepository:
    def __init__(self) -> None:
        self.kits: dict[str, KitRow] = {}

    def add(self, *, kit_number: str, rid: str, catalog_id: str) -> KitRow:
        kit = KitRow(id=uuid.uuid4(), rid=rid, catalog_id=catalog_id, registered_at=None)
        self.kits[kit_number] = kit
        return kit

    async def find(self, kit_number: str) -> KitRow | None:
        return self.kits.get(kit_number)

    async def mark_registered(self, kit_id: uuid.UUID, *, now: datetime) -> bool:
        for number, kit in self.kits.items():
            if kit.id == kit_id and kit.registered_at is None:
                self.kits[number] = replace(kit, registered_at=now)
                return True
        return False


class FakeDispatchRepository:
    """What registering a kit reads of the dispatch repository: the citizen's anonymous kits
    ordered home, over the fake orders."""

    def __init__(self, orders: FakeOrderRepository) -> None:
        self._orders = orders

    async def kit_deliveries(
        self, *, citizen_hash: bytes, catalog_id: str
    ) -> list[tuple[uuid.UUID, str]]:
        return [
            (order_id, stored.row.status)
            for order_id, stored in self._orders.orders.items()
            if stored.citizen_hash == citizen_hash
            and stored.row.catalog_id == catalog_id
            and stored.row.sampling_method == SamplingMethod.ANONYMOUS_KIT
            and stored.kit_id is None
            and stored.row.status in (OrderStatus.ORDERED, OrderStatus.HANDLED)
        ]

    async def bind_kit(self, order_id: uuid.UUID, *, kit_id: uuid.UUID, rid: str) -> bool:
        stored = self._orders.orders[order_id]
        if stored.kit_id is not None or any(o.row.rid == rid for o in self._orders.orders.values()):
            return False
        stored.kit_id = kit_id
        stored.row = replace(stored.row, rid=rid, version=stored.row.version + 1)
        return True


class FakeAuditRepository:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def record(self, event: AuditEvent) -> None:
        self.events.append(event)

    def actions(self) -> list[str]:
        return [e.action for e in self.events]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.offers = FakeOfferRepository()
        self.orders = FakeOrderRepository()
        self.kits = FakeKitRepository()
        self.dispatch = FakeDispatchRepository(self.orders)
        self.audit = FakeAuditRepository()
        self.committed = False

    async def commit(self) -> None:
        self.committed = True


class FakeIdempotentCall:
    """Records what the use case claimed (operation and request)."""

    def __init__(self) -> None:
        self.claims: list[tuple[str, dict[str, Any]]] = []

    async def claim(self, operation: str, request: Mapping[str, Any]) -> None:
        self.claims.append((operation, dict(request)))


class FakeKitAttempts:
    """Counts attempts per citizen; a lockout always has 600 seconds left."""

    SECONDS_LEFT = 600

    def __init__(self) -> None:
        self.counts: dict[bytes, int] = {}

    async def locked_for(self, citizen_hash: bytes) -> int | None:
        locked = self.counts.get(citizen_hash, 0) >= KIT_ATTEMPTS_ALLOWED
        return self.SECONDS_LEFT if locked else None

    async def count_attempt(self, citizen_hash: bytes) -> KitAttempt:
        self.counts[citizen_hash] = self.counts.get(citizen_hash, 0) + 1
        return KitAttempt(number=self.counts[citizen_hash], seconds_left=self.SECONDS_LEFT)

    async def forgive(self, citizen_hash: bytes) -> None:
        self.counts[citizen_hash] -= 1


def _order_row(
    order_id: uuid.UUID,
    *,
    rid: str,
    offer_id: uuid.UUID,
    method: str,
    status: str,
    booked_start: datetime | None,
    slot_id: uuid.UUID | None,
    version: int,
    catalog_id: str = "1001",
) -> OrderRow:
    return OrderRow(
        id=order_id,
        rid=rid,
        catalog_id=catalog_id,
        offer_id=offer_id,
        offer_name="Offer",
        validity_days=30,
        sampling_method=method,
        status=status,
        created_at=NOW - timedelta(days=1),
        handled_at=None,
        sampled_at=None,
        cancelled_at=None,
        expires_at=None,
        booked_start=booked_start,
        slot_id=slot_id,
        sampling_unit_id=None,
        sampling_unit_name=None,
        sampling_unit_address=None,
        version=version,
        results=0,
        unread_results=0,
    )
