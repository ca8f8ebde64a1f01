"""Persons as the national person register knows them, and the rule for caching them (SPEC §4.1)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.errors import NotFound, ServiceUnavailable
from domain.identity_numbers import PersonalIdentityNumber


@dataclass(frozen=True, slots=True)
class PostalAddress:
    care_of: str | None
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True, slots=True)
class Person:
    """A person record from the population register (folkbokföringen, via the person service).

    ``address`` is ``None`` for protected identities (and may be for others without a Swedish
    address); ``custodian_of`` lists the children this person has custody of (vårdnad).
    """

    personnummer: PersonalIdentityNumber
    given_name: str
    middle_name: str | None
    family_name: str
    address: PostalAddress | None
    region_code: str | None
    municipality_code: str | None
    protected_identity: bool
    deceased: bool
    test_person: bool
    custodian_of: tuple[PersonalIdentityNumber, ...] = ()

    @property
    def full_name(self) -> str:
        names = (self.given_name, self.middle_name, self.family_name)
        return " ".join(name for name in names if name)

    def is_custodian_of(self, child: PersonalIdentityNumber) -> bool:
        return child in self.custodian_of


class PersonRegisterUnavailable(Exception):
    """The person register did not answer, or answered with an error."""


class PersonRegisterDown(ServiceUnavailable):
    """The person register did not answer and no cached copy may be used instead."""


class PersonNotInRegister(NotFound):
    """The person register has no such person (or no longer has them)."""


class PersonRegister(Protocol):
    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        """The register's record, ``None`` when the register has no such person.

        Raises ``PersonRegisterUnavailable`` when the service fails.
        """
        ...


@dataclass(frozen=True, slots=True)
class CachedPerson:
    person: Person
    fetched_at: datetime


class PersonCache(Protocol):
    async def load(self, personnummer: PersonalIdentityNumber) -> CachedPerson | None: ...

    async def store(self, person: Person, *, fetched_at: datetime) -> None: ...


StaleFallbackReporter = Callable[[PersonalIdentityNumber, Exception], None]


def is_fresh(cached: CachedPerson, *, now: datetime, max_age: timedelta) -> bool:
    return now - cached.fetched_at < max_age


async def lookup_person(
    *,
    register: PersonRegister,
    cache: PersonCache,
    personnummer: PersonalIdentityNumber,
    now: datetime,
    max_age: timedelta,
    on_stale_fallback: StaleFallbackReporter | None = None,
) -> Person | None:
    """Person data for a login or an order, through the cache (SPEC §4.1).

    - a cached copy younger than ``max_age`` is used as is;
    - otherwise the register is asked and its answer is stored;
    - when the register is unavailable, a stale copy is used and ``on_stale_fallback`` is told
      (the caller logs it, without the personnummer in clear); with no copy the
      ``PersonRegisterUnavailable`` propagates.

    A register that answers "no such person" is believed: ``None`` is returned even if a stale
    copy exists.
    """
    cached = await cache.load(personnummer)
    if cached is not None and is_fresh(cached, now=now, max_age=max_age):
        return cached.person
    try:
        person = await register.get_person(personnummer)
    except PersonRegisterUnavailable as error:
        if cached is None:
            raise
        if on_stale_fallback is not None:
            on_stale_fallback(personnummer, error)
        return cached.person
    if person is not None:
        await cache.store(person, fetched_at=now)
    return person
