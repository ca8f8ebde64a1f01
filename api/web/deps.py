"""Dependencies that every endpoint uses: the services, the session of a citizen or a staff
member (with CSRF checked on unsafe methods), the acting `Actor` that use cases receive, and
module access for staff."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from adapters.integration_tokens import InvalidAccessToken
from adapters.sessions import WebSession
from api.services import Services
from api.web.errors import CsrfRejected, IntegrationTokenRejected, NotAuthenticated
from domain.access import Module, StaffContext, require_module
from domain.actors import Actor, CitizenActor, IntegrationActor, StaffActor
from domain.audit import audit_event
from domain.errors import NotPermitted
from domain.identity_numbers import PersonalIdentityNumber
from domain.integration import InsufficientScope, require_scopes
from domain.staff import EmployeeAssignment

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_services(request: Request) -> Services:
    # async: a plain def would be run in the thread pool on every request.
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


@dataclass(frozen=True, slots=True)
class AuthenticatedSession:
    token: str
    session: WebSession


async def current_session(request: Request, services: ServicesDep) -> AuthenticatedSession:
    return await _authenticated(request, services)


async def _authenticated(request: Request, services: Services) -> AuthenticatedSession:
    token = request.cookies.get(services.settings.session_cookie_name)
    if not token:
        raise NotAuthenticated()
    session = await services.sessions.get(token, now=services.now())
    if session is None:
        raise NotAuthenticated()
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token", "")
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise CsrfRejected()
    return AuthenticatedSession(token=token, session=session)


SessionDep = Annotated[AuthenticatedSession, Depends(current_session)]


async def current_citizen(request: Request) -> CitizenActor:
    # One dependency, not a chain (session → services): each node of FastAPI's dependency
    # graph costs several microseconds on every request, and this one is on every citizen
    # request (issue 12, part 3).
    auth = await _authenticated(request, request.app.state.services)
    if auth.session.kind != "citizen":
        # A staff session on a citizen endpoint is simply not a citizen login.
        raise NotAuthenticated()
    extra = auth.session.extra
    return CitizenActor(
        personnummer=PersonalIdentityNumber.parse(auth.session.subject),
        region_code=extra.get("region_code"),
        protected_identity=bool(extra.get("protected_identity", False)),
    )


CitizenSession = Annotated[CitizenActor, Depends(current_citizen)]


@dataclass(frozen=True, slots=True)
class Citizen:
    """The logged-in citizen and the services, from one dependency: for the citizen's
    hottest routes (the profile, the offer list, placing an order), where a second node in
    FastAPI's dependency graph (`ServicesDep`) costs a few per cent of the request's CPU
    (issue 12, part 3). Other routes take `CitizenSession` and `ServicesDep`."""

    actor: CitizenActor
    services: Services


async def current_citizen_with_services(request: Request) -> Citizen:
    """`CitizenDep`'s dependency; the citizen's two hottest reads (the profile and the offer
    list) take the `Request` and call it themselves, with no dependency declared: FastAPI
    solves every declared dependency on every request (its cache key, the call, its
    values), ≈ 60 k instructions, 3.5 % of each of those requests (issue 12, part 3). The
    answer without a citizen's session is the same 401. A route with a body keeps
    `CitizenDep`, so that a request without a session is refused before its input is
    read."""
    return Citizen(actor=await current_citizen(request), services=request.app.state.services)


CitizenDep = Annotated[Citizen, Depends(current_citizen_with_services)]


def assignments_from_session(session: WebSession) -> tuple[EmployeeAssignment, ...]:
    return tuple(EmployeeAssignment(**a) for a in session.extra.get("assignments", []))


@dataclass(frozen=True, slots=True)
class Staff:
    """The staff member's session (for the few endpoints that change it) and who they are."""

    token: str
    session: WebSession
    context: StaffContext

    @property
    def actor(self) -> StaffActor:
        name = f"{self.session.given_name} {self.session.family_name}".strip()
        return StaffActor(self.context, name=name or None)


async def current_staff(auth: SessionDep, services: ServicesDep) -> Staff:
    if auth.session.kind != "staff":
        raise NotAuthenticated()
    assignments = assignments_from_session(auth.session)
    selected = next(
        (a for a in assignments if a.assignment_id == auth.session.selected_assignment_id), None
    )
    # Permissions are read on every request so that a revocation takes effect at once.
    permissions = await services.read(
        lambda reader: reader.permissions.active_for(auth.session.subject)
    )
    return Staff(
        token=auth.token,
        session=auth.session,
        context=StaffContext(
            hsa_id=auth.session.subject,
            assignments=assignments,
            selected=selected,
            permissions=permissions,
        ),
    )


StaffSession = Annotated[Staff, Depends(current_staff)]


async def record_refusal(
    services: Services, staff: Staff | Actor, *, action: str, error: NotPermitted
) -> None:
    """A refused authorization is kept in the audit log, in its own transaction, since the
    request's own work is rolled back."""
    actor = staff.actor if isinstance(staff, Staff) else staff
    async with services.uow() as uow:
        await uow.audit.record(
            audit_event(
                actor,
                action,
                now=services.now(),
                outcome="refused",
                details={"reason": type(error).__name__},
            )
        )
        await uow.commit()


def module_access(module: Module):  # type: ignore[no-untyped-def]
    """Dependency factory: the staff member may use the module at the selected unit."""

    async def dependency(staff: StaffSession, services: ServicesDep) -> Staff:
        try:
            require_module(staff.context, module)
        except NotPermitted as error:
            await record_refusal(services, staff, action=f"module:{module.value}", error=error)
            raise
        return staff

    return dependency


def _bearer_token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise IntegrationTokenRejected(None)
    return token.strip()


def integration_client(*scopes: str):  # type: ignore[no-untyped-def]
    """Dependency factory for the integration API: a valid bearer token (OAuth2 client
    credentials, ADR 7) of an active client holding every scope named. Answers 401 with
    `WWW-Authenticate: Bearer` without one, 403 insufficient-scope (audited) when a scope is
    missing. The client's row is read on every call, so retiring a client, narrowing its
    scopes or changing its organisation takes effect at once."""

    async def dependency(request: Request, services: ServicesDep) -> IntegrationActor:
        token = _bearer_token(request)
        try:
            claims = services.integration_tokens.verify(token, now=services.now())
        except InvalidAccessToken:
            raise IntegrationTokenRejected() from None
        client = await services.read(
            lambda reader: reader.integration_clients.credentials(claims.client_id)
        )
        if client is None or client.retired:
            raise IntegrationTokenRejected()
        header = services.settings.integration_client_cert_header
        if claims.certificate_thumbprint is not None and (
            header is None
            or not hmac.compare_digest(
                request.headers.get(header, "").encode(), claims.certificate_thumbprint.encode()
            )
        ):
            # RFC 8705 §3: a certificate-bound token is used only over that certificate.
            raise IntegrationTokenRejected()
        actor = client.actor(claims.scopes)
        try:
            require_scopes(actor, scopes)
        except InsufficientScope as error:
            await record_refusal(
                services,
                actor,
                action="integration:" + getattr(request.scope.get("route"), "name", "call"),
                error=error,
            )
            raise
        return actor

    return dependency


IntegrationClient = IntegrationActor
"""The type a route names for `Depends(integration_client(...))`."""
