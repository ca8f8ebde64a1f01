from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any, TypeVarTuple, overload

import asyncpg
from sqlalchemy import Connection, CursorResult, Executable
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DBAPIError, MissingGreenlet
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.util.concurrency import greenlet_spawn

_Ts = TypeVarTuple("_Ts")
Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None

# Set while a unit of work checks out its connection: its BEGIN, sent next, proves the
# connection alive, so the pool's ping before it (adapters.db.engine) would only add a round
# trip (TransactionConnection).
BEGIN_IS_THE_PING: ContextVar[bool] = ContextVar("BEGIN_IS_THE_PING", default=False)


# The one case where the direct checkout below needs I/O after all (the pool must reconnect:
# a connection due for recycling, or one invalidated by a cancelled statement): SQLAlchemy's
# await_ closes the driver's connect() it was not allowed to await, and Python warns of a
# coroutine never awaited. Expected there, and only there (pyproject.toml repeats it for
# pytest, which replaces the filters per test).
warnings.filterwarnings(
    "ignore",
    message="coroutine 'connect' was never awaited",
    category=RuntimeWarning,
    module="sqlalchemy.util.concurrency",
)


async def _checkout(engine: AsyncEngine) -> PoolProxiedConnection:
    """A pooled connection, taken without a greenlet when the pool has an idle one ready.

    SQLAlchemy's pool is synchronous code that awaits (through a greenlet) only to connect,
    to wait for a connection to come free, or to ping; handing out an idle connection is no
    I/O at all. A greenlet per checkout and per return cost ≈ 7 µs each and, on Python 3.11,
    a data stack of its own: an mmap and a munmap per greenlet (issue 12, part 3). So with
    an idle connection in the pool the checkout is made directly: should it need I/O after
    all (the connection is due for recycling), SQLAlchemy raises MissingGreenlet before
    anything was awaited, the recycled connection goes back to the pool invalidated, and
    the checkout runs in a greenlet like every other one."""
    pool: Any = engine.sync_engine.pool
    checkedin = getattr(pool, "checkedin", None)
    if checkedin is not None and checkedin() > 0:  # an idle connection to hand out
        try:
            return engine.sync_engine.raw_connection()
        except MissingGreenlet:
            pass
    return await _checkout_in_greenlet(engine)


async def _checkout_in_greenlet(engine: AsyncEngine) -> PoolProxiedConnection:
    dialect = engine.sync_engine.dialect
    try:
        return await greenlet_spawn(engine.sync_engine.raw_connection)
    except dialect.loaded_dbapi.Error as error:
        # A connect the server refused (starting up, too many connections): the pool raises
        # the driver adapter's own error, which SQLAlchemy wraps only for its Connection.
        # Wrapped the same way here, so that it is answered as the outage it is (a 503 with
        # Retry-After, api/web/errors.py), not as an unforeseen error.
        raise DBAPIError.instance(
            None, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error


async def _return(pooled: PoolProxiedConnection) -> None:
    """Back to the pool, without a greenlet when that is no I/O: no transaction left to roll
    back (the reset on return) and no connection over the pool's size (which the pool
    would close). Otherwise in a greenlet."""
    adapted: Any = pooled.dbapi_connection
    pool: Any = getattr(pooled, "_pool", None)
    overflow = getattr(pool, "overflow", None)
    if (
        (adapted is None or getattr(adapted, "_transaction", True) is None)
        and overflow is not None
        and overflow() <= 0
    ):
        pooled.close()
    else:
        await greenlet_spawn(pooled.close)


class PooledConnection:
    """A pooled connection checked out without SQLAlchemy's Connection and AsyncConnection
    around it: those two cost ≈ 0.09 ms of CPU per checkout and return, about a third of a
    hot read (issue 12, part 3). `PreparedQuery` runs on its driver connection directly; a
    repository's other statements wrap the same pooled connection on their first use, so
    they run exactly as on `engine.connect()`. Same pool, so the same size, timeout (503
    `overloaded`) and invalidation of a dropped connection. As it is, the read pool's
    (autocommit); `TransactionConnection` is a unit of work's."""

    def __init__(self, engine: AsyncEngine, pooled: PoolProxiedConnection) -> None:
        self._engine = engine
        self.pooled = pooled
        self._wrapped: AsyncConnection | None = None

    @classmethod
    async def checkout(cls, engine: AsyncEngine) -> PooledConnection:
        return cls(engine, await _checkout(engine))

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
        return await self.wrapped().execute(statement, parameters)

    def wrapped(self) -> AsyncConnection:
        """SQLAlchemy's connection around the pooled one, made on first use (no I/O)."""
        if self._wrapped is None:
            sync = Connection(self._engine.sync_engine, connection=self.pooled)
            self._wrapped = AsyncConnection(self._engine, sync)
        return self._wrapped

    async def close(self) -> None:
        # Back to the pool (through SQLAlchemy's connection when one was made).
        if self._wrapped is not None:
            await self._wrapped.close()
        else:
            await _return(self.pooled)


# Repositories run their statements on an ORM session inside a unit of work (writes), or on
# a plain autocommit connection for single-statement reads on hot paths.
Executor = AsyncSession | AsyncConnection | PooledConnection


# The driver's errors that mean the connection is gone (the server restarted, failed over or
# closed it).
_DROPPED = (
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.InterfaceError,
    # What a connection the server just terminated can also answer: its protocol state is
    # broken, so it is as good as gone.
    asyncpg.exceptions.InternalClientError,
    ConnectionError,
)


def _dropped(error: BaseException) -> bool:
    """The error, or the driver's error SQLAlchemy's asyncpg adapter translated into it,
    says the connection is gone."""
    seen: BaseException | None = error
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, _DROPPED):
            return True
        seen = seen.__cause__
    return False


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
        if isinstance(executor, PooledConnection):
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
        except _DROPPED as error:
            # The driver's own error: tell the pool, as SQLAlchemy would for its statements.
            raw.invalidate(error)
            raise DroppedConnection("the database closed the connection") from error


class DroppedConnection(Exception):
    """The server closed a pooled connection (restart, failover, idle kill)."""


class TransactionConnection(PooledConnection):
    """A unit of work's connection: checked out of the units-of-work pool without
    SQLAlchemy's wrappers and without the pool's ping, its transaction begun at once. The
    BEGIN is the ping: a connection the server dropped fails it at once, without having
    sent anything, and is replaced by a checkout with the pool's ping, as every checkout was
    before. So a unit of work pays BEGIN, its statements and COMMIT, not a ping as well; and
    SQLAlchemy's AsyncSession, its Connection and their greenlet hops (≈ 0.26 ms of CPU per
    unit of work, issue 12 part 3) only when a repository runs a SQLAlchemy statement or the
    ORM (`wrapped()`, `UnitOfWork.session`): they join the transaction already begun."""

    @classmethod
    async def begin(cls, engine: AsyncEngine) -> TransactionConnection:
        token = BEGIN_IS_THE_PING.set(True)
        try:
            connection = cls(engine, await _checkout(engine))
        finally:
            BEGIN_IS_THE_PING.reset(token)
        try:
            await connection._begin()
            return connection
        except Exception as error:
            if not _dropped(error):
                await connection.close()
                raise
            connection.pooled.invalidate(error)
            await connection.close()
        # Pinged by the pool (which replaces a dead connection before handing it out).
        connection = cls(engine, await _checkout_in_greenlet(engine))
        try:
            await connection._begin()
        except BaseException:
            await connection.close()
            raise
        return connection

    async def _begin(self) -> None:
        # SQLAlchemy 2.1's asyncpg adapter (pinned in requirements.lock): the transaction it
        # tracks is the one its own statements and commit() use; PreparedQuery and
        # SQLAlchemy's Connection (whose BEGIN is a no-op for this driver) join it.
        await self.pooled.dbapi_connection._start_transaction()  # type: ignore[union-attr]

    def _driver_transaction(self) -> tuple[Any, Any]:
        """The adapter and its open asyncpg transaction (None: none open, or the connection
        was invalidated)."""
        adapted: Any = self.pooled.dbapi_connection
        return adapted, None if adapted is None else adapted._transaction

    async def commit(self) -> None:
        wrapped = self._wrapped
        if wrapped is not None and wrapped.in_transaction():
            await wrapped.commit()  # SQLAlchemy's transaction, and the driver's with it
        adapted, transaction = self._driver_transaction()
        if transaction is None:
            return
        try:
            await adapted._call_and_discard(transaction.commit)
        except _DROPPED as error:
            self.pooled.invalidate(error)
            raise DroppedConnection("the database closed the connection") from error

    async def close(self) -> None:
        """Rolls back what was not committed and returns the connection to the pool."""
        if self._wrapped is not None:
            # SQLAlchemy rolls back its transaction; the pool's reset on return, the driver's.
            await self._wrapped.close()
            return
        adapted, transaction = self._driver_transaction()
        if transaction is not None:
            try:
                await adapted._call_and_discard(transaction.rollback)
            except _DROPPED as error:
                self.pooled.invalidate(error)
        await _return(self.pooled)
