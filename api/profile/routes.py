"""Citizen endpoint of the profile (SPEC §4.1)."""

from __future__ import annotations

from fastapi import APIRouter

from api.persons.deps import PersonLookupDep
from api.profile import usecases
from api.profile.schemas import CitizenProfile
from api.web.deps import CitizenSession, ServicesDep
from api.web.problems import PROBLEM_RESPONSES
from api.web.responses import Document

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


@router.get("/profile", operation_id="getCitizenProfile", response_model=CitizenProfile)
async def get_profile(
    citizen: CitizenSession, services: ServicesDep, lookup: PersonLookupDep
) -> Document:
    """The logged-in citizen's own data from the person register (through the cache)."""
    profile = await usecases.get_profile(
        db=services, lookup=lookup, actor=citizen, now=services.now()
    )
    return Document(CitizenProfile.rendered(profile))
