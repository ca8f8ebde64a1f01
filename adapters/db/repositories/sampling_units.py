"""Sampling units, the laboratories they send samples to, and their bookable times, as
administrators change them (ORM/Core: a low-volume path; booking has its own SQL)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import Laboratory, SamplingSlot, SamplingUnit, SamplingUnitLaboratory
from domain.administration import SamplingUnitHsaIdTaken

_UNIQUE_HSA_ID = "uq_sampling_units_hsa_id"


class SamplingUnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def in_regions(self, region_codes: Sequence[str] | None) -> list[SamplingUnit]:
        """All sampling units, or those of the given regions."""
        query = select(SamplingUnit).order_by(SamplingUnit.region_code, SamplingUnit.name)
        if region_codes is not None:
            query = query.where(SamplingUnit.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def get(self, unit_id: uuid.UUID, *, for_update: bool = False) -> SamplingUnit | None:
        query = select(SamplingUnit).where(SamplingUnit.id == unit_id)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def hsa_id_taken(self, hsa_id: str) -> bool:
        query = select(SamplingUnit.id).where(SamplingUnit.hsa_id == hsa_id)
        return (await self._session.execute(query)).first() is not None

    async def add(
        self,
        *,
        hsa_id: str,
        name: str,
        region_code: str,
        street: str,
        postal_code: str,
        city: str,
        opening_hours: str | None,
    ) -> SamplingUnit:
        unit = SamplingUnit(
            id=uuid.uuid4(),
            hsa_id=hsa_id,
            name=name,
            region_code=region_code,
            street=street,
            postal_code=postal_code,
            city=city,
            opening_hours=opening_hours,
            version=1,
        )
        self._session.add(unit)
        try:
            await self._session.flush()
        except IntegrityError as error:
            # Another administrator created the same HSA-id since hsa_id_taken was asked.
            driver = getattr(error.orig, "__cause__", None)
            if getattr(driver, "constraint_name", None) == _UNIQUE_HSA_ID:
                raise SamplingUnitHsaIdTaken() from None
            raise
        return unit

    async def served_laboratory_codes(
        self, unit_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[str]]:
        """The laboratories each unit sends samples to, for many units in one statement."""
        rows = await self._session.execute(
            select(SamplingUnitLaboratory.sampling_unit_id, Laboratory.code)
            .join(Laboratory, Laboratory.id == SamplingUnitLaboratory.laboratory_id)
            .where(SamplingUnitLaboratory.sampling_unit_id.in_(list(unit_ids)))
            .order_by(Laboratory.code)
        )
        served: dict[uuid.UUID, list[str]] = {unit_id: [] for unit_id in unit_ids}
        for unit_id, code in rows:
            served[unit_id].append(code)
        return served

    async def set_served_laboratories(
        self, unit_id: uuid.UUID, laboratory_ids: Sequence[uuid.UUID]
    ) -> None:
        await self._session.execute(
            delete(SamplingUnitLaboratory).where(SamplingUnitLaboratory.sampling_unit_id == unit_id)
        )
        for lab_id in laboratory_ids:
            self._session.add(
                SamplingUnitLaboratory(sampling_unit_id=unit_id, laboratory_id=lab_id)
            )
        await self._session.flush()

    async def slot_times(
        self, unit_id: uuid.UUID, *, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """The unit's times that overlap [start, end)."""
        rows = await self._session.execute(
            select(SamplingSlot.starts_at, SamplingSlot.ends_at).where(
                SamplingSlot.sampling_unit_id == unit_id,
                SamplingSlot.ends_at > start,
                SamplingSlot.starts_at < end,
            )
        )
        return [(a, b) for a, b in rows]

    async def slots(
        self, unit_id: uuid.UUID, *, start: datetime, end: datetime
    ) -> list[SamplingSlot]:
        rows = await self._session.execute(
            select(SamplingSlot)
            .where(
                SamplingSlot.sampling_unit_id == unit_id,
                SamplingSlot.starts_at >= start,
                SamplingSlot.starts_at < end,
            )
            .order_by(SamplingSlot.starts_at)
            .limit(2000)
        )
        return list(rows.scalars())

    async def add_slots(
        self, unit_id: uuid.UUID, times: Sequence[tuple[datetime, datetime]], capacity: int
    ) -> None:
        if times:
            await self._session.execute(
                insert(SamplingSlot),
                [
                    {
                        "id": uuid.uuid4(),
                        "sampling_unit_id": unit_id,
                        "starts_at": start,
                        "ends_at": end,
                        "capacity": capacity,
                        "booked": 0,
                    }
                    for start, end in times
                ],
            )

    async def remove_free_times(self, unit_id: uuid.UUID, *, start: datetime, end: datetime) -> int:
        """Removes the unit's times starting in [start, end); returns how many of them are
        booked (then nothing is removed)."""
        booked = (
            await self._session.execute(
                select(func.count())
                .select_from(SamplingSlot)
                .where(
                    SamplingSlot.sampling_unit_id == unit_id,
                    SamplingSlot.starts_at >= start,
                    SamplingSlot.starts_at < end,
                    SamplingSlot.booked > 0,
                )
            )
        ).scalar_one()
        if booked:
            return int(booked)
        await self._session.execute(
            delete(SamplingSlot).where(
                SamplingSlot.sampling_unit_id == unit_id,
                SamplingSlot.starts_at >= start,
                SamplingSlot.starts_at < end,
            )
        )
        return 0
