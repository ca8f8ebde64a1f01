"""Offers (erbjudanden) and the rule deciding which a citizen may order (SPEC §2, §4.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import NotFound, NotPermitted
from domain.identity_numbers import LegalSex


class SamplingMethod(StrEnum):
    SITE_BOOKING = "site_booking"  # at a sampling site, with time booking
    SITE_DROP_IN = "site_drop_in"  # at a sampling site, no booking
    HOME_KIT = "home_kit"  # a kit sent home by post
    ANONYMOUS_KIT = "anonymous_kit"  # a pre-labelled kit registered by its number


class Visibility(StrEnum):
    PERSONAL = "personal"
    GENERAL = "general"
    NATIONWIDE = "nationwide"


@dataclass(frozen=True, slots=True)
class OfferRules:
    catalog_id: str
    region_code: str
    visibility: Visibility
    sampling_method: SamplingMethod
    min_age: int | None
    max_age: int | None
    sex: LegalSex | None
    usage_limit: int | None
    usage_period_days: int | None
    active_from: date | None
    active_until: date | None


@dataclass(frozen=True, slots=True)
class CitizenFacts:
    age: int
    legal_sex: LegalSex
    region_code: str | None


class Unavailability(StrEnum):
    NOT_ACTIVE = "not_active"
    NOT_ASSIGNED = "not_assigned"
    OTHER_REGION = "other_region"
    NOT_RESIDENT = "not_resident"
    AGE = "age"
    SEX = "sex"
    USAGE_LIMIT = "usage_limit"
    REGISTER_KIT = "register_kit"


def unavailability(
    offer: OfferRules,
    citizen: CitizenFacts,
    *,
    today: date,
    assigned: bool,
    uses_in_period: int,
) -> Unavailability | None:
    """None when the citizen may order the offer now; otherwise the first reason why not."""
    if (offer.active_from and today < offer.active_from) or (
        offer.active_until and today > offer.active_until
    ):
        return Unavailability.NOT_ACTIVE
    if offer.visibility is Visibility.PERSONAL and not assigned:
        return Unavailability.NOT_ASSIGNED
    if offer.visibility is Visibility.GENERAL and citizen.region_code != offer.region_code:
        return Unavailability.OTHER_REGION
    if offer.visibility is Visibility.NATIONWIDE and citizen.region_code is None:
        return Unavailability.NOT_RESIDENT
    if (offer.min_age is not None and citizen.age < offer.min_age) or (
        offer.max_age is not None and citizen.age > offer.max_age
    ):
        return Unavailability.AGE
    if offer.sex is not None and citizen.legal_sex != offer.sex:
        return Unavailability.SEX
    if offer.usage_limit is not None and uses_in_period >= offer.usage_limit:
        return Unavailability.USAGE_LIMIT
    return None


class OfferNotFound(NotFound):
    pass


class OfferNotAvailable(NotPermitted):
    """The offer exists but this citizen may not order it now (and why)."""

    def __init__(self, reason: Unavailability) -> None:
        super().__init__(f"the offer is not available to you ({reason.value})")
        self.reason = reason
