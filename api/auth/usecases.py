"""Who may log in, once the identity provider has vouched for them, and the audit of logins
and logouts. The OIDC dance, cookies and the session store stay in the web layer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from adapters.db.uow import UnitOfWork
from adapters.sessions import SessionKind
from api.persons.usecases import PersonLookup, find_person
from domain.audit import anonymous_event
from domain.identity_numbers import InvalidPersonalIdentityNumber, PersonalIdentityNumber
from domain.persons import PersonRegisterDown
from domain.staff import HsaDirectory, HsaDirectoryUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LoginSubject:
    """Who logs in, as their session will know them."""

    kind: SessionKind
    subject: str  # the personnummer (citizen) or HSA id (staff)
    given_name: str
    family_name: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LoginRefused:
    # Told to the app in the redirect (?inloggning=…): ogiltig, tjanstfel, okand.
    reason: str


async def _refuse(
    uow: UnitOfWork, *, now: datetime, kind: SessionKind, subject: str, reason: str
) -> LoginRefused:
    await uow.audit.record(
        anonymous_event(
            "login",
            now=now,
            actor_kind=kind,
            actor_id=subject,
            outcome="refused",
            details={"reason": reason},
        )
    )
    await uow.commit()
    return LoginRefused(reason)


async def _citizen(
    uow: UnitOfWork, *, now: datetime, claims: dict[str, object], lookup: PersonLookup
) -> LoginSubject | LoginRefused:
    try:
        personnummer = PersonalIdentityNumber.parse(
            str(claims.get("personal_identity_number", "")), today=now.date()
        )
    except InvalidPersonalIdentityNumber:
        return LoginRefused("ogiltig")
    # At every login the person must exist in the person register (SPEC §1).
    try:
        person = await find_person(uow=uow, lookup=lookup, personnummer=personnummer, now=now)
    except PersonRegisterDown:
        return LoginRefused("tjanstfel")
    if person is None or person.deceased:
        return await _refuse(
            uow, now=now, kind="citizen", subject=personnummer.value, reason="okand"
        )
    # The region decides which general offers the citizen sees; kept in the session so that
    # listing offers needs no person look-up (the register copy is cached for days anyway).
    return LoginSubject(
        kind="citizen",
        subject=personnummer.value,
        given_name=person.given_name,
        family_name=person.family_name,
        extra={"region_code": person.region_code, "protected_identity": person.protected_identity},
    )


async def _staff(
    uow: UnitOfWork, *, now: datetime, claims: dict[str, object], hsa: HsaDirectory
) -> LoginSubject | LoginRefused:
    hsa_id = str(claims.get("employeeHsaId", ""))
    if not hsa_id:
        return LoginRefused("ogiltig")
    try:
        staff = await hsa.get_staff(hsa_id)
    except HsaDirectoryUnavailable:
        log.error("HSA directory unavailable at staff login")
        return LoginRefused("tjanstfel")
    if staff is None:
        return await _refuse(uow, now=now, kind="staff", subject=hsa_id, reason="okand")
    # The employee assignments are read from HSA once per login; the session keeps them.
    return LoginSubject(
        kind="staff",
        subject=staff.hsa_id,
        given_name=staff.given_name,
        family_name=staff.family_name,
        extra={"assignments": [asdict(a) for a in staff.assignments], "title": staff.title},
    )


async def log_in(
    *,
    uow: UnitOfWork,
    now: datetime,
    kind: SessionKind,
    claims: dict[str, object],
    lookup: PersonLookup,
    hsa: HsaDirectory,
    start_session: Callable[[LoginSubject], Awaitable[T]],
) -> T | LoginRefused:
    """Completes a login the identity provider has verified: a citizen must be alive in the
    person register, a staff member known to HSA. Starts the session (whatever
    `start_session` returns is returned) and audits the login; a refusal of a known identity
    is audited too. The register's answer is cached in the same transaction as the audit
    entry."""
    subject = (
        await _citizen(uow, now=now, claims=claims, lookup=lookup)
        if kind == "citizen"
        else await _staff(uow, now=now, claims=claims, hsa=hsa)
    )
    if isinstance(subject, LoginRefused):
        return subject
    started = await start_session(subject)
    await uow.audit.record(
        anonymous_event("login", now=now, actor_kind=kind, actor_id=subject.subject)
    )
    await uow.commit()
    return started


async def log_out(*, uow: UnitOfWork, now: datetime, kind: SessionKind, subject: str) -> None:
    """Audits a logout (the web layer has ended the session). Like the login, it names only
    who: the session may be of either kind, with or without a chosen care unit."""
    await uow.audit.record(anonymous_event("logout", now=now, actor_kind=kind, actor_id=subject))
    await uow.commit()
