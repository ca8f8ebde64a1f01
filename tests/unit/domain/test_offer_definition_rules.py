"""What makes an offer definition valid (domain/offers.py): the rules it keeps on its own,
and those that hold it against the rest of the configuration (products, care units,
laboratories)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.administration import InvalidConfiguration
from domain.offers import (
    CareUnitFacts,
    OfferDefinition,
    check_offer_care_units,
    check_offer_definition,
    require_known_products,
    require_performable,
    require_same_region,
)

SOLNA = "SE2321000016-A001"
LUND = "SE2321000255-B001"
GENERAL = OfferDefinition(
    region_code="01",
    sampling_method="site_booking",
    visibility="general",
    products=("PEP-CT",),
    result_care_unit_hsa_id=SOLNA,
    assigning_units=(),
    asks_delivery_address=False,
)


def _refused(offer: OfferDefinition) -> tuple[str, str]:
    with pytest.raises(InvalidConfiguration) as refused:
        check_offer_definition(offer)
    return refused.value.field, refused.value.detail


def test_a_general_offer_with_no_limits_is_valid() -> None:
    check_offer_definition(GENERAL)


def test_age_range_must_not_be_reversed() -> None:
    assert _refused(replace(GENERAL, min_age=30, max_age=20)) == (
        "max_age",
        "must not be below min_age",
    )
    check_offer_definition(replace(GENERAL, min_age=20, max_age=20))


def test_active_period_must_not_end_before_it_starts() -> None:
    offer = replace(GENERAL, active_from=date(2026, 5, 2), active_until=date(2026, 5, 1))
    assert _refused(offer) == ("active_until", "must not be before active_from")


def test_usage_limit_and_its_period_come_together() -> None:
    assert _refused(replace(GENERAL, usage_limit=2))[0] == "usage_period_days"
    assert _refused(replace(GENERAL, usage_period_days=365))[0] == "usage_period_days"
    check_offer_definition(replace(GENERAL, usage_limit=2, usage_period_days=365))


def test_only_personal_offers_have_assigning_units_and_they_must() -> None:
    assert _refused(replace(GENERAL, visibility="personal")) == (
        "assigning_units",
        "a personal offer needs assigning units",
    )
    assert _refused(replace(GENERAL, assigning_units=(SOLNA,))) == (
        "assigning_units",
        "only personal offers are assigned",
    )
    check_offer_definition(replace(GENERAL, visibility="personal", assigning_units=(SOLNA,)))


def test_a_home_kit_asks_for_a_delivery_address() -> None:
    assert _refused(replace(GENERAL, sampling_method="home_kit")) == (
        "asks.delivery_address",
        "a home kit needs a delivery address",
    )
    check_offer_definition(replace(GENERAL, sampling_method="home_kit", asks_delivery_address=True))


def test_products_must_be_national_product_codes_in_use() -> None:
    with pytest.raises(InvalidConfiguration, match="no national product code PEP-GO"):
        require_known_products(["PEP-CT", "PEP-GO", "PEP-HIV"], active_codes={"PEP-CT"})
    require_known_products(["PEP-CT"], active_codes={"PEP-CT", "PEP-GO"})


def test_result_unit_must_exist_and_be_in_use() -> None:
    for units in ({}, {SOLNA: CareUnitFacts(hsa_id=SOLNA, region_code="01", retired=True)}):
        with pytest.raises(InvalidConfiguration, match="no such active care unit") as refused:
            check_offer_care_units(GENERAL, units)
        assert refused.value.field == "result_care_unit_hsa_id"


def test_assigning_units_must_be_care_units_of_the_offers_region() -> None:
    personal = replace(GENERAL, visibility="personal", assigning_units=(SOLNA, LUND))
    units = {
        SOLNA: CareUnitFacts(hsa_id=SOLNA, region_code="01", retired=False),
        LUND: CareUnitFacts(hsa_id=LUND, region_code="12", retired=False),
    }
    with pytest.raises(InvalidConfiguration, match=f"{LUND} is no care unit of the region"):
        check_offer_care_units(personal, units)
    check_offer_care_units(replace(personal, assigning_units=(SOLNA,)), units)


def test_one_laboratory_serving_the_result_unit_must_perform_every_product() -> None:
    mappings = {"KS": frozenset({"PEP-CT"}), "SUS": frozenset({"PEP-GO"})}
    require_performable(product_codes=["PEP-CT"], customer_lab_mappings=mappings)
    with pytest.raises(InvalidConfiguration, match="no laboratory .* performs all") as refused:
        require_performable(product_codes=["PEP-CT", "PEP-GO"], customer_lab_mappings=mappings)
    assert refused.value.field == "products"
    with pytest.raises(InvalidConfiguration, match="no laboratory's customer") as refused:
        require_performable(product_codes=["PEP-CT"], customer_lab_mappings={})
    assert refused.value.field == "result_care_unit_hsa_id"


def test_a_new_version_stays_in_the_offers_region() -> None:
    require_same_region(current="01", proposed="01")
    with pytest.raises(InvalidConfiguration, match="an offer stays in its region"):
        require_same_region(current="01", proposed="12")
