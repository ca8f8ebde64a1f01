"""Svarsregistrering (SPEC §5; manual 4.5): finding the orders whose results go to the
logged-in care unit (by personnummer, or by RID for an anonymous kit), opening one with its
results and the result templates it may be answered with, registering a result (*Skicka
svar*) and correcting it, and the Svarslogg. The rules are domain/result_registration.py; a
registered result goes through the one result intake (api/results_intake/usecases
.receive_results), as a laboratory system's does. Every search, view and registration is
audited with the patient."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from adapters.db.repositories.result_registration import (
    LogRow,
    RegistrationLineRow,
    RegistrationOrderRow,
    TemplateRow,
)
from adapters.db.uow import UnitOfWork
from api.persons.usecases import PersonLookup, find_person
from api.results_intake.usecases import ManualRegistration, receive_results
from api.web.idempotency import IdempotentCall
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.errors import InvalidInput, StaleVersion
from domain.identity_numbers import PersonalIdentityNumber
from domain.orders import OrderNotFound, OrderStatus, OrderStatusConflict, mark_sampled
from domain.result_registration import (
    NOT_YET_SAMPLED,
    CareUnitNotInService,
    LineValue,
    SearchCriteria,
    TemplateNotForOrder,
    check_registration_date,
    registration_items,
    require_registrable,
    sampled_at_for,
)
from domain.results import Outcome
from domain.sampling import STOCKHOLM, today_in_stockholm

# The Svarslogg's dates: from the first day the service could have registered anything.
LOG_EPOCH = date(2020, 1, 1)


@dataclass(frozen=True, slots=True)
class CareUnit:
    id: uuid.UUID
    hsa_id: str
    name: str


@dataclass(frozen=True, slots=True)
class FoundOrders:
    unit: CareUnit
    # None for a RID that leads to no order of the unit.
    personnummer: str | None
    name: str | None
    orders: list[RegistrationOrderRow]


@dataclass(frozen=True, slots=True)
class OpenedOrder:
    """An order as Svarsregistrering shows it: its lines with every result version, the
    templates it may be answered with and the sampling date its results are locked to."""

    unit: CareUnit
    order: RegistrationOrderRow
    name: str | None
    lines: list[RegistrationLineRow]
    templates: list[TemplateRow]

    @property
    def locked_sampling_date(self) -> date | None:
        dates = [v.sampling_date for line in self.lines for v in line.versions]
        return max(dates, default=None)

    @property
    def suggested_sampling_date(self) -> date | None:
        """The date to prefill: the locked one, else the day the order was sampled."""
        if self.locked_sampling_date is not None:
            return self.locked_sampling_date
        sampled = self.order.sampled_at
        return None if sampled is None else today_in_stockholm(sampled)


@dataclass(frozen=True, slots=True)
class Registration:
    """Skicka svar: what the staff member sent."""

    template_id: uuid.UUID
    sampling_date: date
    comment: str | None
    values: Sequence[LineValue]


@dataclass(frozen=True, slots=True)
class Registered:
    opened: OpenedOrder
    # The versions stored and whether they corrected earlier ones.
    result_ids: list[uuid.UUID]
    corrected: bool


@dataclass(frozen=True, slots=True)
class LogListing:
    total: int
    # More than `total` (the count stops at a cap: the repository's LOG_COUNT_CAP).
    total_capped: bool
    items: list[tuple[LogRow, str | None]]


async def _care_unit(uow: UnitOfWork, actor: StaffActor) -> CareUnit:
    selected = actor.selected
    assert selected is not None  # module access guarantees it
    unit_id = await uow.assignments.care_unit_id(selected.care_unit_hsa_id)
    if unit_id is None:
        raise CareUnitNotInService(
            f"{selected.care_unit_name} ({selected.care_unit_hsa_id}) is not configured in "
            "this service"
        )
    return CareUnit(id=unit_id, hsa_id=selected.care_unit_hsa_id, name=selected.care_unit_name)


async def _name(
    uow: UnitOfWork, lookup: PersonLookup, personnummer: str, now: datetime
) -> str | None:
    person = await find_person(
        uow=uow, lookup=lookup, personnummer=PersonalIdentityNumber.parse(personnummer), now=now
    )
    return None if person is None else person.full_name


async def search_orders(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    criteria: SearchCriteria,
) -> FoundOrders:
    """Sök invånare och beställning: every order of the citizen whose results go to this
    care unit, with its status — or the one order with the RID. Audited with the patient
    (a RID that leads nowhere, without one)."""
    unit = await _care_unit(uow, actor)
    if criteria.personnummer is not None:
        personnummer: str | None = criteria.personnummer
        orders = await uow.result_registration.orders_of_citizen(
            criteria.personnummer, unit_id=unit.id
        )
    else:
        assert criteria.rid is not None
        found = await uow.result_registration.order_by_rid(criteria.rid, unit_id=unit.id)
        orders = [] if found is None else [found]
        personnummer = None if found is None else found.personnummer
    name = None if personnummer is None else await _name(uow, lookup, personnummer, now)
    await uow.audit.record(
        audit_event(
            actor,
            "result_registration_search",
            now=now,
            patient=None if personnummer is None else PersonalIdentityNumber.parse(personnummer),
            details={
                "care_unit": unit.hsa_id,
                "by": "personnummer" if criteria.personnummer else "rid",
                "orders": str(len(orders)),
            },
        )
    )
    await uow.commit()
    if criteria.rid is not None and not orders:
        raise OrderNotFound("no order with this RID has its results registered here")
    return FoundOrders(unit=unit, personnummer=personnummer, name=name, orders=orders)


async def _opened(
    uow: UnitOfWork,
    unit: CareUnit,
    order: RegistrationOrderRow,
    *,
    lookup: PersonLookup,
    now: datetime,
) -> OpenedOrder:
    return OpenedOrder(
        unit=unit,
        order=order,
        name=await _name(uow, lookup, order.personnummer, now),
        lines=await uow.result_registration.lines(order.id),
        templates=await uow.result_registration.templates(
            laboratory_id=order.laboratory_id, unit_id=unit.id
        ),
    )


async def open_order(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    order_id: uuid.UUID,
) -> OpenedOrder:
    """The order with every version of its results (corrections included) and the result
    templates it may be answered with. Audited with the patient."""
    unit = await _care_unit(uow, actor)
    order = await uow.result_registration.order(order_id, unit_id=unit.id)
    if order is None:
        raise OrderNotFound("no such order has its results registered here")
    opened = await _opened(uow, unit, order, lookup=lookup, now=now)
    await uow.audit.record(
        audit_event(
            actor,
            "result_registration_opened",
            now=now,
            patient=PersonalIdentityNumber.parse(order.personnummer),
            details={"care_unit": unit.hsa_id, "order_id": str(order.id), "rid": order.rid},
        )
    )
    await uow.commit()
    return opened


async def register_result(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    idempotency: IdempotentCall,
    order_id: uuid.UUID,
    expected_version: int,
    registration: Registration,
) -> Registered:
    """Skicka svar: registers the result of one or more of the order's lines with a result
    template, each line with its own insight, as the next version of each (a correction when
    there was one); the citizen is told (outbox). An order not yet sampled is sampled by it,
    as of the sampling date, with the template's laboratory. The Idempotency-Key is claimed
    first (a double click is answered with the first answer); If-Match must name the order's
    version. All or nothing: a line refused refuses the registration. The runner commits."""
    await idempotency.claim(
        "register_result",
        {
            "order_id": str(order_id),
            "template_id": str(registration.template_id),
            "sampling_date": registration.sampling_date.isoformat(),
            "comment": registration.comment,
            "values": [
                [
                    v.line_no,
                    v.value,
                    v.unit,
                    v.reference_range,
                    None if v.insight is None else v.insight.value,
                ]
                for v in registration.values
            ],
        },
    )
    unit = await _care_unit(uow, actor)
    repository = uow.result_registration
    order = await repository.order(order_id, unit_id=unit.id, for_update=True)
    if order is None:
        raise OrderNotFound("no such order has its results registered here")
    require_registrable(OrderStatus(order.status))
    if expected_version != order.version:
        raise StaleVersion(f"the order's current version is {order.version}: reload it")
    templates = await repository.templates(laboratory_id=order.laboratory_id, unit_id=unit.id)
    chosen = next((t for t in templates if t.template.id == registration.template_id), None)
    if chosen is None:
        raise TemplateNotForOrder()
    template = chosen.template
    lines = await repository.lines(order.id)
    check_registration_date(
        registration.sampling_date,
        now=now,
        placed_at=order.created_at,
        registered_dates=[v.sampling_date for line in lines for v in line.versions],
    )
    items = registration_items(
        rid=order.rid,
        sampling_date=registration.sampling_date,
        comment=registration.comment,
        values=registration.values,
    )
    if OrderStatus(order.status) in NOT_YET_SAMPLED:
        state = mark_sampled(
            order.state,
            sampled_at=sampled_at_for(
                registration.sampling_date, placed_at=order.created_at, now=now
            ),
            laboratory_id=template.laboratory_id,
            now=now,
        )
        if not await repository.set_sampled(order.id, state, by_hsa_id=actor.hsa_id):
            raise OrderStatusConflict("the order was sampled meanwhile: reload it", state=state)
    report = await receive_results(
        uow=uow,
        actor=actor,
        now=now,
        items=items,
        laboratory_ids=frozenset({template.laboratory_id}),
        commit=False,
        registration=ManualRegistration(
            by_hsa_id=actor.hsa_id,
            by_name=actor.name,
            care_unit_id=unit.id,
            template_id=template.id,
        ),
    )
    for item in report.items:
        if item.outcome is Outcome.REFUSED:
            assert item.error is not None
            raise item.error
    await repository.bump_version(order.id)
    corrected = any(i.outcome is Outcome.CORRECTED for i in report.items)
    result_ids = [i.result_id for i in report.items if i.result_id is not None]
    await uow.audit.record(
        audit_event(
            actor,
            "result_registered",
            now=now,
            patient=PersonalIdentityNumber.parse(order.personnummer),
            details={
                "care_unit": unit.hsa_id,
                "order_id": str(order.id),
                "rid": order.rid,
                "template_id": str(template.id),
                "sampling_date": registration.sampling_date.isoformat(),
                "lines": ",".join(str(v.line_no) for v in registration.values),
                "insights": ",".join(
                    f"{v.line_no}:{v.insight.value if v.insight else '-'}"
                    for v in registration.values
                ),
                "corrected": str(corrected),
            },
        )
    )
    reread = await repository.order(order.id, unit_id=unit.id)
    assert reread is not None
    return Registered(
        opened=await _opened(uow, unit, reread, lookup=lookup, now=now),
        result_ids=result_ids,
        corrected=corrected,
    )


def log_period(start: date | None, end: date | None, *, now: datetime) -> tuple[datetime, datetime]:
    """The Svarslogg's dates as instants: from the start of `start` to the end of `end`
    (days in Sweden); without them, everything up to today."""
    first = start or LOG_EPOCH
    last = end or today_in_stockholm(now)
    if first > last:
        raise InvalidInput("from_date", "must not be after the end date", code="order")
    return (
        datetime.combine(first, time(0, 0), tzinfo=STOCKHOLM),
        datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=STOCKHOLM),
    )


async def list_log(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    start: date | None,
    end: date | None,
    criteria: SearchCriteria | None,
    page: int,
    page_size: int,
) -> LogListing:
    """Svarslogg: every result registered by hand at this care unit, newest first, within
    the dates and optionally of one citizen or RID. One audit entry per order shown, naming
    its patient."""
    unit = await _care_unit(uow, actor)
    first, after = log_period(start, end, now=now)
    total, capped, rows = await uow.result_registration.log(
        unit_id=unit.id,
        start=first,
        end=after,
        personnummer=None if criteria is None else criteria.personnummer,
        rid=None if criteria is None else criteria.rid,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    cached = await uow.person_cache.load_many(sorted({r.citizen_hash for r in rows}))
    names = {key: copy.person.full_name for key, copy in cached.items()}
    details = {
        "care_unit": unit.hsa_id,
        "page": str(page),
        "rows": str(len(rows)),
        "filtered": str(criteria is not None),
    }
    orders = {r.order_id: (r.rid, r.personnummer) for r in rows}
    if orders:
        await uow.audit.record_many(
            [
                audit_event(
                    actor,
                    "result_log_listed",
                    now=now,
                    patient=PersonalIdentityNumber.parse(personnummer),
                    details={**details, "order_id": str(order_id), "rid": rid},
                )
                for order_id, (rid, personnummer) in orders.items()
            ]
        )
    else:
        patient = None
        if criteria is not None and criteria.personnummer is not None:
            patient = PersonalIdentityNumber.parse(criteria.personnummer)
        await uow.audit.record(
            audit_event(actor, "result_log_listed", now=now, patient=patient, details=details)
        )
    await uow.commit()
    return LogListing(
        total=total, total_capped=capped, items=[(r, names.get(r.citizen_hash)) for r in rows]
    )
