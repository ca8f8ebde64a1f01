"""`python -m bench.polling`: leased order polling of the integration API (issue 9).

Not a load scenario of bench/scenarios.py (the unit is orders handed out and acknowledged,
not requests), so it has a runner of its own reusing bench/run.py's pieces:

1. a fresh database (or DATABASE_URL), migrated, demo data loaded;
2. four integration clients of laboratory KUL (secrets known to the runner), then N
   Provtagna orders at KUL inserted directly — the trigger of migration 0009 queues each
   for every client, so each client has its own queue of N;
3. the real server (`uvicorn api.main:app`, 2 workers);
4. **throughput, app**: 4 concurrent pollers (one process, asyncio) each looping
   `POST /orders/claim` (limit 500) → `POST /orders/ack` over HTTP with a bearer token,
   until client 1's queue is empty: orders handed out and acknowledged per second;
   **baseline**: 4 concurrent pollers over raw asyncpg on client 2's queue, one order per
   transaction (claim one with FOR UPDATE SKIP LOCKED, acknowledge it, commit), for a fixed
   window: what claiming one order per transaction gives;
5. **p99 with a long transaction**: 4 pollers paced to a steady rate (limit 100 per
   claim), claim latency measured for `--p99-seconds` on client 3's queue without, then on
   client 4's queue with a REPEATABLE READ transaction holding an xid open elsewhere for the
   whole window (the issue's ten minutes, run shorter);
6. figures printed and written to bench/results/polling-<UTC>.json and polling-latest.json.

    python -m bench.polling [--orders 100000] [--baseline-seconds 15] [--p99-seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.run import (
    RESULTS,
    ServerProcess,
    database,
    free_port,
    group_cpu_seconds,
    log,
    machine_info,
)

POLLERS = 4
CLIENTS = ("bench-throughput", "bench-baseline", "bench-p99-plain", "bench-p99-long-txn")
SECRET = "bench-polling-secret-0000000000000000000000"


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def seed(database_url: str, orders: int) -> dict[str, uuid.UUID]:
    """The clients (before the orders, so the trigger queues each order for each), then
    `orders` sampled orders at KUL for the demo citizen Tolvan."""
    from adapters.demo_data import demo_id
    from adapters.integration_tokens import IntegrationTokens
    from adapters.protection import DataProtector
    from adapters.settings import Settings

    settings = Settings(environment="development", database_url=database_url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    tokens = IntegrationTokens(secret_key=settings.secret_key, issuer="", ttl=timedelta(seconds=60))
    citizen = "191212121212"
    citizen_hash = protector.lookup_hash(citizen)
    citizen_encrypted = protector.encrypt(citizen.encode(), context=citizen_hash)
    kul, recipient = demo_id("KUL"), demo_id("SE2321000016-A001")
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    rows: dict[str, uuid.UUID] = {}
    try:
        now = datetime.now(UTC)
        for client_id in CLIENTS:
            row_id = uuid.uuid4()
            rows[client_id] = row_id
            await connection.execute(
                """
                INSERT INTO integration_clients (id, client_id, name, region_code, secret_hash,
                    scopes, laboratory_ids, created_at, created_by_hsa_id, secret_rotated_at)
                VALUES ($1, $2, $2, '01', $3, '{orders:read,orders:write}', $4, $5, 'bench', $5)
                """,
                row_id,
                client_id,
                tokens.hash_secret(SECRET),
                [kul],
                now,
            )
            await connection.execute(
                "INSERT INTO integration_queue_heads (client_id, head_seq) VALUES ($1, 0)", row_id
            )
        offer_id = await connection.fetchval(
            "SELECT id FROM offers WHERE catalog_id = '1001' AND is_current"
        )
        sampled = now - timedelta(hours=1)
        answers = protector.encrypt(b"{}", context=b"bench")
        step = 10_000
        for start in range(0, orders, step):
            ids = [uuid.uuid4() for _ in range(min(step, orders - start))]
            async with connection.transaction():
                await connection.executemany(
                    """
                    INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id,
                        catalog_id, sampling_method, status, answers_encrypted, created_at,
                        handled_at, sampled_at, laboratory_id, result_care_unit_id, version)
                    VALUES ($1, $2, $3, $4, $5, '1001', 'site_booking', 'sampled', $6, $7,
                        $7, $7, $8, $9, 2)
                    """,
                    [
                        (
                            i,
                            "B" + i.hex[:11].upper(),
                            citizen_hash,
                            citizen_encrypted,
                            offer_id,
                            answers,
                            sampled,
                            kul,
                            recipient,
                        )
                        for i in ids
                    ],
                )
                await connection.execute(
                    "INSERT INTO order_lines (id, order_id, line_no, product_code)"
                    " SELECT gen_random_uuid(), t.id, 1, 'PEP-CT' FROM unnest($1::uuid[]) t(id)",
                    ids,
                )
        await connection.execute("ANALYZE orders")
        await connection.execute("ANALYZE integration_deliveries")
    finally:
        await connection.close()
    return rows


# Well within the shortest token lifetime a deployment sets (300 s in deploy/k8s, 60 s here).
TOKEN_RENEW_SECONDS = 45.0


async def _token(http: httpx.AsyncClient, client_id: str) -> str:
    answer = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, SECRET)
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


async def app_throughput(base_url: str, server_group: int) -> dict[str, Any]:
    """4 pollers claim 500 and acknowledge them, until client 1's queue is empty."""
    limits = httpx.Limits(max_connections=POLLERS * 2)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:
        token = await _token(http, CLIENTS[0])
        handed: list[str] = []
        requests = 0

        async def poller() -> None:
            nonlocal requests
            while True:
                claimed = await http.post(
                    "/api/integration/v1/orders/claim",
                    json={"limit": 500, "lease_seconds": 300},
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": uuid.uuid4().hex,
                    },
                )
                claimed.raise_for_status()
                orders = claimed.json()["orders"]
                requests += 1
                if not orders:
                    return
                acked = await http.post(
                    "/api/integration/v1/orders/ack",
                    json={"lease_ids": [o["lease"]["lease_id"] for o in orders]},
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": uuid.uuid4().hex,
                    },
                )
                acked.raise_for_status()
                requests += 1
                if acked.json()["acknowledged"] != len(orders):
                    raise RuntimeError("an acknowledgement was refused")
                handed.extend(o["id"] for o in orders)

        cpu_before = group_cpu_seconds(server_group)
        started = time.perf_counter()
        await asyncio.gather(*(poller() for _ in range(POLLERS)))
        seconds = time.perf_counter() - started
        cpu_after = group_cpu_seconds(server_group)
    server_cpu = (cpu_after - cpu_before) if cpu_before is not None and cpu_after else None
    return {
        "orders": len(handed),
        "distinct_orders": len(set(handed)),
        "seconds": round(seconds, 2),
        "orders_per_second": round(len(handed) / seconds),
        "http_requests": requests,
        "server_cpu_ms_per_order": round(1000 * server_cpu / len(handed), 3)
        if server_cpu and handed
        else None,
    }


_ONE_CLAIM = """
    WITH picked AS (
        SELECT d.order_id FROM integration_deliveries d
         WHERE d.client_id = $1 AND (d.leased_until IS NULL OR d.leased_until <= now())
         ORDER BY d.seq LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE integration_deliveries d
       SET lease_id = $2, leased_until = now() + interval '300 seconds',
           handed_out = d.handed_out + 1
      FROM picked WHERE d.client_id = $1 AND d.order_id = picked.order_id
    RETURNING d.order_id
"""
_ONE_ACK = (
    "DELETE FROM integration_deliveries WHERE client_id = $1 AND order_id = $2 AND lease_id = $3"
)


async def baseline_one_per_transaction(
    database_url: str, client: uuid.UUID, seconds: float
) -> dict[str, Any]:
    """4 pollers, one order per transaction (claim it, commit; acknowledge it, commit),
    straight on asyncpg: no HTTP, no framework, no audit — only the per-order round trips
    and commits that a one-at-a-time poller pays."""
    pool = await asyncpg.create_pool(_asyncpg_url(database_url), min_size=POLLERS, max_size=POLLERS)
    done = 0
    deadline = time.perf_counter() + seconds

    async def poller() -> None:
        nonlocal done
        async with pool.acquire() as connection:
            while time.perf_counter() < deadline:
                lease = uuid.uuid4()
                async with connection.transaction():
                    order = await connection.fetchval(_ONE_CLAIM, client, lease)
                if order is None:
                    return
                async with connection.transaction():
                    await connection.execute(_ONE_ACK, client, order, lease)
                done += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(poller() for _ in range(POLLERS)))
    finally:
        await pool.close()
    elapsed = time.perf_counter() - started
    return {
        "orders": done,
        "seconds": round(elapsed, 2),
        "orders_per_second": round(done / elapsed),
    }


async def paced_polling(
    base_url: str, client_id: str, *, seconds: float, rate: int, batch: int = 100
) -> dict[str, Any]:
    """4 pollers claiming `batch` and acknowledging, paced to `rate` orders/s in all: the
    latency of each claim call."""
    latencies: list[float] = []
    handed = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        token = await _token(http, client_id)
        token_at = time.perf_counter()
        renewing = asyncio.Lock()
        interval = POLLERS * batch / rate
        deadline = time.perf_counter() + seconds

        async def poller(offset: float) -> None:
            nonlocal handed, token, token_at
            next_at = time.perf_counter() + offset
            while time.perf_counter() < deadline:
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                next_at += interval
                # Access tokens are short-lived (PEP_INTEGRATION_TOKEN_TTL_SECONDS): a run of
                # ten minutes renews its token as a real client does, outside the timing.
                async with renewing:
                    if time.perf_counter() - token_at > TOKEN_RENEW_SECONDS:
                        token, token_at = await _token(http, client_id), time.perf_counter()
                started = time.perf_counter()
                claimed = await http.post(
                    "/api/integration/v1/orders/claim",
                    json={"limit": batch, "lease_seconds": 300},
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Idempotency-Key": uuid.uuid4().hex,
                    },
                )
                latencies.append(time.perf_counter() - started)
                claimed.raise_for_status()
                orders = claimed.json()["orders"]
                handed += len(orders)
                if orders:
                    acked = await http.post(
                        "/api/integration/v1/orders/ack",
                        json={"lease_ids": [o["lease"]["lease_id"] for o in orders]},
                        headers={
                            "Authorization": f"Bearer {token}",
                            "Idempotency-Key": uuid.uuid4().hex,
                        },
                    )
                    acked.raise_for_status()

        await asyncio.gather(*(poller(i * interval / POLLERS) for i in range(POLLERS)))
    ordered = sorted(latencies)
    return {
        "claims": len(ordered),
        "orders": handed,
        "rate_target": rate,
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 2),
        "max_ms": round(1000 * ordered[-1], 2),
    }


@contextlib.asynccontextmanager
async def long_transaction(database_url: str) -> Any:
    """A transaction elsewhere that holds an xid and a snapshot open: no row deleted after it
    began can be vacuumed (or hinted dead in an index) while it lasts."""
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    transaction = connection.transaction(isolation="repeatable_read")
    await transaction.start()
    await connection.fetchval("SELECT txid_current()")
    await connection.fetchval("SELECT count(*) FROM regions")
    try:
        yield
    finally:
        await transaction.rollback()
        await connection.close()


async def dead_tuples(database_url: str) -> int:
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    try:
        value = await connection.fetchval(
            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'integration_deliveries'"
        )
    finally:
        await connection.close()
    return int(value or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--baseline-seconds", type=float, default=15.0)
    parser.add_argument("--p99-seconds", type=float, default=60.0)
    parser.add_argument("--p99-rate", type=int, default=1000, help="orders/s in the p99 runs")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"pep-bench-{uuid.uuid4().hex[:8]}"

    from bench.run import _delete_redis_keys

    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-bench-")))
        stack.callback(lambda: asyncio.run(_delete_redis_keys(redis_url, prefix)))
        database_url = stack.enter_context(database())
        started = time.perf_counter()
        clients = asyncio.run(seed(database_url, args.orders))
        log(f"seeded {args.orders} orders × {len(clients)} queues in "
            f"{time.perf_counter() - started:.1f}s")  # fmt: skip
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PEP_REDIS_PREFIX": prefix,
            "PEP_IDP_KEY_FILE": str(tmp / "idp-signing-key.json"),
            "PEP_ENVIRONMENT": "development",
            "PEP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "PEP_INTEGRATION_CLAIM_MAX_BATCH": "500",
            "PYTHONUNBUFFERED": "1",
        }
        server = ServerProcess(
            "app", "api.main:app", port=port, workers=args.workers, env=env, log_dir=tmp
        )
        stack.callback(server.stop)
        server.wait_healthy("/api/health")
        try:
            app = asyncio.run(app_throughput(server.base_url, server.process.pid))
            log(f"app: {app}")
            baseline = asyncio.run(
                baseline_one_per_transaction(
                    database_url, clients[CLIENTS[1]], args.baseline_seconds
                )
            )
            log(f"baseline: {baseline}")
            plain = asyncio.run(
                paced_polling(
                    server.base_url, CLIENTS[2], seconds=args.p99_seconds, rate=args.p99_rate
                )
            )
            plain["dead_tuples_after"] = asyncio.run(dead_tuples(database_url))
            log(f"p99 without a long transaction: {plain}")

            async def with_long_transaction() -> dict[str, Any]:
                async with long_transaction(database_url):
                    result = await paced_polling(
                        server.base_url, CLIENTS[3], seconds=args.p99_seconds, rate=args.p99_rate
                    )
                    result["dead_tuples_after"] = await dead_tuples(database_url)
                    return result

            held = asyncio.run(with_long_transaction())
            log(f"p99 with a transaction open for the whole window: {held}")
        except (RuntimeError, httpx.HTTPError) as error:
            raise RuntimeError(f"{error}\n{server.log_tail()}") from error
        result = {
            "scenario": "polling",
            "started_at": datetime.now(UTC).isoformat(),
            "orders": args.orders,
            "pollers": POLLERS,
            "workers": args.workers,
            "app_claim_500_and_ack": app,
            "baseline_one_order_per_transaction": baseline,
            "ratio_to_baseline": round(app["orders_per_second"] / baseline["orders_per_second"], 2),
            "p99_without_long_transaction": plain,
            "p99_with_long_transaction": held,
            "p99_ratio_long_transaction": round(held["p99_ms"] / plain["p99_ms"], 2),
            "machine": machine_info(database_url, redis_url),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(result, indent=2)
    (RESULTS / f"polling-{stamp}.json").write_text(text)
    (RESULTS / "polling-latest.json").write_text(text)
    print(
        f"\npolling: app {app['orders_per_second']}/s (claim 500 + ack, {POLLERS} pollers, "
        f"{app['server_cpu_ms_per_order']} ms server CPU per order) vs baseline "
        f"{baseline['orders_per_second']}/s one per transaction → ×{result['ratio_to_baseline']}"
        f"\np99 claim latency at {args.p99_rate}/s: {plain['p99_ms']} ms without, "
        f"{held['p99_ms']} ms with a transaction open elsewhere for {args.p99_seconds:.0f}s "
        f"→ ×{result['p99_ratio_long_transaction']}"
    )


if __name__ == "__main__":
    main()
