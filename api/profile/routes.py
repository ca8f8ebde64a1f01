"""Citizen endpoint of the profile (SPEC §4.1)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.persons.deps import person_lookup
from api.profile import usecases
from api.profile.schemas import CitizenProfile
from api.web.deps import current_citizen_with_services
from api.web.problems import PROBLEM_RESPONSES
from api.web.responses import Document

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


@router.get("/profile", operation_id="getCitizenProfile", response_model=CitizenProfile)
async def get_profile(request: Request) -> Document:
    """The logged-in citizen's own data from the person register (through the cache)."""
    citizen = await current_citizen_with_services(request)
    services = citizen.services
    profile = await usecases.get_profile(
        db=services, lookup=person_lookup(services), actor=citizen.actor, now=services.now()
    )
    return Document(CitizenProfile.rendered(profile))
