"""`GET /metrics`: Prometheus' scrape. Counts and timings only, never personal data; still,
in production the scraper must send the bearer token PEP_METRICS_TOKEN (the endpoint sits
beside the public ones behind the same ingress), and without a token set production
answers 403."""

from __future__ import annotations

import asyncio
import hmac
import logging

from fastapi import APIRouter, Request
from starlette.responses import Response

from adapters.db.repositories.operations import OperationsRepository, OutboxQueue
from api.metrics import CONTENT_TYPE, exposition
from api.services import Services
from api.web.deps import ServicesDep
from api.web.problems import problem_response
from api.web.request_context import current_request_id

log = logging.getLogger(__name__)
router = APIRouter(tags=["operations"])
OUTBOX_READ_SECONDS = 2.0


async def _outbox(services: Services) -> OutboxQueue | None:
    try:
        async with asyncio.timeout(OUTBOX_READ_SECONDS):
            async with services.read_engine.connect() as connection:
                return await OperationsRepository(connection).outbox_queue(now=services.now())
    except Exception as error:  # noqa: BLE001 - a scrape reports what it can
        log.warning("metrics: the outbox could not be read (%s)", type(error).__name__)
        return None


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, services: ServicesDep) -> Response:
    settings = services.settings
    token = settings.metrics_token
    if not token and settings.environment == "production":
        # Open metrics are for development: in production they answer only the scraper.
        return problem_response(
            status=403,
            slug="forbidden",
            title="Forbidden",
            detail="Set PEP_METRICS_TOKEN and give it to the scraper.",
            request_id=current_request_id(),
        )
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return problem_response(
                status=401,
                slug="not-authenticated",
                title="Not authenticated",
                detail="The metrics ask for the scraper's bearer token.",
                request_id=current_request_id(),
                headers={"WWW-Authenticate": "Bearer"},
            )
    body = exposition(await _outbox(services))
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
