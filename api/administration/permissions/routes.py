from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.permissions import usecases
from api.administration.permissions.schemas import PermissionIn, PermissionOut
from api.web.deps import ServicesDep

router = APIRouter()


@router.get("/permissions", operation_id="listPermissions")
async def list_permissions(
    admin: Annotated[Administrator, Depends(admin_access("list_permissions"))],
    services: ServicesDep,
) -> list[PermissionOut]:
    granted = await administer(
        services, admin, lambda uow: usecases.list_permissions(uow=uow, actor=admin.actor)
    )
    return [PermissionOut.of(g) for g in granted]


@router.post("/permissions", operation_id="grantPermission", status_code=201)
async def grant_permission(
    body: PermissionIn,
    admin: Annotated[Administrator, Depends(admin_access("grant_permission"))],
    services: ServicesDep,
) -> PermissionOut:
    """Grants a permission (behörighet) to a staff member the HSA directory knows, employed at
    the care unit for a permission there; who granted it and when is kept and audited. Nobody
    grants themself a permission; patient-data modules are granted by the region's
    administrators."""
    grant = usecases.PermissionGrant(
        staff_hsa_id=body.staff_hsa_id,
        permission=body.permission,
        care_unit_hsa_id=body.care_unit_hsa_id,
        region_code=body.region_code,
    )
    granted = await administer(
        services,
        admin,
        lambda uow: usecases.grant_permission(
            uow=uow, actor=admin.actor, now=services.now(), grant=grant, hsa=services.hsa
        ),
    )
    return PermissionOut.of(granted)


@router.post(
    "/permissions/{permission_id}/revoke", operation_id="revokePermission", status_code=204
)
async def revoke_permission(
    permission_id: uuid.UUID,
    admin: Annotated[Administrator, Depends(admin_access("revoke_permission"))],
    services: ServicesDep,
) -> Response:
    await administer(
        services,
        admin,
        lambda uow: usecases.revoke_permission(
            uow=uow, actor=admin.actor, now=services.now(), permission_id=permission_id
        ),
    )
    return Response(status_code=204)
