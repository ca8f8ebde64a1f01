"""Tilldela erbjudande and Tilldelade erbjudanden (SPEC §5; manual 4.9, 4.10), including
the deep link (uthopp) from journal systems."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from adapters.db.repositories.assignments import AssignmentRow
from adapters.db.uow import UnitOfWork
from adapters.identity.launch import InvalidLaunch, LaunchExpired, read_launch_token
from api.persons import find_person
from api.routes.staff import StaffMe, _me
from api.services import Services
from api.web.deps import ServicesDep, Staff, StaffSession, module_access, record_refusal
from api.web.problems import PROBLEM_RESPONSES
from api.web.request_context import current_request_id
from domain.access import Module, select_assignment
from domain.assignment import (
    AlreadyAssigned,
    AssignmentNotFound,
    LaunchAlreadyUsed,
    LaunchExpiredRefused,
    LaunchRefused,
    NoAssignmentAtLaunchUnit,
    OfferNotAssignable,
)
from domain.audit import AuditEvent
from domain.errors import NotFound
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import PersonNotInRegister

router = APIRouter(prefix="/api/staff", tags=["assignment"], responses=PROBLEM_RESPONSES)
Assigner = Annotated[Staff, Depends(module_access(Module.ASSIGN_OFFER))]
ListViewer = Annotated[Staff, Depends(module_access(Module.ASSIGNED_OFFERS))]


class AssignableOfferOut(BaseModel):
    catalog_id: str
    name: str
    sampling_method: str
    validity_days: int
    products: list[str]


class PatientOut(BaseModel):
    personnummer: str
    given_name: str
    family_name: str
    age: int
    legal_sex: Literal["F", "M"]


class AssignedOfferOut(BaseModel):
    id: uuid.UUID
    personnummer: str
    name: str | None
    catalog_id: str
    offer_name: str
    times_used: int
    last_used_at: datetime | None
    assigned_at: datetime
    assigned_by_hsa_id: str
    care_unit_hsa_id: str
    care_unit_name: str


class PatientOffers(BaseModel):
    patient: PatientOut
    assigned: list[AssignedOfferOut]


class PatientIn(BaseModel):
    # In the body, never in the URL.
    personnummer: str = Field(min_length=10, max_length=13)


class AssignIn(PatientIn):
    catalog_id: str = Field(min_length=1, max_length=32)


async def _unit_id(uow: UnitOfWork, staff: Staff) -> uuid.UUID:
    assert staff.context.selected is not None  # module_access guarantees it
    unit = await uow.administration.care_unit(staff.context.selected.care_unit_hsa_id)
    if unit is None or unit.retired_at is not None:
        raise NotFound("the care unit is not configured in this service")
    return unit.id


async def _audit(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    action: str,
    patient: PersonalIdentityNumber | None,
    **details: str,
) -> None:
    selected = staff.context.selected
    assert selected is not None
    await uow.audit.record(
        AuditEvent(
            occurred_at=services.now(),
            action=action,
            actor_kind="staff",
            actor_id=staff.context.hsa_id,
            care_unit_hsa_id=selected.care_unit_hsa_id,
            assignment_id=selected.assignment_id,
            assignment_purpose=selected.purpose,
            patient=patient,
            request_id=current_request_id(),
            details=dict(details),
        )
    )


@router.get("/assignable-offers", operation_id="listAssignableOffers")
async def list_assignable_offers(
    staff: Assigner, services: ServicesDep
) -> list[AssignableOfferOut]:
    """The personal offers the selected care unit may assign."""
    async with services.uow() as uow:
        offers = await uow.assignments.assignable_offers(
            await _unit_id(uow, staff), today=services.now().date()
        )
    return [AssignableOfferOut(**asdict(o)) for o in offers]


def _assigned_out(row: AssignmentRow, name: str | None) -> AssignedOfferOut:
    data = asdict(row)
    data.pop("personnummer_hash")
    data["personnummer"] = PersonalIdentityNumber(data["personnummer"]).formatted
    return AssignedOfferOut(**data, name=name)


@router.post("/patient-offers", operation_id="findPatientOffers")
async def find_patient_offers(
    body: PatientIn, staff: Assigner, services: ServicesDep
) -> PatientOffers:
    """The patient (name from the person register) and the offers this unit assigned them.
    Audited as a look-up of patient data."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    async with services.uow() as uow:
        person = await find_person(services, uow, personnummer)
        await _audit(
            uow,
            services,
            staff,
            "patient_offers_lookup",
            personnummer,
            found=str(person is not None),
        )
        if person is None:
            await uow.commit()
            raise PersonNotInRegister("the person register has no such person")
        rows = await uow.assignments.for_patient(personnummer.value, await _unit_id(uow, staff))
        await uow.commit()
    return PatientOffers(
        patient=PatientOut(
            personnummer=personnummer.formatted,
            given_name=person.given_name,
            family_name=person.family_name,
            age=personnummer.age(services.now().date()),
            legal_sex=personnummer.legal_sex,
        ),
        assigned=[_assigned_out(r, person.full_name) for r in rows],
    )


@router.post("/assignments", operation_id="assignOffer", status_code=201)
async def assign_offer(body: AssignIn, staff: Assigner, services: ServicesDep) -> AssignedOfferOut:
    """Tilldela: the citizen sees the offer at once."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    async with services.uow() as uow:
        unit_id = await _unit_id(uow, staff)
        assignable = {
            o.catalog_id
            for o in await uow.assignments.assignable_offers(unit_id, today=services.now().date())
        }
        if body.catalog_id not in assignable:
            raise OfferNotAssignable("this care unit may not assign that offer")
        person = await find_person(services, uow, personnummer)
        if person is None:
            raise PersonNotInRegister("the person register has no such person")
        assignment_id = await uow.assignments.assign(
            personnummer=personnummer.value,
            catalog_id=body.catalog_id,
            care_unit_id=unit_id,
            assigned_by_hsa_id=staff.context.hsa_id,
            now=services.now(),
        )
        if assignment_id is None:
            raise AlreadyAssigned("the patient already has this offer")
        await _audit(
            uow, services, staff, "offer_assigned", personnummer, catalog_id=body.catalog_id
        )
        rows = await uow.assignments.for_patient(personnummer.value, unit_id)
        await uow.commit()
    row = next(r for r in rows if r.id == assignment_id)
    return _assigned_out(row, person.full_name)


@router.post(
    "/assignments/{assignment_id}/remove", operation_id="removeAssignedOffer", status_code=204
)
async def remove_assigned_offer(
    assignment_id: uuid.UUID, staff: Assigner, services: ServicesDep
) -> Response:
    """Ta bort erbjudande: for an offer assigned by mistake (only this unit's assignments)."""
    async with services.uow() as uow:
        personnummer = await uow.assignments.remove(
            assignment_id, care_unit_id=await _unit_id(uow, staff), now=services.now()
        )
        if personnummer is None:
            raise AssignmentNotFound("no such assignment at this care unit")
        await _audit(
            uow,
            services,
            staff,
            "offer_unassigned",
            PersonalIdentityNumber(personnummer),
            assignment=str(assignment_id),
        )
        await uow.commit()
    return Response(status_code=204)


SortKey = Literal[
    "personnummer",
    "name",
    "offer_name",
    "times_used",
    "last_used_at",
    "assigned_at",
    "assigned_by_hsa_id",
]


class AssignedOffersPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[AssignedOfferOut]


MAX_LISTED = 20000


@router.get("/assigned-offers", operation_id="listAssignedOffers")
async def list_assigned_offers(
    staff: ListViewer,
    services: ServicesDep,
    sort: SortKey = "assigned_at",
    order: Literal["asc", "desc"] = "desc",
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AssignedOffersPage:
    """Tilldelade erbjudanden of the selected unit. Personnummer and names are stored
    encrypted, so sorting happens here after decryption (bounded by MAX_LISTED)."""
    async with services.uow() as uow:
        rows = await uow.assignments.for_unit(await _unit_id(uow, staff), limit=MAX_LISTED)
        cached = await uow.person_cache.load_many(sorted({r.personnummer_hash for r in rows}))
        await _audit(uow, services, staff, "assigned_offers_listed", None, rows=str(len(rows)))
        await uow.commit()
    items = [
        _assigned_out(
            r,
            cached[r.personnummer_hash].person.full_name if r.personnummer_hash in cached else None,
        )
        for r in rows
    ]

    def key(item: AssignedOfferOut) -> tuple[bool, object]:
        value = getattr(item, sort)
        return (value is None, value if value is not None else "")

    items.sort(key=key, reverse=order == "desc")
    start = (page - 1) * page_size
    return AssignedOffersPage(
        total=len(items), page=page, page_size=page_size, items=items[start : start + page_size]
    )


class LaunchIn(BaseModel):
    token: str = Field(min_length=20, max_length=4000)


class LaunchOut(BaseModel):
    personnummer: str
    care_unit_hsa_id: str
    me: StaffMe


@router.post("/launch", operation_id="launchFromJournal")
async def launch_from_journal(
    body: LaunchIn, staff: StaffSession, services: ServicesDep
) -> LaunchOut:
    """The deep link (uthopp): validates the journal system's encrypted launch token, selects
    the staff member's assignment at the care unit it names, and returns the patient to
    prefill. A token works once and for a few minutes."""
    try:
        launch = read_launch_token(
            body.token, secrets_by_issuer=services.settings.launch_secrets, now=services.now()
        )
    except InvalidLaunch as error:
        refusal = (
            LaunchExpiredRefused(str(error))
            if isinstance(error, LaunchExpired)
            else LaunchRefused(str(error))
        )
        await record_refusal(services, staff, action="launch", error=refusal)
        raise refusal from None
    fresh = await services.redis.set(
        f"{services.settings.redis_prefix}:launch:{launch.token_id}", b"1", nx=True, ex=900
    )
    if not fresh:
        raise LaunchAlreadyUsed("this link has been used already: open it again from the journal")
    candidates = [
        a for a in staff.context.assignments if a.care_unit_hsa_id == launch.care_unit_hsa_id
    ]
    if not candidates:
        no_assignment = NoAssignmentAtLaunchUnit(
            "you have no employee assignment at the care unit of the link"
        )
        await record_refusal(services, staff, action="launch", error=no_assignment)
        raise no_assignment
    chosen = select_assignment(candidates, candidates[0].assignment_id)
    session = replace(staff.session, selected_assignment_id=chosen.assignment_id)
    await services.sessions.update(staff.token, session)
    updated = Staff(
        token=staff.token, session=session, context=replace(staff.context, selected=chosen)
    )
    personnummer = PersonalIdentityNumber.parse(launch.personnummer, today=services.now().date())
    async with services.uow() as uow:
        await _audit(
            uow, services, updated, "launch_from_journal", personnummer, issuer=launch.issuer
        )
        await uow.commit()
    return LaunchOut(
        personnummer=personnummer.formatted,
        care_unit_hsa_id=launch.care_unit_hsa_id,
        me=_me(updated),
    )
