"""Permissions (behörigheter): who granted what, when."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from api.routes.administration.common import (
    HsaId,
    audit,
    guarded,
    require_hsa_id,
    require_known_region,
    scope_of,
)
from api.web.deps import ServicesDep, StaffSession
from domain.access import GRANTABLE
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    require_grant_right,
)

router = APIRouter()


class PermissionIn(BaseModel):
    staff_hsa_id: HsaId
    permission: str = Field(min_length=2, max_length=40)
    care_unit_hsa_id: HsaId | None = None
    region_code: str | None = Field(default=None, min_length=2, max_length=2)


class PermissionOut(BaseModel):
    id: uuid.UUID
    staff_hsa_id: str
    permission: str
    care_unit_hsa_id: str | None
    region_code: str | None
    granted_by_hsa_id: str
    granted_at: datetime


def _permission_out(p: m.StaffPermission, unit_hsa_id: str | None) -> PermissionOut:
    return PermissionOut(
        id=p.id,
        staff_hsa_id=p.staff_hsa_id,
        permission=p.module,
        care_unit_hsa_id=unit_hsa_id,
        region_code=p.region_code,
        granted_by_hsa_id=p.granted_by_hsa_id,
        granted_at=p.granted_at,
    )


@router.get("/permissions", operation_id="listPermissions")
async def list_permissions(staff: StaffSession, services: ServicesDep) -> list[PermissionOut]:
    scope = await scope_of(services, staff, "admin:list_permissions")
    async with services.uow() as uow:
        unit_ids = None
        if not scope.national:
            units = await uow.administration.care_units_by_hsa(sorted(scope.care_unit_hsa_ids))
            unit_ids = [u.id for u in units.values()]
        rows = await uow.administration.permissions(
            care_unit_ids=unit_ids,
            region_codes=None if scope.national else sorted(scope.region_codes),
        )
    return [_permission_out(p, hsa) for p, hsa in rows]


@router.post("/permissions", operation_id="grantPermission", status_code=201)
async def grant_permission(
    body: PermissionIn, staff: StaffSession, services: ServicesDep
) -> PermissionOut:
    """Grants a permission (behörighet); who granted it and when is kept and audited."""
    await scope_of(services, staff, "admin:grant_permission")
    if body.permission not in GRANTABLE:
        raise InvalidConfiguration("permission", "one of " + ", ".join(sorted(GRANTABLE)))
    require_hsa_id("staff_hsa_id", body.staff_hsa_id)
    national = body.permission in ("operator", "central_admin")
    regional = body.permission == "region_admin"
    if regional:
        if body.region_code is None:
            raise InvalidConfiguration("region_code", "a regional administrator needs a region")
        require_known_region(body.region_code)
    async with services.uow() as uow:
        unit = None
        if not national and not regional:
            if body.care_unit_hsa_id is None:
                raise InvalidConfiguration("care_unit_hsa_id", "this permission is per care unit")
            unit = await uow.administration.care_unit(body.care_unit_hsa_id)
            if unit is None:
                raise InvalidConfiguration("care_unit_hsa_id", "no such care unit")
        await guarded(
            services,
            staff,
            "admin:grant_permission",
            lambda: require_grant_right(
                staff.context,
                permission=body.permission,
                region_code=unit.region_code if unit else body.region_code,
                care_unit_hsa_id=unit.hsa_id if unit else None,
            ),
        )
        region = body.region_code if regional else None
        if await uow.administration.active_permission_exists(
            staff_hsa_id=body.staff_hsa_id,
            module=body.permission,
            care_unit_id=unit.id if unit else None,
            region_code=region,
        ):
            raise InvalidConfiguration("permission", "the staff member has this permission already")
        permission = m.StaffPermission(
            id=uuid.uuid4(),
            staff_hsa_id=body.staff_hsa_id,
            module=body.permission,
            care_unit_id=unit.id if unit else None,
            region_code=region,
            granted_by_hsa_id=staff.context.hsa_id,
            granted_at=services.now(),
        )
        await uow.administration.add(permission)
        await audit(
            uow,
            services,
            staff,
            "grant_permission",
            staff_hsa_id=body.staff_hsa_id,
            permission=body.permission,
            care_unit=unit.hsa_id if unit else region or "national",
        )
        await uow.commit()
    return _permission_out(permission, unit.hsa_id if unit else None)


@router.post(
    "/permissions/{permission_id}/revoke", operation_id="revokePermission", status_code=204
)
async def revoke_permission(
    permission_id: uuid.UUID, staff: StaffSession, services: ServicesDep
) -> Response:
    await scope_of(services, staff, "admin:revoke_permission")
    async with services.uow() as uow:
        permission = await uow.administration.permission(permission_id)
        if permission is None or permission.revoked_at is not None:
            raise ConfigurationNotFound("no such active permission")
        unit = None
        if permission.care_unit_id is not None:
            hsa = (await uow.administration.care_unit_hsa_ids([permission.care_unit_id]))[
                permission.care_unit_id
            ]
            unit = await uow.administration.care_unit(hsa)
        await guarded(
            services,
            staff,
            "admin:revoke_permission",
            lambda: require_grant_right(
                staff.context,
                permission=permission.module,
                region_code=unit.region_code if unit else permission.region_code,
                care_unit_hsa_id=unit.hsa_id if unit else None,
            ),
        )
        permission.revoked_at = services.now()
        permission.revoked_by_hsa_id = staff.context.hsa_id
        await audit(
            uow,
            services,
            staff,
            "revoke_permission",
            id=permission_id,
            staff_hsa_id=permission.staff_hsa_id,
        )
        await uow.commit()
    return Response(status_code=204)
