"""Offers (erbjudanden) and the rule deciding which a citizen may order (SPEC §2, §4.2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.administration import InvalidConfiguration
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
    audience = outside_audience(
        min_age=offer.min_age, max_age=offer.max_age, sex=offer.sex, citizen=citizen
    )
    if audience is not None:
        return audience
    if offer.usage_limit is not None and uses_in_period >= offer.usage_limit:
        return Unavailability.USAGE_LIMIT
    return None


def outside_audience(
    *, min_age: int | None, max_age: int | None, sex: LegalSex | None, citizen: CitizenFacts
) -> Unavailability | None:
    """Whether the citizen is outside whom the offer is for, by age and legal sex (AGE or SEX),
    whatever their region, the offer's dates or their usage: a person can never see such an
    offer."""
    if (min_age is not None and citizen.age < min_age) or (
        max_age is not None and citizen.age > max_age
    ):
        return Unavailability.AGE
    if sex is not None and citizen.legal_sex != sex:
        return Unavailability.SEX
    return None


class OfferNotFound(NotFound):
    pass


class OfferNotAvailable(NotPermitted):
    """The offer exists but this citizen may not order it now (and why)."""

    def __init__(self, reason: Unavailability) -> None:
        super().__init__(f"the offer is not available to you ({reason.value})")
        self.reason = reason


# --- defining an offer (Administration, SPEC §5) --------------------------------------------


@dataclass(frozen=True, slots=True)
class OfferDefinition:
    """What an administrator says an offer (a new version of it) is, as the rules see it."""

    region_code: str
    sampling_method: str
    visibility: str
    products: Sequence[str]
    result_care_unit_hsa_id: str
    assigning_units: Sequence[str]
    asks_delivery_address: bool
    min_age: int | None = None
    max_age: int | None = None
    usage_limit: int | None = None
    usage_period_days: int | None = None
    active_from: date | None = None
    active_until: date | None = None


def check_offer_definition(offer: OfferDefinition) -> None:
    """The rules an offer keeps on its own, before it is held against the rest of the
    configuration."""
    if offer.min_age is not None and offer.max_age is not None and offer.min_age > offer.max_age:
        raise InvalidConfiguration("max_age", "must not be below min_age")
    if offer.active_from and offer.active_until and offer.active_until < offer.active_from:
        raise InvalidConfiguration("active_until", "must not be before active_from")
    if (offer.usage_limit is None) != (offer.usage_period_days is None):
        raise InvalidConfiguration("usage_period_days", "give both usage_limit and its period")
    if offer.visibility == Visibility.PERSONAL and not offer.assigning_units:
        raise InvalidConfiguration("assigning_units", "a personal offer needs assigning units")
    if offer.visibility != Visibility.PERSONAL and offer.assigning_units:
        raise InvalidConfiguration("assigning_units", "only personal offers are assigned")
    if offer.sampling_method == SamplingMethod.HOME_KIT and not offer.asks_delivery_address:
        raise InvalidConfiguration("asks.delivery_address", "a home kit needs a delivery address")


def require_known_products(products: Iterable[str], *, active_codes: Iterable[str]) -> None:
    """Every product of the offer is a national product code in use (`active_codes`)."""
    unknown = sorted(set(products) - set(active_codes))
    if unknown:
        raise InvalidConfiguration("products", f"no national product code {unknown[0]}")


@dataclass(frozen=True, slots=True)
class CareUnitFacts:
    """A care unit as the offer rules see it."""

    hsa_id: str
    region_code: str
    retired: bool


def check_offer_care_units(offer: OfferDefinition, units: Mapping[str, CareUnitFacts]) -> None:
    """The result-receiving unit exists and is in use; the assigning units are care units of
    the offer's region (`units`: the care units the offer names, by HSA-id)."""
    result_unit = units.get(offer.result_care_unit_hsa_id)
    if result_unit is None or result_unit.retired:
        raise InvalidConfiguration("result_care_unit_hsa_id", "no such active care unit")
    for hsa_id in offer.assigning_units:
        unit = units.get(hsa_id)
        if unit is None or unit.region_code != offer.region_code:
            raise InvalidConfiguration("assigning_units", f"{hsa_id} is no care unit of the region")


def require_performable(
    *,
    product_codes: Iterable[str],
    customer_lab_mappings: dict[str, frozenset[str]],
) -> None:
    """An offer's products must all be performed by one laboratory that has the
    result-receiving care unit as its customer (`customer_lab_mappings`: lab code → the
    product codes it maps)."""
    wanted = frozenset(product_codes)
    if not wanted:
        raise InvalidConfiguration("products", "an offer needs at least one product")
    if not any(wanted <= mapped for mapped in customer_lab_mappings.values()):
        if not customer_lab_mappings:
            raise InvalidConfiguration(
                "result_care_unit_hsa_id",
                "the result-receiving care unit is no laboratory's customer",
            )
        raise InvalidConfiguration(
            "products",
            "no laboratory serving the result-receiving care unit performs all these products",
        )


def require_same_region(*, current: str, proposed: str) -> None:
    """A new version of an offer stays in the region of the offer."""
    if proposed != current:
        raise InvalidConfiguration("region_code", "an offer stays in its region")
