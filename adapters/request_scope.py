"""The request being served, for logs and audit entries: set by the web layer for each
request, read by whatever runs inside it (no framework needed to read it)."""

from __future__ import annotations

from contextvars import ContextVar, Token

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def enter_request(request_id: str) -> Token[str | None]:
    return _request_id.set(request_id)


def leave_request(token: Token[str | None]) -> None:
    _request_id.reset(token)
