"""Browser login and logout for both apps. The OIDC dance happens here; afterwards the
browser holds only an HttpOnly session cookie (no tokens reach JavaScript)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import asdict, replace
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from adapters.identity.oidc import OidcError, PendingLogin
from adapters.sessions import SessionKind
from api.persons import find_person
from api.services import Services
from api.web.deps import ServicesDep, SessionDep
from api.web.request_context import current_request_id
from domain.audit import AuditEvent
from domain.identity_numbers import InvalidPersonalIdentityNumber, PersonalIdentityNumber
from domain.persons import PersonRegisterDown
from domain.staff import HsaDirectoryUnavailable

log = logging.getLogger(__name__)
router = APIRouter(tags=["auth"])

LOGIN_BINDING_COOKIE = "pep_login"
PENDING_LOGIN_TTL_SECONDS = 600
HOME = {"citizen": "/", "staff": "/pro/"}


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


@router.get("/auth/{kind}/login", operation_id="login", include_in_schema=True)
async def login(
    kind: SessionKind,
    services: ServicesDep,
    return_to: Annotated[str | None, Query(max_length=2000)] = None,
) -> RedirectResponse:
    """Starts a login: redirects to the identity provider (BankID for citizens, SITHS for
    staff). After the login the browser returns to `return_to` (a path on this site)."""
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
    response = RedirectResponse(f"{HOME[kind]}?inloggning={reason}", status_code=303)
    response.delete_cookie(LOGIN_BINDING_COOKIE, path="/auth")
    return response


@router.get("/auth/{kind}/callback", operation_id="loginCallback")
async def callback(
    kind: SessionKind,
    request: Request,
    services: ServicesDep,
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
    if kind == "citizen":
        outcome = await _citizen_subject(services, claims)
    else:
        outcome = await _staff_subject(services, claims)
    if isinstance(outcome, str):
        return _login_failed(kind, outcome)
    subject, given_name, family_name, extra = outcome

    old_token = request.cookies.get(services.settings.session_cookie_name)
    if old_token:
        # A new login never continues an old session (no session fixation).
        await services.sessions.delete(old_token)
    token, session = await services.sessions.create(
        kind=kind, subject=subject, given_name=given_name, family_name=family_name, now=now
    )
    if extra:
        session = replace(session, extra=extra)
        await services.sessions.update(token, session)
    async with services.uow() as uow:
        await uow.audit.record(
            AuditEvent(
                occurred_at=now,
                action="login",
                actor_kind=kind,
                actor_id=subject,
                request_id=current_request_id(),
            )
        )
        await uow.commit()

    response = RedirectResponse(pending_login["return_to"], status_code=303)
    response.delete_cookie(LOGIN_BINDING_COOKIE, path="/auth")
    response.set_cookie(
        services.settings.session_cookie_name,
        token,
        httponly=True,
        secure=services.settings.cookie_secure,
        samesite="lax",
        path="/",
    )
    return response


async def _refuse_login(services: Services, *, kind: str, subject: str, reason: str) -> str:
    async with services.uow() as uow:
        await uow.audit.record(
            AuditEvent(
                occurred_at=services.now(),
                action="login",
                actor_kind=kind,
                actor_id=subject,
                outcome="refused",
                request_id=current_request_id(),
                details={"reason": reason},
            )
        )
        await uow.commit()
    return reason


async def _citizen_subject(
    services: Services, claims: dict[str, object]
) -> tuple[str, str, str, dict[str, object]] | str:
    try:
        personnummer = PersonalIdentityNumber.parse(
            str(claims.get("personal_identity_number", "")), today=services.now().date()
        )
    except InvalidPersonalIdentityNumber:
        return "ogiltig"
    # At every login the person must exist in the person register (SPEC §1).
    async with services.uow() as uow:
        try:
            person = await find_person(services, uow, personnummer)
        except PersonRegisterDown:
            return "tjanstfel"
        await uow.commit()
    if person is None or person.deceased:
        return await _refuse_login(
            services, kind="citizen", subject=personnummer.value, reason="okand"
        )
    # The region decides which general offers the citizen sees; kept in the session so that
    # listing offers needs no person look-up (the register copy is cached for days anyway).
    return (
        personnummer.value,
        person.given_name,
        person.family_name,
        {"region_code": person.region_code, "protected_identity": person.protected_identity},
    )


async def _staff_subject(
    services: Services, claims: dict[str, object]
) -> tuple[str, str, str, dict[str, object]] | str:
    hsa_id = str(claims.get("employeeHsaId", ""))
    if not hsa_id:
        return "ogiltig"
    try:
        staff = await services.hsa.get_staff(hsa_id)
    except HsaDirectoryUnavailable:
        log.error("HSA directory unavailable at staff login")
        return "tjanstfel"
    if staff is None:
        return await _refuse_login(services, kind="staff", subject=hsa_id, reason="okand")
    return (
        staff.hsa_id,
        staff.given_name,
        staff.family_name,
        {"assignments": [asdict(a) for a in staff.assignments], "title": staff.title},
    )


class LogoutResult(BaseModel):
    redirect_to: str


@router.post("/auth/logout", operation_id="logout", response_model=LogoutResult)
async def logout(auth: SessionDep, services: ServicesDep) -> Response:
    """Ends the session (the CSRF token is required like on every unsafe call)."""
    await services.sessions.delete(auth.token)
    async with services.uow() as uow:
        await uow.audit.record(
            AuditEvent(
                occurred_at=services.now(),
                action="logout",
                actor_kind=auth.session.kind,
                actor_id=auth.session.subject,
                request_id=current_request_id(),
            )
        )
        await uow.commit()
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
