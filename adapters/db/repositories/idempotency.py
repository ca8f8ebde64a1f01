from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from adapters.db.repositories import Executor, PreparedQuery

# The record names the order the call made, never its content (issue 11 item 3).
# Prepared: on every order placed (see PreparedQuery).
_CLAIM = PreparedQuery(
    text(
        "INSERT INTO idempotency_records (actor_hash, key, fingerprint, status_code, created_at)"
        " VALUES (:actor, :key, :fingerprint, 0, :now)"
        " ON CONFLICT DO NOTHING RETURNING key"
    )
)
_STORED = text(
    "SELECT fingerprint, status_code, order_id FROM idempotency_records"
    " WHERE actor_hash = :actor AND key = :key"
)
_COMPLETE = PreparedQuery(
    text(
        "UPDATE idempotency_records SET status_code = :status, order_id = :order_id"
        " WHERE actor_hash = :actor AND key = :key"
    )
)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    fingerprint: bytes
    status_code: int
    # None only for a record answered before revision 0005 whose answer named no order.
    order_id: uuid.UUID | None


class IdempotencyRepository:
    def __init__(self, session: Executor) -> None:
        self._session = session

    async def claim(
        self, *, actor_hash: bytes, key: str, fingerprint: bytes, now: datetime
    ) -> StoredResponse | None:
        """Claims the key for this transaction; returns the earlier answer when the key was
        used before. A concurrent first use makes this wait (on the primary key) until that
        transaction ends, then either see its answer or take over the key."""
        claimed = await _CLAIM.fetch(
            self._session, actor=actor_hash, key=key, fingerprint=fingerprint, now=now
        )
        if claimed:
            return None
        row = (
            await self._session.execute(
                _STORED,
                {"actor": actor_hash, "key": key},
            )
        ).one()
        return StoredResponse(
            fingerprint=row.fingerprint, status_code=row.status_code, order_id=row.order_id
        )

    async def complete(
        self, *, actor_hash: bytes, key: str, status_code: int, order_id: uuid.UUID
    ) -> None:
        await _COMPLETE.fetch(
            self._session, actor=actor_hash, key=key, status=status_code, order_id=order_id
        )

    async def prune(self, *, created_before: datetime) -> int:
        result = await self._session.execute(
            text("DELETE FROM idempotency_records WHERE created_at < :before"),
            {"before": created_before},
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
