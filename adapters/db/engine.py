from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util.concurrency import await_

from adapters.db.repositories import BEGIN_IS_THE_PING
from adapters.settings import Settings

CONNECT_TIMEOUT_SECONDS = 5.0


def _ping_in_one_round_trip(dbapi_connection: Any) -> bool:
    """SQLAlchemy's asyncpg ping wraps `;` in BEGIN/ROLLBACK (for pgbouncer in transaction
    mode): three round trips before every checkout. We connect to PostgreSQL directly (or
    through a session-mode pooler), so one round trip proves the connection alive — and a
    unit of work's own BEGIN proves it as well (TransactionConnection), so it sends none."""
    if BEGIN_IS_THE_PING.get():
        return True
    try:
        await_(dbapi_connection._connection.fetchrow(";"))
    except Exception as error:  # translated like every other driver error
        dbapi_connection._handle_exception(error)
    return True


def create_engine(settings: Settings, *, autocommit: bool = False) -> AsyncEngine:
    """The engine for units of work, or with autocommit=True the one for single-statement
    reads (no BEGIN/COMMIT around them, and no isolation switching per checkout)."""
    # pre-ping: a connection the server dropped (restart, failover, idle kill) is replaced
    # before use instead of failing the request that happens to draw it.
    engine = create_async_engine(
        settings.async_database_url,
        # Units of work ping before use; the read engine retries instead (Services.read).
        pool_pre_ping=not autocommit,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=1800,
        # Full pool: wait this long, then sqlalchemy.exc.TimeoutError (503 `overloaded`).
        pool_timeout=settings.db_pool_timeout_seconds,
        # A server that does not answer a connect (asyncpg waits 60 s by default) is down.
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
        # A failing statement's parameters (answers, addresses, personnummer hashes) must
        # never reach the log through the error's text (issue 11 item 3).
        hide_parameters=True,
        # json/jsonb columns (offer products, answers, payloads) are parsed on every read of
        # them: orjson gives the same values several times faster than the json module.
        json_deserializer=orjson.loads,
        **({"isolation_level": "AUTOCOMMIT"} if autocommit else {}),
    )
    engine.sync_engine.dialect.do_ping = _ping_in_one_round_trip  # type: ignore[method-assign]
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def database_error_summary(error: BaseException) -> str | None:
    """What may be logged of a database error: its kind, SQLSTATE, table and constraint —
    never its text. The driver's text carries values (PostgreSQL's DETAIL "Failing row
    contains (…)" or "Key (…)=(…)", asyncpg's "invalid input for query argument $1: '…'"), and
    those values are personal and health data. None when the error is not a database error
    (nor caused by one)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, DBAPIError):
            original = seen.orig
            # SQLAlchemy's asyncpg adapter keeps the driver's own exception as __cause__.
            driver = getattr(original, "__cause__", None) or original
            parts = [type(driver).__name__]
            for label, attribute in (
                ("SQLSTATE", "sqlstate"),
                ("table", "table_name"),
                ("constraint", "constraint_name"),
            ):
                value = getattr(driver, attribute, None) or getattr(original, attribute, None)
                if value:
                    parts.append(f"{label} {value}")
            return ", ".join(parts)
        if type(seen).__module__.startswith("asyncpg"):
            sqlstate = getattr(seen, "sqlstate", None)
            return type(seen).__name__ + (f", SQLSTATE {sqlstate}" if sqlstate else "")
        seen = seen.__cause__ or seen.__context__
    return None
