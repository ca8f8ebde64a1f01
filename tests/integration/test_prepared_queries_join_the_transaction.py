"""Statements run through `PreparedQuery` (on the driver connection, under SQLAlchemy) belong
to the unit of work's transaction: SQLAlchemy's asyncpg adapter sends BEGIN lazily, before
its own first statement, so a prepared statement that comes first must start it itself —
otherwise it would run in autocommit and survive a rollback. Proven with the idempotency
claim (an INSERT that runs before any other statement of placing an order) and the audit
entry, against the real database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import text

from api.services import Services
from domain.audit import AuditEvent


async def _claims(services: Services, key: str) -> int:
    async with services.engine.connect() as connection:
        found = await connection.execute(
            text("SELECT count(*) FROM idempotency_records WHERE key = :key"), {"key": key}
        )
        return int(found.scalar_one())


async def test_a_prepared_write_first_in_a_unit_of_work_is_rolled_back_without_commit(
    services: Services,
) -> None:
    key = f"prepared-{uuid.uuid4()}"
    async with services.uow() as uow:
        claimed = await uow.idempotency.claim(
            actor_hash=b"prepared-test", key=key, fingerprint=b"f", now=datetime.now(UTC)
        )
        assert claimed is None  # the key was free: claimed now
        # Leaving without commit rolls the unit of work back.
    assert await _claims(services, key) == 0


async def test_a_prepared_write_first_in_a_unit_of_work_is_committed_with_it(
    services: Services,
) -> None:
    key = f"prepared-{uuid.uuid4()}"
    async with services.uow() as uow:
        await uow.idempotency.claim(
            actor_hash=b"prepared-test", key=key, fingerprint=b"f", now=datetime.now(UTC)
        )
        await uow.commit()
    assert await _claims(services, key) == 1


async def test_prepared_and_sqlalchemy_statements_share_one_transaction(
    services: Services,
) -> None:
    request_id = f"prepared-{uuid.uuid4()}"
    event = AuditEvent(
        occurred_at=datetime.now(UTC),
        action="prepared_query_test",
        actor_kind="staff",
        actor_id="prepared-test",
        request_id=request_id,
        details={},
    )
    async with services.uow() as uow:
        await uow.audit.record(event)  # prepared: starts the transaction
        # A SQLAlchemy statement afterwards sees the uncommitted row: the same transaction.
        seen = await uow.session.execute(
            text("SELECT count(*) FROM audit_log WHERE request_id = :id"), {"id": request_id}
        )
        assert seen.scalar_one() == 1
    async with services.engine.connect() as connection:
        after = await connection.execute(
            text("SELECT count(*) FROM audit_log WHERE request_id = :id"), {"id": request_id}
        )
        assert after.scalar_one() == 0
