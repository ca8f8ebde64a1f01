"""The web layer's side of person look-ups: a `PersonLookup` built from the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from api.persons.usecases import PersonLookup
from api.services import Services


def person_lookup(services: Services) -> PersonLookup:
    return PersonLookup(
        register=services.person_register,
        max_age=timedelta(days=services.settings.person_cache_max_age_days),
    )


async def get_person_lookup(request: Request) -> PersonLookup:
    # The request, not ServicesDep: one node fewer in the dependency graph of hot reads.
    return person_lookup(request.app.state.services)


PersonLookupDep = Annotated[PersonLookup, Depends(get_person_lookup)]
