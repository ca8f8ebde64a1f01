"""`python -m bench.drills.audit_cost`: what the audit log costs the write scenarios (issue 12,
part 4: at most 15 % of throughput), measured with audit on and off in the same run, on the
same server, alternating — after a warm-up run, pairs in the order on off | off on | off on |
on off … — so that a change of the machine's load, and the tables growing over the run, hit
both sides alike.

Audit off without a product switch: every audited write inserts its entries in its own
transaction (adapters/db/repositories/audit.py, and set-based statements in
adapters/db/repositories/dispatch.py), so the drill turns the *storing* off in the bench's
own database only — a `BEFORE INSERT … FOR EACH ROW` trigger on audit_log that returns NULL
(the row is dropped), enabled for "off" and disabled for "on" between runs (`ALTER TABLE …
ENABLE/DISABLE TRIGGER`). The server is the same process throughout and never knows. (A rule
`DO INSTEAD NOTHING` would do the same for plain inserts but is refused inside a
data-modifying WITH, which the batch receipt uses.) The rows written in each run are
counted: one or more per request with audit on, none with it off.

What "off" still does: the application builds each entry (the keyed hash and the AES-GCM
encryption of the personnummer, the JSON details) and sends the INSERT, and PostgreSQL
parses and executes it up to the trigger. That part is measured apart, in this process:
`AuditRepository.record` called N times on a connection of the product's engine with the
trigger enabled — this process's CPU and the PostgreSQL backend's CPU per entry — and added
to the measured difference.

Per run: req/s, the server's CPU per request (its process group, from /proc), the CPU per
request of the PostgreSQL backends serving the bench database (where a stored row costs:
heap insert, three indexes, WAL; from /proc, so other work on the machine does not count),
audit rows written per request. The estimate held against the target: (CPU per request on −
off) / on + what the trigger leaves in, per request — the share of a request's CPU that
audit takes, which is its share of throughput where the CPU is the limit. The req/s of the
on and off runs are reported next to it; on a machine shared with other work they move by
more than the effect measured.

Scenarios (bench/run.py's load generator, server and CPU meter; 2 uvicorn workers):
- `place_order`: bench/scenarios.py's, citizens ordering the home kit 2001;
- `sample_order`: a nurse at Provtagningen Karolinska Huddinge samples an order (POST
  /api/staff/sampling/orders/{id}/sample with If-Match; the labels answered as ZPL), each
  request a different order of offer 1004, inserted beforehand;
- `post_result`: the laboratory's system posts one result per request (POST
  /api/integration/v1/results), each a different line of a sampled order;
- `result_batch` (only when named): 1,000 results per request (POST …/results/batch,
  bench/results_intake.py's runner, 4 clients, a fixed number of batches) — one audit entry
  per batch, so its share is a fraction of a per cent by construction; and its PostgreSQL
  CPU per batch grew run after run here (by 3× over six runs, whatever the switch), so its
  on and off runs measure the growth more than the audit.

    python -m bench.drills.audit_cost [--duration 8] [--warmup 2] [--rounds 4]
                                      [--concurrency 16]
                                      [--scenarios place_order,sample_order,post_result]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psycopg

from bench import results_intake
from bench.drills.world import write_report
from bench.loadgen import RequestSpec
from bench.login import login_staff
from bench.run import (
    _CLOCK_TICKS,
    CpuMeter,
    ServerProcess,
    _delete_redis_keys,
    _login_all,
    database,
    free_port,
    log,
    machine_info,
    request_specs,
    run_load_process,
)
from bench.scenarios import by_name

TARGET_PCT = 15.0
NURSE = "nurse-sti"
HUDDINGE_STAFF_UNIT = "SE2321000016-A003"
ORDER_CITIZEN = "anna-stockholm"
OFF_TRIGGER = "bench_audit_off"


def _pg(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


# --- the switch (bench database only) ----------------------------------------------------


class Switch:
    """The drill's own connection to the bench database (autocommit, opened once: the
    machine's PostgreSQL is shared, and a connection asked for in the middle of the drill
    may find none left): the audit switch, the rows written, the backends' CPU."""

    def __init__(self, database_url: str) -> None:
        for attempt in range(30):
            try:
                self._connection = psycopg.connect(_pg(database_url), autocommit=True)
                break
            except psycopg.OperationalError:
                if attempt == 29:
                    raise
                time.sleep(1.0)
        self._own = self._value("SELECT pg_backend_pid()")

    def _value(self, statement: str) -> int:
        row = self._connection.execute(statement).fetchone()
        assert row is not None
        return int(row[0])

    def install(self) -> None:
        self._connection.execute(
            f"""
            CREATE FUNCTION {OFF_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER {OFF_TRIGGER} BEFORE INSERT ON audit_log
                FOR EACH ROW EXECUTE FUNCTION {OFF_TRIGGER}();
            ALTER TABLE audit_log DISABLE TRIGGER {OFF_TRIGGER};
            """
        )

    def audit(self, *, on: bool) -> None:
        self._connection.execute(
            f"ALTER TABLE audit_log {'DISABLE' if on else 'ENABLE'} TRIGGER {OFF_TRIGGER}"
        )

    def audit_rows(self) -> int:
        return self._value("SELECT count(*) FROM audit_log")

    def postgres_cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) of each PostgreSQL backend serving the bench database
        — the server's pooled connections — from /proc: where storing an audit row costs
        (the heap insert, three indexes, its WAL), apart from everything else running."""
        rows = self._connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
        seconds = {}
        for (pid,) in rows:
            with contextlib.suppress(OSError, ValueError):
                seconds[int(pid)] = _process_cpu(int(pid))
        return seconds

    def postgres_cpu_since(self, before: dict[int, float]) -> float:
        """Backends that appeared meanwhile count from zero (a pool's new connection)."""
        after = self.postgres_cpu()
        return sum(after[pid] - before.get(pid, 0.0) for pid in after)

    def close(self) -> None:
        self._connection.close()


# --- data --------------------------------------------------------------------------------


async def seed_sampling(database_url: str, orders: int) -> list[str]:
    """Orders of offer 1004 (site booking, lines PEP-HIV and PEP-SYF) still to be sampled,
    of a demo citizen of Region Stockholm, result recipient SE2321000016-A002 (a customer of
    the laboratory KUL): what a citizen's order is before the nurse samples it."""
    from adapters.demo_data import demo_id
    from adapters.person_register.local import load_test_persons
    from adapters.protection import DataProtector
    from adapters.settings import Settings
    from domain.codes import RID_BODY_LENGTH, new_code

    settings = Settings(environment="development", database_url=database_url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    person = {e.key: e.person for e in load_test_persons()}[ORDER_CITIZEN]
    citizen = person.personnummer.value
    digest = protector.lookup_hash(citizen)
    encrypted = protector.encrypt(citizen.encode(), context=digest)
    ids = [uuid.uuid4() for _ in range(orders)]
    rids: set[str] = set()
    while len(rids) < orders:
        rids.add(new_code(secrets.randbelow, RID_BODY_LENGTH))
    now = datetime.now(UTC) - timedelta(days=1)  # placed yesterday, sampled today
    connection = await asyncpg.connect(_pg(database_url))
    try:
        offer_id = await connection.fetchval(
            "SELECT id FROM offers WHERE catalog_id = '1004' AND is_current"
        )
        async with connection.transaction():
            await connection.executemany(
                """
                INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id,
                                    catalog_id, sampling_method, status, answers_encrypted,
                                    created_at, result_care_unit_id, version)
                VALUES ($1, $2, $3, $4, $5, '1004', 'site_booking', 'ordered', $6, $7, $8, 1)
                """,
                [
                    (
                        order_id,
                        rid,
                        digest,
                        encrypted,
                        offer_id,
                        protector.encrypt(b'{"symptoms": false}', context=order_id.bytes),
                        now,
                        demo_id("SE2321000016-A002"),
                    )
                    for order_id, rid in zip(ids, sorted(rids), strict=True)
                ],
            )
            await connection.execute(
                """
                INSERT INTO order_lines (id, order_id, line_no, product_code)
                SELECT gen_random_uuid(), t.id, p.n, p.code
                  FROM unnest($1::uuid[]) AS t(id),
                       (VALUES (1, 'PEP-HIV'), (2, 'PEP-SYF')) AS p(n, code)
                """,
                ids,
            )
        await connection.execute("ANALYZE orders")
        await connection.execute("ANALYZE order_lines")
    finally:
        await connection.close()
    return [str(i) for i in ids]


# --- the application's side of an entry (not removed by the trigger) ---------------------


async def entry_cost(database_url: str, entries: int) -> dict[str, Any]:
    """`AuditRepository.record` of a citizen's order_placed entry, `entries` times in one
    transaction (rolled back) on the product's engine, the trigger enabled (nothing stored):
    this process's CPU per entry and the wall time per entry."""
    from sqlalchemy import text

    from adapters.db.engine import create_engine
    from adapters.db.repositories.audit import AuditRepository
    from adapters.person_register.local import load_test_persons
    from adapters.protection import DataProtector
    from adapters.settings import Settings
    from domain.actors import CitizenActor
    from domain.audit import audit_event

    settings = Settings(environment="development", database_url=database_url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    person = {e.key: e.person for e in load_test_persons()}[ORDER_CITIZEN]
    actor = CitizenActor(personnummer=person.personnummer)
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            repository = AuditRepository(connection, protector)
            trans = await connection.begin()
            backend = int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            for _ in range(200):  # warm: statement cache, connection
                await repository.record(
                    audit_event(actor, "order_placed", now=datetime.now(UTC), details={})
                )
            cpu, wall = time.process_time(), time.perf_counter()
            postgres = _process_cpu(backend)
            for _ in range(entries):
                await repository.record(
                    audit_event(
                        actor,
                        "order_placed",
                        now=datetime.now(UTC),
                        details={"order_id": str(uuid.uuid4())},
                    )
                )
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            postgres = _process_cpu(backend) - postgres
            await trans.rollback()
            # Of the application's part: building the row alone (hashes, encryption, JSON).
            built = time.process_time()
            for _ in range(entries):
                repository._row(  # noqa: SLF001 (the part to tell apart)
                    audit_event(
                        actor,
                        "order_placed",
                        now=datetime.now(UTC),
                        details={"order_id": str(uuid.uuid4())},
                    )
                )
            built = time.process_time() - built
    finally:
        await engine.dispose()
    return {
        "entries": entries,
        "client_cpu_ms_per_entry": round(1000 * cpu / entries, 4),
        "postgres_cpu_ms_per_entry": round(1000 * postgres / entries, 4),
        "of_which_building_the_row_ms": round(1000 * built / entries, 4),
        "cpu_ms_per_entry": round(1000 * (cpu + postgres) / entries, 4),
        "wall_ms_per_entry": round(1000 * wall / entries, 4),
        "note": "AuditRepository.record with the row dropped by the trigger: the entry built "
        "(keyed hash, AES-GCM, JSON), bound and sent (this process's CPU), PostgreSQL parsing "
        "and executing it up to the trigger (its backend's CPU)",
    }


def _process_cpu(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


# --- the runs ----------------------------------------------------------------------------


def _summary(runs: list[dict[str, Any]], residual_ms: float) -> dict[str, Any]:
    """Means of the on and of the off runs, the cost of each adjacent pair (on, off), and
    the estimate: (CPU per request with audit on - off, server and PostgreSQL backends) over
    on, plus what the trigger leaves in (`residual_ms` per audit entry) — the share of a
    request's CPU that audit takes, which is its share of throughput where the CPU is the
    limit (a saturated 2-core machine)."""
    on = [r for r in runs if r["audit"] == "on"]
    off = [r for r in runs if r["audit"] == "off"]

    def mean(rows: list[dict[str, Any]], key: str) -> float | None:
        values = [r[key] for r in rows if r.get(key) is not None]
        return round(statistics.fmean(values), 3) if values else None

    for row in runs:
        if row.get("server_cpu_ms_per_request") is not None:
            row["cpu_ms_per_request"] = round(
                row["server_cpu_ms_per_request"] + (row.get("postgres_cpu_ms_per_request") or 0),
                3,
            )
    summary: dict[str, Any] = {
        "runs": len(runs),
        "rps_on": mean(on, "rps"),
        "rps_off": mean(off, "rps"),
        "server_cpu_ms_on": mean(on, "server_cpu_ms_per_request"),
        "server_cpu_ms_off": mean(off, "server_cpu_ms_per_request"),
        "postgres_cpu_ms_on": mean(on, "postgres_cpu_ms_per_request"),
        "postgres_cpu_ms_off": mean(off, "postgres_cpu_ms_per_request"),
        "cpu_ms_on": mean(on, "cpu_ms_per_request"),
        "cpu_ms_off": mean(off, "cpu_ms_per_request"),
        "audit_rows_per_request_on": mean(on, "audit_rows_per_request"),
        "audit_rows_per_request_off": mean(off, "audit_rows_per_request"),
    }
    if summary["rps_on"] and summary["rps_off"]:
        summary["throughput_cost_pct"] = round(
            100 * (summary["rps_off"] - summary["rps_on"]) / summary["rps_off"], 1
        )
    by_pair: dict[int, dict[str, float]] = {}
    for row in runs:
        by_pair.setdefault(row["pair"], {})[row["audit"]] = row["rps"]
    pairs = [
        round(100 * (pair["off"] - pair["on"]) / pair["off"], 1)
        for _, pair in sorted(by_pair.items())
        if pair.get("on") is not None and pair.get("off")
    ]
    summary["pair_throughput_costs_pct"] = pairs
    if pairs:
        summary["median_pair_throughput_cost_pct"] = statistics.median(pairs)
    cpu_on, cpu_off = summary["cpu_ms_on"], summary["cpu_ms_off"]
    if cpu_on and cpu_off is not None:
        stored = 100 * (cpu_on - cpu_off) / cpu_on
        rows = summary["audit_rows_per_request_on"] or 0.0
        left_in = 100 * rows * residual_ms / cpu_on
        summary["stored_cpu_cost_pct"] = round(stored, 1)
        summary["left_in_by_trigger_pct"] = round(left_in, 1)
        summary["audit_cost_pct_estimate"] = round(stored + left_in, 1)
    return summary


def load_run(
    server: ServerProcess,
    switch: Switch,
    specs: Sequence[RequestSpec],
    *,
    audit: str,
    args: argparse.Namespace,
) -> dict[str, Any]:
    switch.audit(on=audit == "on")
    before = switch.audit_rows()
    postgres = switch.postgres_cpu()
    meter = CpuMeter(server)
    result = run_load_process(
        server,
        specs,
        concurrency=args.concurrency,
        duration=args.duration,
        warmup=args.warmup,
    )
    cpu = meter.report(result)
    postgres_seconds = switch.postgres_cpu_since(postgres)
    written = switch.audit_rows() - before
    done = result["requests"] + result["warmup_requests"] + result["late_requests"]
    return {
        "audit": audit,
        "requests": result["requests"],
        "errors": result["errors"],
        "status_counts": result.get("status_counts", {}),
        "rps": result["throughput_rps"],
        "p50_ms": result["latency_ms"]["p50"],
        "p99_ms": result["latency_ms"]["p99"],
        "server_cpu_ms_per_request": cpu.get("server_ms_per_request"),
        "postgres_cpu_ms_per_request": round(1000 * postgres_seconds / done, 3) if done else None,
        "machine_cpu_ms_per_request": cpu.get("machine_ms_per_request"),
        "machine_busy_pct": cpu.get("machine_busy_pct"),
        "audit_rows_written": written,
        "audit_rows_per_request": round(written / done, 3) if done else None,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def batch_run(
    server: ServerProcess,
    switch: Switch,
    database_url: str,
    bearer: str,
    rids: Sequence[str],
    *,
    audit: str,
    sampled: str,
) -> dict[str, Any]:
    switch.audit(on=audit == "on")
    before = switch.audit_rows()
    postgres = switch.postgres_cpu()
    report = asyncio.run(
        results_intake.run_batches(
            servers=[server],
            database_url=database_url,
            bearer=bearer,
            rids=rids,
            clients=4,
            sampled=sampled,
        )
    )
    postgres_seconds = switch.postgres_cpu_since(postgres)
    written = switch.audit_rows() - before
    batches = len(rids) // (results_intake.BATCH // 2)  # the warm-up batches included
    return {
        "audit": audit,
        "requests": report["batches"],
        "results": report["results"],
        "rps": round(report["results_per_s"] / results_intake.BATCH, 2),
        "results_per_s": report["results_per_s"],
        "batch_p50_ms": report["batch_p50_ms"],
        "server_cpu_ms_per_request": round(
            report["server_cpu_ms_per_result"] * results_intake.BATCH, 2
        )
        if report.get("server_cpu_ms_per_result") is not None
        else None,
        "machine_cpu_ms_per_request": round(
            report["machine_cpu_ms_per_result"] * results_intake.BATCH, 2
        )
        if report.get("machine_cpu_ms_per_result") is not None
        else None,
        "postgres_cpu_ms_per_request": round(1000 * postgres_seconds / batches, 2),
        "machine_busy_pct": report.get("machine_busy_pct"),
        "audit_rows_written": written,
        "audit_rows_per_request": round(written / batches, 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _staff_spec(cookie: str, csrf: str, orders: Sequence[str], cookie_name: str) -> RequestSpec:
    return RequestSpec(
        "POST",
        "/api/staff/sampling/orders/{order}/sample",
        {
            "Content-Type": "application/json",
            "Cookie": f"{cookie_name}={cookie}",
            "X-CSRF-Token": csrf,
            "If-Match": '"1"',
        },
        # A moment ago: a sampling time is required and never in the future.
        json.dumps(
            {
                "laboratory_code": "KUL",
                "sampled_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
            }
        ),
        {"order": list(orders)},
    )


def _result_spec(bearer: str, bodies: Sequence[str]) -> RequestSpec:
    return RequestSpec(
        "POST",
        "/api/integration/v1/results",
        {"Content-Type": "application/json", "Authorization": f"Bearer {bearer}"},
        "{result}",
        {"result": list(bodies)},
    )


def _print(summaries: dict[str, dict[str, Any]], residual: dict[str, Any]) -> None:
    def f(value: Any, spec: str) -> str:
        return format(value, spec) if isinstance(value, int | float) else format("-", ">" + spec)

    header = (
        f"{'scenario':<14}{'req/s on':>10}{'off':>8}{'thr %':>7}{'pairs %':>16}"
        f"{'cpu ms on':>11}{'off':>8}{'stored %':>10}{'left in %':>11}{'audit %':>9}"
        f"{'rows/req':>10}"
    )
    print()
    print(header)
    print("-" * len(header))
    for name, s in summaries.items():
        pairs = "/".join(str(round(p)) for p in s.get("pair_throughput_costs_pct", []))
        print(
            f"{name:<14}{f(s['rps_on'], '>10.1f')}{f(s['rps_off'], '>8.1f')}"
            f"{f(s.get('throughput_cost_pct'), '>7.1f')}{pairs:>16}"
            f"{f(s['cpu_ms_on'], '>11.3f')}{f(s['cpu_ms_off'], '>8.3f')}"
            f"{f(s.get('stored_cpu_cost_pct'), '>10.1f')}"
            f"{f(s.get('left_in_by_trigger_pct'), '>11.1f')}"
            f"{f(s.get('audit_cost_pct_estimate'), '>9.1f')}"
            f"{f(s['audit_rows_per_request_on'], '>10.2f')}"
        )
    print(
        "thr % = (req/s off - on) / off over the means (pairs %: each on/off pair); cpu ms = "
        "CPU per request of the server and of its PostgreSQL backends; stored % = (cpu on - "
        "off) / on; left in % = what the trigger does not remove (below) per request; audit % "
        "= stored + left in: the estimate held against the target. result_batch: a request "
        "is a batch of 1,000 results."
    )
    print(
        f"left in by the trigger, per entry: {residual['client_cpu_ms_per_entry']} ms of "
        f"application CPU (building the row: {residual['of_which_building_the_row_ms']} ms) + "
        f"{residual['postgres_cpu_ms_per_entry']} ms of PostgreSQL CPU "
        f"({residual['wall_ms_per_entry']} ms wall; in-process, {residual['entries']} entries)"
    )
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=4, help="on/off pairs per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batches", type=int, default=12, help="result batches per run")
    parser.add_argument("--output", type=Path, help="write the report only here")
    parser.add_argument(
        "--scenarios",
        default="place_order,sample_order,post_result",
        help="also: result_batch (one audit entry per 1,000 results)",
    )
    args = parser.parse_args(argv)
    wanted = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    os.chdir(Path(__file__).resolve().parents[2])
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"pep-bench-{uuid.uuid4().hex[:10]}"
    load_before = [round(x, 2) for x in os.getloadavg()]
    started = datetime.now(UTC)
    # One unrecorded warm-up run per scenario first (the first run of a path pays for
    # first-time work: statement caches, connections), then the pairs.
    runs_per_scenario = 2 * args.rounds + 1
    # Distinct orders for each run, for more than twice the rate seen here (sampling
    # ≈ 60-100/s, one result per request ≈ 100-200/s): a request that met an order sampled
    # or a result stored before would be a cheaper refusal (and counted as an error).
    sampling_per_run = int(250 * (args.duration + args.warmup + 2))
    results_per_run = int(400 * (args.duration + args.warmup + 2))
    batch_orders_per_run = (args.batches + 4) * (results_intake.BATCH // 2)
    sampled_day = (date.today() - timedelta(days=1)).isoformat()
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-audit-")))
        stack.callback(lambda: asyncio.run(_delete_redis_keys(redis_url, prefix)))
        database_url = stack.enter_context(database())
        switch = Switch(database_url)
        stack.callback(switch.close)
        switch.install()
        clock = time.perf_counter()
        sampling = (
            asyncio.run(seed_sampling(database_url, sampling_per_run * runs_per_scenario + 1))
            if "sample_order" in wanted
            else [""]
        )
        probe_order = sampling.pop()
        lab_orders = 0
        if "post_result" in wanted:
            lab_orders += results_per_run // 2 * runs_per_scenario
        if "result_batch" in wanted:
            lab_orders += batch_orders_per_run * runs_per_scenario
        rids, client_id = asyncio.run(results_intake.seed(database_url, lab_orders + 1))
        probe_rid = rids.pop()
        log(
            f"seeded {len(sampling)} orders to sample and {len(rids)} sampled orders of KUL in"
            f" {time.perf_counter() - clock:.0f}s"
        )
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PEP_REDIS_PREFIX": prefix,
            "PEP_COOKIE_SECURE": "false",
            "PEP_IDP_KEY_FILE": str(tmp / "idp-signing-key.json"),
            "PEP_ENVIRONMENT": "development",
            "PEP_PUBLIC_BASE_URL": base_url,
            "PYTHONUNBUFFERED": "1",
        }
        server = ServerProcess(
            "app", "api.main:app", port=port, workers=args.workers, env=env, log_dir=tmp
        )
        stack.callback(server.stop)
        server.wait_healthy("/api/health")

        from adapters.settings import Settings

        cookie_name = Settings().session_cookie_name
        bearer = results_intake.token(client_id, base_url)
        specs: dict[str, list[list[RequestSpec]]] = {}
        if "place_order" in wanted:
            scenario = by_name("place_order")[0]
            citizens = asyncio.run(
                _login_all(
                    base_url, ["lars-malmo", "johan-goteborg", "ingrid-uppsala"], cookie_name
                )
            )
            specs["place_order"] = [
                request_specs(scenario, citizens, cookie_name) for _ in range(runs_per_scenario)
            ]
        if "sample_order" in wanted:
            nurse = asyncio.run(
                login_staff(
                    base_url, NURSE, care_unit_hsa_id=HUDDINGE_STAFF_UNIT, cookie_name=cookie_name
                )
            )
            specs["sample_order"] = [
                [
                    _staff_spec(
                        nurse.cookie,
                        nurse.csrf_token,
                        sampling[i * sampling_per_run : (i + 1) * sampling_per_run],
                        cookie_name,
                    )
                ]
                for i in range(runs_per_scenario)
            ]
        batch_rids: list[list[str]] = []
        if "post_result" in wanted:
            single = rids[: results_per_run // 2 * runs_per_scenario]
            rids = rids[len(single) :]
            per_run = results_per_run // 2
            specs["post_result"] = [
                [
                    _result_spec(
                        bearer,
                        [
                            json.dumps(r)
                            for rid in single[i * per_run : (i + 1) * per_run]
                            for r in results_intake.results_of(rid, sampled_day)
                        ],
                    )
                ]
                for i in range(runs_per_scenario)
            ]
        if "result_batch" in wanted:
            batch_rids = [
                rids[i * batch_orders_per_run : (i + 1) * batch_orders_per_run]
                for i in range(runs_per_scenario)
            ]

        # One request of each kind before any measuring, on an order of its own: a refusal
        # stops the drill (a benchmark of errors measures nothing).
        probes: list[tuple[str, httpx.Response]] = []
        with httpx.Client(base_url=base_url, timeout=30) as http:
            if "sample_order" in wanted:
                spec = specs["sample_order"][0][0]
                probes.append(
                    (
                        "sample_order",
                        http.post(
                            f"/api/staff/sampling/orders/{probe_order}/sample",
                            headers=dict(spec.headers),
                            content=spec.body,
                        ),
                    )
                )
            if "post_result" in wanted or "result_batch" in wanted:
                probes.append(
                    (
                        "post_result",
                        http.post(
                            "/api/integration/v1/results",
                            json=results_intake.results_of(probe_rid, sampled_day)[0],
                            headers={"Authorization": f"Bearer {bearer}"},
                        ),
                    )
                )
        for name, answer in probes:
            if not answer.is_success:
                raise RuntimeError(f"probe {name}: {answer.status_code} {answer.text[:300]}")
        for name in wanted:
            for index in range(runs_per_scenario):
                # Warm-up (on), then pairs in the order on off | off on | off on | on off …
                # (a pair's order is the Thue-Morse bit of its number): a drift of the
                # machine's load or of the tables' size over the run (orders pile up) hits
                # both sides alike.
                pair, second = divmod(index - 1, 2)
                flipped = bin(max(pair, 0)).count("1") % 2 == 1
                audit = "on" if index == 0 or (second == 0) != flipped else "off"
                if name == "result_batch":
                    run = batch_run(
                        server,
                        switch,
                        database_url,
                        bearer,
                        batch_rids[index],
                        audit=audit,
                        sampled=sampled_day,
                    )
                else:
                    run = load_run(server, switch, specs[name][index], audit=audit, args=args)
                run["pair"] = None if index == 0 else pair
                if index:
                    runs[name].append(run)
                log(
                    f"{name}{' (warm-up)' if index == 0 else ''} audit {audit}: {run['rps']}"
                    f" req/s, server"
                    f" {run['server_cpu_ms_per_request']} ms/req,"
                    f" {run['audit_rows_per_request']} audit rows/req,"
                    f" statuses {run.get('status_counts', '-')}"
                )
                time.sleep(1.0)
        switch.audit(on=True)
        residual = asyncio.run(entry_cost(database_url, 3000))
        info = machine_info(database_url, redis_url)
    summaries = {name: _summary(rows, residual["cpu_ms_per_entry"]) for name, rows in runs.items()}
    problems = {
        name: [r["status_counts"] for r in rows if r.get("errors")]
        for name, rows in runs.items()
        if any(r.get("errors") for r in rows)
    }
    document = {
        "drill": "audit_cost",
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "method": "audit off = a BEFORE INSERT trigger returning NULL on audit_log in the bench "
        "database, toggled between runs on the same server (on, off, on, off)",
        "settings": vars(args),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "machine": info,
        "target_pct": TARGET_PCT,
        "summary": summaries,
        "not_removed_by_the_trigger": residual,
        "runs": runs,
        "errors": problems,
    }
    path = write_report("audit_cost", json.loads(json.dumps(document, default=str)), args.output)
    _print(summaries, residual)
    print(f"load average before {load_before}, after {document['load_average_after']}")
    log(f"written to {path}")
    over = [n for n, s in summaries.items() if s.get("audit_cost_pct_estimate", 0) > TARGET_PCT]
    if problems:
        log(f"errors in runs: {problems}")
    if over:
        log(f"audit costs more than {TARGET_PCT} % of throughput in: {', '.join(over)}")
    return 1 if problems or over else 0


if __name__ == "__main__":
    raise SystemExit(main())
