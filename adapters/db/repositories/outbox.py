"""The outbox table (domain/outbox.py): events added in the caller's transaction, claimed by
workers with a lease (`FOR UPDATE SKIP LOCKED`, so parallel workers take different events),
marked delivered, rescheduled or dead. Pending events are found through a partial index that
holds only them, so delivered rows never slow the claim."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import text

from adapters.db.repositories import Executor
from domain.outbox import EventKind, NewEvent, OutboxEvent

_ADD = text(
    """
    INSERT INTO outbox_events (id, kind, payload, status, attempts, next_attempt_at, created_at)
    SELECT t.id, t.kind, CAST(t.payload AS jsonb), 'pending', 0, :now, :now
      FROM unnest(CAST(:ids AS uuid[]), CAST(:kinds AS text[]), CAST(:payloads AS text[]))
           AS t(id, kind, payload)
    """
)
# A claim counts as an attempt: a worker killed while delivering has used one.
_CLAIM = text(
    """
    UPDATE outbox_events e
       SET locked_until = :until, locked_by = :worker, attempts = e.attempts + 1
      FROM (SELECT id FROM outbox_events
             WHERE status = 'pending' AND next_attempt_at <= :now
               AND (locked_until IS NULL OR locked_until <= :now)
               AND kind = ANY(CAST(:kinds AS text[]))
             ORDER BY next_attempt_at
             LIMIT :limit
               FOR UPDATE SKIP LOCKED) AS due
     WHERE e.id = due.id
    RETURNING e.id, e.kind, e.payload, e.attempts, e.created_at
    """
)
# Only the claim's holder settles it: a claim whose lease ran out (and whose events a later
# claim took since, from another worker or the same one) changes nothing.
_DELIVERED = text(
    "UPDATE outbox_events SET status = 'delivered', delivered_at = :now, locked_until = NULL,"
    " last_error = NULL"
    " WHERE id = ANY(CAST(:ids AS uuid[])) AND locked_by = :worker AND status = 'pending'"
)
# Still this claim's, and kept so until the caller's transaction ends: a later claim (whose
# FOR UPDATE SKIP LOCKED passes over a locked row) cannot take the event meanwhile.
_STILL_HELD = text(
    "SELECT 1 FROM outbox_events WHERE id = :id AND locked_by = :worker AND status = 'pending'"
    " FOR UPDATE"
)
_RETRY = text(
    "UPDATE outbox_events SET next_attempt_at = :at, locked_until = NULL, last_error = :error"
    " WHERE id = :id AND locked_by = :worker AND status = 'pending'"
)
_DEAD = text(
    "UPDATE outbox_events SET status = 'dead', locked_until = NULL, last_error = :error"
    " WHERE id = :id AND locked_by = :worker AND status = 'pending'"
)
_LIST_DEAD = text(
    "SELECT id, kind, attempts, last_error, created_at, next_attempt_at FROM outbox_events"
    " WHERE status = 'dead' ORDER BY created_at LIMIT :limit OFFSET :offset"
)
_COUNT_DEAD = text("SELECT count(*) FROM outbox_events WHERE status = 'dead'")
_REQUEUE = text(
    "UPDATE outbox_events SET status = 'pending', attempts = 0, next_attempt_at = :now,"
    " locked_until = NULL, locked_by = NULL WHERE id = :id AND status = 'dead' RETURNING id"
)
_PRUNE = text("DELETE FROM outbox_events WHERE status = 'delivered' AND delivered_at < :before")


@dataclass(frozen=True, slots=True)
class DeadEvent:
    id: uuid.UUID
    kind: str
    attempts: int
    last_error: str | None
    created_at: datetime
    last_attempt_due: datetime


class OutboxRepository:
    def __init__(self, session: Executor) -> None:
        self._session = session

    async def add(self, events: Sequence[NewEvent], *, now: datetime) -> None:
        """In the caller's transaction: the events exist exactly when the change does."""
        if not events:
            return
        await self._session.execute(
            _ADD,
            {
                "now": now,
                "ids": [e.id for e in events],
                "kinds": [e.kind.value for e in events],
                "payloads": [orjson.dumps(dict(e.payload)).decode() for e in events],
            },
        )

    async def claim(
        self,
        *,
        worker: str,
        kinds: Sequence[EventKind],
        limit: int,
        until: datetime,
        now: datetime,
    ) -> list[OutboxEvent]:
        rows = await self._session.execute(
            _CLAIM,
            {
                "worker": worker,
                "kinds": [k.value for k in kinds],
                "limit": limit,
                "until": until,
                "now": now,
            },
        )
        return [
            OutboxEvent(
                id=r.id,
                kind=EventKind(r.kind),
                payload=_payload(r.payload),
                attempts=r.attempts,
                created_at=r.created_at,
                holder=worker,
            )
            for r in rows
        ]

    async def still_held(self, event_id: uuid.UUID, *, worker: str) -> bool:
        """Whether the claim `worker` still holds the event (not settled, not taken over by a
        later claim after its lease ran out); if so, it keeps holding it until the caller's
        transaction ends."""
        row = (await self._session.execute(_STILL_HELD, {"id": event_id, "worker": worker})).first()
        return row is not None

    async def mark_delivered(self, ids: Sequence[uuid.UUID], *, worker: str, now: datetime) -> None:
        if ids:
            await self._session.execute(
                _DELIVERED, {"ids": list(ids), "worker": worker, "now": now}
            )

    async def reschedule(
        self, event_id: uuid.UUID, *, worker: str, at: datetime, error: str
    ) -> None:
        await self._session.execute(
            _RETRY, {"id": event_id, "worker": worker, "at": at, "error": error[:500]}
        )

    async def mark_dead(self, event_id: uuid.UUID, *, worker: str, error: str) -> None:
        await self._session.execute(_DEAD, {"id": event_id, "worker": worker, "error": error[:500]})

    async def dead(self, *, limit: int, offset: int) -> tuple[int, list[DeadEvent]]:
        total = (await self._session.execute(_COUNT_DEAD)).scalar_one()
        rows = await self._session.execute(_LIST_DEAD, {"limit": limit, "offset": offset})
        return int(total), [
            DeadEvent(
                id=r.id,
                kind=r.kind,
                attempts=r.attempts,
                last_error=r.last_error,
                created_at=r.created_at,
                last_attempt_due=r.next_attempt_at,
            )
            for r in rows
        ]

    async def requeue(self, event_id: uuid.UUID, *, now: datetime) -> bool:
        row = (await self._session.execute(_REQUEUE, {"id": event_id, "now": now})).first()
        return row is not None

    async def prune_delivered(self, *, before: datetime) -> int:
        result = await self._session.execute(_PRUNE, {"before": before})
        return int(result.rowcount)  # type: ignore[attr-defined]


def _payload(raw: Any) -> dict[str, Any]:
    # asyncpg hands jsonb over as text unless a codec is set.
    return dict(json.loads(raw)) if isinstance(raw, str) else dict(raw)
