from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from api.web.deps import ServicesDep

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: str
    database: bool
    redis: bool


@router.get("/api/health", operation_id="getHealth")
async def health(services: ServicesDep) -> Health:
    """Readiness: both the database and Redis answer."""
    database = redis = False
    try:
        async with services.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        database = True
    except Exception:  # noqa: BLE001 - health reports, it does not raise
        pass
    try:
        redis = bool(await services.redis.ping())
    except Exception:  # noqa: BLE001
        pass
    return Health(status="ok" if database and redis else "degraded", database=database, redis=redis)
