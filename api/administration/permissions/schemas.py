from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from api.administration.fields import HsaId
from api.administration.permissions.usecases import GrantedPermission
from api.web.schemas import RequestModel


class PermissionIn(RequestModel):
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
    # Names as the HSA directory gave them at the grant; null for older grants.
    holder_name: str | None
    granted_by_hsa_id: str
    granted_by_name: str | None
    granted_at: datetime
    # Whether the administrator reading the list may revoke it.
    revocable: bool

    @classmethod
    def of(cls, granted: GrantedPermission) -> PermissionOut:
        p = granted.permission
        return cls(
            id=p.id,
            staff_hsa_id=p.staff_hsa_id,
            permission=p.module,
            care_unit_hsa_id=granted.care_unit_hsa_id,
            region_code=p.region_code,
            holder_name=p.staff_name,
            granted_by_hsa_id=p.granted_by_hsa_id,
            granted_by_name=p.granted_by_name,
            granted_at=p.granted_at,
            revocable=granted.revocable,
        )
