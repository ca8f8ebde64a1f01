from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import RedirectResponse

from api.persons.deps import PersonLookupDep
from api.treatment_responsibility import usecases
from api.treatment_responsibility.schemas import (
    TreatmentSearchIn,
    TreatmentSearchOut,
    TreatmentTakeoverIn,
    TreatmentTakeoverOut,
)
from api.web.deps import ServicesDep, Staff, module_access
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.identity_numbers import PersonalIdentityNumber
from domain.treatment_responsibility import TakeoverOutcome

router = APIRouter(
    prefix="/api/staff/treatment-responsibility",
    tags=["treatment-responsibility"],
    responses=PROBLEM_RESPONSES,
)
# Any staff member with an employee assignment: no permission, no care purpose (manual 4.1).
Clinician = Annotated[Staff, Depends(module_access(Module.TREATMENT_RESPONSIBILITY))]

# The manual's short address (manual 1.4: https://pep.1177.se/rba) opens the module in the
# professional app, which asks for the SITHS login first when needed.
deep_link_router = APIRouter()


@deep_link_router.get("/rba", include_in_schema=False)
async def open_treatment_responsibility() -> RedirectResponse:
    return RedirectResponse("/pro/rba", status_code=302)


@router.post("/search", operation_id="searchTreatmentResults")
async def search(
    body: TreatmentSearchIn, staff: Clinician, services: ServicesDep, lookup: PersonLookupDep
) -> TreatmentSearchOut:
    """The patient and their positive results of contact-tracing products (chlamydia,
    gonorrhoea), with who took over treatment so far. Audited with the patient."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    found = await in_transaction(
        services,
        lambda uow: usecases.search(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            personnummer=personnummer,
        ),
    )
    return TreatmentSearchOut.of(found)


@router.post(
    "/takeovers",
    operation_id="takeOverTreatment",
    status_code=201,
    responses={200: {"model": TreatmentTakeoverOut, "description": "Taken over already"}},
)
async def take_over(
    body: TreatmentTakeoverIn, response: Response, staff: Clinician, services: ServicesDep
) -> TreatmentTakeoverOut:
    """Övertagande av behandlingsansvar at the care unit of the chosen assignment: 201 with
    the new record, or 200 with the earlier one when the unit took it over already. It shows
    in the worklist of the unit following the result."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    made = await in_transaction(
        services,
        lambda uow: usecases.take_over(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            personnummer=personnummer,
            line_id=body.result_id,
        ),
    )
    if made.outcome is TakeoverOutcome.ALREADY_TAKEN_OVER:
        response.status_code = 200
    return TreatmentTakeoverOut.of(made)
