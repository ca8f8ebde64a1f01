"""The logged-in citizen's own register data. No transaction of its own: the person is found
by `api.persons.usecases.find_person_fast` (a fresh cached copy in one autocommit read,
otherwise the cache rule in a transaction of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from api.persons.usecases import Database, PersonLookup, find_person_fast
from domain.actors import CitizenActor
from domain.persons import Person, PersonNotInRegister, PostalAddress
from domain.regions import REGIONS


@dataclass(frozen=True, slots=True)
class Profile:
    person: Person
    age: int
    # None for a protected identity: their address is never handed out, not even to
    # themselves here.
    address: PostalAddress | None
    region_code: str | None
    region_name: str | None


async def get_profile(
    *, db: Database, lookup: PersonLookup, actor: CitizenActor, now: datetime
) -> Profile:
    person = await find_person_fast(db=db, lookup=lookup, personnummer=actor.personnummer, now=now)
    if person is None:
        raise PersonNotInRegister("the person register no longer knows this person")
    # A region code the register sends but we do not know is shown as no region.
    region = person.region_code if person.region_code in REGIONS else None
    return Profile(
        person=person,
        age=person.personnummer.age(now.date()),
        address=None if person.protected_identity else person.address,
        region_code=region,
        region_name=None if region is None else REGIONS[region],
    )
