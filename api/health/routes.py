"""Health for the load balancer, the orchestrator and operations (docs/operations.md):

- `GET /health/live`: the process answers (liveness; touches nothing else, so a slow
  database never gets healthy instances restarted);
- `GET /health/ready`: PostgreSQL and Redis answer and the database is migrated for this
  code (readiness; 503 problem+json naming the failed check otherwise);
- `GET /api/health`: the older combined answer, kept for existing callers.

Unauthenticated, cheap, and without personal data. The probes are operations' endpoints,
not part of the API contract: they are left out of the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.responses import Response

from api.health.usecases import check_readiness
from api.web.deps import ServicesDep
from api.web.problems import problem_response
from api.web.request_context import current_request_id

router = APIRouter(tags=["operations"])
_NO_STORE = {"Cache-Control": "no-store"}


class Health(BaseModel):
    status: str
    database: bool
    redis: bool


@router.get("/api/health", operation_id="getHealth")
async def health(services: ServicesDep) -> Health:
    """Readiness: both the database and Redis answer."""
    readiness = await check_readiness(services=services)
    return Health(
        status="ok" if readiness.database and readiness.redis else "degraded",
        database=readiness.database,
        redis=readiness.redis,
    )


@router.get("/health/live", include_in_schema=False)
async def live() -> Response:
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


@router.get("/health/ready", include_in_schema=False)
async def ready(services: ServicesDep) -> Response:
    readiness = await check_readiness(services=services)
    if readiness.ready:
        return JSONResponse({"status": "ok", "checks": readiness.checks()}, headers=_NO_STORE)
    failed = ", ".join(name for name, state in readiness.checks().items() if state != "ok")
    return problem_response(
        status=503,
        slug="not-ready",
        title="Not ready",
        detail=f"Not ready: {failed}.",
        request_id=current_request_id(),
        headers=_NO_STORE,
        extensions={"checks": readiness.checks()},
    )
