from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import CareUnit, Region
from domain.access import AdminScope


@dataclass(frozen=True, slots=True)
class CareUnitRow:
    hsa_id: str
    name: str
    region_code: str
    region_name: str
    care_giver_name: str
    retired: bool


class CareUnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_within(self, scope: AdminScope) -> list[CareUnitRow]:
        """Care units the scope may administer; the scoping is applied here, in the query,
        so that no endpoint can forget it."""
        query = (
            select(
                CareUnit.hsa_id,
                CareUnit.name,
                CareUnit.region_code,
                Region.name.label("region_name"),
                CareUnit.care_giver_name,
                CareUnit.retired_at,
            )
            .join(Region, Region.code == CareUnit.region_code)
            .order_by(CareUnit.region_code, CareUnit.name)
        )
        if not scope.national:
            query = query.where(
                or_(
                    CareUnit.region_code.in_(scope.region_codes),
                    CareUnit.hsa_id.in_(scope.care_unit_hsa_ids),
                )
            )
        rows = await self._session.execute(query)
        return [
            CareUnitRow(
                hsa_id=r.hsa_id,
                name=r.name,
                region_code=r.region_code,
                region_name=r.region_name,
                care_giver_name=r.care_giver_name,
                retired=r.retired_at is not None,
            )
            for r in rows
        ]
