"""Granting and revoking permissions, within the administrator's right to grant them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from adapters.db.models import CareUnit, StaffPermission
from adapters.db.uow import UnitOfWork
from api.administration.editing import found, record_change
from domain.access import GRANTABLE, Role, admin_scope
from domain.actors import StaffActor
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    require_another_central_admin,
    require_grant_right,
    require_grantee,
    require_hsa_id,
    require_known_region,
)
from domain.errors import NotPermitted, ServiceUnavailable
from domain.staff import HsaDirectory, HsaDirectoryUnavailable


@dataclass(frozen=True, slots=True)
class PermissionGrant:
    """What the administrator asks to grant: a permission for a staff member, at a care unit
    (patient-data modules, unit administration) or in a region (regional administration)."""

    staff_hsa_id: str
    permission: str
    care_unit_hsa_id: str | None
    region_code: str | None


@dataclass(frozen=True, slots=True)
class GrantedPermission:
    permission: StaffPermission
    care_unit_hsa_id: str | None
    # Whether the administrator who reads it may revoke it (the same rule as granting).
    revocable: bool = True


def _may_change(
    actor: StaffActor,
    permission: StaffPermission,
    *,
    region_code: str | None,
    care_unit_hsa_id: str | None,
) -> bool:
    try:
        require_grant_right(
            actor.context,
            permission=permission.module,
            region_code=region_code,
            care_unit_hsa_id=care_unit_hsa_id,
            staff_hsa_id=permission.staff_hsa_id,
        )
    except (NotPermitted, InvalidConfiguration):
        return False
    return True


async def list_permissions(*, uow: UnitOfWork, actor: StaffActor) -> list[GrantedPermission]:
    """The active permissions at the care units and in the regions the actor administers."""
    scope = admin_scope(actor.context)
    unit_ids = None
    if not scope.national:
        units = await uow.care_units.by_hsa_ids(sorted(scope.care_unit_hsa_ids))
        unit_ids = [u.id for u in units.values()]
    rows = await uow.permission_grants.active(
        care_unit_ids=unit_ids,
        region_codes=None if scope.national else sorted(scope.region_codes),
    )
    return [
        GrantedPermission(
            permission=p,
            care_unit_hsa_id=hsa,
            revocable=_may_change(
                actor, p, region_code=unit_region or p.region_code, care_unit_hsa_id=hsa
            ),
        )
        for p, hsa, unit_region in rows
    ]


async def grant_permission(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    grant: PermissionGrant,
    hsa: HsaDirectory,
) -> GrantedPermission:
    """Grants a permission (behörighet) to a staff member the HSA directory knows (employed
    at the care unit, for a permission there); who granted it and when is kept and
    audited."""
    if grant.permission not in GRANTABLE:
        raise InvalidConfiguration("permission", "one of " + ", ".join(sorted(GRANTABLE)))
    require_hsa_id("staff_hsa_id", grant.staff_hsa_id)
    national = grant.permission in (Role.OPERATOR, Role.CENTRAL_ADMIN)
    regional = grant.permission == Role.REGION_ADMIN
    if regional:
        if grant.region_code is None:
            raise InvalidConfiguration("region_code", "a regional administrator needs a region")
        require_known_region(grant.region_code)
    unit: CareUnit | None = None
    if not national and not regional:
        if grant.care_unit_hsa_id is None:
            raise InvalidConfiguration("care_unit_hsa_id", "this permission is per care unit")
        unit = await uow.care_units.get(grant.care_unit_hsa_id)
        if unit is None:
            raise InvalidConfiguration("care_unit_hsa_id", "no such care unit")
    require_grant_right(
        actor.context,
        permission=grant.permission,
        region_code=unit.region_code if unit else grant.region_code,
        care_unit_hsa_id=unit.hsa_id if unit else None,
        staff_hsa_id=grant.staff_hsa_id,
    )
    try:
        grantee = await hsa.get_staff(grant.staff_hsa_id)
    except HsaDirectoryUnavailable as error:
        raise ServiceUnavailable("the HSA directory did not answer; nothing was granted") from error
    require_grantee(grantee, care_unit_hsa_id=unit.hsa_id if unit else None)
    assert grantee is not None  # require_grantee made sure
    region = grant.region_code if regional else None
    if await uow.permission_grants.active_exists(
        staff_hsa_id=grant.staff_hsa_id,
        module=grant.permission,
        care_unit_id=unit.id if unit else None,
        region_code=region,
    ):
        raise InvalidConfiguration("permission", "the staff member has this permission already")
    permission = await uow.permission_grants.grant(
        staff_hsa_id=grant.staff_hsa_id,
        module=grant.permission,
        care_unit_id=unit.id if unit else None,
        region_code=region,
        granted_by_hsa_id=actor.hsa_id,
        granted_at=now,
        staff_name=grantee.full_name,
        granted_by_name=actor.name,
    )
    await record_change(
        uow,
        actor=actor,
        now=now,
        action="grant_permission",
        staff_hsa_id=grant.staff_hsa_id,
        permission=grant.permission,
        care_unit=unit.hsa_id if unit else region or "national",
    )
    await uow.commit()
    return GrantedPermission(permission=permission, care_unit_hsa_id=unit.hsa_id if unit else None)


async def revoke_permission(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, permission_id: uuid.UUID
) -> None:
    permission = await uow.permission_grants.for_update(permission_id)
    if permission is None or permission.revoked_at is not None:
        raise ConfigurationNotFound("no such active permission")
    if permission.module == Role.CENTRAL_ADMIN:
        # Two central administrators revoking each other at once must not leave none.
        await uow.permission_grants.serialize_changes_of(Role.CENTRAL_ADMIN.value)
    unit = None
    if permission.care_unit_id is not None:
        hsa_id = (await uow.care_units.hsa_ids([permission.care_unit_id]))[permission.care_unit_id]
        unit = found(await uow.care_units.get(hsa_id), "care unit")
    require_grant_right(
        actor.context,
        permission=permission.module,
        region_code=unit.region_code if unit else permission.region_code,
        care_unit_hsa_id=unit.hsa_id if unit else None,
        staff_hsa_id=permission.staff_hsa_id,
    )
    if permission.module == Role.CENTRAL_ADMIN:
        require_another_central_admin(
            others=await uow.permission_grants.other_active_holders(
                module=Role.CENTRAL_ADMIN.value, staff_hsa_id=permission.staff_hsa_id
            )
        )
    permission.revoked_at = now
    permission.revoked_by_hsa_id = actor.hsa_id
    await record_change(
        uow,
        actor=actor,
        now=now,
        action="revoke_permission",
        id=permission_id,
        staff_hsa_id=permission.staff_hsa_id,
    )
    await uow.commit()
