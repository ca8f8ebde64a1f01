"""Request id for every request (taken from X-Request-ID when it is well-formed, else new),
available to logs and the audit log, and echoed in the response."""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.request_scope import current_request_id, enter_request, leave_request

__all__ = ["RequestContextMiddleware", "current_request_id"]
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Plain ASGI (not BaseHTTPMiddleware) to keep the hot path cheap. Also sets the security
    headers every answer carries; pages of the apps add their own Content-Security-Policy."""

    def __init__(self, app: ASGIApp, *, strict_transport_security: bool = False) -> None:
        self.app = app
        self._extra: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if strict_transport_security:
            self._extra.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if incoming and _ACCEPTABLE.match(incoming) else uuid.uuid4().hex
        path: str = scope.get("path", "")
        # Data answers, never pages: the API, the FHIR view and the token endpoint.
        is_api = path.startswith(("/api/", "/fhir", "/oauth/")) and not path.startswith("/api/docs")
        token = enter_request(request_id)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(self._extra)
                if is_api:
                    # API answers are data, never a page: nothing may load or frame them.
                    headers.append(
                        (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
                    )
                    # They carry personal data: no browser or proxy may keep a copy (Back
                    # after logout, a shared computer). Endpoints that may be cached say so.
                    if not any(name.lower() == b"cache-control" for name, _ in headers):
                        headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            leave_request(token)
