"""Readiness: may this instance take traffic? PostgreSQL answers and is migrated to this
code's head (or ahead of it: see SchemaState.usable), and Redis answers. Each check has a
short time limit, so that a probe never hangs on a dead dependency; nothing here reads or
says anything personal."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from adapters.db.repositories.operations import OperationsRepository
from api.services import Services

log = logging.getLogger(__name__)
CHECK_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Readiness:
    database: bool
    migrations: bool
    redis: bool

    @property
    def ready(self) -> bool:
        return self.database and self.migrations and self.redis

    def checks(self) -> dict[str, str]:
        return {
            "database": "ok" if self.database else "unreachable",
            "migrations": "ok" if self.migrations else ("behind" if self.database else "unknown"),
            "redis": "ok" if self.redis else "unreachable",
        }


async def _database(services: Services) -> tuple[bool, bool]:
    async with asyncio.timeout(CHECK_SECONDS):
        async with services.read_engine.connect() as connection:
            state = await OperationsRepository(connection).schema_state()
    return True, state.usable


async def _redis(services: Services) -> bool:
    async with asyncio.timeout(CHECK_SECONDS):
        return bool(await services.redis.ping())


async def check_readiness(*, services: Services) -> Readiness:
    database_check, redis_check = await asyncio.gather(
        _database(services), _redis(services), return_exceptions=True
    )
    database, migrations = False, False
    if isinstance(database_check, BaseException):
        log.warning("readiness: database check failed (%s)", type(database_check).__name__)
    else:
        database, migrations = database_check
    redis = False
    if isinstance(redis_check, BaseException):
        log.warning("readiness: redis check failed (%s)", type(redis_check).__name__)
    else:
        redis = redis_check
    return Readiness(database=database, migrations=migrations, redis=redis)
