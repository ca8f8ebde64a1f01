"""The offer catalogue as administrators edit it: offer versions, their products and the
care units that may assign them (ORM: a low-volume path). What citizens read is
`offers.py`, in hand-written SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import CareUnit, Offer, OfferAssigningUnit, OfferProduct


class OfferAdministrationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def current(self, region_codes: Sequence[str] | None) -> list[Offer]:
        """The current version of every offer, or of the given regions' offers."""
        query = select(Offer).where(Offer.is_current).order_by(Offer.region_code, Offer.name)
        if region_codes is not None:
            query = query.where(Offer.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def current_version(self, catalog_id: str, *, for_update: bool = False) -> Offer | None:
        query = select(Offer).where(Offer.catalog_id == catalog_id, Offer.is_current)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def products(self, offer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        rows = await self._session.execute(
            select(OfferProduct.offer_id, OfferProduct.product_code)
            .where(OfferProduct.offer_id.in_(list(offer_ids)))
            .order_by(OfferProduct.product_code)
        )
        products: dict[uuid.UUID, list[str]] = {offer_id: [] for offer_id in offer_ids}
        for offer_id, code in rows:
            products[offer_id].append(code)
        return products

    async def assigning_units(self, catalog_ids: Sequence[str]) -> dict[str, list[str]]:
        """The HSA-ids of the care units that may assign each offer."""
        rows = await self._session.execute(
            select(OfferAssigningUnit.catalog_id, CareUnit.hsa_id)
            .join(CareUnit, CareUnit.id == OfferAssigningUnit.care_unit_id)
            .where(OfferAssigningUnit.catalog_id.in_(list(catalog_ids)))
            .order_by(CareUnit.hsa_id)
        )
        units: dict[str, list[str]] = {catalog_id: [] for catalog_id in catalog_ids}
        for catalog_id, hsa_id in rows:
            units[catalog_id].append(hsa_id)
        return units

    async def set_assigning_units(
        self, catalog_id: str, care_unit_ids: Sequence[uuid.UUID]
    ) -> None:
        await self._session.execute(
            delete(OfferAssigningUnit).where(OfferAssigningUnit.catalog_id == catalog_id)
        )
        for unit_id in care_unit_ids:
            self._session.add(OfferAssigningUnit(catalog_id=catalog_id, care_unit_id=unit_id))
        await self._session.flush()

    async def personal_offer_regions(self) -> dict[str, str]:
        """catalog id → region of every personal offer (its current version)."""
        rows = await self._session.execute(
            select(Offer.catalog_id, Offer.region_code).where(
                Offer.is_current, Offer.visibility == "personal"
            )
        )
        return {row.catalog_id: row.region_code for row in rows}

    async def reporting_to(self, care_unit_id: uuid.UUID) -> list[str]:
        """Catalog ids of the offers in use (current, not retired) whose results the care
        unit receives."""
        rows = await self._session.execute(
            select(Offer.catalog_id)
            .where(
                Offer.is_current,
                Offer.retired_at.is_(None),
                Offer.result_care_unit_id == care_unit_id,
            )
            .order_by(Offer.region_code, Offer.name)
        )
        return list(rows.scalars())

    async def containing(self, product_code: str) -> list[str]:
        """Catalog ids of the offers in use (current, not retired) with the product."""
        rows = await self._session.execute(
            select(Offer.catalog_id)
            .join(OfferProduct, OfferProduct.offer_id == Offer.id)
            .where(
                Offer.is_current,
                Offer.retired_at.is_(None),
                OfferProduct.product_code == product_code,
            )
        )
        return sorted(rows.scalars())

    async def add_version(
        self,
        *,
        catalog_id: str,
        version: int,
        region_code: str,
        name: str,
        instructions: str,
        sampling_method: str,
        visibility: str,
        asks: dict[str, Any],
        validity_days: int,
        result_care_unit_id: uuid.UUID,
        min_age: int | None,
        max_age: int | None,
        sex: str | None,
        usage_limit: int | None,
        usage_period_days: int | None,
        active_from: date | None,
        active_until: date | None,
        created_by_hsa_id: str,
        product_codes: Sequence[str],
        insight_texts: dict[str, str] | None = None,
    ) -> Offer:
        """Saves `version` as the current one; the old version stops being current and
        existing orders keep pointing at it."""
        await self._session.execute(
            update(Offer)
            .where(Offer.catalog_id == catalog_id, Offer.is_current)
            .values(is_current=False)
        )
        offer = Offer(
            id=uuid.uuid4(),
            catalog_id=catalog_id,
            version=version,
            is_current=True,
            region_code=region_code,
            name=name,
            instructions=instructions,
            sampling_method=sampling_method,
            visibility=visibility,
            asks=asks,
            validity_days=validity_days,
            result_care_unit_id=result_care_unit_id,
            min_age=min_age,
            max_age=max_age,
            sex=sex,
            usage_limit=usage_limit,
            usage_period_days=usage_period_days,
            active_from=active_from,
            active_until=active_until,
            created_by_hsa_id=created_by_hsa_id,
            insight_texts=dict(insight_texts or {}),
        )
        self._session.add(offer)
        await self._session.flush()
        for code in product_codes:
            self._session.add(OfferProduct(offer_id=offer.id, product_code=code))
        await self._session.flush()
        return offer

    async def next_catalog_id(self) -> str:
        value = (
            await self._session.execute(
                text(
                    "SELECT coalesce(max(catalog_id::int), 1000) + 1 FROM offers"
                    " WHERE catalog_id ~ '^[0-9]{1,9}$'"
                )
            )
        ).scalar_one()
        return str(value)
