"""Local consumers of the outbox, recording what they were given in tables of their own,
each keyed by the event id (the delivery key): delivering an event again changes nothing but
the `received` count, so at-least-once delivery shows a person nothing twice.

- `LocalCitizenNotifier`: the citizen-notification hook. The results follow-up issue sends
  the 1177 inbox message (and SMS / e-mail); until then the notification is recorded.
  Never the result itself, only that there is one (SPEC §10). An order the citizen deleted
  meanwhile gets no notification.
- `LocalCareUnitSystem`: "the result recipient's system" for care units without a system
  of their own to push to: the result is put in the unit's delivery list, from which the
  unit's system fetches it with a lease and acknowledges it (results polling). A result
  deleted meanwhile (with its order) is not delivered.

Each delivery is a transaction of its own, as an outside system's would be."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.outbox import EventKind, OutboxEvent

_NOTIFY = text(
    """
    INSERT INTO citizen_notifications (event_id, order_id, kind, recorded_at, received)
    SELECT t.id, t.order_id, t.kind, :now, 1
      FROM unnest(CAST(:ids AS uuid[]), CAST(:orders AS uuid[]), CAST(:kinds AS text[]))
           AS t(id, order_id, kind)
      JOIN orders o ON o.id = t.order_id
    ON CONFLICT (event_id) DO UPDATE SET received = citizen_notifications.received + 1
    """
)
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


class LocalCitizenNotifier:
    kinds = frozenset({EventKind.RESULT_AVAILABLE})

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def deliver(
        self, events: Sequence[OutboxEvent], *, now: datetime
    ) -> dict[uuid.UUID, str]:
        async with self._session_factory() as session:
            await session.execute(
                _NOTIFY,
                {
                    "now": now,
                    "ids": [e.id for e in events],
                    "orders": [uuid.UUID(e.payload["order_id"]) for e in events],
                    "kinds": [
                        "result_corrected" if e.payload.get("corrected") else "result_available"
                        for e in events
                    ],
                },
            )
            await session.commit()
        return {}


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
) -> list[LocalCitizenNotifier | LocalCareUnitSystem]:
    """The consumers of development and tests (and, until real ones exist, production's)."""
    return [LocalCitizenNotifier(session_factory), LocalCareUnitSystem(session_factory)]
