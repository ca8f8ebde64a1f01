"""The citizen's profile as the start page shows it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from api.profile.usecases import Profile


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

    @staticmethod
    def rendered(profile: Profile) -> dict[str, Any]:
        """The model's JSON document, built without the models: the values are already of
        the declared types (api/web/responses.py)."""
        person, address = profile.person, profile.address
        return {
            "personnummer": person.personnummer.formatted,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "age": profile.age,
            "legal_sex": person.personnummer.legal_sex,
            "address": None
            if address is None
            else {
                "care_of": address.care_of,
                "street": address.street,
                "postal_code": address.postal_code,
                "city": address.city,
            },
            "region": None
            if profile.region_code is None or profile.region_name is None
            else {"code": profile.region_code, "name": profile.region_name},
            "municipality_code": person.municipality_code,
            "protected_identity": person.protected_identity,
        }
