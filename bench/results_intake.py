"""`python -m bench.results_intake`: result intake from a laboratory system (issue 9: the batch
endpoint ≥ 10,000 results/s with set-based SQL, ≥ 20× a one-insert-per-result baseline in
the same run).

A runner of its own (like bench/batch_receipt.py), reusing bench/run.py's pieces:

1. a fresh database (or DATABASE_URL), migrated, demo data loaded;
2. sampled orders of the demo laboratory KUL (two lines: PEP-CT and PEP-NG, result unit
   SE2321000016-A002), inserted directly; an integration client of KUL with
   `results:write`, its bearer token minted with the server's key;
3. the real server (`uvicorn api.main:app`) on both cores: `--instances 2` (the default)
   servers of one worker each, client n posting to server n mod 2 — as the deployment runs
   one uvicorn process per pod behind a balancer (deploy/k8s). `--instances 1` is one server
   with 2 workers sharing its socket: which worker accepts a connection is a race that one
   worker usually wins for all four clients, which then measures one worker (≈ 85 % busy);
4. **app**: `POST /api/integration/v1/results/batch` with 1,000 results each (both lines of
   500 orders), from `--clients` concurrent clients (4: two clients, each waiting for its
   answer before sending the next batch, left a core idle for a third of the time — the
   two uvicorn workers alternate between Python and waiting for PostgreSQL), until every
   batch is in; results/s over the wall time, and CPU per result of the server, of the
   PostgreSQL processes serving the bench's database (the machine's busy time also counts
   whatever else runs on it) and of the machine, and each server process's CPU (how
   evenly the load fell);
5. **baseline** (same run, same servers): one result per request and per insert —
   `POST /api/integration/v1/results`, one transaction each, from 32 concurrent clients,
   for the other orders;
6. both checked in the database (every result stored once, every order Besvarad, two outbox
   events per order plus one per result); figures printed and written to
   bench/results/results_intake-<UTC timestamp>.json and …-latest.json.

    python -m bench.results_intake [--batches 20] [--clients 4] [--baseline-results 4000]
                                   [--instances 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx

from bench.run import (
    RESULTS,
    ServerProcess,
    database,
    free_port,
    group_cpu_seconds,
    log,
    machine_busy_seconds,
    machine_info,
)
from bench.run import process_cpu_seconds as all_process_cpu_seconds
from domain.results import today_in_stockholm

BATCH = 1000
TARGET_PER_SECOND = 10_000
TARGET_RATIO = 20.0


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def seed(database_url: str, orders: int) -> tuple[list[str], str]:
    """`orders` sampled orders of KUL; returns their RIDs and a client id of KUL."""
    from adapters.demo_data import demo_id
    from adapters.protection import DataProtector
    from adapters.settings import Settings
    from domain.codes import RID_BODY_LENGTH, new_code

    settings = Settings(environment="development", database_url=database_url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    citizen = "199001012384"
    digest = protector.lookup_hash(citizen)
    encrypted = protector.encrypt(citizen.encode(), context=digest)
    ids = [uuid.uuid4() for _ in range(orders)]
    rids = list({new_code(secrets.randbelow, RID_BODY_LENGTH) for _ in range(orders + 100)})
    rids = rids[:orders]
    now = datetime.now(UTC)
    client_id = f"bench-kul-{uuid.uuid4().hex[:6]}"
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    try:
        offer_id = await connection.fetchval(
            "SELECT id FROM offers WHERE catalog_id = '1001' AND is_current"
        )
        async with connection.transaction():
            await connection.executemany(
                """
                INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id,
                                    catalog_id, sampling_method, status, answers_encrypted,
                                    created_at, handled_at, sampled_at, laboratory_id,
                                    result_care_unit_id, version)
                VALUES ($1, $2, $3, $4, $5, '1001', 'home_kit', 'sampled', $6, $7, $7, $7,
                        $8, $9, 3)
                """,
                [
                    (
                        order_id,
                        rids[n],
                        digest,
                        encrypted,
                        offer_id,
                        protector.encrypt(b"{}", context=order_id.bytes),
                        now - timedelta(days=1),
                        demo_id("KUL"),
                        demo_id("SE2321000016-A002"),
                    )
                    for n, order_id in enumerate(ids)
                ],
            )
            await connection.execute(
                """
                INSERT INTO order_lines (id, order_id, line_no, product_code)
                SELECT gen_random_uuid(), t.id, p.n, p.code
                  FROM unnest($1::uuid[]) AS t(id),
                       (VALUES (1, 'PEP-CT'), (2, 'PEP-NG')) AS p(n, code)
                """,
                ids,
            )
            await connection.execute(
                """
                INSERT INTO integration_clients (id, client_id, name, region_code, secret_hash,
                       scopes, laboratory_ids, created_at, created_by_hsa_id, secret_rotated_at)
                VALUES (gen_random_uuid(), $1, 'Bench KUL', '01', $2, '{results:write}',
                        ARRAY[$3::uuid], now(), 'bench', now())
                """,
                client_id,
                b"\0" * 32,
                demo_id("KUL"),
            )
        await connection.execute("ANALYZE orders")
        await connection.execute("ANALYZE order_lines")
    finally:
        await connection.close()
    return rids, client_id


def token(client_id: str, base_url: str) -> str:
    from adapters.integration_tokens import IntegrationTokens
    from adapters.settings import Settings

    tokens = IntegrationTokens(
        secret_key=Settings().secret_key, issuer=f"{base_url}/oauth", ttl=timedelta(hours=1)
    )
    return tokens.issue(
        client_id=client_id, scopes=frozenset({"results:write"}), now=datetime.now(UTC)
    ).access_token


def results_of(rid: str, sampled: str) -> list[dict[str, Any]]:
    return [
        {
            "rid": rid,
            "analysis_code": code,
            "value": "Ej påvisad",
            "reference_range": "Ej påvisad",
            "sampling_date": sampled,
            "lab_result_id": f"{rid}-{code}",
            "lab_version": 1,
            "insight": "negative",
        }
        for code in ("CTNA", "NGNA")
    ]


def process_cpu_seconds(
    *, database_url: str | None = None, group: int | None = None
) -> dict[int, float] | None:
    """CPU so far of each process serving the bench's database, or of a server's process
    group (`bench.run.process_cpu_seconds`); None where there is none or /proc cannot be
    read."""
    name = urlsplit(database_url).path.lstrip("/") if database_url else None
    return all_process_cpu_seconds(database=name, group=group) or None


def _used(now: dict[int, float] | None, before: dict[int, float] | None) -> list[float] | None:
    """CPU used since `before`, per process still there (one started since counts from 0)."""
    if now is None or before is None:
        return None
    return [cpu - before.get(pid, 0.0) for pid, cpu in now.items()]


class Meter:
    def __init__(self, servers: Sequence[ServerProcess], database_url: str) -> None:
        self.groups = [server.process.pid for server in servers]
        self.server = self._server_cpu()
        self.database_url = database_url
        self.database = process_cpu_seconds(database_url=database_url)
        self.workers = self._worker_cpu()
        self.machine = machine_busy_seconds()
        self.started = time.perf_counter()

    def _server_cpu(self) -> float | None:
        each = [group_cpu_seconds(group) for group in self.groups]
        return None if None in each else sum(s for s in each if s is not None)

    def _worker_cpu(self) -> dict[int, float] | None:
        each = [process_cpu_seconds(group=group) for group in self.groups]
        return None if None in each else {p: s for e in each if e for p, s in e.items()}

    def report(self, results: int) -> dict[str, Any]:
        wall = time.perf_counter() - self.started
        report: dict[str, Any] = {
            "results": results,
            "wall_s": round(wall, 3),
            "results_per_s": round(results / wall, 1),
        }
        server = self._server_cpu()
        if server is not None and self.server is not None:
            report["server_cores"] = round((server - self.server) / wall, 2)
            report["server_cpu_ms_per_result"] = round(1000 * (server - self.server) / results, 4)
        database = _used(process_cpu_seconds(database_url=self.database_url), self.database)
        if database is not None:
            # PostgreSQL's share alone: the machine's busy time counts everything running.
            report["database_cpu_ms_per_result"] = round(1000 * sum(database) / results, 4)
        workers = _used(self._worker_cpu(), self.workers)
        if workers is not None:
            # How evenly the load fell on the processes (a supervisor's share is ~0).
            report["server_cpu_s_per_process"] = sorted(round(w, 2) for w in workers)
        machine = machine_busy_seconds()
        if machine is not None and self.machine is not None:
            busy, total = machine[0] - self.machine[0], machine[1] - self.machine[1]
            report["machine_busy_pct"] = round(100 * busy / total, 1) if total else None
            report["machine_cpu_ms_per_result"] = round(1000 * busy / results, 4)
        return report


async def run_batches(
    servers: Sequence[ServerProcess],
    database_url: str,
    bearer: str,
    rids: Sequence[str],
    clients: int,
    sampled: str,
) -> dict[str, Any]:
    per_batch = BATCH // 2
    bodies = [
        json.dumps(
            {"results": [r for rid in rids[i : i + per_batch] for r in results_of(rid, sampled)]}
        ).encode()
        for i in range(0, len(rids), per_batch)
    ]
    headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies[clients:]:
        queue.put_nowait(body)
    latencies: list[float] = []
    created = 0
    # Client n posts to server n mod the servers (a balancer's round robin).
    urls = [
        f"{servers[n % len(servers)].base_url}/api/integration/v1/results/batch"
        for n in range(clients)
    ]
    async with httpx.AsyncClient(timeout=120.0) as http:
        # One batch per client before the clock starts, at once, so that every server (and
        # worker) has its connections and first statements.
        for warm in await asyncio.gather(
            *(
                http.post(url, content=body, headers=headers)
                for url, body in zip(urls, bodies[:clients], strict=True)
            )
        ):
            if warm.status_code != 200:
                raise RuntimeError(f"batch answered {warm.status_code}: {warm.text[:500]}")
        meter = Meter(servers, database_url)

        async def client(url: str) -> None:
            nonlocal created
            while not queue.empty():
                body = queue.get_nowait()
                started = time.perf_counter()
                answer = await http.post(url, content=body, headers=headers)
                latencies.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    raise RuntimeError(f"batch answered {answer.status_code}: {answer.text[:300]}")
                created += answer.json()["created"]

        await asyncio.gather(*(client(url) for url in urls))
        report = meter.report(created)
    latencies.sort()
    report.update(
        {
            "batches": len(bodies) - clients,
            "batch_size": BATCH,
            "clients": clients,
            "batch_p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
            "batch_max_ms": round(1000 * latencies[-1], 1),
        }
    )
    return report


async def run_single(
    servers: Sequence[ServerProcess],
    database_url: str,
    bearer: str,
    rids: Sequence[str],
    clients: int,
    sampled: str,
) -> dict[str, Any]:
    items = [json.dumps(r).encode() for rid in rids for r in results_of(rid, sampled)]
    headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in items:
        queue.put_nowait(body)
    created = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    urls = [
        f"{servers[n % len(servers)].base_url}/api/integration/v1/results" for n in range(clients)
    ]
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as http:
        meter = Meter(servers, database_url)

        async def client(url: str) -> None:
            nonlocal created
            while not queue.empty():
                body = queue.get_nowait()
                answer = await http.post(url, content=body, headers=headers)
                if answer.status_code != 201:
                    raise RuntimeError(f"result answered {answer.status_code}: {answer.text[:300]}")
                created += 1

        await asyncio.gather(*(client(url) for url in urls))
        report = meter.report(created)
    report["clients"] = clients
    return report


async def verify(database_url: str, rids: Sequence[str]) -> dict[str, int]:
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    try:
        row = await connection.fetchrow(
            """
            SELECT count(*) FILTER (WHERE o.status = 'answered') AS answered,
                   (SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id
                     JOIN orders x ON x.id = l.order_id WHERE x.rid = ANY($1::text[])) AS results,
                   (SELECT count(*) FROM outbox_events e
                     WHERE e.payload->>'order_id' IN (
                           SELECT id::text FROM orders WHERE rid = ANY($1::text[]))) AS events
              FROM orders o WHERE o.rid = ANY($1::text[])
            """,
            list(rids),
        )
    finally:
        await connection.close()
    return {
        "answered": int(row["answered"]),
        "results": int(row["results"]),
        "events": int(row["events"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=20, help="measured batches of 1,000")
    parser.add_argument("--clients", type=int, default=4, help="concurrent batch clients")
    parser.add_argument("--baseline-results", type=int, default=4000)
    parser.add_argument("--baseline-clients", type=int, default=32)
    parser.add_argument(
        "--instances",
        type=int,
        default=2,
        help="servers of one worker each, the clients spread over them in turn, as the "
        "deployment's balancer spreads connections over its pods; 1: one server with two "
        "workers sharing its socket (which worker accepts a connection is a race, and often "
        "one takes them all)",
    )
    args = parser.parse_args(argv)
    os.chdir(Path(__file__).resolve().parent.parent)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"pep-bench-{uuid.uuid4().hex[:10]}"
    from bench.run import _delete_redis_keys

    batch_orders = (args.batches + args.clients) * (BATCH // 2)
    single_orders = args.baseline_results // 2
    # The orders are placed a day ago (`seed`): sampled on Sweden's date of that day — the
    # machine's date is the day before between 23:00 and 01:00 UTC, and refused.
    sampled = (today_in_stockholm(datetime.now(UTC)) - timedelta(days=1)).isoformat()
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-bench-")))
        stack.callback(lambda: asyncio.run(_delete_redis_keys(redis_url, prefix)))
        database_url = stack.enter_context(database())
        started = time.perf_counter()
        rids, client_id = asyncio.run(seed(database_url, batch_orders + single_orders))
        log(f"seeded {len(rids)} sampled orders in {time.perf_counter() - started:.1f}s")
        batch_rids, single_rids = rids[:batch_orders], rids[batch_orders:]
        ports = [free_port() for _ in range(max(args.instances, 1))]
        # One public address for all of them, as behind a balancer (the token's issuer).
        base_url = f"http://127.0.0.1:{ports[0]}"
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
        workers = 2 if args.instances == 1 else 1
        servers = [
            ServerProcess(f"app{n}", "api.main:app", port=p, workers=workers, env=env, log_dir=tmp)
            for n, p in enumerate(ports)
        ]
        for server in servers:
            stack.callback(server.stop)
        for server in servers:
            server.wait_healthy("/api/health")
        bearer = token(client_id, base_url)
        try:
            batch = asyncio.run(
                run_batches(servers, database_url, bearer, batch_rids, args.clients, sampled)
            )
            single = asyncio.run(
                run_single(
                    servers, database_url, bearer, single_rids, args.baseline_clients, sampled
                )
            )
        except RuntimeError as error:
            tails = "\n".join(server.log_tail() for server in servers)
            raise RuntimeError(f"{error}\n{tails}") from error
        batch["check"] = asyncio.run(verify(database_url, batch_rids))
        single["check"] = asyncio.run(verify(database_url, single_rids))
        ratio = batch["results_per_s"] / single["results_per_s"]
        document = {
            "scenario": "results_intake",
            "app_batch": batch,
            "baseline_one_per_request": single,
            "ratio_to_baseline": round(ratio, 1),
            "servers": {"instances": len(servers), "workers_each": workers},
            "targets": {"results_per_s": TARGET_PER_SECOND, "ratio": TARGET_RATIO},
            "met": batch["results_per_s"] >= TARGET_PER_SECOND and ratio >= TARGET_RATIO,
            "machine": machine_info(database_url, redis_url),
            "started_at": datetime.now(UTC).isoformat(),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(document, indent=2) + "\n"
    (RESULTS / f"results_intake-{stamp}.json").write_text(text)
    (RESULTS / "results_intake-latest.json").write_text(text)
    print()
    print("result intake (KUL, two results per order)")
    print(f"  batch endpoint:  {batch['results_per_s']:>9.1f} results/s  {batch}")
    print(f"  one per request: {single['results_per_s']:>9.1f} results/s  {single}")
    print(f"  ratio: {ratio:.1f}x  -> {'met' if document['met'] else 'MISSED'}")
    return 0 if document["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
