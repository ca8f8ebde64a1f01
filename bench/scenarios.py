"""The benchmark scenarios. Adding one is adding a record here.

`server` is "app" (the real server) or "baseline" (bench/baseline_app.py). Every request
carries the Cookie of one logged-in citizen (connections are spread over the citizens).
Headers and body are templates:

- `{csrf}` becomes that citizen's CSRF token (from GET /api/session), once per connection;
- `{n}` becomes a counter unique within the run, and `{run}` a random id of the run, per
  request — e.g. `"Idempotency-Key": "{run}-{n}"`.

A scenario with `baseline` set is reported with ratio_to_baseline = its throughput divided
by the named scenario's throughput (measured in the same run).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Server = Literal["app", "baseline"]


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


JSON = {"Content-Type": "application/json"}

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
    # Later issues, e.g.:
    # Scenario(
    #     name="place_order",
    #     server="app",
    #     method="POST",
    #     path="/api/citizen/orders",
    #     body='{"offer_id": "..."}',
    #     headers={**JSON, "X-CSRF-Token": "{csrf}", "Idempotency-Key": "{run}-{n}"},
    #     baseline="baseline_place_order",
    # ),
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
