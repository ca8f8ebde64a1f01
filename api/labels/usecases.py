"""Etiketter (home kits) and, through the same functions with `DispatchKind.ANONYMOUS_KIT`,
Ordermottagning (anonymous kits posted home): the orders waiting to be sent, printing their
labels (→ Hanterad), exporting them for a transport company, and receiving many at once
without printing (Batchbearbetning). Whose orders, and why protected identities are handled
apart: domain/dispatch.py.

Every use case reads and writes only the orders of the staff member's chosen care unit (the
repository's statements carry the scope); every look at, print, export and receipt of a
patient's order is audited with the patient, one entry per order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from adapters.db.repositories.dispatch import DispatchOrder, TubeLine
from adapters.db.repositories.label_prints import LabelKind, NewLabelPrint
from adapters.db.uow import UnitOfWork
from api.persons.usecases import PersonLookup, find_person
from api.sampling.usecases import NetworkPrint, PrintTarget, send_after_commit
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.codes import formatted
from domain.dispatch import (
    EXPORTABLE,
    RECEIVABLE,
    DeliveryAddress,
    DispatchKind,
    DispatchOrdersNotFound,
    ManualHandling,
    ManualHandlingRequired,
    NoLaboratoryForOrder,
    Offender,
    OrdersNotReceivable,
    delivery_address,
    export_row,
    manual_handling,
    sex_mark,
    tube_label_values,
)
from domain.errors import InvalidInput
from domain.identity_numbers import PersonalIdentityNumber
from domain.labels import ADDRESS_LABEL_TEMPLATE, TUBE_LABEL_TEMPLATE, LabelPrinter, render_label
from domain.orders import OrderState, OrderStatus, mark_handled

# The audit entries' `module` detail.
_MODULE = {DispatchKind.HOME_KIT: "labels", DispatchKind.ANONYMOUS_KIT: "order_receipt"}


@dataclass(frozen=True, slots=True)
class Label:
    kind: str  # "address" | "tube"
    zpl: str
    line_no: int | None = None


@dataclass(frozen=True, slots=True)
class KitOrder:
    """An order waiting to be sent, ready to show and print. `address` is None when it must
    not be used (manual handling) or was never given; `labels` are what printing it gives."""

    order: DispatchOrder
    personnummer: PersonalIdentityNumber
    name: str
    manual_handling: ManualHandling | None
    address: DeliveryAddress | None
    laboratory_code: str | None
    tubes: list[TubeLine]
    labels: list[Label]

    @property
    def sex_mark(self) -> str:
        return sex_mark(self.personnummer.legal_sex)


@dataclass(frozen=True, slots=True)
class KitListing:
    total: int  # every waiting order of the unit, of which `orders` are the oldest
    orders: list[KitOrder]  # to print
    manual: list[KitOrder]  # for manual handling (protected identity)


@dataclass(frozen=True, slots=True)
class Printed:
    order_id: uuid.UUID
    rid: str
    state: OrderState


@dataclass(frozen=True, slots=True)
class PrintResult:
    orders: list[Printed]
    labels: list[tuple[uuid.UUID, Label]]
    zpl: str  # every label, in order: what the printer gets
    printer: str | None  # the network printer chosen, if any
    # What IP print made of it, after the commit (None: no network printer chosen).
    network_print: NetworkPrint | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    export_id: uuid.UUID
    created_at: datetime
    rows: list[tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class BatchResult:
    batch_id: uuid.UUID
    received: int
    handled_at: datetime


def _unit(actor: StaffActor) -> str:
    # Module access has made sure an assignment is chosen.
    assert actor.selected is not None
    return actor.selected.care_unit_hsa_id


def _unique(ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(ids))


async def _names(
    uow: UnitOfWork, orders: Sequence[DispatchOrder], *, lookup: PersonLookup, now: datetime
) -> dict[bytes, tuple[str, bool]]:
    """Name and protected-identity flag per citizen: the cached register copies in one
    statement, the register itself for anyone not cached."""
    cached = await uow.person_cache.load_many(list({o.citizen_hash for o in orders}))
    found = {h: (c.person.full_name, c.person.protected_identity) for h, c in cached.items()}
    for order in orders:
        if order.citizen_hash not in found:
            person = await find_person(
                uow=uow,
                lookup=lookup,
                personnummer=PersonalIdentityNumber.parse(order.personnummer),
                now=now,
            )
            found[order.citizen_hash] = (
                ("", False) if person is None else (person.full_name, person.protected_identity)
            )
    return found


async def _prepare(
    uow: UnitOfWork,
    orders: Sequence[DispatchOrder],
    *,
    kind: DispatchKind,
    lookup: PersonLookup,
    now: datetime,
) -> list[KitOrder]:
    names = await _names(uow, orders, lookup=lookup, now=now)
    lines: dict[uuid.UUID, list[TubeLine]] = {o.id: [] for o in orders}
    if kind.prints_tube_labels and orders:
        for line in await uow.dispatch.tube_lines([o.id for o in orders]):
            lines[line.order_id].append(line)
    prepared = []
    for order in orders:
        name, protected = names[order.citizen_hash]
        manual = manual_handling(order.answers, register_protected=protected)
        address = None if manual else delivery_address(name, order.answers)
        personnummer = PersonalIdentityNumber.parse(order.personnummer)
        tubes = lines[order.id]
        labels = []
        if address is not None:
            labels.append(
                Label("address", render_label(ADDRESS_LABEL_TEMPLATE, address.label_values()))
            )
        for tube in tubes:
            values = tube_label_values(
                rid=order.rid,
                personnummer=personnummer.formatted,
                sex=personnummer.legal_sex,
                product_name=tube.product_name,
                lab_code=tube.lab_code,
                tube_code=tube.tube_code,
            )
            template = tube.label_template_zpl or TUBE_LABEL_TEMPLATE
            labels.append(Label("tube", render_label(template, values), tube.line_no))
        prepared.append(
            KitOrder(
                order=order,
                personnummer=personnummer,
                name=name,
                manual_handling=manual,
                address=address,
                laboratory_code=tubes[0].laboratory_code if tubes else None,
                tubes=tubes,
                labels=labels,
            )
        )
    return prepared


def _offender(order: DispatchOrder) -> Offender:
    return Offender(order_id=str(order.id), rid=formatted(order.rid), status=order.status)


async def _selection(
    uow: UnitOfWork,
    actor: StaffActor,
    kind: DispatchKind,
    order_ids: Sequence[uuid.UUID],
    *,
    allowed: frozenset[OrderStatus],
    expected: str,
    for_update: bool,
) -> list[DispatchOrder]:
    """The selected orders, each the unit's and in an allowed state; otherwise the whole
    selection is refused, naming every order in the way."""
    ids = _unique(order_ids)
    orders = await uow.dispatch.selected(
        ids, unit=_unit(actor), method=kind.value, for_update=for_update
    )
    known = {o.id for o in orders}
    missing = [Offender(order_id=str(i), rid=None, status=None) for i in ids if i not in known]
    if missing:
        raise DispatchOrdersNotFound(missing)
    in_the_way = [_offender(o) for o in orders if OrderStatus(o.status) not in allowed]
    if in_the_way:
        raise OrdersNotReceivable(in_the_way, expected=expected)
    return orders


async def list_waiting(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    kind: DispatchKind,
    limit: int,
) -> KitListing:
    """The unit's kit orders waiting to be sent (Beställd), oldest first, with their labels
    ready; protected identities apart, without an address. Audited per patient shown."""
    total, orders = await uow.dispatch.waiting(unit=_unit(actor), method=kind.value, limit=limit)
    prepared = await _prepare(uow, orders, kind=kind, lookup=lookup, now=now)
    if orders:
        await uow.dispatch.audit_orders(
            audit_event(actor, "kit_orders_listed", now=now, details={"module": _MODULE[kind]}),
            [o.id for o in orders],
        )
    await uow.commit()
    return KitListing(
        total=total,
        orders=[p for p in prepared if p.manual_handling is None],
        manual=[p for p in prepared if p.manual_handling is not None],
    )


async def print_labels(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    kind: DispatchKind,
    order_ids: Sequence[uuid.UUID],
    address: bool,
    printers: LabelPrinter,
    printer: str | None,
) -> PrintResult:
    """*Skriv ut*: the labels of the selected orders, which become Hanterad (their validity
    starts), in one transaction with the print log and the audit. Every selected order must
    be the unit's and still Beställd; an address label is never made for a protected
    identity. With `printer`, the labels also go to that network printer — after the
    commit, as Provtagning does (api/sampling): the labels are answered to the browser
    either way, so a printer that does not take them fails only that copy (`network_print`
    says so: print from the browser, or reprint when it is back), and nothing is sent for a
    print that was not committed."""
    if printer is not None:
        printers.check(printer)
    if not address and not kind.prints_tube_labels:
        raise InvalidInput("address", "Ordermottagning prints the address label", code="required")
    orders = await _selection(
        uow,
        actor,
        kind,
        order_ids,
        allowed=RECEIVABLE,
        expected="waiting (Beställd)",
        for_update=True,
    )
    prepared = await _prepare(uow, orders, kind=kind, lookup=lookup, now=now)
    if address:
        protected = [formatted(p.order.rid) for p in prepared if p.manual_handling is not None]
        if protected:
            raise ManualHandlingRequired(protected)
    for p in prepared:
        if kind.prints_tube_labels and (not p.tubes or p.laboratory_code is None):
            raise NoLaboratoryForOrder(
                f"no laboratory performs every product of {formatted(p.order.rid)} for the "
                "care unit receiving its results: there are no tube codes to print"
            )
        if address and p.address is None:
            raise InvalidInput(
                "order_ids",
                f"{formatted(p.order.rid)} has no delivery address",
                code="no_delivery_address",
            )
    printed: list[Printed] = []
    labels: list[tuple[uuid.UUID, Label]] = []
    prints: list[NewLabelPrint] = []
    for p in prepared:
        order = p.order
        state = mark_handled(
            OrderState(
                status=OrderStatus(order.status),
                created_at=order.created_at,
                version=order.version,
            ),
            now=now,
            validity_days=order.validity_days,
        )
        printed.append(Printed(order_id=order.id, rid=order.rid, state=state))
        chosen = [label for label in p.labels if address or label.kind != "address"]
        labels.extend((order.id, label) for label in chosen)
        label_kinds: tuple[LabelKind, ...] = ("address", "tube")
        for label_kind in label_kinds:
            count = sum(1 for label in chosen if label.kind == label_kind)
            if count:
                prints.append(
                    NewLabelPrint(
                        order_id=order.id, kind=label_kind, label_count=count, reprint=False
                    )
                )
    handled = []
    for done in printed:
        assert done.state.expires_at is not None  # mark_handled sets it
        handled.append((done.order_id, done.state.expires_at, done.state.version))
    moved = await uow.dispatch.set_handled(handled, now=now)
    if moved != len(printed):  # the rows were locked: cannot happen, but never half-write
        raise OrdersNotReceivable([])
    await uow.label_prints.record(
        prints,
        sampling_unit_id=None,
        care_unit_hsa_id=_unit(actor),
        printed_by_hsa_id=actor.hsa_id,
        printed_at=now,
    )
    await uow.dispatch.audit_orders(
        audit_event(
            actor,
            "kit_labels_printed",
            now=now,
            details={"module": _MODULE[kind], "address_label": address, "printer": printer},
        ),
        [done.order_id for done in printed],
    )
    zpl = "".join(label.zpl for _, label in labels)
    await uow.commit()
    target = PrintTarget(printer=printer, printers=printers) if printer is not None else None
    return PrintResult(
        orders=printed,
        labels=labels,
        zpl=zpl,
        printer=printer,
        network_print=await send_after_commit(zpl, target),
    )


async def export_orders(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    kind: DispatchKind,
    order_ids: Sequence[uuid.UUID],
    file_format: str,
) -> ExportResult:
    """*Exportera*: the selected orders' delivery rows for a transport company (what the
    rows hold: domain/dispatch.py), audited per patient with the row count. Orders waiting
    or already handled may be exported; never a protected identity's."""
    orders = await _selection(
        uow,
        actor,
        kind,
        order_ids,
        allowed=EXPORTABLE,
        expected="waiting or on their way (Beställd, Hanterad)",
        for_update=False,
    )
    prepared = await _prepare(uow, orders, kind=kind, lookup=lookup, now=now)
    protected = [formatted(p.order.rid) for p in prepared if p.manual_handling is not None]
    if protected:
        raise ManualHandlingRequired(protected)
    rows = []
    for p in prepared:
        if p.address is None:
            raise InvalidInput(
                "order_ids",
                f"{formatted(p.order.rid)} has no delivery address",
                code="no_delivery_address",
            )
        rows.append(export_row(p.address, rid=formatted(p.order.rid)))
    export_id = uuid.uuid4()
    await uow.dispatch.audit_orders(
        audit_event(
            actor,
            "kit_orders_exported",
            now=now,
            details={
                "module": _MODULE[kind],
                "format": file_format,
                "rows": len(rows),
                "export_id": str(export_id),
            },
        ),
        [p.order.id for p in prepared],
    )
    await uow.commit()
    return ExportResult(export_id=export_id, created_at=now, rows=rows)


async def receive_batch(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    kind: DispatchKind,
    order_ids: Sequence[uuid.UUID],
) -> BatchResult:
    """*Batchbearbetning*: every order of the batch becomes Hanterad without printing, all
    or nothing, in one set-based statement (each order audited). When any order is not the
    unit's, or no longer Beställd, nothing is changed and the answer names them all."""
    ids = _unique(order_ids)
    batch_id = uuid.uuid4()
    unit = _unit(actor)
    moved = await uow.dispatch.receive_batch(
        ids,
        unit=unit,
        method=kind.value,
        now=now,
        audit=audit_event(
            actor,
            "kit_orders_received",
            now=now,
            details={"module": _MODULE[kind], "batch_id": str(batch_id), "orders": len(ids)},
        ),
    )
    if len(moved) != len(ids):
        states = await uow.dispatch.states(
            [i for i in ids if i not in moved], unit=unit, method=kind.value
        )
        missing = [
            Offender(order_id=str(s.order_id), rid=None, status=None)
            for s in states
            if s.rid is None
        ]
        if missing:
            raise DispatchOrdersNotFound(missing)
        raise OrdersNotReceivable(
            [
                Offender(order_id=str(s.order_id), rid=formatted(s.rid or ""), status=s.status)
                for s in states
            ]
        )
    await uow.commit()
    return BatchResult(batch_id=batch_id, received=len(moved), handled_at=now)
