"""The web layer's side of person look-ups: a `PersonLookup` built from the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends

from api.persons.usecases import PersonLookup
from api.services import Services
from api.web.deps import ServicesDep


def person_lookup(services: Services) -> PersonLookup:
    return PersonLookup(
        register=services.person_register,
        max_age=timedelta(days=services.settings.person_cache_max_age_days),
    )


async def get_person_lookup(services: ServicesDep) -> PersonLookup:
    return person_lookup(services)


PersonLookupDep = Annotated[PersonLookup, Depends(get_person_lookup)]
