"""Care units as administrators see and change them (ORM: a low-volume path)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import CareUnit, OfferAssigningUnit, Region
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

    async def get(self, hsa_id: str, *, for_update: bool = False) -> CareUnit | None:
        query = select(CareUnit).where(CareUnit.hsa_id == hsa_id)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def by_hsa_ids(self, hsa_ids: Sequence[str]) -> dict[str, CareUnit]:
        rows = await self._session.execute(
            select(CareUnit).where(CareUnit.hsa_id.in_(list(hsa_ids)))
        )
        return {unit.hsa_id: unit for unit in rows.scalars()}

    async def hsa_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        rows = await self._session.execute(
            select(CareUnit.id, CareUnit.hsa_id).where(CareUnit.id.in_(list(ids)))
        )
        return {row.id: row.hsa_id for row in rows}

    async def add(
        self,
        *,
        hsa_id: str,
        name: str,
        region_code: str,
        care_giver_hsa_id: str,
        care_giver_name: str,
        result_recipient_hsa_id: str | None,
        worklist_insights: Sequence[str],
    ) -> CareUnit:
        unit = CareUnit(
            id=uuid.uuid4(),
            hsa_id=hsa_id,
            name=name,
            region_code=region_code,
            care_giver_hsa_id=care_giver_hsa_id,
            care_giver_name=care_giver_name,
            result_recipient_hsa_id=result_recipient_hsa_id,
            worklist_insights=list(worklist_insights),
            version=1,
        )
        self._session.add(unit)
        await self._session.flush()
        return unit

    async def assignable_catalog_ids(self, care_unit_id: uuid.UUID) -> list[str]:
        """The personal offers the unit may assign."""
        rows = await self._session.execute(
            select(OfferAssigningUnit.catalog_id)
            .where(OfferAssigningUnit.care_unit_id == care_unit_id)
            .order_by(OfferAssigningUnit.catalog_id)
        )
        return list(rows.scalars())

    async def set_assignable_offers(
        self, care_unit_id: uuid.UUID, catalog_ids: Sequence[str]
    ) -> None:
        await self._session.execute(
            delete(OfferAssigningUnit).where(OfferAssigningUnit.care_unit_id == care_unit_id)
        )
        for catalog_id in catalog_ids:
            self._session.add(OfferAssigningUnit(catalog_id=catalog_id, care_unit_id=care_unit_id))
        await self._session.flush()
