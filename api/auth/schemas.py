from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class LogoutResult(BaseModel):
    redirect_to: str


class SessionInfo(BaseModel):
    authenticated: bool
    kind: Literal["citizen", "staff"] | None
    csrf_token: str | None
    idle_timeout_seconds: int
