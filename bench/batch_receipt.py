"""`python -m bench.batch_receipt`: Batchbearbetning of 10,000 home-kit orders in one request
(issue 8: all or nothing, under 10 s on the 2-core reference machine).

Not a load scenario (bench/scenarios.py drives many small requests; this is one large one),
so it has a runner of its own that reuses bench/run.py's pieces:

1. a fresh database (or DATABASE_URL), migrated, demo data loaded;
2. 2 × N orders of the demo home kit 1001 (result unit STI-mottagningen Södersjukhuset,
   SE2321000016-A002), Beställd, inserted directly (citizens, answers and lines encrypted as
   the service stores them);
3. the real server (`uvicorn api.main:app`, 1 worker) and the demo staff member `nurse-sti`
   logged in through the embedded IdP at A002, where she holds `labels`;
4. **app**: `POST /api/staff/labels/batch-receipt` with the first N order ids, timed from
   request to answer (each order audited, all committed);
5. **baseline**: the same set-based statement (`adapters/db/repositories/dispatch.py`,
   `_RECEIVE_BATCH`, compiled with the asyncpg dialect) on the other N orders over raw
   asyncpg in one transaction: what the database alone needs;
6. both checked in the database (N orders Hanterad, N audit entries each), the figures
   printed and written to bench/results/batch_receipt-<UTC timestamp>.json and
   bench/results/batch_receipt-latest.json.

    python -m bench.batch_receipt [--orders 10000]
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.app_sql import compile_statement
from bench.login import login_staff
from bench.run import RESULTS, ServerProcess, database, free_port, log, machine_info

STAFF_KEY = "nurse-sti"
UNIT = "SE2321000016-A002"
CATALOG_ID = "1001"
TARGET_SECONDS = 10.0


def _asyncpg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def seed_orders(database_url: str, count: int) -> list[uuid.UUID]:
    """`count` orders of offer 1001 (Beställd) for the demo citizens, in a few statements."""
    from adapters.person_register.local import load_test_persons
    from adapters.protection import DataProtector
    from adapters.settings import Settings
    from domain.codes import RID_BODY_LENGTH, new_code

    settings = Settings(environment="development", database_url=database_url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    citizens = []
    for entry in load_test_persons():
        value = entry.person.personnummer.value
        digest = protector.lookup_hash(value)
        citizens.append((digest, protector.encrypt(value.encode(), context=digest)))
    answers = {
        "contact": {"phone": "0701234567", "email": None},
        "delivery_address": {
            "care_of": None,
            "street": "Storgatan 1",
            "postal_code": "111 22",
            "city": "Stockholm",
        },
        "answers": {"symptoms": False},
    }
    ids = [uuid.uuid4() for _ in range(count)]
    rids = list({new_code(secrets.randbelow, RID_BODY_LENGTH) for _ in range(count + 100)})
    now = datetime.now(UTC)
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    try:
        offer_id = await connection.fetchval(
            "SELECT id FROM offers WHERE catalog_id = $1 AND is_current", CATALOG_ID
        )
        payload = json.dumps(answers).encode()
        rows = [
            (
                order_id,
                rids[n],
                citizens[n % len(citizens)][0],
                citizens[n % len(citizens)][1],
                offer_id,
                protector.encrypt(payload, context=order_id.bytes),
            )
            for n, order_id in enumerate(ids)
        ]
        async with connection.transaction():
            await connection.executemany(
                """
                INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id,
                                    catalog_id, sampling_method, status, answers_encrypted,
                                    created_at, version)
                VALUES ($1, $2, $3, $4, $5, '1001', 'home_kit', 'ordered', $6, $7, 1)
                """,
                [(*row, now) for row in rows],
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
        await connection.execute("ANALYZE orders")
    finally:
        await connection.close()
    return ids


async def app_receipt(base_url: str, ids: Sequence[uuid.UUID], cookie_name: str) -> dict[str, Any]:
    staff = await login_staff(base_url, STAFF_KEY, care_unit_hsa_id=UNIT, cookie_name=cookie_name)
    body = json.dumps({"order_ids": [str(i) for i in ids]})
    async with httpx.AsyncClient(base_url=base_url, timeout=120.0) as client:
        client.cookies.set(cookie_name, staff.cookie)
        started = time.perf_counter()
        response = await client.post(
            "/api/staff/labels/batch-receipt",
            content=body,
            headers={"Content-Type": "application/json", "X-CSRF-Token": staff.csrf_token},
        )
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"batch receipt answered {response.status_code}: {response.text[:500]}")
    answer = response.json()
    return {
        "seconds": round(seconds, 3),
        "status": response.status_code,
        "received": answer["received"],
        "request_bytes": len(body),
    }


async def baseline_receipt(database_url: str, ids: Sequence[uuid.UUID]) -> dict[str, Any]:
    """The repository's own statement, over raw asyncpg, in one transaction."""
    from adapters.db.repositories.dispatch import _RECEIVE_BATCH

    statement = compile_statement(_RECEIVE_BATCH)
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    try:
        started = time.perf_counter()
        async with connection.transaction():
            rows = await connection.fetch(
                statement.sql,
                *statement.args(
                    ids=list(ids),
                    unit=UNIT,
                    method="home_kit",
                    now=datetime.now(UTC),
                    occurred_at=datetime.now(UTC),
                    actor_kind="staff",
                    actor_id="bench-baseline",
                    care_unit_hsa_id=UNIT,
                    assignment_id="bench",
                    assignment_purpose="Vård och behandling",
                    action="kit_orders_received",
                    outcome="success",
                    request_id=None,
                    details=json.dumps({"module": "labels", "batch_id": str(uuid.uuid4())}),
                ),
            )
            if len(rows) != len(ids):
                raise RuntimeError(f"baseline received {len(rows)} of {len(ids)}")
        seconds = time.perf_counter() - started
    finally:
        await connection.close()
    return {"seconds": round(seconds, 3), "received": len(rows)}


async def verify(database_url: str, ids: Sequence[uuid.UUID]) -> dict[str, int]:
    connection = await asyncpg.connect(_asyncpg_url(database_url))
    try:
        handled = await connection.fetchval(
            "SELECT count(*) FROM orders WHERE id = ANY($1::uuid[]) AND status = 'handled'"
            " AND expires_at = handled_at + interval '720 hours'",
            list(ids),
        )
        audited = await connection.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'kit_orders_received'"
            " AND details->>'order_id' = ANY($1::text[])",
            [str(i) for i in ids],
        )
    finally:
        await connection.close()
    return {"handled": int(handled), "audited": int(audited)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10000, help="orders in the batch")
    args = parser.parse_args(argv)
    if not 1 <= args.orders <= 20000:
        parser.error("--orders must be in [1, 20000] (the batch limit)")
    os.chdir(Path(__file__).resolve().parent.parent)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"pep-bench-{uuid.uuid4().hex[:10]}"
    from adapters.settings import Settings
    from bench.run import _delete_redis_keys

    cookie_name = Settings().session_cookie_name
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-bench-")))
        stack.callback(lambda: asyncio.run(_delete_redis_keys(redis_url, prefix)))
        database_url = stack.enter_context(database())
        seed_started = time.perf_counter()
        ids = asyncio.run(seed_orders(database_url, 2 * args.orders))
        log(f"seeded {len(ids)} orders in {time.perf_counter() - seed_started:.1f}s")
        app_ids, baseline_ids = ids[: args.orders], ids[args.orders :]
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PEP_REDIS_PREFIX": prefix,
            "PEP_COOKIE_SECURE": "false",
            "PEP_IDP_KEY_FILE": str(tmp / "idp-signing-key.json"),
            "PEP_ENVIRONMENT": "development",
            "PEP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "PYTHONUNBUFFERED": "1",
        }
        server = ServerProcess("app", "api.main:app", port=port, workers=1, env=env, log_dir=tmp)
        stack.callback(server.stop)
        server.wait_healthy("/api/health")
        try:
            app = asyncio.run(app_receipt(server.base_url, app_ids, cookie_name))
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{server.log_tail()}") from error
        baseline = asyncio.run(baseline_receipt(database_url, baseline_ids))
        app["check"] = asyncio.run(verify(database_url, app_ids))
        baseline["check"] = asyncio.run(verify(database_url, baseline_ids))
        document = {
            "scenario": "batch_receipt",
            "orders": args.orders,
            "target_seconds": TARGET_SECONDS,
            "app": app,
            "baseline": baseline,
            "ratio_to_baseline": round(baseline["seconds"] / app["seconds"], 2)
            if app["seconds"]
            else None,
            "within_target": app["seconds"] < TARGET_SECONDS,
            "machine": machine_info(database_url, redis_url),
            "started_at": datetime.now(UTC).isoformat(),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(document, indent=2) + "\n"
    (RESULTS / f"batch_receipt-{stamp}.json").write_text(text)
    (RESULTS / "batch_receipt-latest.json").write_text(text)
    print()
    print(f"batch receipt of {args.orders} orders (one request, all or nothing)")
    print(f"  app:      {app['seconds']:.3f} s  (HTTP request to answer; checked {app['check']})")
    print(f"  baseline: {baseline['seconds']:.3f} s  (the same statement over raw asyncpg)")
    print(
        f"  target:   < {TARGET_SECONDS:g} s  -> {'met' if document['within_target'] else 'MISSED'}"
    )
    return 0 if document["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
