"""Whom an offer may be assigned to (issue 11 item 10) and whom a deep link is for (item 5):
pure rules."""

from __future__ import annotations

import pytest

from domain.assignment import (
    Audience,
    OfferNotForPatient,
    ineligibility,
    launch_is_for,
    require_offer_for_patient,
)


@pytest.mark.parametrize(
    ("audience", "described"),
    [
        (Audience(min_age=40, max_age=75, sex="M"), "men aged 40–75"),
        (Audience(sex="F"), "women"),
        (Audience(min_age=18), "people aged 18 and over"),
        (Audience(max_age=29), "people aged up to 29"),
        (Audience(), "people"),
    ],
)
def test_whom_an_offer_is_for_is_said_plainly(audience: Audience, described: str) -> None:
    assert audience.describe() == described


def test_a_psa_test_for_men_over_40_is_not_for_a_woman_nor_a_young_man() -> None:
    psa = Audience(min_age=40, sex="M")
    assert ineligibility(psa, age=55, legal_sex="F") == "sex"
    assert ineligibility(psa, age=39, legal_sex="M") == "age"
    assert ineligibility(psa, age=40, legal_sex="M") is None


def test_the_age_bounds_are_inclusive() -> None:
    youth = Audience(min_age=15, max_age=29)
    assert [ineligibility(youth, age=a, legal_sex="F") for a in (14, 15, 29, 30)] == [
        "age",
        None,
        None,
        "age",
    ]


def test_assigning_outside_the_audience_is_refused_with_the_reason() -> None:
    with pytest.raises(OfferNotForPatient) as refused:
        require_offer_for_patient(Audience(min_age=40, max_age=75, sex="M"), age=30, legal_sex="F")
    assert (refused.value.reason, refused.value.detail) == (
        "age",
        "the offer is for men aged 40–75",
    )


def test_a_deep_link_is_for_the_staff_member_the_journal_names_only() -> None:
    assert launch_is_for("SE2321000016-1001", "se2321000016-1001")
    assert not launch_is_for("SE2321000016-1001", "SE2321000016-1003")
