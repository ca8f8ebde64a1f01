from __future__ import annotations

from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.persons import find_person
from api.web.deps import ServicesDep, Staff, StaffSession, module_access, record_refusal
from api.web.problems import PROBLEM_RESPONSES
from api.web.request_context import current_request_id
from domain.access import (
    Module,
    ModuleNotPermitted,
    Role,
    admin_scope,
    available_modules,
    select_assignment,
)
from domain.audit import AuditEvent
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import PersonNotInRegister

router = APIRouter(prefix="/api/staff", tags=["staff"], responses=PROBLEM_RESPONSES)


class Assignment(BaseModel):
    assignment_id: str
    care_unit_hsa_id: str
    care_unit_name: str
    care_giver_name: str
    purpose: str


class ModuleAccess(BaseModel):
    module: str
    care_unit_hsa_id: str


class AdministrationScopeOut(BaseModel):
    """What the staff member may administer (empty lists and false: nothing)."""

    national: bool
    central: bool
    region_codes: list[str]
    care_unit_hsa_ids: list[str]


class StaffMe(BaseModel):
    hsa_id: str
    given_name: str
    family_name: str
    title: str | None
    assignments: list[Assignment]
    selected_assignment_id: str | None
    modules: list[ModuleAccess]
    administration: AdministrationScopeOut


def _me(staff: Staff) -> StaffMe:
    ctx = staff.context
    scope = admin_scope(ctx)
    return StaffMe(
        administration=AdministrationScopeOut(
            national=scope.national,
            central=ctx.holds(Role.CENTRAL_ADMIN.value),
            region_codes=sorted(scope.region_codes),
            care_unit_hsa_ids=sorted(scope.care_unit_hsa_ids),
        ),
        hsa_id=ctx.hsa_id,
        given_name=staff.session.given_name,
        family_name=staff.session.family_name,
        title=staff.session.extra.get("title"),
        assignments=[
            Assignment(
                assignment_id=a.assignment_id,
                care_unit_hsa_id=a.care_unit_hsa_id,
                care_unit_name=a.care_unit_name,
                care_giver_name=a.care_giver_name,
                purpose=a.purpose,
            )
            for a in ctx.assignments
        ],
        selected_assignment_id=ctx.selected.assignment_id if ctx.selected else None,
        modules=[
            ModuleAccess(module=m.value, care_unit_hsa_id=ctx.selected.care_unit_hsa_id)
            for m in available_modules(ctx)
        ]
        if ctx.selected
        else [],
    )


@router.get("/me", operation_id="getStaffMe")
async def get_me(staff: StaffSession) -> StaffMe:
    """The logged-in staff member, their employee assignments (medarbetaruppdrag), the one
    chosen for this session, and the modules permitted at its care unit."""
    return _me(staff)


class ContextChoice(BaseModel):
    assignment_id: str = Field(min_length=1, max_length=64)


@router.put("/context", operation_id="selectStaffContext")
async def select_context(
    choice: ContextChoice, staff: StaffSession, services: ServicesDep
) -> StaffMe:
    """Chooses the care unit and assignment to work under in this session."""
    try:
        assignment = select_assignment(staff.context.assignments, choice.assignment_id)
    except ModuleNotPermitted as error:
        await record_refusal(services, staff, action="select_context", error=error)
        raise
    session = replace(staff.session, selected_assignment_id=assignment.assignment_id)
    async with services.uow() as uow:
        await uow.audit.record(
            AuditEvent(
                occurred_at=services.now(),
                action="select_context",
                actor_kind="staff",
                actor_id=staff.context.hsa_id,
                care_unit_hsa_id=assignment.care_unit_hsa_id,
                assignment_id=assignment.assignment_id,
                assignment_purpose=assignment.purpose,
                request_id=current_request_id(),
            )
        )
        await uow.commit()
    await services.sessions.update(staff.token, session)
    return _me(
        Staff(
            token=staff.token,
            session=session,
            context=replace(staff.context, selected=assignment),
        )
    )


class PersonLookupRequest(BaseModel):
    # In the body, never in the URL: personnummer must not end up in access logs.
    personnummer: str = Field(min_length=10, max_length=13)


class PersonSummary(BaseModel):
    personnummer: str
    given_name: str
    family_name: str
    age: int
    legal_sex: Literal["F", "M"]
    protected_identity: bool


@router.post("/person-lookup", operation_id="lookupPerson")
async def lookup_person_for_staff(
    body: PersonLookupRequest,
    services: ServicesDep,
    staff: Staff = Depends(module_access(Module.ASSIGN_OFFER)),
) -> PersonSummary:
    """Name of a patient from the person register, e.g. to confirm whom an offer is assigned
    to. Every look-up is audited with who, unit, assignment and patient."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    assignment = staff.context.selected
    assert assignment is not None  # module_access guarantees a selected assignment
    async with services.uow() as uow:
        person = await find_person(services, uow, personnummer)
        await uow.audit.record(
            AuditEvent(
                occurred_at=services.now(),
                action="person_lookup",
                actor_kind="staff",
                actor_id=staff.context.hsa_id,
                care_unit_hsa_id=assignment.care_unit_hsa_id,
                assignment_id=assignment.assignment_id,
                assignment_purpose=assignment.purpose,
                patient=personnummer,
                request_id=current_request_id(),
                details={"found": person is not None},
            )
        )
        await uow.commit()
    if person is None:
        raise PersonNotInRegister("the person register has no such person")
    return PersonSummary(
        personnummer=person.personnummer.formatted,
        given_name=person.given_name,
        family_name=person.family_name,
        age=person.personnummer.age(services.now().date()),
        legal_sex=person.personnummer.legal_sex,
        protected_identity=person.protected_identity,
    )
