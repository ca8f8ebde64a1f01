from __future__ import annotations

from sqlalchemy import select

from adapters.db.models import CareUnit, StaffPermission
from adapters.db.repositories import Executor
from domain.access import Permission


class PermissionRepository:
    def __init__(self, session: Executor) -> None:
        self._session = session

    async def active_for(self, staff_hsa_id: str) -> tuple[Permission, ...]:
        rows = await self._session.execute(
            select(StaffPermission.module, CareUnit.hsa_id, StaffPermission.region_code)
            .outerjoin(CareUnit, CareUnit.id == StaffPermission.care_unit_id)
            .where(
                StaffPermission.staff_hsa_id == staff_hsa_id,
                StaffPermission.revoked_at.is_(None),
            )
            .order_by(StaffPermission.module, CareUnit.hsa_id)
        )
        return tuple(
            Permission(name=module, care_unit_hsa_id=unit, region_code=region)
            for module, unit, region in rows
        )
