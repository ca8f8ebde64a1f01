"""One use case, one transaction, committed before the response: a failing commit answers
5xx and leaves nothing behind; dropped connections are replaced."""

from __future__ import annotations

import logging

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, InternalError

from adapters.db.models import AuditEntry
from tests.support.browserless_login import login


async def _audit_rows_for(services, actor_id: str, action: str) -> int:
    async with services.uow() as uow:
        return int(
            (
                await uow.session.execute(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(AuditEntry.actor_id == actor_id, AuditEntry.action == action)
                )
            ).scalar_one()
        )


# A real failing COMMIT: a deferred constraint trigger runs at commit time and refuses this
# test's own audit entry (Lund's doctor selecting a context), whatever path wrote it.
_REFUSE_AT_COMMIT = """
CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the database refused the commit';
END $$;
CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON audit_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (NEW.actor_id = 'SE2321000255-2001' AND NEW.action = 'select_context')
  EXECUTE FUNCTION refuse_at_commit();
"""
_ALLOW_COMMIT = """
DROP TRIGGER IF EXISTS refuse_at_commit ON audit_log;
DROP FUNCTION IF EXISTS refuse_at_commit();
"""


async def test_failing_commit_answers_5xx_and_writes_nothing(client, services, settings):
    csrf = await login(client, kind="staff", key="doctor-lund")
    me = (await client.get("/api/staff/me")).json()
    before = await _audit_rows_for(services, "SE2321000255-2001", "select_context")
    with psycopg.connect(settings.database_url.replace("+asyncpg", ""), autocommit=True) as db:
        db.execute(_REFUSE_AT_COMMIT)
        try:
            response = await client.put(
                "/api/staff/context",
                json={"assignment_id": me["assignments"][0]["assignment_id"]},
                headers={"X-CSRF-Token": csrf},
            )
        finally:
            db.execute(_ALLOW_COMMIT)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/internal"
    assert "refused the commit" not in response.text
    assert await _audit_rows_for(services, "SE2321000255-2001", "select_context") == before
    # And the session was not changed either: the use case did not half-happen.
    assert (await client.get("/api/staff/me")).json()["selected_assignment_id"] is None
    # The connection whose commit failed went back to the pool usable.
    assert (await client.get("/api/staff/me")).status_code == 200


async def test_audit_log_refuses_updates_and_deletes(services):
    async with services.uow() as uow:
        with pytest.raises((DBAPIError, InternalError), match="append-only"):
            await uow.session.execute(text("UPDATE audit_log SET action = 'tampered'"))
    async with services.uow() as uow:
        with pytest.raises((DBAPIError, InternalError), match="append-only"):
            await uow.session.execute(text("DELETE FROM audit_log"))


async def test_pool_survives_server_terminating_its_connections(client, services, settings, caplog):
    await login(client, kind="citizen", key="tolvan")
    assert (await client.get("/api/citizen/profile")).status_code == 200
    # What a PostgreSQL restart or failover does to pooled connections.
    admin_url = settings.database_url.rsplit("/", 1)[0] + "/postgres"
    database = settings.database_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        terminated = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchone()
    assert terminated is not None
    assert terminated[0] >= 1
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert (await client.get("/api/citizen/profile")).status_code == 200
    # The read pool (no pre-ping) noticed the dropped connection and retried on a new one.
    assert any("renewing the read pool" in r.getMessage() for r in caplog.records)


async def test_api_answers_carry_security_headers_and_a_request_id(client):
    response = await client.get("/api/session", headers={"X-Request-ID": "trace-me-12345678"})
    assert response.headers["x-request-id"] == "trace-me-12345678"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert (
        response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    # A malformed request id is replaced, not echoed.
    odd = await client.get("/api/session", headers={"X-Request-ID": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"
