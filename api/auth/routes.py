"""The OIDC dance and the session cookie; who may log in is decided by the use cases."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import asdict, replace
from typing import Annotated, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from adapters.identity.oidc import OidcError, PendingLogin
from adapters.sessions import SessionKind
from api.auth import usecases
from api.auth.schemas import LogoutResult, SessionInfo
from api.auth.usecases import LoginRefused, LoginSubject
from api.metrics import LOGIN_FAILURES
from api.persons.deps import PersonLookupDep
from api.services import Services
from api.web.deps import ServicesDep, SessionDep
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction

log = logging.getLogger(__name__)
# A parameter with a control character (api/web/parameters.py) is a 422 problem here too.
router = APIRouter(responses={422: PROBLEM_RESPONSES[422]})

LOGIN_BINDING_COOKIE = "pep_login"
PENDING_LOGIN_TTL_SECONDS = 600
HOME = {"citizen": "/", "staff": "/pro/"}


@router.get("/api/session", operation_id="getSession", tags=["session"])
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


def _safe_return_to(kind: SessionKind, return_to: str | None) -> str:
    """Only a path on this site, so the login cannot be turned into an open redirect."""
    home = HOME[kind]
    if not return_to or not return_to.startswith("/") or return_to.startswith("//"):
        return home
    if "\\" in return_to or any(ord(c) < 32 for c in return_to):
        return home
    if kind == "staff" and not return_to.startswith("/pro"):
        return home
    return return_to


def _pending_key(services: Services, state: str) -> str:
    return f"{services.settings.redis_prefix}:oidc:{state}"


def _on_public_host(request: Request, public_base_url: str) -> bool:
    """Whether the browser reached us under the public base URL's host name. The identity
    provider returns to that host, and the cookie binding the login to this browser is
    only sent back to the host that set it (cookies ignore the port and the scheme)."""
    public = (urlsplit(public_base_url).hostname or "").lower()
    return not public or (request.url.hostname or "").lower() == public


@router.get(
    "/auth/{kind}/login",
    operation_id="login",
    include_in_schema=True,
    tags=["auth"],
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "To the identity provider (or to the public host first)"}},
)
async def login(
    kind: SessionKind,
    request: Request,
    services: ServicesDep,
    return_to: Annotated[str | None, Query(max_length=2000)] = None,
) -> RedirectResponse:
    """Starts a login: redirects to the identity provider (BankID for citizens, SITHS for
    staff). After the login the browser returns to `return_to` (a path on this site).
    Started under another host name than the public base URL's (127.0.0.1 instead of
    localhost), it first redirects to itself there, so that the login can complete."""
    base = services.settings.public_base_url.rstrip("/")
    if not _on_public_host(request, base):
        query = urlencode({"return_to": return_to}) if return_to is not None else ""
        target = f"{base}/auth/{kind}/login" + (f"?{query}" if query else "")
        return RedirectResponse(target, status_code=302)
    url, pending = await services.oidc[kind].begin()
    binding = secrets.token_urlsafe(24)
    await services.redis.set(
        _pending_key(services, pending.state),
        json.dumps(
            {
                "kind": kind,
                "pending": asdict(pending),
                "return_to": _safe_return_to(kind, return_to),
                "binding": hashlib.sha256(binding.encode()).hexdigest(),
            }
        ),
        ex=PENDING_LOGIN_TTL_SECONDS,
    )
    response = RedirectResponse(url, status_code=302)
    # Binds the callback to the browser that started the login (login CSRF protection).
    response.set_cookie(
        LOGIN_BINDING_COOKIE,
        binding,
        max_age=PENDING_LOGIN_TTL_SECONDS,
        httponly=True,
        secure=services.settings.cookie_secure,
        samesite="lax",
        path="/auth",
    )
    return response


def _login_failed(kind: SessionKind, reason: str) -> RedirectResponse:
    LOGIN_FAILURES.labels(kind=kind, reason=reason).inc()
    response = RedirectResponse(f"{HOME[kind]}?inloggning={reason}", status_code=303)
    response.delete_cookie(LOGIN_BINDING_COOKIE, path="/auth")
    return response


@router.get(
    "/auth/{kind}/callback",
    operation_id="loginCallback",
    tags=["auth"],
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Into the app, or to its start page with ?inloggning="}},
)
async def callback(
    kind: SessionKind,
    request: Request,
    services: ServicesDep,
    lookup: PersonLookupDep,
    state: Annotated[str, Query(max_length=200)] = "",
    code: Annotated[str, Query(max_length=2000)] = "",
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Where the identity provider sends the browser back. Verifies the login, creates the
    server-side session and redirects into the app."""
    raw = await services.redis.getdel(_pending_key(services, state)) if state else None
    if raw is None:
        return _login_failed(kind, "utgangen")
    pending_login = json.loads(raw)
    binding = request.cookies.get(LOGIN_BINDING_COOKIE, "")
    if pending_login["kind"] != kind or not hmac.compare_digest(
        hashlib.sha256(binding.encode()).hexdigest(), pending_login["binding"]
    ):
        return _login_failed(kind, "ogiltig")
    if error or not code:
        return _login_failed(kind, "avbruten")
    try:
        claims = await services.oidc[kind].complete(
            code=code, pending=PendingLogin(**pending_login["pending"])
        )
    except OidcError as failure:
        log.warning("login failed: %s", failure)
        return _login_failed(kind, "misslyckades")

    now = services.now()

    async def start_session(subject: LoginSubject) -> str:
        old_token = request.cookies.get(services.settings.session_cookie_name)
        if old_token:
            # A new login never continues an old session (no session fixation).
            await services.sessions.delete(old_token)
        token, session = await services.sessions.create(
            kind=subject.kind,
            subject=subject.subject,
            given_name=subject.given_name,
            family_name=subject.family_name,
            now=now,
        )
        if subject.extra:
            await services.sessions.update(token, replace(session, extra=subject.extra))
        return token

    outcome = await in_transaction(
        services,
        lambda uow: usecases.log_in(
            uow=uow,
            now=now,
            kind=kind,
            claims=claims,
            lookup=lookup,
            hsa=services.hsa,
            start_session=start_session,
        ),
    )
    if isinstance(outcome, LoginRefused):
        return _login_failed(kind, outcome.reason)

    response = RedirectResponse(pending_login["return_to"], status_code=303)
    response.delete_cookie(LOGIN_BINDING_COOKIE, path="/auth")
    response.set_cookie(
        services.settings.session_cookie_name,
        outcome,
        httponly=True,
        secure=services.settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    return response


@router.post(
    "/auth/logout",
    operation_id="logout",
    response_model=LogoutResult,
    tags=["auth"],
    # No session (ended, or never there): 401; a missing or wrong CSRF token: 403.
    responses={status: PROBLEM_RESPONSES[status] for status in (401, 403)},
)
async def logout(auth: SessionDep, services: ServicesDep) -> Response:
    """Ends the session (the CSRF token is required like on every unsafe call)."""
    await services.sessions.delete(auth.token)
    await in_transaction(
        services,
        lambda uow: usecases.log_out(
            uow=uow, now=services.now(), kind=auth.session.kind, subject=auth.session.subject
        ),
    )
    kind: Literal["citizen", "staff"] = auth.session.kind
    response = JSONResponse(LogoutResult(redirect_to=HOME[kind]).model_dump())
    response.delete_cookie(
        services.settings.session_cookie_name,
        path="/",
        secure=services.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response
