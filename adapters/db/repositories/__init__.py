from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.elements import TextClause

# Repositories run their statements on an ORM session inside a unit of work (writes), or on
# a plain autocommit connection for single-statement reads on hot paths.
Executor = AsyncSession | AsyncConnection


class PreparedQuery:
    """A statement compiled once to asyncpg's own form ($1, $2, …), run on the driver
    connection underneath SQLAlchemy: for the hottest reads, where SQLAlchemy's per-statement
    work costs more than the query. Same pool and connection as the executor given; it
    bypasses SQLAlchemy's lazy BEGIN, so it is for reads only, never for writes."""

    # Statements sent this way in this process. SQLAlchemy's events do not see them, so
    # whoever counts statements (the tests that keep list endpoints free of N+1) reads this.
    sent = 0

    def __init__(self, statement: TextClause) -> None:
        dialect = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
        compiled = statement.compile(dialect=dialect)
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())

    async def fetch(self, executor: Executor, **params: Any) -> list[Any]:
        connection = await executor.connection() if isinstance(executor, AsyncSession) else executor
        # The pooled connection is already checked out: reach the driver without
        # get_raw_connection(), which costs a greenlet switch per call.
        sync = connection.sync_connection
        raw = sync.connection if sync is not None else await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        PreparedQuery.sent += 1
        try:
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
