from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api.assignment import usecases
from api.assignment.schemas import (
    AssignableOfferOut,
    AssignedOfferOut,
    AssignedOffersPage,
    AssignIn,
    LaunchIn,
    LaunchOut,
    OfferForPatientOut,
    PatientIn,
    PatientOffers,
    PatientOut,
    SortKey,
)
from api.persons.deps import PersonLookupDep
from api.services import Services
from api.staff_context.schemas import StaffMe
from api.staff_context.session import remember_selection
from api.web.deps import ServicesDep, Staff, StaffSession, module_access
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.identity_numbers import PersonalIdentityNumber

router = APIRouter(prefix="/api/staff", tags=["assignment"], responses=PROBLEM_RESPONSES)
Assigner = Annotated[Staff, Depends(module_access(Module.ASSIGN_OFFER))]
ListViewer = Annotated[Staff, Depends(module_access(Module.ASSIGNED_OFFERS))]

# A used link is remembered for longer than any link is valid (launch.MAX_TTL).
USED_LINK_TTL_SECONDS = 900


@router.get("/assignable-offers", operation_id="listAssignableOffers")
async def list_assignable_offers(
    staff: Assigner, services: ServicesDep
) -> list[AssignableOfferOut]:
    """The personal offers the selected care unit may assign."""
    offers = await in_transaction(
        services,
        lambda uow: usecases.assignable_offers(uow=uow, actor=staff.actor, now=services.now()),
    )
    return [AssignableOfferOut(**asdict(o)) for o in offers]


@router.post("/patient-offers", operation_id="findPatientOffers")
async def find_patient_offers(
    body: PatientIn, staff: Assigner, services: ServicesDep, lookup: PersonLookupDep
) -> PatientOffers:
    """The patient (name from the person register), the offers this unit assigned them and
    the offers it may assign, each telling whether the patient is among whom it is for (age,
    sex). Audited as a look-up of patient data."""
    today = services.now().date()
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=today)
    found = await in_transaction(
        services,
        lambda uow: usecases.find_patient_offers(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            personnummer=personnummer,
        ),
    )
    return PatientOffers(
        patient=PatientOut(
            personnummer=personnummer.formatted,
            given_name=found.person.given_name,
            family_name=found.person.family_name,
            age=personnummer.age(today),
            legal_sex=personnummer.legal_sex,
        ),
        assigned=[AssignedOfferOut.of(offer) for offer in found.assigned],
        assignable=[OfferForPatientOut.of(option) for option in found.assignable],
    )


@router.post("/assignments", operation_id="assignOffer", status_code=201)
async def assign_offer(
    body: AssignIn, staff: Assigner, services: ServicesDep, lookup: PersonLookupDep
) -> AssignedOfferOut:
    """Tilldela: the citizen sees the offer at once. Refused (409 offer-not-for-patient, the
    detail naming whom the offer is for) when the patient's age or sex is outside the offer's;
    several care units may assign the same offer to a patient, each once (a second time by
    the same unit: 409 conflict)."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    assigned = await in_transaction(
        services,
        lambda uow: usecases.assign_offer(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            personnummer=personnummer,
            catalog_id=body.catalog_id,
        ),
    )
    return AssignedOfferOut.of(assigned)


@router.post(
    "/assignments/{assignment_id}/remove", operation_id="removeAssignedOffer", status_code=204
)
async def remove_assigned_offer(
    assignment_id: uuid.UUID, staff: Assigner, services: ServicesDep
) -> Response:
    """Ta bort erbjudande: for an offer assigned by mistake (only this unit's assignments)."""
    await in_transaction(
        services,
        lambda uow: usecases.remove_assigned_offer(
            uow=uow, actor=staff.actor, now=services.now(), assignment_id=assignment_id
        ),
    )
    return Response(status_code=204)


@router.get("/assigned-offers", operation_id="listAssignedOffers")
async def list_assigned_offers(
    staff: ListViewer,
    services: ServicesDep,
    sort: SortKey = "assigned_at",
    order: Literal["asc", "desc"] = "desc",
    catalog_id: Annotated[
        str | None, Query(min_length=1, max_length=32, description="Only this offer")
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=400, description="`next_cursor` of the page before")
    ] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AssignedOffersPage:
    """Tilldelade erbjudanden of the selected unit, a page at a time (a cursor, not page
    numbers: every page costs the same however deep). Sortable by when assigned, last
    used, times used and by whom; personnummer and name are stored encrypted, so they are
    shown but not sorted on (ADR 10) — to find one patient, use the patient look-up
    (`POST /patient-offers`). Every patient shown is audited."""
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_assigned_offers(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            sort=sort,
            descending=order == "desc",
            catalog_id=catalog_id,
            cursor=cursor,
            page_size=page_size,
        ),
    )
    return AssignedOffersPage(
        total=listing.total,
        total_capped=listing.total_capped,
        page_size=page_size,
        items=[AssignedOfferOut.of(offer) for offer in listing.items],
        next_cursor=listing.next_cursor,
    )


def _launch_links(services: Services) -> usecases.LaunchLinks:
    async def first_use(token_id: str) -> bool:
        key = f"{services.settings.redis_prefix}:launch:{token_id}"
        return bool(await services.redis.set(key, b"1", nx=True, ex=USED_LINK_TTL_SECONDS))

    return usecases.LaunchLinks(
        secrets_by_issuer=services.settings.launch_secrets, first_use=first_use
    )


@router.post("/launch", operation_id="launchFromJournal")
async def launch_from_journal(
    body: LaunchIn, staff: StaffSession, services: ServicesDep
) -> LaunchOut:
    """The deep link (uthopp): validates the journal system's encrypted launch token, selects
    the staff member's assignment at the care unit it names, and returns the patient to
    prefill. A token works once and for a few minutes."""
    launch = await in_transaction(
        services,
        lambda uow: usecases.launch_from_journal(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            token=body.token,
            links=_launch_links(services),
            remember=remember_selection(services, staff),
        ),
    )
    return LaunchOut(
        personnummer=launch.personnummer.formatted,
        care_unit_hsa_id=launch.care_unit_hsa_id,
        me=StaffMe.of(replace(staff.context, selected=launch.chosen), staff.session),
    )
