"""Smittspårning's pure rule (domain/contact_tracing.py): the state and the days of a home
test, told from dates only."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.contact_tracing import HomeTestFacts, HomeTestState, home_test

ORDERED = datetime(2026, 5, 1, 21, 30, tzinfo=UTC)  # 23:30 in Sweden: still 1 May


def _facts(**overrides) -> HomeTestFacts:
    facts = {
        "order_status": "ordered",
        "ordered_at": ORDERED,
        "sampled_at": None,
        "first_sampling_date": None,
        "first_answer_at": None,
    }
    facts.update(overrides)
    return HomeTestFacts(**facts)


def test_an_ordered_test_has_only_its_order_day():
    test = home_test(_facts(ordered_at=datetime(2026, 5, 1, 22, 30, tzinfo=UTC)))

    assert test.state is HomeTestState.ORDERED
    assert test.ordered_on == date(2026, 5, 2)  # 00:30 in Sweden
    assert (test.sampled_on, test.answered, test.answered_on) == (None, False, None)


def test_any_answer_makes_the_test_answered_whatever_the_order_status():
    test = home_test(
        _facts(
            order_status="sampled",
            first_sampling_date=date(2026, 5, 3),
            first_answer_at=datetime(2026, 5, 6, 8, 0, tzinfo=UTC),
        )
    )

    assert test.state is HomeTestState.ANSWERED
    assert test.answered is True
    assert test.answered_on == date(2026, 5, 6)
    # Without a sampling time on the order, the laboratory's sampling date tells the day.
    assert test.sampled_on == date(2026, 5, 3)


def test_the_order_sampling_time_wins_over_the_laboratorys_date():
    test = home_test(
        _facts(
            order_status="sampled",
            sampled_at=datetime(2026, 5, 2, 23, 0, tzinfo=UTC),
            first_sampling_date=date(2026, 5, 1),
        )
    )

    assert test.state is HomeTestState.SAMPLED
    assert test.sampled_on == date(2026, 5, 3)


def test_ended_orders_keep_their_state():
    for status in ("cancelled", "expired", "rejected"):
        assert home_test(_facts(order_status=status)).state is HomeTestState(status)
