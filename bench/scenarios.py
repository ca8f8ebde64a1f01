"""The benchmark scenarios. Adding one is adding a record here.

`server` is "app" (the real server), "baseline" (bench/baseline_app.py) or "floor" (the
product's stack doing the baseline's work, bench/stack_floor.py). Every request
carries the Cookie of one logged-in citizen (connections are spread over the citizens).
Headers and body are templates:

- `{csrf}` becomes that citizen's CSRF token (from GET /api/session), once per connection;
- `{n}` becomes a counter unique within the run, and `{run}` a random id of the run, per
  request — e.g. `"Idempotency-Key": "{run}-{n}"`;
- `{slot}` (scenarios with `slot_share` set) becomes, per request, the next id of a list of
  free slots of offer 1004 at Provtagningen Karolinska Huddinge (request n: slot n mod the
  list's length). Before the probes, bench/run.py tops up the unit's free slots in the bench
  database (3 places each; enough for --bookings-per-second over warm-up + measuring window
  on each side) and deals them out alternately: share 0 gets slots 0, 2, 4, …, share 1
  gets 1, 3, 5, … — the app's and the baseline's booking scenarios get as many places of
  the same kind, never book the same slot, and make real bookings (201) throughout.

`citizens` restricts a scenario to some of the logged-in citizens (offer 1004 is for Region
Stockholm residents only). `expected_statuses` are answers that are not errors (409
slot-not-available when booking; bench/run.py stops the run when more than 0.1 % of the
measured bookings are 409s, since their slots must not run out). `volatile` names
top-level answer fields that differ between any two orders (id, RID, creation time; or
`list.field`, that field of each item of a top-level list: `steps.at`): they are left out
when the app's answer is compared with the baseline's.

A scenario with `baseline` set is reported with ratio_to_baseline = its throughput divided
by the named scenario's throughput (measured in the same run).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from adapters.demo_data import demo_id

Server = Literal["app", "baseline", "floor"]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    server: Server
    method: str
    path: str
    body: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    baseline: str | None = None
    description: str = ""
    # Scenarios with default=False run only when named in --scenarios.
    default: bool = True
    citizens: tuple[str, ...] | None = None
    expected_statuses: tuple[int, ...] = ()
    volatile: tuple[str, ...] = ()
    slot_share: int | None = None


JSON = {"Content-Type": "application/json"}
ORDER_HEADERS = {**JSON, "X-CSRF-Token": "{csrf}", "Idempotency-Key": "{run}-{n}"}
# Fields of an order that differ between any two orders (`steps.at`: when each process
# step was reached, Beställd's being the creation time).
ORDER_VOLATILE = ("order_id", "rid", "created_at", "steps.at")
# Offer 2001: a home kit for residents of any region, no usage limit (1001 allows 4 a year).
HOME_KIT_ORDER = json.dumps(
    {
        "catalog_id": "2001",
        "contact": {"phone": "0701234567"},
        "delivery_address": {"street": "Storgatan 1", "postal_code": "111 22", "city": "Stockholm"},
        "answers": {"symptoms": False},
    }
)
# Offer 1004 (Region Stockholm, time booking) at Provtagningen Karolinska Huddinge.
HUDDINGE = str(demo_id("SE2321000016-P001"))
BOOKING_ORDER = json.dumps(
    {
        "catalog_id": "1004",
        "contact": {"email": "bench@example.se"},
        "answers": {"symptoms": False},
        "booking": {"sampling_unit_id": HUDDINGE, "slot_id": "{slot}"},
    }
)
STOCKHOLM_CITIZENS = ("tolvan", "anna-stockholm", "erik-stockholm")

SCENARIOS: list[Scenario] = [
    Scenario(
        name="citizen_profile",
        server="app",
        method="GET",
        path="/api/citizen/profile",
        baseline="baseline_profile",
        description="the citizen's profile: session from Redis, person cache from PostgreSQL",
    ),
    Scenario(
        name="baseline_profile",
        server="baseline",
        method="GET",
        path="/baseline/profile",
        description="the same work with raw asyncpg + redis-py in a bare ASGI callable",
    ),
    Scenario(
        name="baseline_profile_orm_trips",
        server="baseline",
        method="GET",
        path="/baseline/profile?orm_round_trips=1",
        description=(
            "diagnostic: the baseline plus the PostgreSQL round trips the SQLAlchemy path "
            "makes (pre-ping BEGIN/;/ROLLBACK, then BEGIN/SELECT/COMMIT)"
        ),
        default=False,
    ),
    Scenario(
        name="citizen_offers",
        server="app",
        method="GET",
        path="/api/citizen/offers?scope=home",
        baseline="baseline_offers",
        description="offers the citizen may order: session from Redis, one SQL statement, "
        "the availability rule per offer",
    ),
    Scenario(
        name="baseline_offers",
        server="baseline",
        method="GET",
        path="/baseline/offers?scope=home",
        description="the same session read, the same SQL and rule, the same JSON",
    ),
    Scenario(
        name="place_order",
        server="app",
        method="POST",
        path="/api/citizen/orders",
        body=HOME_KIT_ORDER,
        headers=ORDER_HEADERS,
        baseline="baseline_place_order",
        volatile=ORDER_VOLATILE,
        description="order the nationwide home kit 2001 (no usage limit): one transaction "
        "of 12 statements, answer rendered from a read-back",
    ),
    Scenario(
        name="baseline_place_order",
        server="baseline",
        method="POST",
        path="/baseline/orders",
        body=HOME_KIT_ORDER,
        headers=ORDER_HEADERS,
        description="the same statements in one transaction with raw asyncpg",
    ),
    Scenario(
        name="place_order_booking",
        server="app",
        method="POST",
        path="/api/citizen/orders",
        body=BOOKING_ORDER,
        headers=ORDER_HEADERS,
        baseline="baseline_place_order_booking",
        citizens=STOCKHOLM_CITIZENS,
        expected_statuses=(409,),
        volatile=ORDER_VOLATILE,
        slot_share=0,
        description="order 1004 with a booking, stepping through free slots of its own "
        "(3 places each, enough for the whole run): a real booking (201) every request",
    ),
    Scenario(
        name="baseline_place_order_booking",
        server="baseline",
        method="POST",
        path="/baseline/orders",
        body=BOOKING_ORDER,
        headers=ORDER_HEADERS,
        citizens=STOCKHOLM_CITIZENS,
        expected_statuses=(409,),
        slot_share=1,
        description="the same statements (sampling places, slot UPDATE) with raw asyncpg",
    ),
    # The stack's floor: the product's app (middleware, routing table, FastAPI) answering
    # with the baseline's data work. Requests as the baseline's, on the server "floor".
    Scenario(
        name="floor_profile",
        server="floor",
        method="GET",
        path="/api/floor/profile",
        baseline="baseline_profile",
        description="the product's stack around the baseline's profile work",
        default=False,
    ),
    Scenario(
        name="floor_offers",
        server="floor",
        method="GET",
        path="/api/floor/offers?scope=home",
        baseline="baseline_offers",
        description="the product's stack around the baseline's offer listing",
        default=False,
    ),
    Scenario(
        name="floor_place_order",
        server="floor",
        method="POST",
        path="/api/floor/orders",
        body=HOME_KIT_ORDER,
        headers=ORDER_HEADERS,
        baseline="baseline_place_order",
        volatile=ORDER_VOLATILE,
        description="the product's stack around the baseline's order transaction",
        default=False,
    ),
]


def by_name(names: str | None) -> list[Scenario]:
    """The scenarios to run: the defaults, or exactly those named (comma-separated)."""
    if not names:
        return [s for s in SCENARIOS if s.default]
    known = {s.name: s for s in SCENARIOS}
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in wanted]
