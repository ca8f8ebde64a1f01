"""Provtagning (SPEC §5; manual 4.2): finding a citizen's orders, today's bookings, the orders
sampled here and the print log, opening an order as one of the unit's laboratories, sampling
it with its labels, and reprinting them. Every use case works at the sampling unit of the
staff member's selected care unit (domain/sampling.py says which); module access has made
sure of the permission and the assignment's purpose. Every search, open and print is audited
with the patient."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from adapters.db.repositories.label_prints import LabelPrintRow, NewLabelPrint
from adapters.db.repositories.sampling import (
    SampledOrderRow,
    SamplingOrderRow,
    SamplingUnitRow,
)
from adapters.db.uow import UnitOfWork
from api.persons.usecases import PersonLookup, find_person
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.errors import StaleVersion
from domain.identity_numbers import PersonalIdentityNumber
from domain.labels import LabelPrinter, PrinterUnavailable
from domain.orders import (
    OrderNotFound,
    OrderStatus,
    OrderStatusConflict,
    mark_sampled,
    require_sampleable,
)
from domain.persons import Person, PersonNotInRegister
from domain.sampling import (
    NOT_YET_SAMPLED,
    SAMPLED,
    LaboratoryRef,
    MappedLine,
    OrderNotSampled,
    SamplingUnitNotConfigured,
    check_laboratory,
    choose_laboratory,
    require_laboratory,
    sample_labels,
    stockholm_day,
    today_in_stockholm,
)


@dataclass(frozen=True, slots=True)
class Listed:
    """An order in a list, with the patient's name from the cached register copy (None when
    no copy is cached)."""

    order: SamplingOrderRow
    name: str | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    unit: SamplingUnitRow
    personnummer: PersonalIdentityNumber
    person: Person
    orders: list[SamplingOrderRow]


@dataclass(frozen=True, slots=True)
class OpenedOrder:
    unit: SamplingUnitRow
    order: SamplingOrderRow
    name: str | None
    laboratories: list[LaboratoryRef]
    # The laboratory the order is opened as: locked once sampled; None while the nurse
    # still has to choose among several.
    laboratory: LaboratoryRef | None
    lines: list[MappedLine]


@dataclass(frozen=True, slots=True)
class NetworkPrint:
    printer: str
    sent: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PrintedLabels:
    opened: OpenedOrder
    zpl: str
    label_count: int
    reprint: bool
    network_print: NetworkPrint | None


@dataclass(frozen=True, slots=True)
class Bookings:
    unit: SamplingUnitRow
    day: date
    items: list[Listed]


@dataclass(frozen=True, slots=True)
class SampledListing:
    total: int
    items: list[tuple[SampledOrderRow, str | None]]


@dataclass(frozen=True, slots=True)
class PrintLogListing:
    total: int
    items: list[tuple[LabelPrintRow, str | None]]


@dataclass(frozen=True, slots=True)
class PrintTarget:
    """Where the server sends the labels besides answering them (IP print): the printer
    chosen from the configured list, and the port that sends."""

    printer: str
    printers: LabelPrinter


async def _sampling_unit(uow: UnitOfWork, actor: StaffActor) -> SamplingUnitRow:
    selected = actor.selected
    assert selected is not None  # module access guarantees it
    unit = await uow.sampling.unit_for_care_unit(selected.care_unit_hsa_id)
    if unit is None:
        raise SamplingUnitNotConfigured(
            f"{selected.care_unit_name} ({selected.care_unit_hsa_id}) is no sampling unit"
        )
    return unit


def _openable_here(order: SamplingOrderRow, unit: SamplingUnitRow) -> bool:
    """Still to be sampled, or sampled here (to see it and reprint). The statement has
    already left out other units' bookings and other sampling methods."""
    status = OrderStatus(order.status)
    if status in NOT_YET_SAMPLED:
        return True
    return status in SAMPLED and order.sampled_at_unit_id == unit.id


async def search_orders(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
) -> SearchResult:
    """Sök beställning: the citizen (from the person register) and every order of theirs
    still to be sampled at a site, of any region. Audited with the patient, also when the
    register has no such person."""
    unit = await _sampling_unit(uow, actor)
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    orders = [] if person is None else await uow.sampling.orders_of_citizen(personnummer.value)
    await uow.audit.record(
        audit_event(
            actor,
            "sampling_search",
            now=now,
            patient=personnummer,
            details={
                "sampling_unit": unit.hsa_id,
                "found": str(person is not None),
                "orders": str(len(orders)),
            },
        )
    )
    await uow.commit()
    if person is None:
        raise PersonNotInRegister("the person register has no such person")
    return SearchResult(unit=unit, personnummer=personnummer, person=person, orders=orders)


async def _name(
    uow: UnitOfWork, lookup: PersonLookup, personnummer: PersonalIdentityNumber, now: datetime
) -> str | None:
    person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    return None if person is None else person.full_name


async def open_order(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    order_id: uuid.UUID,
    laboratory_code: str | None,
) -> OpenedOrder:
    """Opens an order as one of the unit's laboratories (the locked one once sampled): its
    lines in the laboratory's codes, and the two checks of manual 4.2. The opening is
    audited with the patient, also when a check fails (the failure is answered after)."""
    unit = await _sampling_unit(uow, actor)
    order = await uow.sampling.order(order_id, unit_id=unit.id)
    if order is None or not _openable_here(order, unit):
        raise OrderNotFound("no such order at this sampling unit")
    laboratories = await uow.sampling.laboratories(unit.id)
    laboratory = choose_laboratory(
        laboratories, requested=laboratory_code, locked=order.laboratory_id
    )
    if laboratory is None and order.laboratory_id is not None:
        laboratory = await uow.sampling.laboratory(order.laboratory_id)
    lines = await uow.sampling.lines(order.id, laboratory_id=laboratory.id if laboratory else None)
    personnummer = PersonalIdentityNumber(order.personnummer)
    name = await _name(uow, lookup, personnummer, now)
    await uow.audit.record(
        audit_event(
            actor,
            "sampling_order_opened",
            now=now,
            patient=personnummer,
            details={
                "order_id": str(order.id),
                "sampling_unit": unit.hsa_id,
                "laboratory": laboratory.code if laboratory else "",
            },
        )
    )
    to_check = laboratory is not None and OrderStatus(order.status) in NOT_YET_SAMPLED
    customer = to_check and await _is_customer(uow, laboratory, order)
    await uow.commit()
    if to_check:
        assert laboratory is not None
        _check(laboratory, lines, order, recipient_is_customer=customer)
    return OpenedOrder(
        unit=unit,
        order=order,
        name=name,
        laboratories=laboratories,
        laboratory=laboratory,
        lines=lines,
    )


async def _is_customer(
    uow: UnitOfWork, laboratory: LaboratoryRef | None, order: SamplingOrderRow
) -> bool:
    assert laboratory is not None
    return await uow.sampling.is_customer(
        laboratory_id=laboratory.id, care_unit_id=order.recipient_id
    )


def _check(
    laboratory: LaboratoryRef,
    lines: list[MappedLine],
    order: SamplingOrderRow,
    *,
    recipient_is_customer: bool,
) -> None:
    check_laboratory(
        laboratory,
        lines,
        recipient_is_customer=recipient_is_customer,
        recipient_hsa_id=order.recipient_hsa_id,
        recipient_name=order.recipient_name,
    )


async def send_after_commit(labels: str, target: PrintTarget | None) -> NetworkPrint | None:
    """IP print, after the commit: the labels are already answered to the browser, so a
    printer that does not answer fails only this copy (reprint when it is back)."""
    if target is None:
        return None
    try:
        await target.printers.send(target.printer, labels)
    except PrinterUnavailable as error:
        return NetworkPrint(printer=target.printer, sent=False, error=error.detail)
    return NetworkPrint(printer=target.printer, sent=True)


async def sample_order(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    order_id: uuid.UUID,
    expected_version: int,
    laboratory_code: str | None,
    sampled_at: datetime | None,
    target: PrintTarget | None,
) -> PrintedLabels:
    """Provtagning: in one transaction the order becomes Provtagen with its laboratory,
    sampling time and result recipient locked, the print is logged and audited; the labels
    (one per order line, from the laboratory's template) are answered, and sent to the
    network printer when one is chosen. The order is locked first: of two nurses sampling
    it at once, the second sees it sampled (409 with its current state)."""
    if target is not None:
        target.printers.check(target.printer)  # 422 before anything is written
    unit = await _sampling_unit(uow, actor)
    order = await uow.sampling.order(order_id, unit_id=unit.id, for_update=True)
    if order is None:
        raise OrderNotFound("no such order at this sampling unit")
    require_sampleable(order.state)
    if order.version != expected_version:
        raise StaleVersion("the order changed since it was opened: open it again")
    laboratories = await uow.sampling.laboratories(unit.id)
    laboratory = require_laboratory(laboratories, requested=laboratory_code)
    lines = await uow.sampling.lines(order.id, laboratory_id=laboratory.id)
    _check(
        laboratory,
        lines,
        order,
        recipient_is_customer=await _is_customer(uow, laboratory, order),
    )
    state = mark_sampled(order.state, sampled_at=sampled_at, laboratory_id=laboratory.id, now=now)
    moved = await uow.sampling.set_sampled(
        order.id,
        state,
        sampling_unit_id=unit.id,
        sampled_by_hsa_id=actor.hsa_id,
        result_care_unit_id=order.recipient_id,
    )
    if not moved:  # cannot happen under the row lock; the guard keeps it true regardless
        raise OrderStatusConflict("the order was changed meanwhile", state=order.state)
    sampled = replace(
        order,
        status=state.status.value,
        version=state.version,
        handled_at=state.handled_at,
        sampled_at=state.sampled_at,
        sampled_at_unit_id=unit.id,
        sampled_by_hsa_id=actor.hsa_id,
        laboratory_id=laboratory.id,
        laboratory_code=laboratory.code,
        laboratory_name=laboratory.name,
    )
    return await _print_labels(
        uow,
        actor,
        lookup,
        unit=unit,
        order=sampled,
        laboratory=laboratory,
        laboratories=laboratories,
        lines=lines,
        now=now,
        target=target,
        reprint=False,
        details={
            "sampled_at": state.sampled_at.isoformat() if state.sampled_at else "",
        },
    )


async def _print_labels(
    uow: UnitOfWork,
    actor: StaffActor,
    lookup: PersonLookup,
    *,
    unit: SamplingUnitRow,
    order: SamplingOrderRow,
    laboratory: LaboratoryRef,
    laboratories: list[LaboratoryRef],
    lines: list[MappedLine],
    now: datetime,
    target: PrintTarget | None,
    reprint: bool,
    details: dict[str, str],
) -> PrintedLabels:
    """The labels of a sampled order (one per line, from the laboratory's template): the
    print logged and audited, the transaction committed, then the answer and — after the
    commit — the copy for the network printer. Shared by sampling and reprinting."""
    action = "sampling_labels_reprinted" if reprint else "order_sampled"
    personnummer = PersonalIdentityNumber(order.personnummer)
    labels = sample_labels(
        laboratory,
        lines,
        rid=order.rid,
        personnummer=personnummer.formatted,
        sex=personnummer.legal_sex,
    )
    await _log_print(uow, actor, unit, order, lines, now=now, reprint=reprint)
    await uow.audit.record(
        audit_event(
            actor,
            action,
            now=now,
            patient=personnummer,
            details={
                "order_id": str(order.id),
                "sampling_unit": unit.hsa_id,
                "laboratory": laboratory.code,
                **details,
                "labels": str(len(lines)),
                "printer": target.printer if target else "browser",
            },
        )
    )
    name = await _name(uow, lookup, personnummer, now)
    await uow.commit()
    return PrintedLabels(
        opened=OpenedOrder(
            unit=unit,
            order=order,
            name=name,
            laboratories=laboratories,
            laboratory=laboratory,
            lines=lines,
        ),
        zpl=labels,
        label_count=len(lines),
        reprint=reprint,
        network_print=await send_after_commit(labels, target),
    )


async def _log_print(
    uow: UnitOfWork,
    actor: StaffActor,
    unit: SamplingUnitRow,
    order: SamplingOrderRow,
    lines: list[MappedLine],
    *,
    now: datetime,
    reprint: bool,
) -> None:
    selected = actor.selected
    assert selected is not None
    await uow.label_prints.record(
        [NewLabelPrint(order_id=order.id, kind="sample", label_count=len(lines), reprint=reprint)],
        sampling_unit_id=unit.id,
        care_unit_hsa_id=selected.care_unit_hsa_id,
        printed_by_hsa_id=actor.hsa_id,
        printed_at=now,
    )


async def reprint_labels(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    order_id: uuid.UUID,
    target: PrintTarget | None,
) -> PrintedLabels:
    """Skriv ut igen: the same labels for an order sampled here, with its locked laboratory;
    logged as a reprint and audited. The laboratory and sampling time stay as they are."""
    if target is not None:
        target.printers.check(target.printer)
    unit = await _sampling_unit(uow, actor)
    order = await uow.sampling.order(order_id, unit_id=unit.id)
    if order is None or not _openable_here(order, unit):
        raise OrderNotFound("no such order at this sampling unit")
    if order.laboratory_id is None or OrderStatus(order.status) not in SAMPLED:
        raise OrderNotSampled("the order is not sampled yet: sample it to print its labels")
    laboratory = await uow.sampling.laboratory(order.laboratory_id)
    lines = await uow.sampling.lines(order.id, laboratory_id=laboratory.id)
    return await _print_labels(
        uow,
        actor,
        lookup,
        unit=unit,
        order=order,
        laboratory=laboratory,
        laboratories=await uow.sampling.laboratories(unit.id),
        lines=lines,
        now=now,
        target=target,
        reprint=True,
        details={},
    )


async def _cached_names(uow: UnitOfWork, hashes: set[bytes]) -> dict[bytes, str]:
    cached = await uow.person_cache.load_many(sorted(hashes))
    return {key: copy.person.full_name for key, copy in cached.items()}


async def _audit_listed(
    uow: UnitOfWork,
    actor: StaffActor,
    action: str,
    shown: Sequence[tuple[uuid.UUID, str, str]],
    *,
    now: datetime,
    details: dict[str, str],
) -> None:
    """A list shows names and personnummer: one entry per order shown (order id, RID),
    naming its patient, in one statement; an empty list one entry without a patient."""
    orders = {order_id: (rid, personnummer) for order_id, rid, personnummer in shown}
    if not orders:
        await uow.audit.record(audit_event(actor, action, now=now, details=details))
        return
    await uow.audit.record_many(
        [
            audit_event(
                actor,
                action,
                now=now,
                patient=PersonalIdentityNumber.parse(personnummer),
                details={**details, "order_id": str(order_id), "rid": rid},
            )
            for order_id, (rid, personnummer) in orders.items()
        ]
    )


async def list_bookings(*, uow: UnitOfWork, actor: StaffActor, now: datetime) -> Bookings:
    """Bokade tider: who is booked when at this sampling unit today (the calendar day in
    Sweden), with names from the cached register copies."""
    unit = await _sampling_unit(uow, actor)
    day = today_in_stockholm(now)
    start, end = stockholm_day(day)
    rows = await uow.sampling.booked(unit.id, start=start, end=end)
    names = await _cached_names(uow, {r.citizen_hash for r in rows})
    await _audit_listed(
        uow,
        actor,
        "sampling_bookings_listed",
        [(r.id, r.rid, r.personnummer) for r in rows],
        now=now,
        details={"sampling_unit": unit.hsa_id, "day": day.isoformat(), "rows": str(len(rows))},
    )
    await uow.commit()
    return Bookings(
        unit=unit,
        day=day,
        items=[Listed(order=r, name=names.get(r.citizen_hash)) for r in rows],
    )


async def list_sampled(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, page: int, page_size: int
) -> SampledListing:
    """Utskrivna: the orders sampled at this sampling unit, each once, newest first."""
    unit = await _sampling_unit(uow, actor)
    total, rows = await uow.sampling.sampled_here(
        unit.id, limit=page_size, offset=(page - 1) * page_size
    )
    names = await _cached_names(uow, {r.citizen_hash for r in rows})
    await _audit_listed(
        uow,
        actor,
        "sampling_printed_listed",
        [(r.id, r.rid, r.personnummer) for r in rows],
        now=now,
        details={"sampling_unit": unit.hsa_id, "page": str(page), "rows": str(len(rows))},
    )
    await uow.commit()
    return SampledListing(total=total, items=[(r, names.get(r.citizen_hash)) for r in rows])


async def list_print_log(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, page: int, page_size: int
) -> PrintLogListing:
    """Utskriftslogg: every print made at this sampling unit, repeats included, who and
    when, newest first."""
    unit = await _sampling_unit(uow, actor)
    total, rows = await uow.label_prints.at_sampling_unit(
        unit.id, limit=page_size, offset=(page - 1) * page_size
    )
    names = await _cached_names(uow, {r.citizen_hash for r in rows})
    await _audit_listed(
        uow,
        actor,
        "sampling_print_log_listed",
        [(r.order_id, r.rid, r.personnummer) for r in rows],
        now=now,
        details={"sampling_unit": unit.hsa_id, "page": str(page), "rows": str(len(rows))},
    )
    await uow.commit()
    return PrintLogListing(total=total, items=[(r, names.get(r.citizen_hash)) for r in rows])
