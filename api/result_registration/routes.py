from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from adapters.db.uow import UnitOfWork
from api.persons.deps import PersonLookupDep
from api.result_registration import usecases
from api.result_registration.schemas import (
    RegisterResultIn,
    RegistrationOrderOut,
    RegistrationOrderSummary,
    RegistrationOutcomeOut,
    RegistrationPatientOut,
    RegistrationSearchIn,
    RegistrationSearchOut,
    RegistrationUnitOut,
    ResultLogEntryOut,
    ResultLogPage,
    ResultLogSearchIn,
)
from api.services import Services
from api.web.deps import ServicesDep, Staff, module_access
from api.web.etag import IfMatch, expected_version, set_etag
from api.web.idempotency import IdempotentCall, run_idempotent
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.identity_numbers import PersonalIdentityNumber
from domain.result_registration import LineValue, SearchCriteria, search_criteria
from domain.results import Insight

router = APIRouter(
    prefix="/api/staff/result-registration",
    tags=["result registration"],
    responses=PROBLEM_RESPONSES,
)
Registrar = Annotated[Staff, Depends(module_access(Module.RESULT_REGISTRATION))]
Page = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=200)]
RegistrationKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="A unique key per Skicka svar (e.g. a UUID made when the form is "
        "shown): a second click or a retry with the same key gets the first answer and "
        "registers nothing again.",
    ),
]


def _criteria(
    services: Services, personnummer: str | None, rid: str | None
) -> SearchCriteria | None:
    """None when neither is given (the Svarslogg lists everything then)."""
    if personnummer is None and rid is None:
        return None
    if personnummer is not None:
        personnummer = PersonalIdentityNumber.parse(personnummer, today=services.now().date()).value
    return search_criteria(personnummer=personnummer, rid=rid)


@router.post("/search", operation_id="searchResultRegistrationOrders")
async def search_orders(
    body: RegistrationSearchIn, staff: Registrar, services: ServicesDep, lookup: PersonLookupDep
) -> RegistrationSearchOut:
    """Sök invånare och beställning: every order of the citizen (by personnummer) whose
    results this care unit registers, with its status — or the order of an anonymous kit
    (by RID). Audited with the patient."""
    criteria = _criteria(services, body.personnummer, body.rid)
    if criteria is None:
        criteria = search_criteria(personnummer=None, rid=None)  # raises: one of them
    found = await in_transaction(
        services,
        lambda uow: usecases.search_orders(
            uow=uow, actor=staff.actor, now=services.now(), lookup=lookup, criteria=criteria
        ),
    )
    return RegistrationSearchOut(
        care_unit=RegistrationUnitOut.of(found.unit),
        patient=None
        if found.personnummer is None
        else RegistrationPatientOut.of(found.personnummer, found.name),
        orders=[RegistrationOrderSummary.of(o) for o in found.orders],
    )


@router.get("/orders/{order_id}", operation_id="openResultRegistrationOrder")
async def open_order(
    order_id: uuid.UUID,
    response: Response,
    staff: Registrar,
    services: ServicesDep,
    lookup: PersonLookupDep,
) -> RegistrationOrderOut:
    """The order with every version of its results and the result templates it may be
    answered with. The ETag is the version to register with (If-Match). Audited."""
    opened = await in_transaction(
        services,
        lambda uow: usecases.open_order(
            uow=uow, actor=staff.actor, now=services.now(), lookup=lookup, order_id=order_id
        ),
    )
    set_etag(response, opened.order.version)
    return RegistrationOrderOut.of(opened)


@router.post(
    "/orders/{order_id}/results",
    operation_id="registerResult",
    responses={
        409: {
            "description": "sampling-date-locked (the order's results have another sampling "
            "date: it cannot be changed), order-not-awaiting-results, idempotency-key-reused"
        },
        412: {"description": "stale-version: the order changed since it was opened"},
        428: {"description": "if-match-required"},
    },
)
async def register_result(
    order_id: uuid.UUID,
    body: RegisterResultIn,
    response: Response,
    staff: Registrar,
    services: ServicesDep,
    lookup: PersonLookupDep,
    idempotency_key: RegistrationKey,
    if_match: IfMatch = None,
) -> RegistrationOutcomeOut:
    """Skicka svar: registers the result of the order's lines with a result template, the
    sampling date, each line's value and insight and the comment as edited; sent again, it
    corrects them (a new version; the citizen is told again). Send If-Match with the order's
    version and an Idempotency-Key per click."""
    version = expected_version(if_match)
    now = services.now()
    registration = usecases.Registration(
        template_id=body.template_id,
        sampling_date=body.sampling_date,
        comment=body.comment,
        values=[
            LineValue(
                line_no=v.line_no,
                value=v.value,
                unit=v.unit,
                reference_range=v.reference_range,
                insight=None if v.insight is None else Insight(v.insight),
            )
            for v in body.values
        ],
    )

    async def work(uow: UnitOfWork, call: IdempotentCall) -> usecases.Registered:
        return await usecases.register_result(
            uow=uow,
            actor=staff.actor,
            now=now,
            lookup=lookup,
            idempotency=call,
            order_id=order_id,
            expected_version=version,
            registration=registration,
        )

    async def replay(uow: UnitOfWork, replayed_order_id: uuid.UUID) -> usecases.Registered:
        opened = await usecases.open_order(
            uow=uow, actor=staff.actor, now=now, lookup=lookup, order_id=replayed_order_id
        )
        newest = [line.versions[0].result_id for line in opened.lines if line.versions]
        return usecases.Registered(opened=opened, result_ids=newest, corrected=False)

    answer = await run_idempotent(
        services,
        actor=staff.actor,
        key=idempotency_key,
        now=now,
        work=work,
        order_of=lambda registered: registered.opened.order.id,
        replay=replay,
        render=lambda registered: RegistrationOutcomeOut.of_registered(registered).model_dump(
            mode="json"
        ),
        status_code=200,
    )
    outcome = RegistrationOutcomeOut.model_validate(answer.body)
    set_etag(response, outcome.order.version)
    return outcome


async def _log(
    services: Services,
    staff: Staff,
    *,
    start: date | None,
    end: date | None,
    criteria: SearchCriteria | None,
    page: int,
    page_size: int,
) -> ResultLogPage:
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_log(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            start=start,
            end=end,
            criteria=criteria,
            page=page,
            page_size=page_size,
        ),
    )
    return ResultLogPage(
        total=listing.total,
        total_capped=listing.total_capped,
        page=page,
        page_size=page_size,
        items=[ResultLogEntryOut.of(row, name) for row, name in listing.items],
    )


@router.get("/log", operation_id="listResultLog")
async def list_log(
    staff: Registrar,
    services: ServicesDep,
    from_date: date | None = None,
    to_date: date | None = None,
    page: Page = 1,
    page_size: PageSize = 50,
) -> ResultLogPage:
    """Svarslogg: every result registered by hand at this care unit, newest first, within
    the dates (days in Sweden). Audited per order shown."""
    return await _log(
        services,
        staff,
        start=from_date,
        end=to_date,
        criteria=None,
        page=page,
        page_size=page_size,
    )


@router.post("/log/search", operation_id="searchResultLog")
async def search_log(
    body: ResultLogSearchIn, staff: Registrar, services: ServicesDep
) -> ResultLogPage:
    """Svarslogg of one citizen (personnummer) or one RID, within the dates."""
    return await _log(
        services,
        staff,
        start=body.from_date,
        end=body.to_date,
        criteria=_criteria(services, body.personnummer, body.rid),
        page=body.page,
        page_size=body.page_size,
    )
