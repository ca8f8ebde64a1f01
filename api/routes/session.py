from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from api.web.deps import ServicesDep

router = APIRouter(tags=["session"])


class SessionInfo(BaseModel):
    authenticated: bool
    kind: Literal["citizen", "staff"] | None
    csrf_token: str | None
    idle_timeout_seconds: int


@router.get("/api/session", operation_id="getSession")
async def get_session(request: Request, services: ServicesDep) -> SessionInfo:
    """Whether the browser has a live session, and the CSRF token its unsafe calls must send
    in X-CSRF-Token. Always 200; renews the session like any other call."""
    token = request.cookies.get(services.settings.session_cookie_name)
    session = await services.sessions.get(token, now=services.now()) if token else None
    return SessionInfo(
        authenticated=session is not None,
        kind=session.kind if session else None,
        csrf_token=session.csrf_token if session else None,
        idle_timeout_seconds=services.settings.session_idle_timeout_seconds,
    )
