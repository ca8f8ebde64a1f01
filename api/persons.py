"""Person data through the cache rule, as every endpoint needs it."""

from __future__ import annotations

import logging
from datetime import timedelta

from adapters.db.uow import UnitOfWork
from api.services import Services
from domain.errors import ServiceUnavailable
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import Person, PersonRegisterUnavailable, lookup_person

log = logging.getLogger(__name__)


def _log_stale_fallback(_personnummer: PersonalIdentityNumber, error: Exception) -> None:
    # The failure is logged (SPEC §4.1), the personnummer is not.
    log.warning(
        "person register did not answer (%s); using the stale cached copy", type(error).__name__
    )


class PersonRegisterDown(ServiceUnavailable):
    pass


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
