"""Admission control: a worker process serves at most `limit` requests at once, and answers
the next one at once with 503 `overloaded` and Retry-After. Without it, more clients than
the pools hold queue for a database connection: every request slows down, and the last
ones wait out the pool's timeout. Refusing early keeps the admitted requests fast and tells
the rest when to come back.

Per worker process, not per instance: uvicorn's workers share nothing, and a process's
event loop and pools are what fill up. Health and metrics are never refused: a load
balancer must tell a busy instance from a dead one, and Prometheus must see the overload.

Plain ASGI (not BaseHTTPMiddleware): one comparison and two integer updates per request."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.web.errors import OVERLOADED
from api.web.problems import PROBLEM_BASE
from api.web.request_context import current_request_id

# Operations' endpoints (api/health, api/metrics).
EXEMPT = frozenset({"/health/live", "/health/ready", "/api/health", "/metrics"})
# Apart from a full pool's wording, so that a refusal tells which limit it met.
DETAIL = "This server is answering as many requests as it takes. Try again in a few seconds."


class AdmissionLimit:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        # 0: no limit.
        self.limit = limit
        self.in_flight = 0
        self._headers = [
            (b"content-type", b"application/problem+json"),
            (b"retry-after", str(OVERLOADED.retry_after).encode()),
            (b"cache-control", b"no-store"),
        ]
        # The problem body up to its request id (RFC 9457, as api/web/problems.py writes it).
        self._body_start = (
            f'{{"type":"{PROBLEM_BASE}{OVERLOADED.slug}","title":"{OVERLOADED.title}",'
            f'"status":{OVERLOADED.status},"detail":"{DETAIL}"'
        ).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limit:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit and scope["path"] not in EXEMPT:
            await self._refuse(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _refuse(self, send: Send) -> None:
        request_id = current_request_id()
        body = self._body_start + (
            f',"request_id":"{request_id}"}}'.encode() if request_id else b"}"
        )
        await send(
            {
                "type": "http.response.start",
                "status": OVERLOADED.status,
                "headers": [*self._headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
