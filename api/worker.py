"""The arq worker: background and scheduled jobs. Jobs are serialized as JSON (never
pickle: a Redis writer must not be able to run code in the worker), are idempotent, and
open their own transaction.

    arq api.worker.WorkerSettings"""

from __future__ import annotations

import json
import logging
import os
import socket
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Function, func
from prometheus_client import start_http_server
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from adapters.notifications.local import local_consumers
from adapters.settings import Settings, get_settings
from api.logging_setup import configure_logging
from api.metrics import instrument_engine, instrumented_job
from api.notifications.consumers import build_channels, notification_consumers
from api.notifications.usecases import create_due_reminders
from api.outbox.usecases import deliver_outbox
from api.services import Services, build_services
from api.tracing import configure_tracing
from domain.outbox import RetryPolicy

log = logging.getLogger(__name__)


def serialize(value: Any) -> bytes:
    return json.dumps(value, default=str).encode()


def deserialize(raw: bytes) -> Any:
    return json.loads(raw)


async def prune_person_cache(ctx: dict[str, Any]) -> int:
    """Retention (gallring): person data cached longer than the retention period is removed;
    it is fetched again from the register when needed."""
    services: Services = ctx["services"]
    cutoff = services.now() - timedelta(days=services.settings.person_cache_retention_days)
    async with services.uow() as uow:
        removed = await uow.person_cache.prune(fetched_before=cutoff)
        await uow.commit()
    log.info("pruned %d cached person records", removed)
    return removed


async def expire_orders(ctx: dict[str, Any]) -> int:
    """Handled orders whose validity (counted from Hanterad) has passed become Utgången."""
    services: Services = ctx["services"]
    async with services.uow() as uow:
        expired = await uow.orders.expire_due(now=services.now())
        await uow.commit()
    log.info("expired %d orders", expired)
    return expired


async def prune_idempotency_records(ctx: dict[str, Any]) -> int:
    """Idempotency keys protect retries for a day; older records are removed."""
    services: Services = ctx["services"]
    async with services.uow() as uow:
        removed = await uow.idempotency.prune(created_before=services.now() - timedelta(days=1))
        await uow.commit()
    return removed


async def drain_outbox(ctx: dict[str, Any]) -> int:
    """Delivers the outbox's due events (domain/outbox.py): every few seconds, on every
    worker; parallel workers claim different events. Returns how many were delivered."""
    services: Services = ctx["services"]
    settings = services.settings
    report = await deliver_outbox(
        uow_factory=services.uow,
        consumers=ctx["outbox_consumers"],
        clock=services.now,
        worker=ctx["worker_name"],
        batch_size=settings.outbox_batch_size,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        policy=RetryPolicy(
            max_attempts=settings.outbox_max_attempts,
            base=timedelta(seconds=settings.outbox_retry_base_seconds),
        ),
        deadline=timedelta(seconds=OUTBOX_DRAIN_SECONDS),
    )
    if report.delivered or report.retried or report.dead:
        log.info(
            "outbox: %d delivered, %d to retry, %d dead",
            report.delivered,
            report.retried,
            report.dead,
        )
    return report.delivered


async def prune_outbox(ctx: dict[str, Any]) -> int:
    """Delivered events are kept a week (to trace a delivery), then removed."""
    services: Services = ctx["services"]
    async with services.uow() as uow:
        removed = await uow.outbox.prune_delivered(before=services.now() - timedelta(days=7))
        await uow.commit()
    return removed


# A drain stops taking new batches after this long; the next tick goes on.
OUTBOX_DRAIN_SECONDS = 20


async def send_reminders(ctx: dict[str, Any]) -> int:
    """One reminder per result still unread after the reminder period (manual 3.6), made
    batch by batch: each batch's reminders are claimed, made and announced in one
    transaction, so several workers running this at once never remind of a message twice
    (api/notifications/usecases.py)."""
    services: Services = ctx["services"]
    after = timedelta(days=services.settings.reminder_after_days)
    made = 0
    while True:
        async with services.uow() as uow:
            run = await create_due_reminders(
                uow=uow, now=services.now(), after=after, limit=REMINDER_BATCH
            )
        made += run.reminded
        if run.reminded < REMINDER_BATCH and run.settled < REMINDER_BATCH:
            break
    if made:
        log.info("made %d reminders", made)
    return made


REMINDER_BATCH = 500


async def startup(ctx: dict[str, Any]) -> None:
    configure_logging()
    settings = get_settings()
    ctx["services"] = build_services(settings)
    engines = (ctx["services"].engine, ctx["services"].read_engine)
    instrument_engine(engines[0], "uow")
    instrument_engine(engines[1], "read")
    if settings.worker_metrics_port:
        # The worker's own counters (jobs, items, pools) for Prometheus; the outbox queue
        # itself is read by the API's /metrics.
        start_http_server(settings.worker_metrics_port)
    configure_tracing(settings, role="worker", engines=engines)
    channels, ctx["notification_http"] = build_channels(settings, ctx["services"])
    ctx["outbox_consumers"] = [
        *local_consumers(ctx["services"].session_factory),
        *notification_consumers(ctx["services"], channels),
    ]
    ctx["worker_name"] = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["notification_http"].aclose()
    await ctx["services"].aclose()


def queue_name(settings: Settings) -> str:
    return f"{settings.redis_prefix}:arq:queue"


def _redis_settings() -> RedisSettings:
    url = get_settings().redis_url
    settings = RedisSettings.from_dsn(url) if url else RedisSettings()
    # A Redis restarting (a failover, a deploy) must not end the worker: arq gives up on
    # the first lost connection. Every command, and every connect (a refused one is an
    # OSError to redis-py), is tried again instead, with back-off (bench/drills/
    # redis_restart.py).
    return replace(
        settings,
        retry_on_error=[RedisConnectionError, RedisTimeoutError, OSError],
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=REDIS_RETRIES),
    )


# 0.2, 0.4, 0.8, 1.6, then 2 s each: 19 s of tries to connect, and as many of the command
# around them; a Redis away longer ends the worker for its supervisor to start again.
REDIS_RETRIES = 12


class WorkerSettings:
    functions = [
        prune_person_cache,
        expire_orders,
        prune_idempotency_records,
        drain_outbox,
        prune_outbox,
        send_reminders,
    ]
    cron_jobs = [
        cron(drain_outbox, second=set(range(0, 60, 5)), run_at_startup=True),
        cron(prune_outbox, hour={4}, minute={15}),
        cron(send_reminders, minute=set(range(0, 60, 10)), run_at_startup=True),
        cron(prune_person_cache, hour={3}, minute={15}),
        cron(prune_idempotency_records, hour={3}, minute={45}),
        cron(expire_orders, minute={5}, run_at_startup=True),
    ]
    on_startup = startup
    on_shutdown = shutdown
    job_serializer = staticmethod(serialize)
    job_deserializer = staticmethod(deserialize)
    queue_name = queue_name(get_settings())
    redis_settings = _redis_settings()


# A scheduled run's result is kept this long, so that its arq job id stays taken after it
# ran (see schedule_once_per_run_time).
SCHEDULED_RESULT_SECONDS = 300


def schedule_once_per_run_time(worker: type[WorkerSettings], *, prefix: str) -> None:
    """With several workers, every one of them enqueues each scheduled job; arq runs it once
    per run time because the job id is `<name>:<run time>` and an id that is taken is not
    enqueued again (tests/system/test_many_instances.py shows it). Made sure here:

    - the name carries the Redis prefix: arq's job and result keys are not per queue, so two
      deployments (or test runs) sharing a Redis would otherwise take each other's ids and
      skip each other's runs;
    - the result is kept a few minutes (arq keeps none for cron jobs): a worker that comes
      late to a run time (a paused process, a slow start) finds the id taken instead of
      running the job a second time.

    Runs at start-up (run_at_startup) are per worker by design: each job is safe to run
    again anyway, because it handles each due item in one atomic statement (an UPDATE or
    DELETE whose WHERE no longer matches what another run already handled, or a claim
    with FOR UPDATE SKIP LOCKED). Every job is also counted and traced
    (api.metrics.instrumented_job)."""
    functions: list[Any] = []
    for entry in worker.functions:
        function = entry if isinstance(entry, Function) else func(entry)
        functions.append(replace(function, coroutine=instrumented_job(function.coroutine)))
    worker.functions = functions
    for job in worker.cron_jobs:
        job.coroutine = instrumented_job(job.coroutine)
        if not job.name.startswith(f"cron:{prefix}:"):
            job.name = f"cron:{prefix}:{job.coroutine.__qualname__}"
        job.keep_result_s = max(job.keep_result_s or 0, SCHEDULED_RESULT_SECONDS)


schedule_once_per_run_time(WorkerSettings, prefix=get_settings().redis_prefix)
