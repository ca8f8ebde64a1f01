"""`python -m bench.drills.overload`: many more concurrent clients than the pools hold
(issue 12, part 4). What is not served at once must be refused at once — 503 (or 429) with
Retry-After — and never end as a pool-timeout 500 or a hang.

The real server (2 uvicorn workers) with small pools (`--pool-size`, PEP_DB_POOL_SIZE: two
engines per worker, so at most 2 × 2 × pool-size connections to PostgreSQL) against a
PostgreSQL and a Redis of the drill's own; `--clients` closed-loop users without think time
(nine in ten citizens reading and ordering, one in ten the nurse's Tilldelade erbjudanden,
and the laboratory's system), each on a connection of its own. A refused user pauses
`--refused-pause` (0.5 s) and asks again: a quarter of what Retry-After asks, to keep the
pressure on without the load generator spending its CPU on refusals.
`--warmup` seconds are not counted, then `--duration` seconds are; afterwards every kind of
request is asked once more and must be answered normally (the service recovered).

The server's two limits, both answering 503 `overloaded` with Retry-After: a worker admits
PEP_MAX_REQUESTS_IN_FLIGHT requests at once (`--limit`, 0: no limit) and refuses the next at
once (api/web/admission.py); an admitted request waits at most PEP_DB_POOL_TIMEOUT_SECONDS
for a pooled connection (`--pool-timeout`). The table counts refusals by which limit said no.

Targets (exit status 1 when one is missed): overload reached (some refusals); no 500 nor
any 5xx but 503; Retry-After on every 429/503; no request over 30 s and no connection
error; answers normal again afterwards. Figures: bench/results/overload-latest.json.

    python -m bench.drills.overload [--clients 400] [--pool-size 4] [--limit 64]
                                    [--pool-timeout 5] [--duration 20] [--warmup 3]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psycopg

from bench.drills import mixed_load, world
from bench.drills.mixed_load import Clock, Connection, Load, LoadSettings
from bench.run import raise_on_signal
from bench.scenarios import HOME_KIT_ORDER

DRILL = "overload"
LONGEST_MAX_S = 30.0
WORKERS = 2
ENGINES = 2  # units of work, and autocommit reads (ADR 5)


def log(message: str) -> None:
    world.log(DRILL, message)


async def _connections_in_use(database_url: str, stop: asyncio.Event) -> list[int]:
    """The server's connections to its database, once a second."""
    samples = []

    def count() -> int:
        with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
        return int(row[0]) if row else 0

    while not stop.is_set():
        try:
            samples.append(await asyncio.to_thread(count))
        except psycopg.Error:
            pass
        await asyncio.sleep(1.0)
    return samples


async def _afterwards(load: Load) -> dict[str, int]:
    """Each kind of request once more, after the load: the status of each."""
    host, port = load.host_port
    cookie, csrf = await load.session("citizen", mixed_load.CITIZENS[0])
    staff, _ = await load.session("staff", mixed_load.NURSE)
    token = await load.token()
    name = load.settings.cookie_name
    connection = Connection(host, port)
    answers = {}
    try:
        for label, method, path, headers, body in (
            ("profile", "GET", "/api/citizen/profile", {"Cookie": f"{name}={cookie}"}, None),
            ("offers", "GET", "/api/citizen/offers?scope=home", {"Cookie": f"{name}={cookie}"},
             None),
            ("order", "POST", "/api/citizen/orders",
             {"Cookie": f"{name}={cookie}", "X-CSRF-Token": csrf,
              "Content-Type": "application/json", "Idempotency-Key": f"after-{time.time()}"},
             HOME_KIT_ORDER.encode()),
            ("assigned_offers", "GET", "/api/staff/assigned-offers?page_size=25",
             {"Cookie": f"{name}={staff}"}, None),
            ("integration_orders", "GET", "/api/integration/v1/orders?limit=20",
             {"Authorization": f"Bearer {token}"}, None),
        ):  # fmt: skip
            status, _, _ = await connection.request(method, path, headers, body)
            answers[label] = status
    finally:
        connection.close()
    return answers


async def _drive(w: world.World, args: argparse.Namespace) -> dict[str, Any]:
    from adapters.demo_data import DEMO_INTEGRATION_CLIENT_ID, DEMO_INTEGRATION_SECRET

    staff = max(1, args.clients // 10)
    integration = 2
    clock = Clock()
    load = Load(
        LoadSettings(
            base_url=w.base_url,
            citizen_users=args.clients - staff - integration,
            staff_users=staff,
            integration_users=integration,
            think=0.0,
            backoff=args.refused_pause,
            client_id=DEMO_INTEGRATION_CLIENT_ID,
            client_secret=DEMO_INTEGRATION_SECRET,
        ),
        clock,
    )
    await load.log_in_all()
    sampling = asyncio.Event()
    connections = asyncio.create_task(_connections_in_use(w.database_url, sampling))
    cpu_before = world.cpu_seconds(w)
    own_before = time.process_time()
    started = clock.now()
    running = asyncio.create_task(load.run())
    await asyncio.sleep(args.warmup)
    measured_from = clock.now()
    await asyncio.sleep(args.duration)
    measured_to = clock.now()
    load.stop.set()
    await running
    load_seconds = clock.now() - started
    cpu_after = world.cpu_seconds(w)
    own = time.process_time() - own_before
    sampling.set()
    used = await connections
    load.stop.clear()
    after = await _afterwards(load)
    return {
        "load": load,
        "measured": (measured_from, measured_to),
        "connections_used": used,
        "afterwards": after,
        "server_cpu_cores": None
        if cpu_before is None or cpu_after is None
        else round((cpu_after - cpu_before) / load_seconds, 2),
        "load_generator_cpu_cores": round(own / load_seconds, 2),
        "users": {
            "citizens": load.settings.citizen_users,
            "staff": staff,
            "integration": integration,
        },  # fmt: skip
    }


def evaluate(run: dict[str, Any], args: argparse.Namespace) -> tuple[dict[str, Any], list[str]]:
    load: Load = run["load"]
    start, end = run["measured"]
    measured = [o for o in load.outcomes if o.at >= start and o.end <= end]
    summary = mixed_load.summarize(measured, origin=start)
    ok = [o.seconds for o in measured if 200 <= o.status < 400]
    refused = [o for o in measured if o.status in (429, 503)]
    by_limit = Counter(
        "admission (in-flight limit)"
        if o.detail and "as many requests as it takes" in o.detail
        else "database pool timeout"
        if o.detail and "database is busy" in o.detail
        else o.detail or "?"
        for o in refused
    )
    seconds = max(end - start, 1e-9)
    pool_bound = WORKERS * ENGINES * args.pool_size
    summary.update(
        {
            "clients": args.clients,
            "users": run["users"],
            "pool_size_per_engine": args.pool_size,
            "database_connections_max_of_the_server": pool_bound,
            "database_connections_seen_max": max(run["connections_used"], default=None),
            "admission_limit_per_worker": args.limit,
            "pool_timeout_s": args.pool_timeout,
            "throughput_rps": round(len(measured) / seconds, 1),
            "answered_2xx_per_s": round(len(ok) / seconds, 1),
            "refusals_by_limit": dict(by_limit.most_common()),
            "latency_ok_ms": {
                "p50": round(1000 * mixed_load.percentile(ok, 50), 1),
                "p99": round(1000 * mixed_load.percentile(ok, 99), 1),
                "max": round(1000 * max(ok, default=0.0), 1),
            },
            "latency_refused_ms": {
                "p50": round(1000 * mixed_load.percentile([o.seconds for o in refused], 50), 1),
                "p99": round(1000 * mixed_load.percentile([o.seconds for o in refused], 99), 1),
                "max": round(1000 * max((o.seconds for o in refused), default=0.0), 1),
            },
            "server_cpu_cores": run["server_cpu_cores"],
            "load_generator_cpu_cores": run["load_generator_cpu_cores"],
            "afterwards": run["afterwards"],
        }
    )
    missed = []
    if not refused:
        missed.append("no request was refused: not overloaded (raise --clients)")
    if summary["server_errors_500"] or summary["server_errors_other_5xx"]:
        missed.append(
            f"{summary['server_errors_500']} answers 500 and "
            f"{summary['server_errors_other_5xx']} other 5xx than 503"
        )
    if summary["refusals_without_retry_after"]:
        missed.append(f"{summary['refusals_without_retry_after']} 429/503 without Retry-After")
    longest = max((o.seconds for o in load.outcomes), default=0.0)
    if longest >= LONGEST_MAX_S or summary["hangs"]:
        missed.append(f"a request took {longest:.1f} s (target < {LONGEST_MAX_S:g} s)")
    if summary["io_errors"]:
        missed.append(f"{summary['io_errors']} connection errors")
    if not ok:
        missed.append("nothing was served")
    if any(not 200 <= status < 300 for status in run["afterwards"].values()):
        missed.append(f"not normal again afterwards: {run['afterwards']}")
    return summary, missed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=400, help="concurrent users")
    parser.add_argument("--pool-size", type=int, default=4, help="PEP_DB_POOL_SIZE")
    parser.add_argument("--limit", type=int, default=64, help="PEP_MAX_REQUESTS_IN_FLIGHT")
    parser.add_argument(
        "--pool-timeout", type=float, default=5.0, help="PEP_DB_POOL_TIMEOUT_SECONDS"
    )
    parser.add_argument(
        "--refused-pause",
        type=float,
        default=0.5,
        help="seconds a refused client waits before asking again (Retry-After says 2)",
    )
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds not counted")
    parser.add_argument(
        "--output", type=Path, help="write the JSON here only (default: bench/results/)"
    )
    args = parser.parse_args(argv)
    if args.clients < 20:
        parser.error("--clients: at least 20")
    signal.signal(signal.SIGTERM, raise_on_signal)
    started = time.time()
    env = {
        "PEP_DB_POOL_SIZE": str(args.pool_size),
        "PEP_DB_MAX_OVERFLOW": "0",
        "PEP_MAX_REQUESTS_IN_FLIGHT": str(args.limit),
        "PEP_DB_POOL_TIMEOUT_SECONDS": str(args.pool_timeout),
    }
    try:
        with world.world(DRILL, workers=WORKERS, arq_worker=False, extra_env=env) as w:
            log(f"server healthy at {w.base_url}; {args.clients} clients")
            load_before = world.load_average()
            run = asyncio.run(_drive(w, args))
            summary, missed = evaluate(run, args)
            per_second = mixed_load.per_second(
                run["load"].outcomes, origin=run["measured"][0], expected=()
            )
            document = {
                "drill": DRILL,
                "command": world.command_line(),
                "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                "git_commit": world.git_commit(),
                "settings": {
                    **{k: v for k, v in vars(args).items() if k != "output"},
                    "uvicorn_workers": WORKERS,
                    "server": w.settings,
                },
                "load_average": {"before": load_before, "after": world.load_average()},
                "machine": world.machine(w),
                "summary": summary,
                "per_second": per_second,
                "targets_missed": missed,
            }
            print()
            print("answers per second (second 0: the measuring starts)")
            mixed_load.print_seconds(per_second, marks={})
            print()
            for key in (
                "clients",
                "users",
                "pool_size_per_engine",
                "database_connections_max_of_the_server",
                "database_connections_seen_max",
                "admission_limit_per_worker",
                "pool_timeout_s",
                "requests",
                "by_status",
                "throughput_rps",
                "answered_2xx_per_s",
                "refusals_by_limit",
                "refusals_without_retry_after",
                "server_errors_500",
                "server_errors_other_5xx",
                "io_errors",
                "hangs",
                "latency_ms",
                "latency_ok_ms",
                "latency_refused_ms",
                "longest_request",
                "server_cpu_cores",
                "load_generator_cpu_cores",
                "afterwards",
            ):
                print(f"  {key:<40}{summary.get(key)}")
            return world.finish(DRILL, document, args.output, missed)
    except KeyboardInterrupt:
        log("interrupted; cleaned up")
        return 130


if __name__ == "__main__":
    sys.exit(main())
