"""Prometheus metrics (docs/operations.md lists each one and the alerts on them).

Every instance keeps its own counters (one uvicorn worker per container is the production
shape: scale by instances, scrape each). When uvicorn runs several workers in one
container, set PROMETHEUS_MULTIPROC_DIR to an empty directory shared by them: then every
worker writes its values there and whichever worker answers /metrics reports them all.

Labels are bounded: the route is the route's template (`/api/citizen/orders/{order_id}`),
never the path asked for — ids in paths would make a series per order, and a path is where
a mistaken client might put something personal. Nothing here holds personal data."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from opentelemetry import trace
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.repositories.operations import OutboxQueue
from adapters.request_scope import enter_request, leave_request

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

REQUESTS = Counter(
    "pep_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
REQUEST_SECONDS = Histogram(
    "pep_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
IN_PROGRESS = Gauge(
    "pep_http_requests_in_progress",
    "HTTP requests being answered now.",
    multiprocess_mode="livesum",
)
POOL_IN_USE = Gauge(
    "pep_db_pool_connections_in_use",
    "Database connections checked out of the pool, by engine (uow: units of work, read: "
    "autocommit reads).",
    ["engine"],
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "pep_db_pool_size",
    "Connections the pool keeps (pool size + overflow), by engine.",
    ["engine"],
    multiprocess_mode="livesum",
)
LOGIN_FAILURES = Counter(
    "pep_login_failures",
    "Logins that did not give a session, by kind (citizen, staff) and reason.",
    ["kind", "reason"],
)
TOKEN_REFUSALS = Counter(
    "pep_integration_token_refusals",
    "Integration clients refused an access token (wrong or retired credentials).",
)
JOBS = Counter(
    "pep_jobs",
    "Background and scheduled jobs run by this worker, by job and outcome.",
    ["job", "outcome"],
)
JOB_SECONDS = Histogram(
    "pep_job_duration_seconds",
    "Time a job ran, by job.",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 300.0),
)
JOB_ITEMS = Counter(
    "pep_job_items",
    "Items a job handled (orders expired, events delivered, records pruned), by job.",
    ["job"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(method: str) -> str:
    return method if method in _METHODS else "OTHER"


# --- database pools ---------------------------------------------------------------------


def instrument_engine(engine: AsyncEngine, name: str) -> None:
    """Counts the engine's checked-out connections as they move (exact, in every process)."""
    pool = engine.sync_engine.pool
    size = pool.size() if callable(getattr(pool, "size", None)) else 0  # type: ignore[attr-defined]
    overflow = getattr(pool, "_max_overflow", 0)
    POOL_SIZE.labels(engine=name).set(size + max(0, overflow))
    in_use = POOL_IN_USE.labels(engine=name)

    def checked_out(*_: Any) -> None:
        in_use.inc()

    def checked_in(*_: Any) -> None:
        in_use.dec()

    event.listen(engine.sync_engine, "checkout", checked_out)
    event.listen(engine.sync_engine, "checkin", checked_in)


# --- the outbox, read at scrape time --------------------------------------------------------


class _OutboxCollector(Collector):
    def __init__(self, queue: OutboxQueue) -> None:
        self._queue = queue

    def collect(self) -> Iterable[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            "pep_outbox_pending_events",
            "Outbox events not yet delivered (due now or waiting for a retry).",
            value=self._queue.pending,
        )
        yield GaugeMetricFamily(
            "pep_outbox_lag_seconds",
            "Age of the oldest outbox event that is due and not delivered (0: none).",
            value=self._queue.lag_seconds,
        )
        yield GaugeMetricFamily(
            "pep_outbox_dead_events",
            "Outbox events given up after the last attempt (dead letters), waiting for an "
            "operator.",
            value=self._queue.dead,
        )


def exposition(outbox: OutboxQueue | None) -> bytes:
    """The text an instance answers /metrics with: this process's (or, in multiprocess
    mode, every worker's) metrics, and the outbox queue as read just now (None when the
    database did not answer: those three are then missing, which the alerts notice)."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    text = generate_latest(registry)
    if outbox is not None:
        scrape = CollectorRegistry(auto_describe=False)
        scrape.register(_OutboxCollector(outbox))
        text += generate_latest(scrape)
    return text


def process_exited(pid: int) -> None:
    """Multiprocess mode: a worker's live gauges leave the sum when it exits."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


# --- jobs ---------------------------------------------------------------------------------

J = TypeVar("J", bound=Callable[..., Awaitable[Any]])
_tracer = trace.get_tracer("api.worker")
_log = logging.getLogger("api.worker")


def instrumented_job(function: J) -> J:
    """A job counted (runs by outcome, time, items handled), traced as a span of its own (a
    no-op unless tracing is on), and logged with its arq job id (`cron:<prefix>:<job>:<run
    time>` for a scheduled run: how runs per run time are counted, docs/operations.md), which
    is also its lines' request id."""
    if getattr(function, "__pep_instrumented__", False):
        return function
    name = function.__name__

    @wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        ctx = args[0] if args and isinstance(args[0], dict) else {}
        job_id = str(ctx.get("job_id") or f"job-{name}")
        # The correlation id of the job's log lines and audit entries (at most 64
        # characters, as a request id: the end of the id holds the run time).
        token = enter_request(job_id[-64:])
        started = time.perf_counter()
        try:
            _log.info("job %s started: %s", name, job_id)
            with _tracer.start_as_current_span(f"job {name}"):
                try:
                    result = await function(*args, **kwargs)
                except BaseException:
                    JOBS.labels(job=name, outcome="failed").inc()
                    raise
                finally:
                    JOB_SECONDS.labels(job=name).observe(time.perf_counter() - started)
        finally:
            leave_request(token)
        JOBS.labels(job=name, outcome="done").inc()
        if isinstance(result, int) and not isinstance(result, bool) and result > 0:
            JOB_ITEMS.labels(job=name).inc(result)
        return result

    run.__pep_instrumented__ = True  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]
