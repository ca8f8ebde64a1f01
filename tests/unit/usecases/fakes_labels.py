"""In-memory fakes for Etiketter's use cases (api/labels/usecases.py): kit orders of one
unit, their tube lines, cached names, the print log and network printers. They record what
the use cases write."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from adapters.db.repositories.dispatch import DispatchOrder, OrderState, TubeLine
from adapters.db.repositories.label_prints import NewLabelPrint
from domain.audit import AuditEvent
from domain.labels import PrinterNotAllowed, PrinterUnavailable
from domain.persons import CachedPerson, Person

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
ADDRESS = {"care_of": None, "street": "Gatan 1", "postal_code": "111 22", "city": "Solna"}


def kit_order(
    personnummer: str = "199012129897",
    *,
    status: str = "ordered",
    protected: bool = False,
    rid: str = "ABCDEFGHJ",
) -> DispatchOrder:
    answers: dict[str, Any] = {"delivery_address": dict(ADDRESS), "answers": {}}
    if protected:
        answers["manual_handling"] = "protected_identity"
    return DispatchOrder(
        id=uuid.uuid4(),
        rid=rid,
        status=status,
        version=1,
        created_at=NOW,
        handled_at=None,
        expires_at=None,
        catalog_id="1001",
        offer_name="Klamydiatest",
        validity_days=30,
        citizen_hash=personnummer.encode(),
        personnummer=personnummer,
        answers=answers,
    )


@dataclass
class FakeDispatch:
    orders: dict[uuid.UUID, DispatchOrder] = field(default_factory=dict)
    handled: list[tuple[uuid.UUID, datetime, int]] = field(default_factory=list)
    audited: list[tuple[str, list[uuid.UUID]]] = field(default_factory=list)

    def add(self, order: DispatchOrder) -> DispatchOrder:
        self.orders[order.id] = order
        return order

    async def selected(
        self, ids: list[uuid.UUID], *, unit: str, method: str, for_update: bool = False
    ) -> list[DispatchOrder]:
        return [self.orders[i] for i in ids if i in self.orders]

    async def tube_lines(self, ids: list[uuid.UUID]) -> list[TubeLine]:
        return [TubeLine(i, 1, "PEP-CT", "Klamydia", "KUL", None, "CTNA", "UR10") for i in ids]

    async def set_handled(
        self, handled: list[tuple[uuid.UUID, datetime, int]], *, now: datetime
    ) -> int:
        self.handled.extend(handled)
        return len(handled)

    async def receive_batch(
        self, ids: list[uuid.UUID], *, unit: str, method: str, now: datetime, audit: AuditEvent
    ) -> set[uuid.UUID]:
        moved = {i for i in ids if i in self.orders and self.orders[i].status == "ordered"}
        for i in moved:
            self.orders[i] = replace(self.orders[i], status="handled")
        self.audited.append((audit.action, sorted(moved)))
        return moved

    async def states(self, ids: list[uuid.UUID], *, unit: str, method: str) -> list[OrderState]:
        return [
            OrderState(i, self.orders[i].rid, self.orders[i].status)
            if i in self.orders
            else OrderState(i, None, None)
            for i in ids
        ]

    async def audit_orders(self, audit: AuditEvent, ids: list[uuid.UUID]) -> None:
        self.audited.append((audit.action, list(ids)))


class FakePersonCache:
    async def load_many(self, hashes: list[bytes]) -> dict[bytes, CachedPerson]:
        from domain.identity_numbers import PersonalIdentityNumber

        return {
            h: CachedPerson(
                person=Person(
                    personnummer=PersonalIdentityNumber.parse(h.decode()),
                    given_name="Tolvan",
                    middle_name=None,
                    family_name="Tolvansson",
                    address=None,
                    region_code="01",
                    municipality_code=None,
                    protected_identity=False,
                    deceased=False,
                    test_person=True,
                ),
                fetched_at=NOW,
            )
            for h in hashes
        }


@dataclass
class FakeLabelPrints:
    logged: list[NewLabelPrint] = field(default_factory=list)

    async def record(self, prints: Sequence[NewLabelPrint], **_where: object) -> None:
        self.logged.extend(prints)


@dataclass
class FakePrinters:
    allowed: tuple[str, ...] = ("printer.local:9100",)
    down: bool = False
    sent: list[tuple[str, str]] = field(default_factory=list)

    def check(self, printer: str) -> None:
        if printer not in self.allowed:
            raise PrinterNotAllowed(printer)

    async def send(self, printer: str, zpl: str) -> None:
        self.check(printer)
        if self.down:
            raise PrinterUnavailable(f"the printer {printer} did not answer")
        self.sent.append((printer, zpl))


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.dispatch = FakeDispatch()
        self.person_cache = FakePersonCache()
        self.label_prints = FakeLabelPrints()
        self.committed = False

    async def commit(self) -> None:
        self.committed = True
