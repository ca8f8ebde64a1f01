"""Delivering the outbox (domain/outbox.py) and its dead letters.

`deliver_outbox` runs in the worker: claim a batch (committed: the claim is the lease),
hand each kind's events to its consumer, then settle — delivered, retried later with
back-off, or dead. A worker killed anywhere in between loses nothing: unsettled events stay
pending and come back when the claim's lease runs out; whatever was delivered already is
delivered again, and the consumers, idempotent per event id, change nothing the second time."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.db.repositories.outbox import DeadEvent
from adapters.db.uow import UnitOfWork
from domain.access import Role, StaffContext
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.outbox import (
    EventConsumer,
    NotAnOperator,
    OutboxEventNotFound,
    RetryPolicy,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DrainReport:
    delivered: int = 0
    retried: int = 0
    dead: int = 0


def claim_holder(worker: str) -> str:
    """Who holds one claim: the claim itself, not the worker. A worker runs several drains
    at once (the next tick starts while a slow one is still on), so a drain whose lease ran
    out must not settle — as "delivered" — events another drain of the same worker has
    claimed since and may still be working on (or died working on). Unique in its first
    16 characters; the worker's name follows for operators (cut to the column's 64)."""
    return f"{uuid.uuid4().hex[:16]}@{worker}"[:64]


async def deliver_outbox(
    *,
    uow_factory: Callable[[], UnitOfWork],
    consumers: Sequence[EventConsumer],
    clock: Callable[[], datetime],
    worker: str,
    batch_size: int,
    lease: timedelta,
    policy: RetryPolicy,
    deadline: timedelta,
) -> DrainReport:
    """Delivers due events batch by batch until none is due or `deadline` has passed."""
    by_kind = {kind: consumer for consumer in consumers for kind in consumer.kinds}
    started = clock()
    delivered = retried = dead = 0
    while clock() - started < deadline:
        now = clock()
        holder = claim_holder(worker)
        async with uow_factory() as uow:
            events = await uow.outbox.claim(
                worker=holder, kinds=list(by_kind), limit=batch_size, until=now + lease, now=now
            )
            await uow.commit()
        if not events:
            break
        failures: dict[uuid.UUID, str] = {}
        for kind, consumer in by_kind.items():
            of_kind = [e for e in events if e.kind is kind]
            if not of_kind:
                continue
            try:
                failures.update(await consumer.deliver(of_kind, now=clock()))
            except Exception as error:  # a consumer's failure is the event's, never the job's
                log.warning("outbox delivery of %d %s events failed: %s", len(of_kind), kind, error)
                failures.update({e.id: f"{type(error).__name__}: {error}" for e in of_kind})
        settled_at = clock()
        async with uow_factory() as uow:
            await uow.outbox.mark_delivered(
                [e.id for e in events if e.id not in failures], worker=holder, now=settled_at
            )
            for event in (e for e in events if e.id in failures):
                again = policy.after_failure(event.attempts, now=settled_at)
                if again is None:
                    await uow.outbox.mark_dead(event.id, worker=holder, error=failures[event.id])
                    dead += 1
                else:
                    await uow.outbox.reschedule(
                        event.id, worker=holder, at=again, error=failures[event.id]
                    )
                    retried += 1
            await uow.commit()
        delivered += len(events) - len(failures)
    return DrainReport(delivered=delivered, retried=retried, dead=dead)


def require_operator(context: StaffContext) -> None:
    """Dead letters are technical operation: operators and central administrators."""
    if not (context.holds(Role.OPERATOR.value) or context.holds(Role.CENTRAL_ADMIN.value)):
        raise NotAnOperator("the outbox's dead letters are for operators")


@dataclass(frozen=True, slots=True)
class DeadLetters:
    total: int
    items: list[DeadEvent]


async def list_dead_letters(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, page: int, page_size: int
) -> DeadLetters:
    require_operator(actor.context)
    total, items = await uow.outbox.dead(limit=page_size, offset=(page - 1) * page_size)
    await uow.audit.record(
        audit_event(actor, "outbox_dead_letters_listed", now=now, details={"total": total})
    )
    await uow.commit()
    return DeadLetters(total=total, items=items)


async def requeue_dead_letter(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, event_id: uuid.UUID
) -> None:
    """A dead event is pending again, with its attempts from zero: delivered by the next
    drain (its consumers still deduplicate it)."""
    require_operator(actor.context)
    if not await uow.outbox.requeue(event_id, now=now):
        raise OutboxEventNotFound("no dead event with this id")
    await uow.audit.record(
        audit_event(actor, "outbox_requeued", now=now, details={"event_id": str(event_id)})
    )
    await uow.commit()
