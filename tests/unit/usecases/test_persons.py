"""find_person_fast: a fresh cached copy costs one read; anything else runs the cache rule in
a unit of work of its own (tests/unit/usecases/fakes_assignment.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.persons.usecases import find_person_fast
from domain.persons import PersonRegisterDown
from tests.unit.usecases.fakes_assignment import (
    KARIN,
    NOW,
    FakeRegister,
    FakeUnitOfWork,
    lookup,
    person,
)


class FakeDatabase:
    """Both ways to the database share one fake cache; counts what find_person_fast opens."""

    def __init__(self) -> None:
        self.unit_of_work = FakeUnitOfWork()
        self.reads = 0
        self.units_opened = 0

    async def read(self, work):
        self.reads += 1
        return await work(self.unit_of_work)

    def uow(self):
        self.units_opened += 1
        database = self

        class Opened:
            async def __aenter__(self):
                return database.unit_of_work

            async def __aexit__(self, *_exc):
                return None

        return Opened()


async def test_a_fresh_cached_copy_is_used_without_asking_the_register_or_opening_a_transaction():
    db, register = FakeDatabase(), FakeRegister(person(KARIN))
    await db.unit_of_work.person_cache.store(person(KARIN), fetched_at=NOW - timedelta(days=4))

    found = await find_person_fast(db=db, lookup=lookup(register), personnummer=KARIN, now=NOW)

    assert found == person(KARIN)
    assert (db.reads, db.units_opened, register.calls) == (1, 0, 0)


async def test_a_copy_older_than_five_days_is_refreshed_from_the_register_and_committed():
    db = FakeDatabase()
    register = FakeRegister(person(KARIN, given_name="Karin Maria"))
    await db.unit_of_work.person_cache.store(person(KARIN), fetched_at=NOW - timedelta(days=5))

    found = await find_person_fast(db=db, lookup=lookup(register), personnummer=KARIN, now=NOW)

    assert found is not None
    assert found.given_name == "Karin Maria"
    assert (db.units_opened, register.calls, db.unit_of_work.commits) == (1, 1, 1)
    assert db.unit_of_work.person_cache.copies[KARIN.value].fetched_at == NOW


async def test_a_stale_copy_is_used_when_the_register_does_not_answer(caplog):
    db, register = FakeDatabase(), FakeRegister(fail=True)
    await db.unit_of_work.person_cache.store(person(KARIN), fetched_at=NOW - timedelta(days=6))

    found = await find_person_fast(db=db, lookup=lookup(register), personnummer=KARIN, now=NOW)

    assert found == person(KARIN)
    assert any("stale cached copy" in r.getMessage() for r in caplog.records)
    assert not any(KARIN.value in r.getMessage() for r in caplog.records)


async def test_without_any_copy_a_register_outage_is_reported_as_down():
    db = FakeDatabase()

    with pytest.raises(PersonRegisterDown):
        await find_person_fast(
            db=db, lookup=lookup(FakeRegister(fail=True)), personnummer=KARIN, now=NOW
        )
