from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from api.persons import find_person_fast
from api.web.deps import CitizenSession, ServicesDep
from api.web.problems import PROBLEM_RESPONSES
from domain.persons import PersonNotInRegister
from domain.regions import REGIONS

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


class Address(BaseModel):
    care_of: str | None
    street: str
    postal_code: str
    city: str


class RegionRef(BaseModel):
    code: str
    name: str


class CitizenProfile(BaseModel):
    personnummer: str
    given_name: str
    family_name: str
    age: int
    legal_sex: Literal["F", "M"]
    address: Address | None
    region: RegionRef | None
    municipality_code: str | None
    protected_identity: bool


@router.get("/profile", operation_id="getCitizenProfile")
async def get_profile(citizen: CitizenSession, services: ServicesDep) -> CitizenProfile:
    """The logged-in citizen's own data from the person register (through the cache)."""
    person = await find_person_fast(services, citizen.personnummer)
    if person is None:
        raise PersonNotInRegister("the person register no longer knows this person")
    address = person.address
    return CitizenProfile(
        personnummer=person.personnummer.formatted,
        given_name=person.given_name,
        family_name=person.family_name,
        age=person.personnummer.age(services.now().date()),
        legal_sex=person.personnummer.legal_sex,
        # A protected identity's address is never handed out, not even to themselves here.
        address=None
        if address is None or person.protected_identity
        else Address(
            care_of=address.care_of,
            street=address.street,
            postal_code=address.postal_code,
            city=address.city,
        ),
        region=RegionRef(code=person.region_code, name=REGIONS[person.region_code])
        if person.region_code is not None and person.region_code in REGIONS
        else None,
        municipality_code=person.municipality_code,
        protected_identity=person.protected_identity,
    )
