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
from datetime import timedelta
from typing import Any

from arq import cron
from arq.connections import RedisSettings

from adapters.notifications.local import local_consumers
from adapters.settings import Settings, get_settings
from api.logging_setup import configure_logging
from api.outbox.usecases import deliver_outbox
from api.services import Services, build_services
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


async def startup(ctx: dict[str, Any]) -> None:
    configure_logging()
    ctx["services"] = build_services(get_settings())
    ctx["outbox_consumers"] = local_consumers(ctx["services"].session_factory)
    ctx["worker_name"] = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def shutdown(ctx: dict[str, Any]) -> None:
    await ctx["services"].aclose()


def queue_name(settings: Settings) -> str:
    return f"{settings.redis_prefix}:arq:queue"


def _redis_settings() -> RedisSettings:
    url = get_settings().redis_url
    return RedisSettings.from_dsn(url) if url else RedisSettings()


class WorkerSettings:
    functions = [
        prune_person_cache,
        expire_orders,
        prune_idempotency_records,
        drain_outbox,
        prune_outbox,
    ]
    cron_jobs = [
        cron(drain_outbox, second=set(range(0, 60, 5)), run_at_startup=True),
        cron(prune_outbox, hour={4}, minute={15}),
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
