"""What operations read of the database: the migration it is at (readiness) and the state of
the outbox queue (metrics). Never personal data: counts, ages and revision ids only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from adapters.db.repositories import Executor

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"

_REVISIONS = text("SELECT version_num FROM alembic_version")
# Both counts walk partial indexes that hold only pending, respectively dead, events
# (ix_outbox_events_pending, ix_outbox_events_dead): cheap whatever the delivered history.
_OUTBOX = text(
    """
    SELECT (SELECT count(*) FROM outbox_events WHERE status = 'pending') AS pending,
           (SELECT min(next_attempt_at) FROM outbox_events
             WHERE status = 'pending' AND next_attempt_at <= :now) AS oldest_due,
           (SELECT count(*) FROM outbox_events WHERE status = 'dead') AS dead
    """
)


@lru_cache(maxsize=1)
def code_revisions() -> tuple[frozenset[str], frozenset[str]]:
    """The heads this code expects, and every revision it knows (read once from
    migrations/)."""
    scripts = ScriptDirectory(str(MIGRATIONS))
    return frozenset(scripts.get_heads()), frozenset(r.revision for r in scripts.walk_revisions())


@dataclass(frozen=True, slots=True)
class SchemaState:
    database: frozenset[str]
    expected: frozenset[str]
    known: frozenset[str]

    @property
    def usable(self) -> bool:
        """The database is at this code's head, or ahead of it: a revision this code does
        not know was made by a newer release, whose migrations are backward compatible
        (expand/contract, docs/operations.md), so the running release stays ready while
        the next one rolls out. Behind (a known revision that is not the head) or
        unmigrated is not usable."""
        if not self.database:
            return False
        if self.database == self.expected:
            return True
        return not self.database <= self.known


@dataclass(frozen=True, slots=True)
class OutboxQueue:
    pending: int
    # Age of the oldest event whose delivery is due and not done: how far delivery lags.
    lag_seconds: float
    dead: int


class OperationsRepository:
    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def schema_state(self) -> SchemaState:
        expected, known = code_revisions()
        try:
            rows = (await self._executor.execute(_REVISIONS)).scalars().all()
        except ProgrammingError:  # no alembic_version table: never migrated
            rows = []
        return SchemaState(database=frozenset(rows), expected=expected, known=known)

    async def outbox_queue(self, *, now: datetime) -> OutboxQueue:
        row = (await self._executor.execute(_OUTBOX, {"now": now})).one()
        oldest = row.oldest_due
        lag = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
        return OutboxQueue(pending=int(row.pending), lag_seconds=lag, dead=int(row.dead))
