from __future__ import annotations

import json
from datetime import timedelta

from arq import create_pool
from arq.connections import RedisSettings
from redis.asyncio import Redis
from sqlalchemy import select

from adapters.db.models import PersonCacheEntry
from api.worker import WorkerSettings, prune_person_cache
from tests.support import environment
from tests.support.browserless_login import login


async def test_jobs_are_serialized_as_json_not_pickle(redis_prefix):
    queue = f"{redis_prefix}:arq:test-queue"
    pool = await create_pool(
        RedisSettings.from_dsn(environment.REDIS_URL),
        job_serializer=WorkerSettings.job_serializer,
        job_deserializer=WorkerSettings.job_deserializer,
        default_queue_name=queue,
    )
    job = await pool.enqueue_job("prune_person_cache", _queue_name=queue)
    assert job is not None
    raw = await Redis.from_url(environment.REDIS_URL).get(f"arq:job:{job.job_id}")
    assert json.loads(raw)["f"] == "prune_person_cache"
    await pool.delete(queue)
    await pool.delete(f"arq:job:{job.job_id}")
    await pool.aclose()


async def test_person_cache_retention_removes_only_old_entries(client, services):
    await login(client, kind="citizen", key="gunnar-elder")
    key = services.protector.lookup_hash("194101159830")
    retention = timedelta(days=services.settings.person_cache_retention_days)
    services.now_override = services.now() + retention - timedelta(days=1)
    await prune_person_cache({"services": services})
    async with services.uow() as uow:
        query = select(PersonCacheEntry).where(PersonCacheEntry.personnummer_hash == key)
        assert (await uow.session.execute(query)).scalar_one_or_none() is not None
    services.now_override = services.now() + timedelta(days=2)
    assert await prune_person_cache({"services": services}) >= 1
    async with services.uow() as uow:
        assert (await uow.session.execute(query)).scalar_one_or_none() is None
