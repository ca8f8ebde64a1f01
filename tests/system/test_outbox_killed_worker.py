"""The outbox survives a killed worker (issue 9): a real arq worker process delivers a few
thousand events and is killed with SIGKILL in the middle of its work; a second worker
finishes. Every event is delivered, and each consumer holds each event exactly once — the
events the killed worker had delivered without marking them are delivered again, and the
idempotent consumer (the citizen's inbox message, made once per event id) makes nothing new
for them. The e-mail of a message, killed mid-send, is test_notifications_killed_worker.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.outbox import EventKind, NewEvent
from tests.support import environment
from tests.support.results_world import create_lab, create_sampled_order, scalar

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 3000


def _start_worker(settings, tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PEP_")},
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": environment.REDIS_URL,
        "PEP_ENVIRONMENT": "test",
        # A queue of this test's own, small batches (so the kill lands mid-work) and a short
        # lease (so the second worker need not wait long for the killed one's claim).
        "PEP_REDIS_PREFIX": f"{settings.redis_prefix}-outbox-{uuid.uuid4().hex[:6]}",
        "PEP_OUTBOX_BATCH_SIZE": "10",
        "PEP_OUTBOX_LEASE_SECONDS": "2",
    }
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "arq", "api.worker.WorkerSettings"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def _count(services, sql: str, **params) -> int:
    return int(await scalar(services, sql, **params))


@pytest.mark.slow
async def test_a_worker_killed_mid_job_loses_nothing_and_repeats_nothing_a_person_sees(
    services, settings, tmp_path
):
    order = await create_sampled_order(services, await create_lab(services), care_unit_id=None)
    ids = [uuid.uuid4() for _ in range(EVENTS)]
    async with services.uow() as uow:
        await uow.outbox.add(
            [
                NewEvent(
                    id=i,
                    kind=EventKind.RESULT_AVAILABLE,
                    payload={"order_id": str(order.id), "corrected": False},
                )
                for i in ids
            ],
            now=services.now(),
        )
        await uow.commit()
    mine = "SELECT count(*) FROM inbox_messages WHERE order_id = :order"
    first = _start_worker(settings, tmp_path, "worker-1")
    try:
        deadline = time.monotonic() + 60
        delivered = 0
        while time.monotonic() < deadline:
            delivered = await _count(services, mine, order=order.id)
            if delivered >= 200:
                break
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert 0 < delivered < EVENTS, (tmp_path / "worker-1.log").read_text()[-3000:]
    left = await _count(
        services,
        "SELECT count(*) FROM outbox_events WHERE id = ANY(CAST(:ids AS uuid[]))"
        " AND status = 'pending'",
        ids=ids,
    )
    assert left > 0
    # Delivered by the killed worker but never marked so: these come again.
    async with services.uow() as uow:
        unsettled = [
            row.id
            for row in await uow.session.execute(
                text(
                    "SELECT e.id FROM inbox_messages n JOIN outbox_events e ON e.id = n.origin_id"
                    " WHERE n.order_id = :order AND e.status = 'pending'"
                ),
                {"order": order.id},
            )
        ]

    second = _start_worker(settings, tmp_path, "worker-2")
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            pending = await _count(
                services,
                "SELECT count(*) FROM outbox_events WHERE id = ANY(CAST(:ids AS uuid[]))"
                " AND status <> 'delivered'",
                ids=ids,
            )
            if pending == 0:
                break
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            second.kill()
    assert pending == 0, (tmp_path / "worker-2.log").read_text()[-3000:]
    # Exactly one message per event: what the person would see.
    assert await _count(services, mine, order=order.id) == EVENTS
    assert (
        await _count(
            services,
            "SELECT count(DISTINCT origin_id) FROM inbox_messages"
            " WHERE origin_id = ANY(CAST(:ids AS uuid[]))",
            ids=ids,
        )
        == EVENTS
    )
    # Those came again (a second attempt, after the killed worker's lease) and made no
    # second message.
    assert await _count(
        services,
        "SELECT count(*) FROM outbox_events WHERE id = ANY(CAST(:ids AS uuid[]))"
        " AND status = 'delivered' AND attempts >= 2",
        ids=unsettled,
    ) == len(unsettled)
    assert await _count(
        services,
        "SELECT count(*) FROM inbox_messages WHERE origin_id = ANY(CAST(:ids AS uuid[]))",
        ids=unsettled,
    ) == len(unsettled)
