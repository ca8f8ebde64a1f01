from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from adapters.db.models import StaffPermission
from api.administration.fields import HsaId


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

    @classmethod
    def of(cls, p: StaffPermission, care_unit_hsa_id: str | None) -> PermissionOut:
        return cls(
            id=p.id,
            staff_hsa_id=p.staff_hsa_id,
            permission=p.module,
            care_unit_hsa_id=care_unit_hsa_id,
            region_code=p.region_code,
            granted_by_hsa_id=p.granted_by_hsa_id,
            granted_at=p.granted_at,
        )
