"""One use case, one transaction, committed before the response: a failing commit answers
5xx and leaves nothing behind; dropped connections are replaced."""

from __future__ import annotations

import logging

import psycopg
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError, InternalError
from sqlalchemy.orm import Session

from adapters.db.models import AuditEntry
from tests.support.browserless_login import login


class SimulatedCommitFailure(Exception):
    pass


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


async def test_failing_commit_answers_5xx_and_writes_nothing(client, services):
    csrf = await login(client, kind="staff", key="doctor-lund")
    me = (await client.get("/api/staff/me")).json()
    before = await _audit_rows_for(services, "SE2321000255-2001", "select_context")

    def fail(session: Session) -> None:
        raise SimulatedCommitFailure("the database refused the commit")

    event.listen(Session, "before_commit", fail)
    try:
        response = await client.put(
            "/api/staff/context",
            json={"assignment_id": me["assignments"][0]["assignment_id"]},
            headers={"X-CSRF-Token": csrf},
        )
    finally:
        event.remove(Session, "before_commit", fail)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/internal"
    assert "refused the commit" not in response.text
    assert await _audit_rows_for(services, "SE2321000255-2001", "select_context") == before
    # And the session was not changed either: the use case did not half-happen.
    assert (await client.get("/api/staff/me")).json()["selected_assignment_id"] is None


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
