from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVarTuple, overload

import asyncpg
from sqlalchemy import Connection, CursorResult, Executable
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.util.concurrency import greenlet_spawn

_Ts = TypeVarTuple("_Ts")
Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


class ReadConnection:
    """A connection of the autocommit read pool, checked out without SQLAlchemy's Connection
    and AsyncConnection around it: those two cost ≈ 0.09 ms of CPU per checkout and return,
    about a third of a hot read (issue 12, part 3). `PreparedQuery` runs on its driver
    connection directly; a repository's other statements wrap the same pooled connection on
    their first use, so they run exactly as on `engine.connect()`. Same pool, so the same
    size, timeout (503 `overloaded`) and invalidation of a dropped connection."""

    def __init__(self, engine: AsyncEngine, pooled: PoolProxiedConnection) -> None:
        self._engine = engine
        self.pooled = pooled
        self._wrapped: AsyncConnection | None = None

    @classmethod
    async def checkout(cls, engine: AsyncEngine) -> ReadConnection:
        # In a greenlet: a new connection (an empty pool) is awaited inside the pool.
        return cls(engine, await greenlet_spawn(engine.sync_engine.raw_connection))

    @overload
    async def execute(
        self, statement: TypedReturnsRows[*_Ts], parameters: Parameters = None
    ) -> CursorResult[*_Ts]: ...
    @overload
    async def execute(
        self, statement: Executable, parameters: Parameters = None
    ) -> CursorResult[*tuple[Any, ...]]: ...
    async def execute(
        self, statement: Executable, parameters: Parameters = None
    ) -> CursorResult[*tuple[Any, ...]]:
        if self._wrapped is None:
            sync = Connection(self._engine.sync_engine, connection=self.pooled)
            self._wrapped = AsyncConnection(self._engine, sync)
        return await self._wrapped.execute(statement, parameters)

    async def close(self) -> None:
        # Back to the pool; in a greenlet, as the pool may close it for real (overflow,
        # invalidated), which is a round trip.
        if self._wrapped is not None:
            await self._wrapped.close()
        else:
            await greenlet_spawn(self.pooled.close)


# Repositories run their statements on an ORM session inside a unit of work (writes), or on
# a plain autocommit connection for single-statement reads on hot paths.
Executor = AsyncSession | AsyncConnection | ReadConnection


class PreparedQuery:
    """A statement compiled once to asyncpg's own form ($1, $2, …), run on the driver
    connection underneath SQLAlchemy: for the hot paths' statements, where SQLAlchemy's
    per-statement work (a greenlet hop, its cursor emulation, result processing) costs more
    than the statement. Same pool and connection as the executor given. In a unit of work it
    first starts the transaction the way SQLAlchemy's asyncpg adapter does before its own
    first statement (the adapter's BEGIN is lazy), so a write through it belongs to the unit
    of work's transaction and is committed or rolled back with it
    (tests/integration/test_prepared_queries_join_the_transaction.py)."""

    # Statements sent this way in this process. SQLAlchemy's events do not see them, so
    # whoever counts statements (the tests that keep list endpoints free of N+1) reads this.
    sent = 0

    def __init__(self, statement: TextClause) -> None:
        dialect = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
        compiled = statement.compile(dialect=dialect)
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())

    async def fetch(self, executor: Executor, **params: Any) -> list[Any]:
        raw: PoolProxiedConnection
        if isinstance(executor, ReadConnection):
            raw = executor.pooled
        else:
            connection = (
                await executor.connection() if isinstance(executor, AsyncSession) else executor
            )
            # The pooled connection is already checked out: reach the driver without
            # get_raw_connection(), which costs a greenlet switch per call.
            sync = connection.sync_connection
            raw = sync.connection if sync is not None else await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        PreparedQuery.sent += 1
        try:
            adapted = raw.dbapi_connection
            # SQLAlchemy 2.1's AsyncAdapt_asyncpg_connection (pinned in requirements.lock):
            # no asyncpg transaction yet means no BEGIN sent yet; an autocommit connection
            # (the read pool's) starts none.
            if getattr(adapted, "_transaction", True) is None:
                await adapted._start_transaction()  # type: ignore[union-attr]
            return list(await driver.fetch(self.sql, *(params[name] for name in self.names)))
        except (
            asyncpg.exceptions.ConnectionDoesNotExistError,
            asyncpg.exceptions.AdminShutdownError,
            asyncpg.exceptions.InterfaceError,
            # What a connection the server just terminated can also answer: its protocol
            # state is broken, so it is as good as gone.
            asyncpg.exceptions.InternalClientError,
            ConnectionError,
        ) as error:
            # The driver's own error: tell the pool, as SQLAlchemy would for its statements.
            raw.invalidate(error)
            raise DroppedConnection("the database closed the connection") from error


class DroppedConnection(Exception):
    """The server closed a pooled connection (restart, failover, idle kill)."""
