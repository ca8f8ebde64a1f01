"""Administration (SPEC §5): the configuration every other module reads, changed by the
right administrator within their scope, with optimistic concurrency (ETag / If-Match) and an
audit entry for every change. Things that orders or results refer to are retired, never
deleted."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import Header, Response
from pydantic import Field

from adapters.db.uow import UnitOfWork
from api.services import Services
from api.web.deps import Staff, record_refusal
from api.web.request_context import current_request_id
from domain.access import AdminScope, admin_scope
from domain.administration import (
    InvalidConfiguration,
    NoAdministrationPermission,
    OutsideAdministrationScope,
)
from domain.audit import AuditEvent
from domain.errors import InvalidInput, StaleVersion, VersionRequired
from domain.regions import REGIONS
from domain.staff import is_valid_hsa_id

ZONE = ZoneInfo("Europe/Stockholm")
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=40)]
Insight = Literal["positive", "negative", "technical_error", "answer"]
HsaId = Annotated[str, Field(min_length=5, max_length=64)]


# --- shared mechanics -----------------------------------------------------------------------


def expected_version(if_match: str | None) -> int:
    if if_match is None:
        raise VersionRequired()
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput("If-Match", 'the version from the ETag, e.g. "3"')
    return int(value)


def check_version(current: int, if_match: str | None) -> None:
    if expected_version(if_match) != current:
        raise StaleVersion(f"the current version is {current}: reload and try again")


def etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


async def scope_of(services: Services, staff: Staff, action: str) -> AdminScope:
    scope = admin_scope(staff.context)
    if not scope.any:
        error = NoAdministrationPermission("no administrator permission")
        await record_refusal(services, staff, action=action, error=error)
        raise error
    return scope


async def guarded(services: Services, staff: Staff, action: str, check: Any) -> None:
    """Runs a scope check; a refusal is audited in its own transaction, then raised."""
    try:
        check()
    except OutsideAdministrationScope as error:
        await record_refusal(services, staff, action=action, error=error)
        raise


async def audit(
    uow: UnitOfWork, services: Services, staff: Staff, action: str, **details: Any
) -> None:
    selected = staff.context.selected
    await uow.audit.record(
        AuditEvent(
            occurred_at=services.now(),
            action=f"admin:{action}",
            actor_kind="staff",
            actor_id=staff.context.hsa_id,
            care_unit_hsa_id=selected.care_unit_hsa_id if selected else None,
            assignment_id=selected.assignment_id if selected else None,
            assignment_purpose=selected.purpose if selected else None,
            request_id=current_request_id(),
            details={k: str(v) for k, v in details.items()},
        )
    )


def regions_filter(scope: AdminScope) -> list[str] | None:
    return None if scope.national else sorted(scope.region_codes)


def require_known_region(code: str) -> None:
    if code not in REGIONS:
        raise InvalidConfiguration("region_code", "not one of Sweden's 21 regions")


def require_hsa_id(field: str, value: str) -> None:
    if not is_valid_hsa_id(value):
        raise InvalidConfiguration(field, "not an HSA-id (e.g. SE2321000016-ABC1)")
