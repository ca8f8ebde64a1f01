"""A unit of work's connection (adapters.db.repositories.TransactionConnection): checked out
without the pool's ping, its BEGIN sent at once and doubling as the ping. Proven against the
real server, on an engine of one connection so that every unit of work draws the same one:
the statements the server receives, a connection the server terminated in between, and the
ORM session joining the same transaction."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import create_engine, create_session_factory
from adapters.db.repositories import PooledConnection
from adapters.db.uow import UnitOfWork
from adapters.protection import DataProtector
from adapters.settings import Settings


@pytest.fixture
async def one_connection(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.model_copy(update={"db_pool_size": 1, "db_max_overflow": 0}))
    try:
        yield engine
    finally:
        await engine.dispose()


def _uow(engine: AsyncEngine, settings: Settings) -> UnitOfWork:
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    return UnitOfWork(engine, create_session_factory(engine), protector)


async def _claim(uow: UnitOfWork, key: str) -> None:
    claimed = await uow.idempotency.claim(
        actor_hash=b"uow-connection-test", key=key, fingerprint=b"f", now=datetime.now(UTC)
    )
    assert claimed is None


def _claims(settings: Settings, key: str) -> int:
    with psycopg.connect(settings.database_url) as db:
        row = db.execute("SELECT count(*) FROM idempotency_records WHERE key = %s", (key,))
        found = row.fetchone()
    assert found is not None
    return int(found[0])


async def _commits_on_a_new_connection(
    engine: AsyncEngine, settings: Settings, *, replacing: Any
) -> None:
    """The next unit of work draws another driver connection than `replacing`, and what it
    writes is committed."""
    key = f"uow-{uuid.uuid4()}"
    async with _uow(engine, settings) as uow:
        assert uow._connection.pooled.driver_connection is not replacing
        await _claim(uow, key)
        await uow.commit()
    assert _claims(settings, key) == 1


async def test_a_unit_of_work_sends_begin_its_statements_and_commit_and_no_ping(
    one_connection: AsyncEngine, settings: Settings
) -> None:
    async with _uow(one_connection, settings) as uow:  # the pool's one connection, made now
        driver = uow._connection.pooled.driver_connection
        sent: list[str] = []
        driver.add_query_logger(lambda record: sent.append(record.query.strip()))
        await uow.commit()
    key = f"uow-{uuid.uuid4()}"
    async with _uow(one_connection, settings) as uow:  # the same connection, drawn again
        assert uow._connection.pooled.driver_connection is driver
        await _claim(uow, key)
        await uow.commit()
    await asyncio.sleep(0.05)  # asyncpg calls its query loggers soon after, not at once
    # The first block's COMMIT (the logger was added after its BEGIN), then the second
    # block's statements — and no ping (`;`) before its BEGIN.
    assert sent[:2] == ["COMMIT;", "BEGIN;"]
    assert sent[2].startswith("INSERT INTO idempotency_records")
    assert sent[3:] == ["COMMIT;"]
    assert _claims(settings, key) == 1


async def test_a_unit_of_work_on_a_connection_the_server_terminated_commits_on_a_new_one(
    one_connection: AsyncEngine, settings: Settings
) -> None:
    async with _uow(one_connection, settings) as uow:
        first: Any = uow._connection.pooled.driver_connection
        pid = first.get_server_pid()
    # What a PostgreSQL restart or failover does to a pooled connection.
    with psycopg.connect(settings.database_url, autocommit=True) as db:
        db.execute("SELECT pg_terminate_backend(%s)", (pid,))
    await asyncio.sleep(0.2)
    await _commits_on_a_new_connection(one_connection, settings, replacing=first)


async def test_the_orm_session_writes_in_the_unit_of_works_transaction(
    one_connection: AsyncEngine, settings: Settings
) -> None:
    kept, dropped = f"uow-{uuid.uuid4()}", f"uow-{uuid.uuid4()}"
    update = text("UPDATE idempotency_records SET status_code = 299 WHERE key = :key")
    for key, commit in ((kept, True), (dropped, False)):
        async with _uow(one_connection, settings) as uow:
            await _claim(uow, key)  # prepared, on the driver connection
            changed = await uow.session.execute(update, {"key": key})  # the ORM session
            assert changed.rowcount == 1  # sees the uncommitted claim: one transaction
            if commit:
                await uow.commit()
    assert _claims(settings, kept) == 1
    assert _claims(settings, dropped) == 0
    with psycopg.connect(settings.database_url) as db:
        status = db.execute(
            "SELECT status_code FROM idempotency_records WHERE key = %s", (kept,)
        ).fetchone()
    assert status == (299,)


async def test_a_unit_of_work_waits_for_the_pools_only_connection_to_come_free(
    one_connection: AsyncEngine, settings: Settings
) -> None:
    # The checkout is made without a greenlet only when an idle connection is there; the
    # second unit of work finds none and waits for it in a greenlet, as SQLAlchemy's pool does.
    first_key, second_key = f"uow-{uuid.uuid4()}", f"uow-{uuid.uuid4()}"
    order: list[str] = []

    async def hold_the_connection() -> None:
        async with _uow(one_connection, settings) as uow:
            await _claim(uow, first_key)
            await asyncio.sleep(0.3)
            await uow.commit()
            order.append("first")

    async def wait_for_it() -> None:
        await asyncio.sleep(0.05)
        async with _uow(one_connection, settings) as uow:
            await _claim(uow, second_key)
            await uow.commit()
            order.append("second")

    await asyncio.gather(hold_the_connection(), wait_for_it())
    assert order == ["first", "second"]
    assert _claims(settings, first_key) == _claims(settings, second_key) == 1


async def test_a_connection_due_for_recycling_is_replaced_on_checkout(
    one_connection: AsyncEngine, settings: Settings
) -> None:
    async with _uow(one_connection, settings) as uow:
        first: Any = uow._connection.pooled.driver_connection
    # Every connection is due now (the engine's pool_recycle is 30 minutes).
    one_connection.sync_engine.pool._recycle = 0  # type: ignore[attr-defined]
    await asyncio.sleep(0.01)
    await _commits_on_a_new_connection(one_connection, settings, replacing=first)
    assert first.is_closed()


async def _first_connection(engine: AsyncEngine, settings: Settings, *, autocommit: bool) -> None:
    if autocommit:
        await (await PooledConnection.checkout(engine)).close()
    else:
        async with _uow(engine, settings):
            pass


async def test_a_connect_the_server_refuses_is_answered_as_an_outage(settings: Settings) -> None:
    # A real refusal by the server: a role allowed no connections (SQLSTATE 53300, what a
    # server at max_connections answers). The pool raises the driver adapter's own error;
    # it must reach the error handlers as SQLAlchemy's DBAPIError, an outage (503 with
    # Retry-After), not as an unforeseen error (500).
    from sqlalchemy.exc import DBAPIError

    from api.web.errors import OVERLOADED, outage_kind

    role = f"refused_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(settings.database_url, autocommit=True) as db:
        db.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0")
    try:
        host_and_db = settings.database_url.split("@", 1)[1]
        refused = settings.model_copy(update={"database_url": f"postgresql://{role}@{host_and_db}"})
        for autocommit in (False, True):  # a unit of work's checkout, and a read's
            engine = create_engine(refused, autocommit=autocommit)
            try:
                with pytest.raises(DBAPIError) as raised:
                    await _first_connection(engine, settings, autocommit=autocommit)
                assert outage_kind(raised.value) is OVERLOADED
            finally:
                await engine.dispose()
    finally:
        with psycopg.connect(settings.database_url, autocommit=True) as db:
            db.execute(f"DROP ROLE {role}")
