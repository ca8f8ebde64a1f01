"""Dependencies that every endpoint uses: the services, the session of a citizen or a staff
member (with CSRF checked on unsafe methods), and the staff member's authorization context."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from adapters.sessions import WebSession
from api.exceptions import CsrfRejected, NotAuthenticated
from api.request_context import current_request_id
from api.services import Services
from domain.access import Module, StaffContext, require_module
from domain.audit import AuditEvent
from domain.errors import NotPermitted
from domain.identity_numbers import PersonalIdentityNumber
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


@dataclass(frozen=True, slots=True)
class Citizen:
    personnummer: PersonalIdentityNumber
    session: WebSession

    @property
    def region_code(self) -> str | None:
        region: str | None = self.session.extra.get("region_code")
        return region

    @property
    def protected_identity(self) -> bool:
        return bool(self.session.extra.get("protected_identity", False))


async def current_citizen(auth: SessionDep) -> Citizen:
    if auth.session.kind != "citizen":
        # A staff session on a citizen endpoint is simply not a citizen login.
        raise NotAuthenticated()
    return Citizen(
        personnummer=PersonalIdentityNumber.parse(auth.session.subject),
        session=auth.session,
    )


CitizenSession = Annotated[Citizen, Depends(current_citizen)]


def assignments_from_session(session: WebSession) -> tuple[EmployeeAssignment, ...]:
    return tuple(EmployeeAssignment(**a) for a in session.extra.get("assignments", []))


@dataclass(frozen=True, slots=True)
class Staff:
    token: str
    session: WebSession
    context: StaffContext


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
    services: Services, staff: Staff, *, action: str, error: NotPermitted
) -> None:
    """A refused authorization is kept in the audit log, in its own transaction, since the
    request's own work is rolled back."""
    selected = staff.context.selected
    async with services.uow() as uow:
        await uow.audit.record(
            AuditEvent(
                occurred_at=services.now(),
                action=action,
                actor_kind="staff",
                actor_id=staff.context.hsa_id,
                outcome="refused",
                care_unit_hsa_id=selected.care_unit_hsa_id if selected else None,
                assignment_id=selected.assignment_id if selected else None,
                assignment_purpose=selected.purpose if selected else None,
                request_id=current_request_id(),
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
