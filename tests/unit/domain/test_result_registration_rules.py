"""domain/result_registration.py and domain.orders.result_recipient: pure rules."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidInput
from domain.offers import Visibility
from domain.orders import OrderStatus, result_recipient
from domain.result_registration import (
    LineValue,
    SamplingDateLocked,
    TemplateAnalysis,
    TemplateRef,
    check_registration_date,
    default_insights,
    insight_text,
    prefill,
    registration_items,
    require_registrable,
    sampled_at_for,
    search_criteria,
    validate_insight_texts,
)
from domain.results import Insight, OrderNotAwaitingResults, ResultSource

# 10:00 in Stockholm on 2 December 2026.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PLACED = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
ASSIGNER, OFFER_UNIT = uuid.uuid4(), uuid.uuid4()
POSITIVE = Insight.POSITIVE


def template(insight: Insight | None = Insight.NEGATIVE, analyses: int = 2) -> TemplateRef:
    return TemplateRef(
        id=uuid.uuid4(),
        laboratory_id=uuid.uuid4(),
        name="Mall",
        insight=insight,
        analyses=tuple(
            TemplateAnalysis(analysis=f"A{i}", value="Ej påvisad") for i in range(analyses)
        ),
        default_comment=None,
    )


# --- where the result goes -------------------------------------------------------------


def test_an_assigned_offers_result_goes_to_the_unit_that_assigned_it():
    assert (
        result_recipient(
            visibility=Visibility.PERSONAL,
            assigning_care_unit_id=ASSIGNER,
            offer_result_care_unit_id=OFFER_UNIT,
        )
        == ASSIGNER
    )


@pytest.mark.parametrize("visibility", [Visibility.GENERAL, Visibility.NATIONWIDE])
def test_a_general_or_nationwide_offers_result_goes_to_the_offers_unit(visibility):
    # An assignment row (another unit assigned the catalog id once) does not matter here.
    assert (
        result_recipient(
            visibility=visibility,
            assigning_care_unit_id=ASSIGNER,
            offer_result_care_unit_id=OFFER_UNIT,
        )
        == OFFER_UNIT
    )


def test_a_personal_offer_without_an_assignment_falls_back_to_the_offers_unit():
    assert (
        result_recipient(
            visibility=Visibility.PERSONAL,
            assigning_care_unit_id=None,
            offer_result_care_unit_id=OFFER_UNIT,
        )
        == OFFER_UNIT
    )


# --- searching ------------------------------------------------------------------------


def test_a_search_takes_exactly_one_of_personnummer_and_rid():
    with pytest.raises(InvalidInput) as both:
        search_criteria(personnummer="198504129829", rid="ABCD")
    with pytest.raises(InvalidInput):
        search_criteria(personnummer=None, rid=None)
    assert both.value.code == "one_of"


def test_a_rid_is_searched_as_stored_whatever_its_printed_form():
    assert search_criteria(personnummer=None, rid=" abcd-efgh-jk ").rid == "ABCDEFGHJK"


def test_a_rid_with_other_characters_is_refused():
    with pytest.raises(InvalidInput) as refused:
        search_criteria(personnummer=None, rid="AB'; --")
    assert refused.value.field == "rid"


# --- what may be registered -------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED, OrderStatus.ANSWERED]
)
def test_an_order_still_open_or_answered_takes_a_result(status):
    require_registrable(status)


@pytest.mark.parametrize(
    "status", [OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REJECTED]
)
def test_a_cancelled_expired_or_rejected_order_takes_no_result(status):
    with pytest.raises(OrderNotAwaitingResults):
        require_registrable(status)


def test_the_sampling_date_is_not_in_the_future_in_sweden():
    # 2026-12-02 23:30 UTC is already 3 December in Stockholm.
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    check_registration_date(date(2026, 12, 3), now=late, placed_at=PLACED, registered_dates=[])
    with pytest.raises(InvalidInput) as future:
        check_registration_date(date(2026, 12, 3), now=NOW, placed_at=PLACED, registered_dates=[])
    assert future.value.code == "in_future"


def test_the_sampling_date_is_not_before_the_order_was_placed():
    with pytest.raises(InvalidInput) as early:
        check_registration_date(date(2026, 11, 29), now=NOW, placed_at=PLACED, registered_dates=[])
    assert early.value.code == "before_order"


def test_once_results_are_registered_their_sampling_date_is_locked():
    check_registration_date(
        date(2026, 12, 1), now=NOW, placed_at=PLACED, registered_dates=[date(2026, 12, 1)]
    )
    with pytest.raises(SamplingDateLocked) as locked:
        check_registration_date(
            date(2026, 11, 30), now=NOW, placed_at=PLACED, registered_dates=[date(2026, 12, 1)]
        )
    assert locked.value.problem_extensions == {"sampling_date": "2026-12-01"}


def test_a_registration_samples_an_order_at_the_start_of_the_day_but_not_before_it_was_placed():
    assert sampled_at_for(date(2026, 12, 1), placed_at=PLACED, now=NOW) == datetime(
        2026, 11, 30, 23, 0, tzinfo=UTC
    )
    # Placed on the sampling day itself: the time of placing.
    assert sampled_at_for(date(2026, 11, 30), placed_at=PLACED, now=NOW) == PLACED


def test_each_line_entered_becomes_a_manual_result_with_its_own_insight():
    items = registration_items(
        rid="ABCDEFGHJK",
        sampling_date=date(2026, 12, 1),
        comment="  Kommentar ",
        values=[
            LineValue(1, " Påvisad ", unit=" ", reference_range="Ej påvisad", insight=POSITIVE),
            LineValue(2, "<0,5", insight=Insight.NEGATIVE),
            LineValue(3, "Se kommentar", insight=None),
        ],
    )

    assert [(i.line_no, i.value, i.unit, i.reference_range, i.insight) for i in items] == [
        (1, "Påvisad", None, "Ej påvisad", Insight.POSITIVE),
        (2, "<0,5", None, None, Insight.NEGATIVE),
        (3, "Se kommentar", None, None, None),
    ]
    assert {(i.source, i.comment, i.lab_result_id) for i in items} == {
        (ResultSource.MANUAL, "Kommentar", None)
    }


def test_a_registration_needs_a_value_for_each_line_it_names_once():
    with pytest.raises(InvalidInput):
        registration_items(rid="R", sampling_date=date(2026, 12, 1), comment=None, values=[])
    with pytest.raises(InvalidInput) as blank:
        registration_items(
            rid="R",
            sampling_date=date(2026, 12, 1),
            comment=None,
            values=[LineValue(1, "  ", insight=None)],
        )
    with pytest.raises(InvalidInput) as twice:
        registration_items(
            rid="R",
            sampling_date=date(2026, 12, 1),
            comment=None,
            values=[LineValue(1, "x", insight=None), LineValue(1, "y", insight=None)],
        )
    assert (blank.value.field, twice.value.code) == ("values.0.value", "duplicate")


def test_a_template_prefills_lines_by_position_and_a_single_analysis_prefills_every_line():
    two = template(analyses=2)
    one = template(analyses=1)
    assert [a.analysis if a else None for a in prefill(two, 3)] == ["A0", "A1", None]
    assert [a.analysis if a else None for a in prefill(one, 2)] == ["A0", "A0"]


def with_analyses(insight: Insight | None, *own: Insight | None) -> TemplateRef:
    """A template of `insight` whose analyses have the insights `own` (None: none of their
    own)."""
    return TemplateRef(
        id=uuid.uuid4(),
        laboratory_id=uuid.uuid4(),
        name="Klamydia positiv",
        insight=insight,
        analyses=tuple(TemplateAnalysis(analysis=f"A{i}", insight=o) for i, o in enumerate(own)),
        default_comment=None,
    )


def test_a_lines_default_insight_is_its_analysiss_own_else_the_templates():
    chlamydia_positive = with_analyses(POSITIVE, None, Insight.NEGATIVE)
    assert default_insights(chlamydia_positive, 2) == [POSITIVE, Insight.NEGATIVE]
    # A line no analysis prefills has the template's insight.
    assert default_insights(chlamydia_positive, 3) == [POSITIVE, Insight.NEGATIVE, POSITIVE]


def test_a_single_analysiss_insight_is_every_lines_default():
    assert default_insights(with_analyses(POSITIVE, Insight.ANSWER), 2) == [
        Insight.ANSWER,
        Insight.ANSWER,
    ]


def test_without_an_insight_of_template_or_analysis_a_line_has_none_by_default():
    assert default_insights(with_analyses(None, None, Insight.NEGATIVE), 2) == [
        None,
        Insight.NEGATIVE,
    ]
    assert default_insights(with_analyses(Insight.NEGATIVE, None, None), 2) == [
        Insight.NEGATIVE,
        Insight.NEGATIVE,
    ]


# --- insight texts ---------------------------------------------------------------------


DEFAULTS = {"positive": "Positivt.", "negative": "Negativt."}


def test_the_templates_text_goes_before_the_offers_and_the_default():
    assert (
        insight_text(
            Insight.NEGATIVE,
            template_insight=Insight.NEGATIVE,
            template_text="Mallens",
            offer_texts={"negative": "Erbjudandets"},
            defaults=DEFAULTS,
        )
        == "Mallens"
    )


def test_without_a_template_text_the_offers_text_goes_before_the_default():
    assert (
        insight_text(
            Insight.NEGATIVE,
            template_insight=Insight.NEGATIVE,
            template_text="  ",
            offer_texts={"negative": "Erbjudandets"},
            defaults=DEFAULTS,
        )
        == "Erbjudandets"
    )


def test_without_either_the_default_of_the_insight_is_read():
    assert (
        insight_text(
            Insight.POSITIVE,
            template_insight=None,
            template_text=None,
            offer_texts={"negative": "Erbjudandets"},
            defaults=DEFAULTS,
        )
        == "Positivt."
    )


def test_a_templates_text_is_not_read_for_another_insight_than_its_own():
    assert (
        insight_text(
            Insight.POSITIVE,
            template_insight=Insight.NEGATIVE,
            template_text="Mallens negativa",
            offer_texts={},
            defaults=DEFAULTS,
        )
        == "Positivt."
    )


def test_a_result_without_an_insight_has_no_text():
    assert (
        insight_text(
            None, template_insight=None, template_text="x", offer_texts={}, defaults=DEFAULTS
        )
        is None
    )


def test_an_offers_insight_texts_name_known_insights_and_blank_ones_are_dropped():
    assert validate_insight_texts("insight_texts", {"positive": " Text ", "answer": " "}) == {
        "positive": "Text"
    }
    with pytest.raises(InvalidInput) as unknown:
        validate_insight_texts("insight_texts", {"sometimes": "x"})
    assert unknown.value.field == "insight_texts.sometimes"
