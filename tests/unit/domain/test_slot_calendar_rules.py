"""Bookable times of a sampling unit (domain/administration.py): expanding a rule into slots,
and refusing slots that overlap the ones the unit already has."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.administration import (
    MAX_RULE_DAYS,
    InvalidConfiguration,
    OverlappingSlots,
    SlotRule,
    expand_slots,
    refuse_overlaps,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY = date(2025, 6, 2)


def _rule(**overrides: object) -> SlotRule:
    values: dict[str, object] = {
        "first_day": MONDAY,
        "last_day": MONDAY,
        "weekdays": frozenset({0}),
        "start": time(8, 0),
        "end": time(9, 0),
        "minutes": 30,
        "capacity": 2,
    }
    values.update(overrides)
    return SlotRule(**values)  # type: ignore[arg-type]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _refusal(rule: SlotRule) -> InvalidConfiguration:
    with pytest.raises(InvalidConfiguration) as caught:
        expand_slots(rule, zone=STOCKHOLM)
    return caught.value


# --- expansion ----------------------------------------------------------------------------


def test_a_day_is_cut_into_slots_of_the_given_length_from_start_to_end() -> None:
    assert expand_slots(_rule(), zone=STOCKHOLM) == [
        (_at(MONDAY, 8, 0), _at(MONDAY, 8, 30)),
        (_at(MONDAY, 8, 30), _at(MONDAY, 9, 0)),
    ]


def test_a_slot_that_would_run_past_the_end_is_not_made() -> None:
    slots = expand_slots(_rule(end=time(9, 50), minutes=20), zone=STOCKHOLM)

    assert [start.time() for start, _ in slots] == [
        time(8, 0),
        time(8, 20),
        time(8, 40),
        time(9, 0),
        time(9, 20),
    ]
    assert slots[-1][1] == _at(MONDAY, 9, 40)


def test_only_the_chosen_weekdays_get_slots() -> None:
    rule = _rule(
        last_day=MONDAY + timedelta(days=6), weekdays=frozenset({0, 2, 4}), end=time(8, 30)
    )

    days = [start.date() for start, _ in expand_slots(rule, zone=STOCKHOLM)]

    assert days == [MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=4)]


def test_a_closed_day_inside_the_period_gets_no_slots_and_the_days_around_it_do() -> None:
    tuesday = MONDAY + timedelta(days=1)
    rule = _rule(
        last_day=MONDAY + timedelta(days=2),
        weekdays=frozenset({0, 1, 2}),
        end=time(8, 30),
        closed_days=frozenset({tuesday}),
    )

    days = [start.date() for start, _ in expand_slots(rule, zone=STOCKHOLM)]

    assert days == [MONDAY, MONDAY + timedelta(days=2)]


def test_first_and_last_day_are_both_included() -> None:
    rule = _rule(last_day=MONDAY + timedelta(days=7), end=time(8, 30))

    days = [start.date() for start, _ in expand_slots(rule, zone=STOCKHOLM)]

    assert days == [MONDAY, MONDAY + timedelta(days=7)]


def test_a_period_without_any_chosen_weekday_gives_no_slots() -> None:
    assert expand_slots(_rule(weekdays=frozenset({6})), zone=STOCKHOLM) == []


def test_slots_are_in_the_units_time_zone() -> None:
    (first, _) = expand_slots(_rule(), zone=STOCKHOLM)[0]

    assert first.tzinfo is STOCKHOLM
    assert first.astimezone(UTC) == datetime(2025, 6, 2, 6, 0, tzinfo=UTC)  # CEST, UTC+2


def test_opening_hours_keep_their_local_time_when_summer_time_begins() -> None:
    # Summer time began on Sunday 30 March 2025 at 02:00 in Sweden.
    rule = _rule(
        first_day=date(2025, 3, 29),
        last_day=date(2025, 3, 31),
        weekdays=frozenset(range(7)),
        end=time(8, 30),
    )

    starts = [start.astimezone(UTC) for start, _ in expand_slots(rule, zone=STOCKHOLM)]

    assert starts == [
        datetime(2025, 3, 29, 7, 0, tzinfo=UTC),
        datetime(2025, 3, 30, 6, 0, tzinfo=UTC),
        datetime(2025, 3, 31, 6, 0, tzinfo=UTC),
    ]


def test_opening_hours_keep_their_local_time_when_summer_time_ends() -> None:
    # Summer time ended on Sunday 26 October 2025 at 03:00 in Sweden.
    rule = _rule(
        first_day=date(2025, 10, 25),
        last_day=date(2025, 10, 26),
        weekdays=frozenset(range(7)),
        end=time(8, 30),
    )

    slots = expand_slots(rule, zone=STOCKHOLM)

    assert [(s.astimezone(UTC), e - s) for s, e in slots] == [
        (datetime(2025, 10, 25, 6, 0, tzinfo=UTC), timedelta(minutes=30)),
        (datetime(2025, 10, 26, 7, 0, tzinfo=UTC), timedelta(minutes=30)),
    ]


def test_last_day_before_first_day_is_refused() -> None:
    error = _refusal(_rule(last_day=MONDAY - timedelta(days=1)))

    assert (error.field, error.detail) == ("last_day", "must not be before first_day")


def test_a_rule_may_span_at_most_a_year() -> None:
    longest = _rule(last_day=MONDAY + timedelta(days=MAX_RULE_DAYS - 1), end=time(8, 30))
    assert len(expand_slots(longest, zone=STOCKHOLM)) == 53  # Mondays in 366 days from a Monday

    error = _refusal(_rule(last_day=MONDAY + timedelta(days=MAX_RULE_DAYS)))

    assert (error.field, error.detail) == ("last_day", f"at most {MAX_RULE_DAYS} days at a time")


@pytest.mark.parametrize("weekdays", [frozenset(), frozenset({7}), frozenset({0, -1})])
def test_weekdays_must_be_chosen_from_monday_to_sunday(weekdays: frozenset[int]) -> None:
    error = _refusal(_rule(weekdays=weekdays))

    assert (error.field, error.detail) == ("weekdays", "choose weekdays 0 (Monday) to 6 (Sunday)")


@pytest.mark.parametrize("end", [time(8, 0), time(7, 59)])
def test_end_must_be_after_start(end: time) -> None:
    error = _refusal(_rule(end=end))

    assert (error.field, error.detail) == ("end", "must be after start")


@pytest.mark.parametrize("minutes", [4, 241, 0])
def test_slot_length_outside_5_to_240_minutes_is_refused(minutes: int) -> None:
    error = _refusal(_rule(minutes=minutes, end=time(20, 0)))

    assert (error.field, error.detail) == ("minutes", "between 5 and 240 minutes")


@pytest.mark.parametrize("minutes", [5, 240])
def test_slot_lengths_of_5_and_240_minutes_are_accepted(minutes: int) -> None:
    slots = expand_slots(_rule(minutes=minutes, end=time(12, 0)), zone=STOCKHOLM)

    assert len(slots) == 240 // minutes


@pytest.mark.parametrize("capacity", [0, 101])
def test_capacity_outside_1_to_100_is_refused(capacity: int) -> None:
    error = _refusal(_rule(capacity=capacity))

    assert (error.field, error.detail) == ("capacity", "between 1 and 100")


@pytest.mark.parametrize("capacity", [1, 100])
def test_capacity_of_1_and_100_is_accepted(capacity: int) -> None:
    assert len(expand_slots(_rule(capacity=capacity), zone=STOCKHOLM)) == 2


# --- overlaps -----------------------------------------------------------------------------

EXISTING = [(_at(MONDAY, 9, 0), _at(MONDAY, 10, 0))]


def _overlap(
    new: list[tuple[datetime, datetime]],
    existing: list[tuple[datetime, datetime]] = EXISTING,
) -> OverlappingSlots:
    with pytest.raises(OverlappingSlots) as caught:
        refuse_overlaps(new, existing)
    return caught.value


def test_a_slot_ending_where_an_existing_one_starts_is_accepted() -> None:
    refuse_overlaps([(_at(MONDAY, 8, 0), _at(MONDAY, 9, 0))], EXISTING)


def test_a_slot_starting_where_an_existing_one_ends_is_accepted() -> None:
    refuse_overlaps([(_at(MONDAY, 10, 0), _at(MONDAY, 11, 0))], EXISTING)


def test_slots_on_another_day_are_accepted() -> None:
    tuesday = MONDAY + timedelta(days=1)
    refuse_overlaps([(_at(tuesday, 9, 0), _at(tuesday, 10, 0))], EXISTING)


def test_anything_is_accepted_when_the_unit_has_no_times() -> None:
    refuse_overlaps([(_at(MONDAY, 9, 0), _at(MONDAY, 10, 0))], [])


def test_nothing_new_overlaps_nothing() -> None:
    refuse_overlaps([], EXISTING)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((8, 30), (9, 30)),  # runs into the existing slot
        ((9, 30), (10, 30)),  # starts inside it
        ((9, 15), (9, 45)),  # lies inside it
        ((8, 0), (11, 0)),  # covers it
        ((9, 0), (10, 0)),  # is the same
        ((9, 59), (10, 0)),  # shares a single minute
    ],
)
def test_a_slot_overlapping_an_existing_one_is_refused(
    start: tuple[int, int], end: tuple[int, int]
) -> None:
    error = _overlap([(_at(MONDAY, *start), _at(MONDAY, *end))])

    assert isinstance(error, InvalidConfiguration)
    assert (error.field, error.code) == ("start", "overlap")
    assert error.detail == (
        "overlaps existing times from 2025-06-02T09:00:00+02:00 to 2025-06-02T10:00:00+02:00"
    )


def test_overlap_is_found_whatever_order_the_existing_slots_come_in() -> None:
    later = (_at(MONDAY, 12, 0), _at(MONDAY, 13, 0))
    earlier = (_at(MONDAY, 7, 0), _at(MONDAY, 8, 0))

    error = _overlap(
        [(_at(MONDAY, 7, 30), _at(MONDAY, 7, 45))], existing=[later, *EXISTING, earlier]
    )

    assert error.detail.startswith("overlaps existing times from 2025-06-02T07:00:00+02:00")


def test_a_long_existing_slot_is_found_behind_shorter_ones_that_start_later() -> None:
    long = (_at(MONDAY, 7, 0), _at(MONDAY, 12, 0))
    short = (_at(MONDAY, 8, 0), _at(MONDAY, 8, 30))

    error = _overlap([(_at(MONDAY, 11, 0), _at(MONDAY, 11, 30))], existing=[short, long])

    assert error.detail.startswith("overlaps existing times from 2025-06-02T07:00:00+02:00")


def test_any_one_overlapping_slot_among_many_new_ones_refuses_them_all() -> None:
    new = [
        (_at(MONDAY, 7, 0), _at(MONDAY, 8, 0)),
        (_at(MONDAY, 8, 0), _at(MONDAY, 9, 0)),
        (_at(MONDAY, 9, 0), _at(MONDAY, 10, 0)),
    ]

    _overlap(new)


def test_overlap_compares_instants_not_clock_readings() -> None:
    # 07:00–08:00 UTC is 09:00–10:00 in Stockholm in June: the same time as EXISTING.
    same = (datetime(2025, 6, 2, 7, 0, tzinfo=UTC), datetime(2025, 6, 2, 8, 0, tzinfo=UTC))
    _overlap([same])
    # 08:00–09:00 UTC touches it (10:00 Stockholm) and is accepted.
    refuse_overlaps(
        [(datetime(2025, 6, 2, 8, 0, tzinfo=UTC), datetime(2025, 6, 2, 9, 0, tzinfo=UTC))],
        EXISTING,
    )
