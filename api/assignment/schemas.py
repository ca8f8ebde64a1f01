from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.assignment.usecases import AssignedOffer, OfferForPatient
from api.staff_context.schemas import StaffMe
from api.web.schemas import RequestModel
from domain.identity_numbers import PersonalIdentityNumber


class AssignableOfferOut(BaseModel):
    catalog_id: str
    name: str
    sampling_method: str
    validity_days: int
    products: list[str]
    # Whom the offer is for: ages inclusive, legal sex; null = no bound.
    min_age: int | None
    max_age: int | None
    sex: Literal["F", "M"] | None


class OfferForPatientOut(AssignableOfferOut):
    """An offer the unit may assign, and whether this patient is among whom it is for: an
    offer they are not (`eligible` false) cannot be assigned to them."""

    eligible: bool
    # Why not: "age" (outside min_age–max_age) or "sex"; null when eligible.
    ineligible_reason: Literal["age", "sex"] | None

    @classmethod
    def of(cls, option: OfferForPatient) -> OfferForPatientOut:
        reason = option.ineligible
        return cls(
            **asdict(option.offer),
            eligible=reason is None,
            ineligible_reason=None if reason is None else "sex" if reason == "sex" else "age",
        )


class PatientOut(BaseModel):
    personnummer: str
    given_name: str
    family_name: str
    age: int
    legal_sex: Literal["F", "M"]


class AssignedOfferOut(BaseModel):
    id: uuid.UUID
    personnummer: str
    name: str | None
    catalog_id: str
    offer_name: str
    times_used: int
    last_used_at: datetime | None
    assigned_at: datetime
    assigned_by_hsa_id: str
    # The assigner's name as their login had it; null for assignments from before names were
    # kept.
    assigned_by_name: str | None
    care_unit_hsa_id: str
    care_unit_name: str

    @classmethod
    def of(cls, offer: AssignedOffer) -> AssignedOfferOut:
        # Field by field: dataclasses.asdict() deep-copies every value, a third of a list
        # page's CPU (ADR 10).
        row = offer.row
        return cls(
            id=row.id,
            personnummer=PersonalIdentityNumber(row.personnummer).formatted,
            name=offer.name,
            catalog_id=row.catalog_id,
            offer_name=row.offer_name,
            times_used=row.times_used,
            last_used_at=row.last_used_at,
            assigned_at=row.assigned_at,
            assigned_by_hsa_id=row.assigned_by_hsa_id,
            assigned_by_name=row.assigned_by_name,
            care_unit_hsa_id=row.care_unit_hsa_id,
            care_unit_name=row.care_unit_name,
        )


class PatientOffers(BaseModel):
    patient: PatientOut
    assigned: list[AssignedOfferOut]
    # The offers this unit may assign, each telling whether the patient may be given it.
    assignable: list[OfferForPatientOut]


class PatientIn(RequestModel):
    # In the body, never in the URL.
    personnummer: str = Field(min_length=10, max_length=13)


class AssignIn(PatientIn):
    catalog_id: str = Field(min_length=1, max_length=32)


# The sorts Tilldelade erbjudanden offers, each walked in an index (ADR 10). Personnummer
# and name are stored encrypted and cannot be sorted on in the database; an offer is a
# filter (`catalog_id`), not a sort. `last_used_at` counts a never-used assignment as the
# oldest use; `assigned_by_name` sorts by the name shown (else the HSA-id).
SortKey = Literal["assigned_at", "last_used_at", "times_used", "assigned_by_name"]


class AssignedOffersPage(BaseModel):
    total: int = Field(
        description="How many assignments the unit has (of the offer, when filtered), "
        "counted up to 1,000"
    )
    total_capped: bool = Field(description="True when the unit has more than `total`")
    page_size: int
    items: list[AssignedOfferOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` (with the same sort, order and offer) for the next "
        "page; null on the last page"
    )


class LaunchIn(RequestModel):
    token: str = Field(min_length=20, max_length=4000)


class LaunchOut(BaseModel):
    personnummer: str
    care_unit_hsa_id: str
    me: StaffMe
