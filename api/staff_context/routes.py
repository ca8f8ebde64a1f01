from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends

from api.persons.deps import PersonLookupDep
from api.staff_context import usecases
from api.staff_context.schemas import ContextChoice, PersonLookupRequest, PersonSummary, StaffMe
from api.staff_context.session import remember_selection
from api.web.deps import ServicesDep, Staff, StaffSession, module_access
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.identity_numbers import PersonalIdentityNumber

router = APIRouter(prefix="/api/staff", tags=["staff"], responses=PROBLEM_RESPONSES)


@router.get("/me", operation_id="getStaffMe")
async def get_me(staff: StaffSession) -> StaffMe:
    """The logged-in staff member, their employee assignments (medarbetaruppdrag), the one
    chosen for this session, and the modules permitted at its care unit."""
    return StaffMe.of(staff.context, staff.session)


@router.put("/context", operation_id="selectStaffContext")
async def select_context(
    choice: ContextChoice, staff: StaffSession, services: ServicesDep
) -> StaffMe:
    """Chooses the care unit and assignment to work under in this session."""
    chosen = await in_transaction(
        services,
        lambda uow: usecases.select_context(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            assignment_id=choice.assignment_id,
            remember=remember_selection(services, staff),
        ),
    )
    return StaffMe.of(replace(staff.context, selected=chosen), staff.session)


@router.post("/person-lookup", operation_id="lookupPerson")
async def lookup_person_for_staff(
    body: PersonLookupRequest,
    services: ServicesDep,
    lookup: PersonLookupDep,
    staff: Staff = Depends(module_access(Module.ASSIGN_OFFER)),
) -> PersonSummary:
    """Name of a patient from the person register, e.g. to confirm whom an offer is assigned
    to. Every look-up is audited with who, unit, assignment and patient."""
    today = services.now().date()
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=today)
    person = await in_transaction(
        services,
        lambda uow: usecases.look_up_person(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            personnummer=personnummer,
        ),
    )
    return PersonSummary(
        personnummer=person.personnummer.formatted,
        given_name=person.given_name,
        family_name=person.family_name,
        age=person.personnummer.age(today),
        legal_sex=person.personnummer.legal_sex,
        protected_identity=person.protected_identity,
    )
