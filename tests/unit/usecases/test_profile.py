"""The citizen's profile, on a fake person cache: a protected identity's address is never
handed out, and a region we do not know is shown as none."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from api.persons.usecases import PersonLookup
from api.profile import usecases
from domain.persons import CachedPerson, Person, PersonNotInRegister, PostalAddress
from tests.unit.usecases.fakes_ordering import NOW, TOLVAN, citizen

PERSON = Person(
    personnummer=TOLVAN,
    given_name="Tolvan",
    middle_name=None,
    family_name="Tolvansson",
    address=PostalAddress(
        care_of=None, street="Landsvägen 12", postal_code="172 63", city="Sundbyberg"
    ),
    region_code="01",
    municipality_code="0183",
    protected_identity=False,
    deceased=False,
    test_person=True,
)


class FakePersonCache:
    def __init__(self, person: Person | None) -> None:
        self.person = person

    async def load(self, personnummer):
        if self.person is None or self.person.personnummer != personnummer:
            return None
        return CachedPerson(person=self.person, fetched_at=NOW - timedelta(hours=1))


class FakeDatabase:
    """A fresh cached copy: the profile is one read, never a unit of work."""

    def __init__(self, person: Person | None) -> None:
        self.person_cache = FakePersonCache(person)

    async def read(self, work):
        return await work(self)

    def uow(self):
        raise AssertionError("a fresh cached copy needs no unit of work")


class NoRegister:
    async def get_person(self, personnummer):
        raise AssertionError("a fresh cached copy is used as it is")


async def profile_of(person: Person | None):
    return await usecases.get_profile(
        db=FakeDatabase(person),
        lookup=PersonLookup(register=NoRegister(), max_age=timedelta(days=5)),
        actor=citizen(),
        now=NOW,
    )


async def test_the_profile_shows_the_address_and_home_region():
    profile = await profile_of(PERSON)

    assert profile.address == PERSON.address
    assert (profile.region_code, profile.region_name) == ("01", "Region Stockholm")
    assert profile.age == 35


async def test_a_protected_identity_is_not_shown_their_address():
    profile = await profile_of(replace(PERSON, protected_identity=True))

    assert profile.address is None


async def test_a_region_we_do_not_know_is_shown_as_none():
    profile = await profile_of(replace(PERSON, region_code="99"))

    assert (profile.region_code, profile.region_name) == (None, None)


async def test_a_citizen_the_register_no_longer_knows_has_no_profile():
    class Unknown(FakeDatabase):
        def uow(self):
            return FakeUnknownUow()

    class FakeUnknownUow:
        person_cache = FakePersonCache(None)

        async def __aenter__(self):
            return self

        async def __aexit__(self, *_exc):
            return None

        async def commit(self):
            return None

    class EmptyRegister:
        async def get_person(self, personnummer):
            return None

    with pytest.raises(PersonNotInRegister):
        await usecases.get_profile(
            db=Unknown(None),
            lookup=PersonLookup(register=EmptyRegister(), max_age=timedelta(days=5)),
            actor=citizen(),
            now=NOW,
        )
