from datetime import UTC, datetime, timedelta

import pytest

from domain.identity_numbers import PersonalIdentityNumber
from domain.persons import (
    CachedPerson,
    Person,
    PersonRegisterUnavailable,
    PostalAddress,
    lookup_person,
)

NOW = datetime(2025, 11, 21, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(days=5)
PNR = PersonalIdentityNumber.parse("19850412-9829")


def create_person(*, family_name: str = "Andersson", street: str = "Sveavägen 44") -> Person:
    return Person(
        personnummer=PNR,
        given_name="Anna",
        middle_name=None,
        family_name=family_name,
        address=PostalAddress(care_of=None, street=street, postal_code="11134", city="Stockholm"),
        region_code="01",
        municipality_code="0180",
        protected_identity=False,
        deceased=False,
        test_person=True,
        custodian_of=(),
    )


class RecordingRegister:
    def __init__(self, *, person: Person | None = None, fail: bool = False) -> None:
        self.person = person
        self.fail = fail
        self.asked: list[PersonalIdentityNumber] = []

    async def get_person(self, personnummer: PersonalIdentityNumber) -> Person | None:
        self.asked.append(personnummer)
        if self.fail:
            raise PersonRegisterUnavailable("down")
        return self.person


class RecordingCache:
    def __init__(self, *, cached: CachedPerson | None = None) -> None:
        self.cached = cached
        self.stored: list[CachedPerson] = []
        self.loaded: list[PersonalIdentityNumber] = []

    async def load(self, personnummer: PersonalIdentityNumber) -> CachedPerson | None:
        self.loaded.append(personnummer)
        return self.cached

    async def store(self, person: Person, *, fetched_at: datetime) -> None:
        self.stored.append(CachedPerson(person=person, fetched_at=fetched_at))


class RecordingReporter:
    def __init__(self) -> None:
        self.reports: list[tuple[PersonalIdentityNumber, Exception]] = []

    def __call__(self, personnummer: PersonalIdentityNumber, error: Exception) -> None:
        self.reports.append((personnummer, error))


async def test_fresh_cached_copy_is_used_without_asking_the_register() -> None:
    cached = create_person(family_name="Cached")
    register = RecordingRegister(person=create_person(family_name="Fresh"))
    cache = RecordingCache(
        cached=CachedPerson(person=cached, fetched_at=NOW - MAX_AGE + timedelta(seconds=1))
    )

    person = await lookup_person(
        register=register, cache=cache, personnummer=PNR, now=NOW, max_age=MAX_AGE
    )

    assert person == cached
    assert register.asked == []
    assert cache.stored == []


async def test_stale_cached_copy_is_refetched_and_the_fresh_copy_stored() -> None:
    fresh = create_person(street="Götgatan 1")
    register = RecordingRegister(person=fresh)
    cache = RecordingCache(cached=CachedPerson(person=create_person(), fetched_at=NOW - MAX_AGE))

    person = await lookup_person(
        register=register, cache=cache, personnummer=PNR, now=NOW, max_age=MAX_AGE
    )

    assert person == fresh
    assert register.asked == [PNR]
    assert cache.stored == [CachedPerson(person=fresh, fetched_at=NOW)]


async def test_missing_cache_entry_is_fetched_and_stored() -> None:
    fresh = create_person()
    register = RecordingRegister(person=fresh)
    cache = RecordingCache()

    person = await lookup_person(
        register=register, cache=cache, personnummer=PNR, now=NOW, max_age=MAX_AGE
    )

    assert person == fresh
    assert cache.stored == [CachedPerson(person=fresh, fetched_at=NOW)]


async def test_unavailable_register_falls_back_to_the_stale_copy_and_reports_it() -> None:
    stale = create_person(family_name="Stale")
    register = RecordingRegister(fail=True)
    cache = RecordingCache(cached=CachedPerson(person=stale, fetched_at=NOW - timedelta(days=30)))
    reporter = RecordingReporter()

    person = await lookup_person(
        register=register,
        cache=cache,
        personnummer=PNR,
        now=NOW,
        max_age=MAX_AGE,
        on_stale_fallback=reporter,
    )

    assert person == stale
    assert cache.stored == []
    assert len(reporter.reports) == 1
    reported_pnr, reported_error = reporter.reports[0]
    assert reported_pnr == PNR
    assert isinstance(reported_error, PersonRegisterUnavailable)


async def test_unavailable_register_without_a_cached_copy_raises() -> None:
    register = RecordingRegister(fail=True)
    reporter = RecordingReporter()

    with pytest.raises(PersonRegisterUnavailable):
        await lookup_person(
            register=register,
            cache=RecordingCache(),
            personnummer=PNR,
            now=NOW,
            max_age=MAX_AGE,
            on_stale_fallback=reporter,
        )
    assert reporter.reports == []


async def test_register_answering_no_such_person_is_believed_over_a_stale_copy() -> None:
    register = RecordingRegister(person=None)
    cache = RecordingCache(
        cached=CachedPerson(person=create_person(), fetched_at=NOW - timedelta(days=6))
    )

    person = await lookup_person(
        register=register, cache=cache, personnummer=PNR, now=NOW, max_age=MAX_AGE
    )

    assert person is None
    assert cache.stored == []
