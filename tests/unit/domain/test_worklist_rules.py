"""The worklist's pure rules (domain/worklist.py): which insights a query shows, the date
range as Swedish days, paging, the change token and comment text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidInput
from domain.results import Insight
from domain.worklist import (
    COMMENT_MAX_LENGTH,
    WorklistQuery,
    WorklistSort,
    change_token,
    comment_text,
    worklist_filter,
)


def test_without_an_insight_filter_the_list_shows_every_insight_the_unit_follows():
    where = worklist_filter(WorklistQuery(), followed=["technical_error", "positive"])

    assert where.insights == ("positive", "technical_error")


def test_a_unit_following_nothing_shows_nothing():
    assert worklist_filter(WorklistQuery(), followed=[]).insights == ()


def test_asking_for_an_insight_the_unit_does_not_follow_is_refused():
    with pytest.raises(InvalidInput) as refused:
        worklist_filter(
            WorklistQuery(insights=frozenset({Insight.NEGATIVE})), followed=["positive"]
        )

    assert refused.value.field == "insight"
    assert refused.value.code == "insight_not_followed"


def test_unknown_values_in_the_configuration_are_ignored():
    assert worklist_filter(WorklistQuery(), followed=["positive", "nonsense"]).insights == (
        "positive",
    )


def test_the_date_range_covers_whole_swedish_days():
    where = worklist_filter(
        WorklistQuery(result_from=date(2026, 3, 28), result_to=date(2026, 3, 29)),
        followed=["positive"],
    )

    # 2026-03-29 is the day summer time begins: 23 hours long.
    assert where.result_from == datetime(2026, 3, 27, 23, 0, tzinfo=UTC)
    assert where.result_before == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_a_range_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidInput) as refused:
        worklist_filter(
            WorklistQuery(result_from=date(2026, 5, 2), result_to=date(2026, 5, 1)),
            followed=["positive"],
        )

    assert refused.value.field == "result_to"


def test_pages_become_limit_and_offset():
    where = worklist_filter(
        WorklistQuery(page=3, page_size=25, sort=WorklistSort.READ_DATE, descending=False),
        followed=["positive"],
    )

    assert (where.limit, where.offset, where.sort, where.descending) == (
        25,
        50,
        WorklistSort.READ_DATE,
        False,
    )


def test_the_change_token_changes_with_the_count_or_the_sum_and_only_then():
    token = change_token(followed=3, sequence_sum=120)

    assert change_token(followed=3, sequence_sum=120) == token
    assert change_token(followed=3, sequence_sum=121) != token
    assert change_token(followed=2, sequence_sum=120) != token


def test_a_comment_is_trimmed_and_must_say_something():
    assert comment_text("  Ringt patienten.\n") == "Ringt patienten."
    with pytest.raises(InvalidInput):
        comment_text(" \n ")
    with pytest.raises(InvalidInput):
        comment_text("x" * (COMMENT_MAX_LENGTH + 1))
