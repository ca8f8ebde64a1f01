from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.contact_tracing import usecases
from api.contact_tracing.schemas import ContactTracingOut, ContactTracingSearchIn
from api.persons.deps import PersonLookupDep
from api.web.deps import ServicesDep, Staff, module_access
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.identity_numbers import PersonalIdentityNumber

router = APIRouter(
    prefix="/api/staff/contact-tracing", tags=["contact-tracing"], responses=PROBLEM_RESPONSES
)
Tracer = Annotated[Staff, Depends(module_access(Module.CONTACT_TRACING))]


@router.post("/search", operation_id="searchContactTracing")
async def search(
    body: ContactTracingSearchIn, staff: Tracer, services: ServicesDep, lookup: PersonLookupDep
) -> ContactTracingOut:
    """Smittspårning: the person's chlamydia/gonorrhoea home tests — whether done and
    answered, and when — never the insight or a value. Audited with the patient."""
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
    return ContactTracingOut.of(found)
