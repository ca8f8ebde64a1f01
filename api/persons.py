"""Person data through the cache rule, as every endpoint needs it."""

from __future__ import annotations

import logging
from datetime import timedelta

from adapters.db.uow import UnitOfWork
from api.services import Services
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import (
    Person,
    PersonRegisterDown,
    PersonRegisterUnavailable,
    is_fresh,
    lookup_person,
)

log = logging.getLogger(__name__)


def _log_stale_fallback(_personnummer: PersonalIdentityNumber, error: Exception) -> None:
    # The failure is logged (SPEC §4.1), the personnummer is not.
    log.warning(
        "person register did not answer (%s); using the stale cached copy", type(error).__name__
    )


async def find_person_fast(
    services: Services, personnummer: PersonalIdentityNumber
) -> Person | None:
    """The cached copy when it is fresh (one autocommit read); otherwise the full cache rule
    in a transaction of its own, which may ask the register and store its answer."""
    max_age = timedelta(days=services.settings.person_cache_max_age_days)
    cached = await services.read(lambda reader: reader.person_cache.load(personnummer))
    if cached is not None and is_fresh(cached, now=services.now(), max_age=max_age):
        return cached.person
    async with services.uow() as uow:
        person = await find_person(services, uow, personnummer)
        await uow.commit()
    return person


async def find_person(
    services: Services, uow: UnitOfWork, personnummer: PersonalIdentityNumber
) -> Person | None:
    try:
        return await lookup_person(
            register=services.person_register,
            cache=uow.person_cache,
            personnummer=personnummer,
            now=services.now(),
            max_age=timedelta(days=services.settings.person_cache_max_age_days),
            on_stale_fallback=_log_stale_fallback,
        )
    except PersonRegisterUnavailable as error:
        log.error("person register did not answer and nothing is cached")
        raise PersonRegisterDown("the person register did not answer; try again later") from error
