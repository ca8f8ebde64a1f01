"""Finding a person through the cache rule. The register and the rule's maximum age come in
as a `PersonLookup`, which the web layer builds from the services."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from adapters.db.uow import Reader, UnitOfWork
from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import (
    Person,
    PersonRegister,
    PersonRegisterDown,
    PersonRegisterUnavailable,
    is_fresh,
    lookup_person,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PersonLookup:
    """What finding a person needs besides the database: the person register and how long a
    cached copy counts as fresh."""

    register: PersonRegister
    max_age: timedelta


class Database(Protocol):
    """The two ways to the database `find_person_fast` takes: a single read on the autocommit
    engine and, when that is not enough, a unit of work of its own."""

    def uow(self) -> UnitOfWork: ...

    async def read(self, work: Callable[[Reader], Awaitable[T]]) -> T: ...


def _log_stale_fallback(_personnummer: PersonalIdentityNumber, error: Exception) -> None:
    # The failure is logged (SPEC §4.1), the personnummer is not.
    log.warning(
        "person register did not answer (%s); using the stale cached copy", type(error).__name__
    )


async def find_person(
    *,
    uow: UnitOfWork,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
    now: datetime,
) -> Person | None:
    """The person by the cache rule, inside the caller's unit of work (which commits the
    register's answer to the cache with its own work). None: the register has no such
    person."""
    try:
        return await lookup_person(
            register=lookup.register,
            cache=uow.person_cache,
            personnummer=personnummer,
            now=now,
            max_age=lookup.max_age,
            on_stale_fallback=_log_stale_fallback,
        )
    except PersonRegisterUnavailable as error:
        log.error("person register did not answer and nothing is cached")
        raise PersonRegisterDown("the person register did not answer; try again later") from error


async def find_person_fast(
    *,
    db: Database,
    lookup: PersonLookup,
    personnummer: PersonalIdentityNumber,
    now: datetime,
) -> Person | None:
    """The cached copy when it is fresh (one autocommit read: the hot path of every page a
    citizen opens); otherwise the full cache rule in a transaction of its own, which may ask
    the register and store its answer."""
    cached = await db.read(lambda reader: reader.person_cache.load(personnummer))
    if cached is not None and is_fresh(cached, now=now, max_age=lookup.max_age):
        return cached.person
    async with db.uow() as uow:
        person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
        await uow.commit()
    return person
