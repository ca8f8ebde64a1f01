"""The booking scenarios' slots (bench/run.py): each side gets free places of its own for
the whole run, so that both measure real bookings rather than 409s."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from bench import run
from bench.scenarios import HUDDINGE, STOCKHOLM_CITIZENS, by_name


def test_each_booking_share_gets_free_places_for_the_whole_run_at_huddinge(database: str):
    # The defaults: 2 s warm-up + 10 s measured at 1,500 bookings/s, concurrency 32.
    places = run.booking_places(seconds=12, per_second=1500, concurrency=32)
    now = datetime.now(UTC)
    with psycopg.connect(database) as connection:
        try:
            slots = run.deal_booking_slots(
                connection,
                sampling_unit_id=uuid.UUID(HUDDINGE),
                probes=3,
                places_per_share=places,
                now=now,
            )
            ids = [*slots.probe, *slots.shares[0], *slots.shares[1]]
            rows = connection.execute(
                "SELECT sampling_unit_id, starts_at, capacity - booked FROM sampling_slots"
                " WHERE id = ANY(%s)",
                ([uuid.UUID(i) for i in ids],),
            ).fetchall()
        finally:
            connection.rollback()  # the slots are this test's alone

    assert places == 18_032
    assert len(slots.probe) == 3
    assert len(slots.shares[0]) == len(slots.shares[1]) == math.ceil(places / 3) == 6011
    assert len(set(ids)) == len(ids) == len(rows)  # no slot dealt twice
    assert {row[0] for row in rows} == {uuid.UUID(HUDDINGE)}
    assert all(now + timedelta(days=1) < row[1] < now + timedelta(days=60) for row in rows)
    assert min(row[2] for row in rows) == 3


def test_the_probes_book_the_same_slots_and_the_load_each_sides_own():
    slots = run.BookingSlots(probe=["p0", "p1", "p2"], shares=(["a0", "a1"], ["b0", "b1"]))
    app, baseline = by_name("place_order_booking,baseline_place_order_booking")

    citizens = [
        run.LoggedInCitizen(key=key, cookie="k", csrf_token="t") for key in STOCKHOLM_CITIZENS
    ]

    def slot_lists(scenario: run.Scenario, *, for_probe: bool) -> set[tuple[str, ...]]:
        specs = run.request_specs(scenario, citizens, "c", slots=slots, for_probe=for_probe)
        return {tuple(spec.cycle["slot"]) for spec in specs}

    assert slot_lists(app, for_probe=True) == {("p0", "p1", "p2")}
    assert slot_lists(baseline, for_probe=True) == {("p0", "p1", "p2")}
    assert slot_lists(app, for_probe=False) == {("a0", "a1")}
    assert slot_lists(baseline, for_probe=False) == {("b0", "b1")}


def test_a_booking_scenario_that_met_full_slots_stops_the_run():
    slots = run.BookingSlots(probe=["p0"], shares=(["a0"] * 10, ["b0"] * 10))
    (scenario,) = by_name("place_order_booking")
    clean = {"requests": 2000, "warmup_requests": 400, "late_requests": 5, "status_counts": {}}

    assert run.booking_check(scenario, clean, slots) == {"slots": 10, "places": 30, "sent": 2405}
    with pytest.raises(RuntimeError, match="3 of 2000 bookings measured were 409"):
        run.booking_check(scenario, {**clean, "status_counts": {"201": 1997, "409": 3}}, slots)


def test_order_answers_compare_without_what_differs_between_any_two_orders():
    (scenario,) = by_name("place_order_booking")

    def answer(order_id: str, at: str, slot: str) -> dict[str, object]:
        return {
            "order_id": order_id,
            "rid": order_id.upper(),
            "created_at": at,
            "steps": [{"status": "Beställd", "at": at}, {"status": "Hanterad", "at": None}],
            "booking": {"slot_id": slot},
        }

    app = run.comparable(answer("a", "2026-12-01T10:00:00Z", "s1"), scenario.volatile)
    baseline = run.comparable(answer("b", "2026-12-01T10:00:01Z", "s1"), scenario.volatile)
    other_slot = run.comparable(answer("b", "2026-12-01T10:00:01Z", "s2"), scenario.volatile)

    expected = {
        "steps": [{"status": "Beställd"}, {"status": "Hanterad"}],
        "booking": {"slot_id": "s1"},
    }
    assert app == baseline == expected
    assert other_slot != app
