"""`python -m bench.national_lists`: every citizen and staff list and search, on the demo
database and on a national one, in the same run (issue 12, part 2).

1. Two databases: **demo** — a fresh one, migrated, the demo data and the bench world's
   floor (`bench.national_volume` at `--scale 0`: the same bench users with as many rows on
   their first pages as at national volume, so that the comparison measures volume, not
   page fill); **national** — `--national-url` (filled before by `python -m
   bench.national_volume`), or a fresh one filled here at `--scale`.
2. One server per database (`uvicorn api.main:app`, `--workers` each, as `bench.run` starts
   them), both up for the whole run; the bench users log in to each (citizens and staff
   through the embedded IdP, the integration clients with client credentials).
3. Each scenario is requested once per user on both sides (a non-2xx stops the run), then
   measured on the demo server and right after on the national one: `--warmup` seconds,
   then `--duration` at `--concurrency` keep-alive connections (bench/loadgen.py).
4. Per scenario and side: p50/p90/p99 latency, req/s, the server's CPU per request and
   PostgreSQL's (the backends of that database); the ratio national/demo of p50 and p99.
   The issue's target: p99 national ≤ 1.5 × demo for every one. Results go to
   bench/results/national_lists-<UTC>.json and national_lists-latest.json.

    python -m bench.national_lists --national-url postgresql://postgres@127.0.0.1:5432/pep_national
    python -m bench.national_lists --scale 0.02            # both databases made (and dropped) here
    python -m bench.national_lists --scenarios assigned_offers,citizen_orders_previous

Scenarios whose endpoint the app does not have (issue 10's, before they land) are skipped
and reported as such.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench import national_volume
from bench.loadgen import RequestSpec
from bench.login import LoggedInCitizen, login_citizen, login_staff
from bench.run import (
    RESULTS,
    ROOT,
    CpuMeter,
    ServerProcess,
    free_port,
    machine_info,
    process_cpu_seconds,
    raise_on_signal,
    run_load_process,
)

TOLVAN = "199012129897"
ERIK = "197809039816"
TARGET_P99_RATIO = 1.5


def log(message: str) -> None:
    print(f"[national_lists {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# --- scenarios --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scenario:
    """A list or search as one user sees it. `actor` is "citizen:<key>[,<key>…]",
    "staff:<key>@<care unit HSA-id>" or "client:<client id>"; headers and body may hold
    the load generator's `{n}` and `{run}`, `{csrf}` and `{cursor}` (the `next_cursor` of
    the first page, fetched once per side before the load)."""

    name: str
    actor: str
    method: str
    path: str
    description: str
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    operation: str | None = None  # the app's operation id; skipped when absent
    cursor_of: str | None = None  # path whose first page gives {cursor}


JSON = {"Content-Type": "application/json", "X-CSRF-Token": "{csrf}"}
CITIZENS = "citizen:tolvan,anna-stockholm,erik-stockholm,lars-malmo,johan-goteborg,ingrid-uppsala"
SOLNA = "staff:nurse-solna@SE2321000016-A001"
HUDDINGE = "staff:nurse-sti@SE2321000016-A003"
STI = "staff:nurse-sti@SE2321000016-A002"


def _body(**fields: Any) -> str:
    return json.dumps(fields)


SCENARIOS: list[Scenario] = [
    # --- the citizen ---
    Scenario("citizen_profile", CITIZENS, "GET", "/api/citizen/profile", "Min profil"),
    Scenario("citizen_offers", CITIZENS, "GET", "/api/citizen/offers?scope=home", "Ny beställning"),
    Scenario(
        "citizen_orders_ongoing",
        "citizen:tolvan",
        "GET",
        "/api/citizen/orders?state=ongoing",
        "Pågående beställningar of the heavy citizen (200 orders)",
    ),
    Scenario(
        "citizen_orders_previous",
        "citizen:tolvan",
        "GET",
        "/api/citizen/orders?state=previous",
        "Tidigare beställningar of the heavy citizen, first page",
    ),
    Scenario(
        "citizen_orders_previous_next",
        "citizen:tolvan",
        "GET",
        "/api/citizen/orders?state=previous&cursor={cursor}",
        "Tidigare beställningar, the page after (Visa fler)",
        cursor_of="/api/citizen/orders?state=previous",
    ),
    Scenario(
        "citizen_inbox",
        "citizen:tolvan",
        "GET",
        "/api/citizen/inbox",
        "Inkorg (issue 10)",
        operation="listInboxMessages",
    ),
    Scenario(
        "citizen_inbox_summary",
        "citizen:tolvan",
        "GET",
        "/api/citizen/inbox/summary",
        "the start page's unread summary (issue 10)",
        operation="getInboxSummary",
    ),
    # --- Tilldela erbjudande / Tilldelade erbjudanden (Vårdcentralen Solna) ---
    Scenario(
        "assigned_offers",
        SOLNA,
        "GET",
        "/api/staff/assigned-offers?page_size=25",
        "Tilldelade erbjudanden, newest first",
    ),
    Scenario(
        "assigned_offers_times_used",
        SOLNA,
        "GET",
        "/api/staff/assigned-offers?sort=times_used&order=desc&page_size=25",
        "Tilldelade erbjudanden sorted by times used",
    ),
    Scenario(
        "assigned_offers_next",
        SOLNA,
        "GET",
        "/api/staff/assigned-offers?page_size=25&cursor={cursor}",
        "Tilldelade erbjudanden, the next page",
        cursor_of="/api/staff/assigned-offers?page_size=25",
    ),
    Scenario(
        "assigned_offers_of_offer",
        SOLNA,
        "GET",
        "/api/staff/assigned-offers?catalog_id=1002&page_size=25",
        "Tilldelade erbjudanden of one offer",
    ),
    Scenario(
        "patient_offers",
        SOLNA,
        "POST",
        "/api/staff/patient-offers",
        "Tilldela erbjudande: one patient's offers (a search)",
        body=_body(personnummer=ERIK),
        headers=JSON,
    ),
    # --- Provtagning (Provtagningen Karolinska Huddinge) ---
    Scenario(
        "sampling_search",
        HUDDINGE,
        "POST",
        "/api/staff/sampling/search",
        "Sök beställning (the heavy citizen)",
        body=_body(personnummer=TOLVAN),
        headers=JSON,
    ),
    Scenario("sampling_bookings", HUDDINGE, "GET", "/api/staff/sampling/bookings", "Bokade tider"),
    Scenario("sampling_sampled", HUDDINGE, "GET", "/api/staff/sampling/sampled", "Utskrivna"),
    Scenario(
        "sampling_print_log", HUDDINGE, "GET", "/api/staff/sampling/print-log", "Utskriftslogg"
    ),
    # --- Etiketter, Ordermottagning (STI-mottagningen Södersjukhuset) ---
    Scenario("labels_waiting", STI, "GET", "/api/staff/labels/orders", "Etiketter: kits to send"),
    Scenario(
        "order_receipt_waiting",
        STI,
        "GET",
        "/api/staff/order-receipt/orders",
        "Ordermottagning: anonymous kits to send",
    ),
    # --- issue 10's lists, when they are there ---
    Scenario(
        "worklist",
        STI,
        "GET",
        "/api/staff/worklist",
        "Arbetslista (issue 10)",
        operation="listWorklist",
    ),
    Scenario(
        "result_log",
        STI,
        "GET",
        "/api/staff/result-registration/log",
        "Svarslogg (issue 10)",
        operation="listResultLog",
    ),
    Scenario(
        "result_registration_search",
        STI,
        "POST",
        "/api/staff/result-registration/search",
        "Svarsregistrering: search by personnummer (issue 10)",
        body=_body(personnummer=TOLVAN),
        headers=JSON,
        operation="searchResultRegistrationOrders",
    ),
    Scenario(
        "contact_tracing",
        STI,
        "POST",
        "/api/staff/contact-tracing/search",
        "Smittspårning (issue 10)",
        body=_body(personnummer=TOLVAN),
        headers=JSON,
        operation="searchContactTracing",
    ),
    # --- the integration API (KUL) ---
    Scenario(
        "integration_orders",
        "client:pep-demo-kul",
        "GET",
        "/api/integration/v1/orders?limit=100",
        "integration: the laboratory's orders (handled, sampled), first page",
    ),
    Scenario(
        "integration_claim",
        f"client:{national_volume.BENCH_POLLER_CLIENT}",
        "POST",
        "/api/integration/v1/orders/claim",
        "integration polling: claim 5 orders under a lease (20,000 queued on both sides)",
        body=_body(limit=5),
        headers={"Content-Type": "application/json", "Idempotency-Key": "{run}-{n}"},
    ),
]


def by_name(names: str | None) -> list[Scenario]:
    if not names:
        return list(SCENARIOS)
    known = {s.name: s for s in SCENARIOS}
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in wanted]


# --- the two sides ----------------------------------------------------------------------------


@dataclass(slots=True)
class Side:
    """One database with its server and its logged-in users."""

    name: str
    url: str
    server: ServerProcess | None = None
    sessions: dict[str, LoggedInCitizen] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> str:
        return urlsplit(self.url).path.lstrip("/")


def _secrets() -> dict[str, str]:
    from adapters.demo_data import DEMO_INTEGRATION_CLIENT_ID, DEMO_INTEGRATION_SECRET

    return {
        DEMO_INTEGRATION_CLIENT_ID: DEMO_INTEGRATION_SECRET,
        national_volume.BENCH_POLLER_CLIENT: national_volume.BENCH_POLLER_SECRET,
    }


async def _token(base_url: str, client_id: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0) as client:
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client_id, _secrets()[client_id]),
        )
    if response.status_code != 200:
        raise RuntimeError(f"token for {client_id}: {response.status_code} {response.text[:300]}")
    return str(response.json()["access_token"])


async def log_in(side: Side, scenarios: Sequence[Scenario], cookie_name: str) -> None:
    assert side.server is not None
    base = side.server.base_url
    for actor in sorted({s.actor for s in scenarios}):
        kind, _, who = actor.partition(":")
        if kind == "citizen":
            for key in who.split(","):
                if f"citizen:{key}" not in side.sessions:
                    side.sessions[f"citizen:{key}"] = await login_citizen(
                        base, key, cookie_name=cookie_name
                    )
        elif kind == "staff":
            key, _, unit = who.partition("@")
            side.sessions[actor] = await login_staff(
                base, key, care_unit_hsa_id=unit, cookie_name=cookie_name
            )


def _actors(scenario: Scenario) -> list[str]:
    kind, _, who = scenario.actor.partition(":")
    if kind == "citizen":
        return [f"citizen:{key}" for key in who.split(",")]
    return [scenario.actor]


async def request_specs(side: Side, scenario: Scenario, cookie_name: str) -> list[RequestSpec]:
    """One request per user of the scenario; a fresh bearer token for a client."""
    assert side.server is not None
    specs = []
    for actor in _actors(scenario):
        headers = dict(scenario.headers)
        path = scenario.path.replace("{cursor}", side.cursors.get(scenario.name, ""))
        if actor.startswith("client:"):
            token = await _token(side.server.base_url, actor.partition(":")[2])
            headers["Authorization"] = f"Bearer {token}"
        else:
            session = side.sessions[actor]
            headers = {k: v.replace("{csrf}", session.csrf_token) for k, v in headers.items()}
            headers["Cookie"] = f"{cookie_name}={session.cookie}"
        specs.append(RequestSpec(scenario.method, path, headers, scenario.body))
    return specs


async def first_cursor(side: Side, scenario: Scenario, cookie_name: str) -> None:
    """The `next_cursor` of the first page, for the scenario that reads the next one."""
    assert side.server is not None
    assert scenario.cursor_of is not None
    session = side.sessions[_actors(scenario)[0]]
    async with httpx.AsyncClient(base_url=side.server.base_url, timeout=30.0) as client:
        response = await client.get(
            scenario.cursor_of, headers={"Cookie": f"{cookie_name}={session.cookie}"}
        )
    cursor = response.json().get("next_cursor") if response.status_code == 200 else None
    if not cursor:
        raise RuntimeError(
            f"{side.name}: {scenario.cursor_of} has no next page ({response.status_code}): "
            "the bench world is too small for this scenario"
        )
    side.cursors[scenario.name] = cursor


async def probe(side: Side, specs: Sequence[RequestSpec], scenario: Scenario) -> int:
    """Each request once; a non-2xx stops the run. Returns the largest answer's bytes."""
    assert side.server is not None
    size = 0
    async with httpx.AsyncClient(base_url=side.server.base_url, timeout=60.0) as client:
        for n, spec in enumerate(specs):
            headers = {
                k: v.replace("{n}", f"probe{n}").replace("{run}", f"probe-{uuid.uuid4().hex[:8]}")
                for k, v in spec.headers.items()
            }
            response = await client.request(
                spec.method, spec.path, headers=headers, content=spec.body
            )
            if not response.is_success:
                raise RuntimeError(
                    f"{side.name}: probe {scenario.name} {spec.method} {spec.path}: "
                    f"{response.status_code} {response.text[:400]}"
                )
            size = max(size, len(response.content))
    return size


# --- PostgreSQL's share -------------------------------------------------------------------------


def database_cpu_seconds(database: str) -> float | None:
    """CPU of the PostgreSQL backends connected to `database` (their process titles name
    it). Backends that ended meanwhile are not counted."""
    each = process_cpu_seconds(database=database)
    return None if each is None else sum(each.values())


# --- the run ----------------------------------------------------------------------------------


@contextlib.contextmanager
def databases(national_url: str | None, scale: float, keep: bool) -> Iterator[tuple[str, str]]:
    from tests.support import environment

    made: list[str] = []
    try:
        name, demo_url = environment.create_database("pep_lists_demo")
        made.append(name)
        log(f"demo database {name}: the demo data and the bench world's floor (scale 0)")
        national_volume.generate(demo_url, scale=0)
        if national_url:
            national_volume.prepare_database(national_url)  # migrations since it was filled
            log(f"national database: {urlsplit(national_url).path.lstrip('/')} (given)")
        else:
            name, national_url = environment.create_database("pep_lists_national")
            made.append(name)
            log(f"national database {name}: filling at scale {scale}")
            national_volume.generate(national_url, scale=scale)
        yield demo_url, national_url
    finally:
        for name in made:
            if keep:
                log(f"kept database {name}")
            else:
                environment.drop_database(name)
                log(f"dropped database {name}")


def _row_count(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _operations(base_url: str) -> set[str]:
    """The operation ids the running app has (its OpenAPI document)."""
    response = httpx.get(f"{base_url}/api/openapi.json", timeout=30.0)
    response.raise_for_status()
    return {
        operation["operationId"]
        for path in response.json().get("paths", {}).values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def measure(
    side: Side,
    specs: Sequence[RequestSpec],
    *,
    concurrency: int,
    duration: float,
    warmup: float,
) -> dict[str, Any]:
    assert side.server is not None
    meter = CpuMeter(side.server)
    db_before = database_cpu_seconds(side.database)
    result = run_load_process(
        side.server, specs, concurrency=concurrency, duration=duration, warmup=warmup
    )
    result["cpu"] = meter.report(result)
    db_after = database_cpu_seconds(side.database)
    done = result["requests"] + result["warmup_requests"] + result["late_requests"]
    if db_before is not None and db_after is not None and done:
        result["cpu"]["database_ms_per_request"] = round(1000 * (db_after - db_before) / done, 3)
    return result


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    latency = result["latency_ms"]
    return {
        "requests": result["requests"],
        "errors": result["errors"],
        "rps": result["throughput_rps"],
        "p50_ms": latency["p50"],
        "p90_ms": latency["p90"],
        "p99_ms": latency["p99"],
        "max_ms": latency["max"],
        "server_cpu_ms_per_request": result["cpu"].get("server_ms_per_request"),
        "database_cpu_ms_per_request": result["cpu"].get("database_ms_per_request"),
        "machine_busy_pct": result["cpu"].get("machine_busy_pct"),
    }


def print_table(rows: Sequence[dict[str, Any]]) -> None:
    header = (
        f"{'scenario':<30}{'demo p50':>9}{'p99':>8}{'nat p50':>9}{'p99':>8}"
        f"{'p99 ×':>7}{'p50 ×':>7}{'srv ms d/n':>13}{'db ms d/n':>13}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.get("skipped"):
            print(f"{row['scenario']:<30}  skipped: {row['skipped']}")
            continue
        d, n = row["demo"], row["national"]

        def ms(value: float | None) -> str:
            return "-" if value is None else f"{value:.2f}"

        db = ms(d["database_cpu_ms_per_request"]) + "/" + ms(n["database_cpu_ms_per_request"])

        print(
            f"{row['scenario']:<30}{d['p50_ms']:>9.2f}{d['p99_ms']:>8.2f}"
            f"{n['p50_ms']:>9.2f}{n['p99_ms']:>8.2f}{row['p99_ratio']:>7.2f}{row['p50_ratio']:>7.2f}"
            f"{ms(d['server_cpu_ms_per_request']) + '/' + ms(n['server_cpu_ms_per_request']):>13}"
            f"{db:>13}"
            f"  {'met' if row['meets_target'] else 'MISSED'}"
        )
    print(
        f"p99 × = national p99 / demo p99 (target ≤ {TARGET_P99_RATIO}); srv/db ms = CPU per "
        "request of the server's processes / of PostgreSQL's backends of that database."
    )
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--national-url", help="a database filled by bench.national_volume")
    parser.add_argument("--scale", type=float, default=0.02, help="when no --national-url")
    parser.add_argument("--keep", action="store_true", help="keep the databases made here")
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenarios", help="comma-separated names (default: all)")
    args = parser.parse_args(argv)
    scenarios = by_name(args.scenarios)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_on_signal)
    os.chdir(ROOT)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"pep-lists-{uuid.uuid4().hex[:10]}"
    started = datetime.now(UTC)
    try:
        with contextlib.ExitStack() as stack:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-lists-")))
            demo_url, national_url = stack.enter_context(
                databases(args.national_url, args.scale, args.keep)
            )
            from bench.run import _delete_redis_keys

            stack.callback(lambda: asyncio.run(_delete_redis_keys(redis_url, prefix)))
            sides = [Side("demo", demo_url), Side("national", national_url)]
            volumes = {
                side.name: {t: _row_count(side.url, t) for t in national_volume.BIG_TABLES}
                for side in sides
            }
            for side in sides:
                port = free_port()
                env = {
                    **os.environ,
                    "DATABASE_URL": side.url,
                    "REDIS_URL": redis_url,
                    "PEP_REDIS_PREFIX": f"{prefix}-{side.name}",
                    "PEP_COOKIE_SECURE": "false",
                    "PEP_IDP_KEY_FILE": str(tmp / f"idp-{side.name}.json"),
                    "PEP_ENVIRONMENT": "development",
                    "PEP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
                    "PEP_DB_POOL_SIZE": os.environ.get("PEP_DB_POOL_SIZE", "6"),
                    "PYTHONUNBUFFERED": "1",
                }
                side.server = ServerProcess(
                    f"lists-{side.name}", "api.main:app", port=port, workers=args.workers,
                    env=env, log_dir=tmp,
                )  # fmt: skip
                stack.callback(side.server.stop)
            for side in sides:
                assert side.server is not None
                side.server.wait_healthy("/api/health")
            operations = _operations(sides[0].server.base_url)  # type: ignore[union-attr]
            present = [s for s in scenarios if s.operation is None or s.operation in operations]
            from adapters.settings import Settings

            cookie_name = Settings().session_cookie_name
            for side in sides:
                asyncio.run(log_in(side, present, cookie_name))
                for scenario in present:
                    if scenario.cursor_of:
                        asyncio.run(first_cursor(side, scenario, cookie_name))
            log("servers up, users logged in on both sides")
            rows: list[dict[str, Any]] = []
            for scenario in scenarios:
                if scenario not in present:
                    rows.append(
                        {
                            "scenario": scenario.name,
                            "skipped": f"no {scenario.operation} in the app",
                        }
                    )
                    continue
                row: dict[str, Any] = {
                    "scenario": scenario.name,
                    "description": scenario.description,
                    "request": f"{scenario.method} {scenario.path}",
                }
                for side in sides:
                    specs = asyncio.run(request_specs(side, scenario, cookie_name))
                    row[f"{side.name}_answer_bytes"] = asyncio.run(probe(side, specs, scenario))
                for side in sides:
                    specs = asyncio.run(request_specs(side, scenario, cookie_name))
                    log(f"{scenario.name} on {side.name}")
                    result = measure(
                        side,
                        specs,
                        concurrency=args.concurrency,
                        duration=args.duration,
                        warmup=args.warmup,
                    )
                    row[side.name] = _summary(result)
                    assert side.server is not None
                    if side.server.process.poll() is not None:
                        raise RuntimeError(f"{side.server.name} died\n{side.server.log_tail()}")
                demo, national = row["demo"], row["national"]
                row["p99_ratio"] = round(national["p99_ms"] / demo["p99_ms"], 2)
                row["p50_ratio"] = round(national["p50_ms"] / demo["p50_ms"], 2)
                row["meets_target"] = (
                    row["p99_ratio"] <= TARGET_P99_RATIO
                    and demo["errors"] == 0
                    and national["errors"] == 0
                )
                rows.append(row)
                log(
                    f"{scenario.name}: p99 {demo['p99_ms']:.1f} → {national['p99_ms']:.1f} ms "
                    f"({row['p99_ratio']}×)"
                )
            document = {
                "started_at": started.isoformat(),
                "finished_at": datetime.now(UTC).isoformat(),
                "machine": machine_info(national_url, redis_url),
                "settings": {
                    "workers": args.workers,
                    "concurrency": args.concurrency,
                    "duration_s": args.duration,
                    "warmup_s": args.warmup,
                    "target_p99_ratio": TARGET_P99_RATIO,
                },
                "rows_per_table": volumes,
                "results": rows,
            }
            RESULTS.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            text = json.dumps(document, indent=2) + "\n"
            (RESULTS / f"national_lists-{stamp}.json").write_text(text)
            (RESULTS / "national_lists-latest.json").write_text(text)
            print_table(rows)
            log(f"results written to bench/results/national_lists-{stamp}.json")
    except KeyboardInterrupt:
        log("interrupted; cleaned up")
        return 130
    except Exception as error:
        log(f"FAILED: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
