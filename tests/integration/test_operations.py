"""Operability (issue 13): liveness and readiness for the load balancer and the orchestrator,
Prometheus metrics by route template, structured JSON logs with the request id and without
personal data, OpenTelemetry tracing off by default, and scheduled jobs that handle each due
item once however many workers run them."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from adapters.db.repositories.operations import code_revisions
from adapters.request_scope import enter_request, leave_request
from adapters.settings import Settings
from api.app import create_app
from api.logging_setup import make_handler
from api.services import build_services
from api.worker import WorkerSettings, expire_orders
from tests.support import environment
from tests.support.results_world import create_lab, create_sampled_order

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://testserver"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def _app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A whole app of its own (its own services) built from `settings`."""
    services = build_services(settings)
    app = create_app(settings, services=services)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url=BASE
        ) as http:
            yield http
    finally:
        await services.aclose()


@asynccontextmanager
async def _database_at(revision: str | None) -> AsyncIterator[str]:
    """A database holding only alembic's bookkeeping: at `revision`, or never migrated."""
    name, url = environment.create_database("pep_ready")
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            if revision is not None:
                connection.execute("CREATE TABLE alembic_version (version_num varchar(32))")
                connection.execute("INSERT INTO alembic_version VALUES (%s)", (revision,))
        yield url
    finally:
        environment.drop_database(name)


def _samples(body: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


async def _metrics(
    client: httpx.AsyncClient,
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return _samples(response.text)


def _value(samples, name: str, **labels: str) -> float:  # type: ignore[no-untyped-def]
    return samples.get((name, frozenset(labels.items())), 0.0)


# --- health -------------------------------------------------------------------------------


async def test_liveness_answers_from_the_process_alone(settings):
    broken = settings.model_copy(
        update={
            "database_url": f"postgresql://postgres@127.0.0.1:{_closed_port()}/none",
            "redis_url": f"redis://127.0.0.1:{_closed_port()}/0",
        }
    )
    async with _app_client(broken) as client:
        response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


async def test_readiness_is_ok_when_postgresql_redis_and_migrations_are(client):
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "redis": "ok"},
    }
    # The older combined answer is kept for existing callers.
    assert (await client.get("/api/health")).json() == {
        "status": "ok",
        "database": True,
        "redis": True,
    }


async def test_readiness_is_a_503_problem_naming_redis_when_redis_does_not_answer(settings):
    broken = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{_closed_port()}/0"})
    async with _app_client(broken) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/not-ready"
    assert problem["checks"] == {"database": "ok", "migrations": "ok", "redis": "unreachable"}


async def test_readiness_is_a_503_problem_when_postgresql_does_not_answer(settings):
    broken = settings.model_copy(
        update={"database_url": f"postgresql://postgres@127.0.0.1:{_closed_port()}/none"}
    )
    async with _app_client(broken) as client:
        response = await client.get("/health/ready")
        legacy = (await client.get("/api/health")).json()
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "unreachable",
        "migrations": "unknown",
        "redis": "ok",
    }
    assert legacy == {"status": "degraded", "database": False, "redis": True}


@pytest.mark.parametrize(
    ("revision", "status", "migrations"),
    [
        # Never migrated, or behind this code's head: new code must not take traffic.
        (None, 503, "behind"),
        ("previous", 503, "behind"),
        # Ahead: a newer release migrated (expand/contract keeps this one working).
        ("0099_newer_release", 200, "ok"),
    ],
)
async def test_readiness_needs_the_database_migrated_to_this_code_or_beyond(
    settings, revision, status, migrations
):
    heads, known = code_revisions()
    if revision == "previous":
        revision = sorted(known - heads)[0]
    async with _database_at(revision) as url:
        async with _app_client(settings.model_copy(update={"database_url": url})) as client:
            response = await client.get("/health/ready")
    assert response.status_code == status, response.text
    body = response.json()
    assert body["checks"]["migrations"] == migrations


# --- metrics ------------------------------------------------------------------------------


async def test_requests_are_counted_by_route_template_never_by_the_path_asked(client):
    before = await _metrics(client)
    order_id = uuid.uuid4()
    for _ in range(3):
        assert (await client.get(f"/api/citizen/orders/{order_id}")).status_code == 401
    after = await _metrics(client)
    body = (await client.get("/metrics")).text
    labels = {"method": "GET", "route": "/api/citizen/orders/{order_id}", "status": "401"}
    assert (
        _value(after, "pep_http_requests_total", **labels)
        - _value(before, "pep_http_requests_total", **labels)
        == 3
    )
    timing = {"method": "GET", "route": "/api/citizen/orders/{order_id}"}
    assert (
        _value(after, "pep_http_request_duration_seconds_count", **timing)
        - _value(before, "pep_http_request_duration_seconds_count", **timing)
        == 3
    )
    assert str(order_id) not in body
    # A path no route knows is one series, whatever was asked.
    await client.get(f"/api/no-such-thing/{order_id}")
    assert (
        _value(
            await _metrics(client),
            "pep_http_requests_total",
            method="GET",
            route="unmatched",
            status="404",
        )
        - _value(after, "pep_http_requests_total", method="GET", route="unmatched", status="404")
        == 1
    )


async def test_mounted_apps_are_counted_by_their_own_route_templates(client):
    before = await _metrics(client)
    start = await client.get("/auth/citizen/login")
    assert start.status_code == 302
    authorize = start.headers["location"]
    assert (await client.get(authorize)).status_code == 200
    after = await _metrics(client)
    labels = {"method": "GET", "route": "/idp/citizen/authorize", "status": "200"}
    assert (
        _value(after, "pep_http_requests_total", **labels)
        - _value(before, "pep_http_requests_total", **labels)
        == 1
    )


async def test_pool_connections_in_use_are_counted_per_engine(client, services, settings):
    before = await _metrics(client)
    assert _value(before, "pep_db_pool_size", engine="uow") == (
        settings.db_pool_size + settings.db_max_overflow
    )
    async with services.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
        held = await _metrics(client)
    after = await _metrics(client)
    in_use = "pep_db_pool_connections_in_use"
    assert _value(held, in_use, engine="uow") - _value(before, in_use, engine="uow") == 1
    assert _value(after, in_use, engine="uow") == _value(before, in_use, engine="uow")


async def test_outbox_depth_lag_and_dead_letters_are_reported(client, services):
    before = await _metrics(client)
    now = services.now()
    pending = [uuid.uuid4() for _ in range(3)]
    dead = [uuid.uuid4() for _ in range(2)]
    async with services.uow() as uow:
        for event_id, status, due in (
            *((i, "pending", now - timedelta(hours=2)) for i in pending),
            *((i, "dead", now - timedelta(days=1)) for i in dead),
        ):
            await uow.session.execute(
                text(
                    "INSERT INTO outbox_events (id, kind, payload, status, attempts,"
                    " next_attempt_at, created_at) VALUES (:id, 'result_available',"
                    " CAST('{}' AS jsonb), :status, 0, :due, :due)"
                ),
                {"id": event_id, "status": status, "due": due},
            )
        await uow.commit()
    try:
        after = await _metrics(client)
    finally:
        async with services.uow() as uow:
            await uow.session.execute(
                text("DELETE FROM outbox_events WHERE id = ANY(CAST(:ids AS uuid[]))"),
                {"ids": pending + dead},
            )
            await uow.commit()
    assert (
        _value(after, "pep_outbox_pending_events") - _value(before, "pep_outbox_pending_events")
        == 3
    )
    assert _value(after, "pep_outbox_dead_events") - _value(before, "pep_outbox_dead_events") == 2
    # The oldest due event is ours, two hours late.
    assert 7200 <= _value(after, "pep_outbox_lag_seconds") < 7200 + 120


async def test_failed_logins_are_counted_by_kind_and_reason(client):
    before = await _metrics(client)
    # A callback whose state no login started: "ogiltig" (or "utgangen"), never a session.
    response = await client.get("/auth/citizen/callback", params={"state": "x", "code": "y"})
    assert response.status_code == 303
    reason = response.headers["location"].split("inloggning=")[1]
    after = await _metrics(client)
    labels = {"kind": "citizen", "reason": reason}
    assert (
        _value(after, "pep_login_failures_total", **labels)
        - _value(before, "pep_login_failures_total", **labels)
        == 1
    )


async def test_metrics_answer_only_the_scraper_when_a_token_is_set(settings):
    guarded = settings.model_copy(update={"metrics_token": "scrape-" + "x" * 32})
    async with _app_client(guarded) as client:
        refused = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        allowed = await client.get(
            "/metrics", headers={"Authorization": f"Bearer scrape-{'x' * 32}"}
        )
    assert refused.status_code == wrong.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert allowed.status_code == 200
    assert "pep_http_requests_total" in allowed.text


async def test_production_without_a_metrics_token_keeps_the_metrics_closed(settings):
    # Settings' production checks are not the point here: only the environment's name.
    production = settings.model_copy(update={"environment": "production"})
    async with _app_client(production) as client:
        response = await client.get("/metrics")
    assert response.status_code == 403


def test_several_uvicorn_workers_report_their_counts_together(tmp_path):
    """PROMETHEUS_MULTIPROC_DIR: each worker process writes its values there, and the one
    that answers the scrape adds them up (live gauges only for processes still running)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = (
        "from api.metrics import REQUESTS;"
        "REQUESTS.labels(method='GET', route='/api/x', status='200').inc()"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", count], cwd=ROOT, env=env, check=True)
    scrape = (
        "import sys; from api.metrics import exposition;"
        " sys.stdout.write(exposition(None).decode())"
    )
    body = subprocess.run(
        [sys.executable, "-c", scrape], cwd=ROOT, env=env, check=True, capture_output=True
    ).stdout.decode()
    assert (
        _value(
            _samples(body), "pep_http_requests_total", method="GET", route="/api/x", status="200"
        )
        == 2
    )


# --- logs ---------------------------------------------------------------------------------


def test_json_log_lines_carry_the_request_id_and_no_personnummer():
    stream = io.StringIO()
    logger = logging.getLogger("tests.operations.json")
    logger.propagate = False
    logger.addHandler(make_handler("json", stream))
    token = enter_request("req-0123456789")
    try:
        logger.warning("looked up %s", "19121212-1212")
        try:
            raise ValueError("bad personnummer 191212121212")
        except ValueError:
            logger.exception("failed")
    finally:
        leave_request(token)
        logger.handlers.clear()
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "looked up [personnummer]"
    assert first["request_id"] == second["request_id"] == "req-0123456789"
    assert first["level"] == "WARNING"
    assert first["logger"] == "tests.operations.json"
    assert "191212121212" not in second["exception"]
    assert "[personnummer]" in second["exception"]
    assert "19121212" not in stream.getvalue()


async def test_a_request_logs_json_with_its_request_id(settings):
    stream = io.StringIO()
    handler = make_handler("json", stream)
    logging.getLogger().addHandler(handler)
    broken = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{_closed_port()}/0"})
    try:
        async with _app_client(broken) as client:
            response = await client.get("/health/ready", headers={"X-Request-ID": "ops-request-42"})
    finally:
        logging.getLogger().removeHandler(handler)
    assert response.json()["request_id"] == "ops-request-42"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    readiness = [entry for entry in lines if entry["logger"] == "api.health.usecases"]
    assert [entry["request_id"] for entry in readiness] == ["ops-request-42"]
    assert "redis check failed" in readiness[0]["message"]


def test_a_database_error_is_logged_by_its_kind_never_its_values():
    from sqlalchemy.exc import IntegrityError

    stream = io.StringIO()
    logger = logging.getLogger("tests.operations.dberror")
    logger.propagate = False
    logger.addHandler(make_handler("json", stream))
    try:
        try:
            raise IntegrityError(
                "INSERT …", {"p": "secret value"}, Exception("Key (x)=(secret value) exists")
            )
        except IntegrityError:
            logger.exception("write failed")
    finally:
        logger.handlers.clear()
    entry = json.loads(stream.getvalue())
    assert "database error" in entry["message"]
    assert "secret value" not in stream.getvalue()


# --- tracing ------------------------------------------------------------------------------


def test_tracing_is_off_by_default(app):
    assert Settings().tracing_enabled is False
    assert not any("OpenTelemetry" in m.cls.__name__ for m in app.user_middleware)


async def test_tracing_records_route_sql_and_outgoing_http_spans_without_values(settings):
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from api.tracing import instrument

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    services = build_services(settings)
    app = create_app(settings, services=services)
    instrument(engines=(services.engine, services.read_engine), app=app, tracer_provider=provider)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE
        ) as client:
            await client.get(f"/api/citizen/orders/{uuid.uuid4()}")
            await client.get("/api/health")
            await client.get("/health/ready")  # a probe: no trace
        async with httpx.AsyncClient() as outgoing:
            with pytest.raises(httpx.ConnectError):
                await outgoing.get(f"http://127.0.0.1:{_closed_port()}/national-service")
    finally:
        FastAPIInstrumentor.uninstrument_app(app)
        SQLAlchemyInstrumentor().uninstrument()
        HTTPXClientInstrumentor().uninstrument()
        await services.aclose()
    spans = exporter.get_finished_spans()
    names = [span.name for span in spans]
    assert "GET /api/citizen/orders/{order_id}" in names
    assert "GET /api/health" in names
    assert not any("health/ready" in name for name in names)
    statements = [str(span.attributes.get("db.statement", "")) for span in spans]
    assert any("alembic_version" in statement for statement in statements)
    assert any(span.name == "GET" and span.kind.name == "CLIENT" for span in spans)
    assert not any("db.statement.parameters" in (span.attributes or {}) for span in spans)


# --- jobs ---------------------------------------------------------------------------------


def test_scheduled_jobs_have_ids_of_this_deployment_and_keep_their_result():
    prefix = Settings().redis_prefix
    for job in WorkerSettings.cron_jobs:
        assert job.name.startswith(f"cron:{prefix}:")
        assert (job.keep_result_s or 0) >= 300
        assert getattr(job.coroutine, "__pep_instrumented__", False)


async def test_two_expiry_runs_at_once_expire_each_due_order_once(services):
    lab = await create_lab(services)
    orders = [
        await create_sampled_order(services, lab, care_unit_id=None, status="handled")
        for _ in range(6)
    ]
    ids = [order.id for order in orders]
    await expire_orders({"services": services})  # whatever else was due: not this test's
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "UPDATE orders SET expires_at = :past, version = 1"
                " WHERE id = ANY(CAST(:ids AS uuid[]))"
            ),
            {"ids": ids, "past": services.now() - timedelta(minutes=1)},
        )
        await uow.commit()
    # Two workers' runs at the same moment (each in its own transaction).
    counts = await asyncio.gather(*(expire_orders({"services": services}) for _ in range(2)))
    assert sum(counts) == 6
    async with services.uow() as uow:
        rows = (
            await uow.session.execute(
                text("SELECT status, version FROM orders WHERE id = ANY(CAST(:ids AS uuid[]))"),
                {"ids": ids},
            )
        ).all()
    assert sorted(rows) == [("expired", 2)] * 6


async def test_a_job_run_is_counted_and_logged_with_its_job_id(services):
    from prometheus_client import REGISTRY

    job = next(c for c in WorkerSettings.cron_jobs if c.name.endswith(":expire_orders"))
    labels = {"job": "expire_orders", "outcome": "done"}
    before = REGISTRY.get_sample_value("pep_jobs_total", labels) or 0.0
    stream = io.StringIO()
    handler = make_handler("json", stream)
    worker_log = logging.getLogger("api.worker")
    worker_log.addHandler(handler)
    level = worker_log.level
    worker_log.setLevel(logging.INFO)
    job_id = "cron:" + "p" * 60 + ":expire_orders:1796145348893"
    try:
        await job.coroutine({"services": services, "job_id": job_id})
    finally:
        worker_log.removeHandler(handler)
        worker_log.setLevel(level)
    assert REGISTRY.get_sample_value("pep_jobs_total", labels) == before + 1
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["message"] == f"job expire_orders started: {job_id}"
    # Every line of the run carries the id's end (a request id holds 64 characters).
    assert {line["request_id"] for line in lines} == {job_id[-64:]}
