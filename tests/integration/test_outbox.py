"""The outbox's retries, dead letters and the operators' view of them (domain/outbox.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import text

from api.notifications.consumers import ResultMessages
from api.outbox.usecases import deliver_outbox
from domain.outbox import EventKind, NewEvent, OutboxEvent, RetryPolicy
from tests.support.results_world import create_lab, create_sampled_order, scalar


class UnreachableFor(ResultMessages):
    """The citizen's inbox messages, unreachable for the given events (an outside system
    that is down for them); every other event is delivered as usual."""

    def __init__(self, uow_factory, failing: set[uuid.UUID]) -> None:
        super().__init__(uow_factory)
        self.failing = failing

    async def deliver(
        self, events: Sequence[OutboxEvent], *, now: datetime
    ) -> dict[uuid.UUID, str]:
        await super().deliver([e for e in events if e.id not in self.failing], now=now)
        return {e.id: "inbox service unavailable" for e in events if e.id in self.failing}


class HeldOpen(ResultMessages):
    """The citizen's inbox messages, held open for one event until `release` is set (an
    outside system that answers slowly)."""

    def __init__(self, uow_factory, held: uuid.UUID) -> None:
        super().__init__(uow_factory)
        self.held = held
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def deliver(
        self, events: Sequence[OutboxEvent], *, now: datetime
    ) -> dict[uuid.UUID, str]:
        if any(e.id == self.held for e in events):
            self.started.set()
            await self.release.wait()
        return await super().deliver(events, now=now)


async def _drain(services, consumer, *, policy: RetryPolicy, worker: str | None = None):
    return await deliver_outbox(
        uow_factory=services.uow,
        consumers=[consumer],
        clock=services.now,
        worker=worker or f"test-{uuid.uuid4().hex[:6]}",
        batch_size=500,
        lease=timedelta(seconds=30),
        policy=policy,
        deadline=timedelta(seconds=30),
    )


async def _event_row(services, event_id):
    async with services.uow() as uow:
        return (
            await uow.session.execute(
                text(
                    "SELECT status, attempts, next_attempt_at, last_error FROM outbox_events"
                    " WHERE id = :id"
                ),
                {"id": event_id},
            )
        ).one()


async def _new_event(services, *, now: datetime) -> uuid.UUID:
    event_id = uuid.uuid4()
    order = await create_sampled_order(services, await create_lab(services), care_unit_id=None)
    async with services.uow() as uow:
        await uow.outbox.add(
            [
                NewEvent(
                    id=event_id,
                    kind=EventKind.RESULT_AVAILABLE,
                    payload={"order_id": str(order.id), "corrected": False},
                )
            ],
            now=now,
        )
        await uow.commit()
    return event_id


async def test_a_drain_whose_lease_ran_out_settles_nothing_claimed_since_by_the_same_worker(
    services,
):
    """A worker runs several drains at once (arq runs the next tick while a slow one is on).
    When the slow drain's lease has run out and another drain of the same worker has claimed
    the event since, only the later claim settles it: the slow drain's "delivered" must not
    overwrite the later drain's failure (nor mark delivered what the later claim still
    holds, e.g. an e-mail it is sending when the worker is killed)."""
    start = services.now()
    event_id = await _new_event(services, now=start)
    policy = RetryPolicy(max_attempts=5, base=timedelta(seconds=60))
    worker = f"test-{uuid.uuid4().hex[:6]}"
    services.now_override = start
    try:
        slow = HeldOpen(services.uow, event_id)
        first = asyncio.create_task(_drain(services, slow, policy=policy, worker=worker))
        await asyncio.wait_for(slow.started.wait(), timeout=30)
        services.now_override = start + timedelta(seconds=31)  # the lease (30 s) ran out
        later = await _drain(
            services, UnreachableFor(services.uow, {event_id}), policy=policy, worker=worker
        )
        assert later.retried >= 1
        slow.release.set()
        await asyncio.wait_for(first, timeout=30)
    finally:
        services.now_override = None
    row = await _event_row(services, event_id)
    assert (row.status, row.attempts, row.last_error) == (
        "pending",
        2,
        "inbox service unavailable",
    )
    assert row.next_attempt_at == start + timedelta(seconds=31) + timedelta(seconds=120)


async def test_a_failed_delivery_is_retried_with_back_off_then_dead_and_requeued(
    client, services, login_as
):
    start = services.now()
    event_id = await _new_event(services, now=start)
    consumer = UnreachableFor(services.uow, {event_id})
    policy = RetryPolicy(max_attempts=2, base=timedelta(seconds=60))
    services.now_override = start
    await _drain(services, consumer, policy=policy)
    row = await _event_row(services, event_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == start + timedelta(seconds=60)
    assert row.last_error == "inbox service unavailable"
    # Not due yet: left alone.
    services.now_override = start + timedelta(seconds=59)
    await _drain(services, consumer, policy=policy)
    assert (await _event_row(services, event_id)).attempts == 1
    services.now_override = start + timedelta(seconds=61)
    await _drain(services, consumer, policy=policy)
    assert (await _event_row(services, event_id)).status == "dead"
    services.now_override = None

    operator = await login_as("staff", "operator")
    listed = await client.get("/api/operator/outbox/dead-letters", params={"page_size": 200})
    assert listed.status_code == 200
    mine = [e for e in listed.json()["items"] if e["id"] == str(event_id)]
    assert mine == [
        {
            "id": str(event_id),
            "kind": "result_available",
            "attempts": 2,
            "last_error": "inbox service unavailable",
            "created_at": mine[0]["created_at"],
            "last_attempt_due": mine[0]["last_attempt_due"],
        }
    ]
    requeued = await client.post(
        f"/api/operator/outbox/dead-letters/{event_id}/requeue", headers=operator.headers
    )
    assert requeued.status_code == 204
    assert (await _event_row(services, event_id)).status == "pending"
    consumer.failing.clear()
    await _drain(services, consumer, policy=policy)
    assert (await _event_row(services, event_id)).status == "delivered"
    assert (
        await scalar(
            services, "SELECT count(*) FROM inbox_messages WHERE origin_id = :id", id=event_id
        )
        == 1
    )
    gone = await client.post(
        f"/api/operator/outbox/dead-letters/{event_id}/requeue", headers=operator.headers
    )
    assert gone.status_code == 404
    assert gone.json()["type"] == "/problems/outbox-event-not-found"


async def test_dead_letters_are_for_operators_only(client, login_as):
    nurse = await login_as("staff", "nurse-solna")
    refused = await client.get("/api/operator/outbox/dead-letters")
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/operator-required"
    requeue = await client.post(
        f"/api/operator/outbox/dead-letters/{uuid.uuid4()}/requeue", headers=nurse.headers
    )
    assert requeue.status_code == 403
