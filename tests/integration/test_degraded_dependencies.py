"""The service when its infrastructure fails or is full (issue 12, part 4): PostgreSQL or
Redis unreachable, or no pooled connection free, is a 503 problem with Retry-After — never
a 500 — and more requests than a worker admits are refused at once; after PostgreSQL drops
every connection (a restart), reads and writes work again without restarting the service.
Each test builds an app of its own against real servers (closed ports are real too)."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import psycopg
from fastapi import FastAPI

from adapters.settings import Settings
from api.app import create_app
from api.services import Services, build_services
from api.web.admission import AdmissionLimit
from tests.support.browserless_login import login

BASE = "https://testserver"
HOME_KIT_ORDER = {
    "catalog_id": "2001",
    "contact": {"phone": "0701234567"},
    "delivery_address": {"street": "Storgatan 1", "postal_code": "111 22", "city": "Stockholm"},
    "answers": {"symptoms": False},
}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def _app(settings: Settings) -> AsyncIterator[tuple[FastAPI, Services]]:
    services = build_services(settings)
    app = create_app(settings, services=services)
    # Our OIDC client reaches the embedded IdP in-process (as in tests/conftest.py).
    for oidc in services.oidc.values():
        oidc.transport = httpx.ASGITransport(app=app)
    try:
        yield app, services
    finally:
        await services.aclose()


def _client(app: FastAPI, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url=BASE,
        cookies=cookies,
    )


async def _citizen(client: httpx.AsyncClient, services: Any) -> dict[str, str]:
    """A citizen of this test logged in on `client` (a session in Redis under the run's
    prefix, which every app of this module shares); the headers of an order."""
    entry = services.person_register.new_citizen()
    csrf = await login(client, kind="citizen", key=entry.key)
    return {"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex}


def _assert_503(answer: httpx.Response, slug: str, retry_after: str) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == retry_after
    problem = answer.json()
    assert problem["type"] == f"/problems/{slug}"
    assert problem["status"] == 503
    # The answer names the request its log line names.
    assert problem["request_id"] == answer.headers["x-request-id"]


async def test_postgresql_refusing_connections_is_a_503_with_retry_after_for_reads_and_writes(
    settings, client, services, caplog
):
    order_headers = await _citizen(client, services)
    down = settings.model_copy(
        update={"database_url": f"postgresql://postgres@127.0.0.1:{_closed_port()}/none"}
    )
    async with _app(down) as (app, _), _client(app, client.cookies) as http:
        with caplog.at_level(logging.INFO):
            offers = await http.get("/api/citizen/offers")  # the autocommit read engine
            profile = await http.get("/api/citizen/profile")
            order = await http.post(
                "/api/citizen/orders", json=HOME_KIT_ORDER, headers=order_headers
            )  # a unit of work

    for answer in (offers, profile, order):
        _assert_503(answer, "service-unavailable", "5")
    # One line for the outage (not one per request), a warning without a traceback; no 500.
    lines = [r for r in caplog.records if r.name == "api.web.errors"]
    assert [(r.levelname, r.exc_info) for r in lines] == [("WARNING", None)]
    assert (
        lines[0].getMessage()
        == "answered 503 service-unavailable: ConnectionRefusedError errno 111"
    )


async def test_redis_refusing_connections_is_a_503_with_retry_after_not_a_500(settings):
    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{_closed_port()}/0"})
    async with _app(down) as (app, _), _client(app) as http:
        http.cookies.set(settings.session_cookie_name, "a-session-redis-cannot-tell")
        answers = [
            await http.get("/api/citizen/offers"),  # the session is read from Redis
            await http.get("/api/session"),
            await http.get("/auth/citizen/login"),  # the login's state is kept in Redis
        ]
    for answer in answers:
        _assert_503(answer, "service-unavailable", "5")


@asynccontextmanager
async def _pools_held(services: Services) -> AsyncIterator[None]:
    """Both engines' only connection checked out (pool size 1, no overflow)."""
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(services.engine.connect())
        await stack.enter_async_context(services.read_engine.connect())
        yield


async def test_no_free_pooled_connection_is_a_503_overloaded_after_the_pool_timeout(
    settings, client, services
):
    order_headers = await _citizen(client, services)
    small = settings.model_copy(
        update={"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout_seconds": 0.5}
    )
    async with _app(small) as (app, own), _client(app, client.cookies) as http:
        async with _pools_held(own):
            started = time.monotonic()
            read = await http.get("/api/citizen/offers")
            order = await http.post(
                "/api/citizen/orders", json=HOME_KIT_ORDER, headers=order_headers
            )
            waited = time.monotonic() - started
        # The pool is free again: the same requests succeed.
        assert (await http.get("/api/citizen/offers")).status_code == 200
        again = await http.post("/api/citizen/orders", json=HOME_KIT_ORDER, headers=order_headers)
        assert again.status_code == 201, again.text

    _assert_503(read, "overloaded", "2")
    _assert_503(order, "overloaded", "2")
    assert 1.0 <= waited < 5.0  # two pool timeouts of 0.5 s, not SQLAlchemy's 30 s


def _admission(app: FastAPI) -> AdmissionLimit:
    layer: Any = app.middleware_stack
    while not isinstance(layer, AdmissionLimit):
        layer = layer.app
    return layer


async def test_a_request_beyond_the_workers_limit_is_refused_at_once_but_health_never(
    settings, client, services
):
    await _citizen(client, services)
    limited = settings.model_copy(
        update={
            "max_requests_in_flight": 2,
            "db_pool_size": 1,
            "db_max_overflow": 0,
            "db_pool_timeout_seconds": 10.0,
        }
    )
    async with _app(limited) as (app, own), _client(app, client.cookies) as http:
        assert (await http.get("/health/live")).status_code == 200  # builds the stack
        admission = _admission(app)
        async with _pools_held(own):
            # Two requests in flight, waiting for a connection.
            waiting = [asyncio.create_task(http.get("/api/citizen/offers")) for _ in range(2)]
            for _ in range(200):
                if admission.in_flight == 2:
                    break
                await asyncio.sleep(0.01)
            assert admission.in_flight == 2
            started = time.monotonic()
            refused = await http.get("/api/citizen/profile")
            refused_in = time.monotonic() - started
            live = await http.get("/health/live")
            assert not any(task.done() for task in waiting)
        admitted = await asyncio.gather(*waiting)

    _assert_503(refused, "overloaded", "2")
    assert refused.headers["cache-control"] == "no-store"
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert refused_in < 1.0  # at once, not after the pool's 10 s
    assert live.status_code == 200
    assert [a.status_code for a in admitted] == [200, 200]
    assert admission.in_flight == 0


def _backends(database_url: str) -> set[int]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return {row[0] for row in rows}


async def test_reads_and_writes_work_again_after_postgresql_dropped_every_connection(
    settings, client, services
):
    order_headers = await _citizen(client, services)
    url = settings.database_url
    assert url is not None
    before = _backends(url)
    async with _app(settings) as (app, _), _client(app, client.cookies) as http:
        assert (await http.get("/api/citizen/offers")).status_code == 200
        first = await http.post("/api/citizen/orders", json=HOME_KIT_ORDER, headers=order_headers)
        assert first.status_code == 201, first.text
        theirs = _backends(url) - before
        assert theirs  # the app's pooled connections, one per engine at least
        # What a restart of PostgreSQL does to every pooled connection.
        with psycopg.connect(url, autocommit=True) as connection:
            for pid in theirs:
                connection.execute("SELECT pg_terminate_backend(%s)", (pid,))

        offers = await http.get("/api/citizen/offers")  # read engine: renewed and retried
        orders = await http.get("/api/citizen/orders", params={"state": "ongoing"})
        order = await http.post(
            "/api/citizen/orders",
            json=HOME_KIT_ORDER,
            headers={**order_headers, "Idempotency-Key": uuid.uuid4().hex},
        )  # unit of work: the pool pings before use

    assert offers.status_code == 200, offers.text
    assert orders.status_code == 200, orders.text
    assert order.status_code == 201, order.text
    assert [o["order_id"] for o in orders.json()["items"]] == [first.json()["order_id"]]
