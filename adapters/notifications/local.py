"""The local "result recipient's system" (a consumer of the outbox): a result delivered
to a care unit without a system of its own to push to is put in the unit's delivery list,
from which the unit's system fetches it with a lease and acknowledges it (results polling).
Keyed by the event id (the delivery key): delivering an event again changes nothing but the
`received` count. A result deleted meanwhile (with its order) is not delivered. Each
delivery is a transaction of its own, as an outside system's would be.

The citizen's side of `result_available` — the inbox message and its notifications — is
api/notifications (docs/adr/0009-notifications.md), with the channels in this package:
inbox.py, email.py, sms.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.outbox import EventKind, OutboxEvent

_DELIVER = text(
    """
    INSERT INTO care_unit_result_deliveries (event_id, care_unit_id, result_id, order_id,
                                             delivered_at, received, handed_out)
    SELECT t.id, t.unit, t.result_id, t.order_id, :now, 1, 0
      FROM unnest(CAST(:ids AS uuid[]), CAST(:units AS uuid[]), CAST(:results AS uuid[]),
                  CAST(:orders AS uuid[])) AS t(id, unit, result_id, order_id)
      JOIN results r ON r.id = t.result_id
    ON CONFLICT (event_id) DO UPDATE SET received = care_unit_result_deliveries.received + 1
    """
)


class LocalCareUnitSystem:
    kinds = frozenset({EventKind.RESULT_TO_CARE_UNIT})

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def deliver(
        self, events: Sequence[OutboxEvent], *, now: datetime
    ) -> dict[uuid.UUID, str]:
        async with self._session_factory() as session:
            await session.execute(
                _DELIVER,
                {
                    "now": now,
                    "ids": [e.id for e in events],
                    "units": [uuid.UUID(e.payload["care_unit_id"]) for e in events],
                    "results": [uuid.UUID(e.payload["result_id"]) for e in events],
                    "orders": [uuid.UUID(e.payload["order_id"]) for e in events],
                },
            )
            await session.commit()
        return {}


def local_consumers(
    session_factory: async_sessionmaker[AsyncSession],
) -> list[LocalCareUnitSystem]:
    """The care-unit consumer of development and tests (and, until real ones exist,
    production's)."""
    return [LocalCareUnitSystem(session_factory)]
