"""Permissions (behörigheter) as administrators grant and revoke them (ORM: a low-volume
path). Reading a staff member's own permissions on every request is `staff.py`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import CareUnit, StaffPermission


class PermissionGrantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def active(
        self, *, care_unit_ids: Sequence[uuid.UUID] | None, region_codes: Sequence[str] | None
    ) -> list[tuple[StaffPermission, str | None, str | None]]:
        """Permissions not revoked, each with its care unit's HSA-id and region; all of them
        when both filters are None, else those at the given units or in the given regions."""
        query = (
            select(StaffPermission, CareUnit.hsa_id, CareUnit.region_code)
            .outerjoin(CareUnit, CareUnit.id == StaffPermission.care_unit_id)
            .where(StaffPermission.revoked_at.is_(None))
            .order_by(StaffPermission.staff_hsa_id, StaffPermission.module)
        )
        if care_unit_ids is not None or region_codes is not None:
            query = query.where(
                StaffPermission.care_unit_id.in_(list(care_unit_ids or []))
                | CareUnit.region_code.in_(list(region_codes or []))
            )
        return [(p, hsa, region) for p, hsa, region in (await self._session.execute(query)).all()]

    async def for_update(self, permission_id: uuid.UUID) -> StaffPermission | None:
        return (
            await self._session.execute(
                select(StaffPermission).where(StaffPermission.id == permission_id).with_for_update()
            )
        ).scalar_one_or_none()

    async def active_exists(
        self,
        *,
        staff_hsa_id: str,
        module: str,
        care_unit_id: uuid.UUID | None,
        region_code: str | None,
    ) -> bool:
        query = select(StaffPermission.id).where(
            StaffPermission.staff_hsa_id == staff_hsa_id,
            StaffPermission.module == module,
            StaffPermission.revoked_at.is_(None),
        )
        query = query.where(
            StaffPermission.care_unit_id.is_(None)
            if care_unit_id is None
            else StaffPermission.care_unit_id == care_unit_id
        )
        query = query.where(
            StaffPermission.region_code.is_(None)
            if region_code is None
            else StaffPermission.region_code == region_code
        )
        return (await self._session.execute(query)).first() is not None

    async def grant(
        self,
        *,
        staff_hsa_id: str,
        module: str,
        care_unit_id: uuid.UUID | None,
        region_code: str | None,
        granted_by_hsa_id: str,
        granted_at: datetime,
        staff_name: str | None = None,
        granted_by_name: str | None = None,
    ) -> StaffPermission:
        permission = StaffPermission(
            id=uuid.uuid4(),
            staff_hsa_id=staff_hsa_id,
            module=module,
            care_unit_id=care_unit_id,
            region_code=region_code,
            granted_by_hsa_id=granted_by_hsa_id,
            granted_at=granted_at,
            staff_name=staff_name,
            granted_by_name=granted_by_name,
        )
        self._session.add(permission)
        await self._session.flush()
        return permission

    async def serialize_changes_of(self, module: str) -> None:
        """Takes a transaction-scoped lock on changes of `module`'s holders, so that a rule
        over all of them (the last central administrator) is decided one change at a time."""
        await self._session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
            {"key": f"staff_permissions:{module}"},
        )

    async def other_active_holders(self, *, module: str, staff_hsa_id: str) -> int:
        """How many staff members besides `staff_hsa_id` hold `module` (not revoked)."""
        count = await self._session.execute(
            select(func.count(func.distinct(StaffPermission.staff_hsa_id))).where(
                StaffPermission.module == module,
                StaffPermission.revoked_at.is_(None),
                StaffPermission.staff_hsa_id != staff_hsa_id,
            )
        )
        return int(count.scalar_one())
