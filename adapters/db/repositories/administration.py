"""Configuration data: care units, sampling units and their calendars, laboratories with
customers, mappings and templates, national products, offers (versioned), permissions and
help texts. Plain ORM: these are low-volume administrator paths."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db import models as m


class AdministrationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # --- care units -----------------------------------------------------------------------

    async def care_unit(self, hsa_id: str, *, for_update: bool = False) -> m.CareUnit | None:
        query = select(m.CareUnit).where(m.CareUnit.hsa_id == hsa_id)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def care_units_by_hsa(self, hsa_ids: Sequence[str]) -> dict[str, m.CareUnit]:
        rows = await self._session.execute(
            select(m.CareUnit).where(m.CareUnit.hsa_id.in_(list(hsa_ids)))
        )
        return {unit.hsa_id: unit for unit in rows.scalars()}

    async def add(self, entity: m.Base) -> None:
        self._session.add(entity)
        await self._session.flush()

    async def assignable_catalog_ids(self, care_unit_id: uuid.UUID) -> list[str]:
        rows = await self._session.execute(
            select(m.OfferAssigningUnit.catalog_id)
            .where(m.OfferAssigningUnit.care_unit_id == care_unit_id)
            .order_by(m.OfferAssigningUnit.catalog_id)
        )
        return list(rows.scalars())

    async def set_assigning_units_for_offer(
        self, catalog_id: str, care_unit_ids: Sequence[uuid.UUID]
    ) -> None:
        await self._session.execute(
            delete(m.OfferAssigningUnit).where(m.OfferAssigningUnit.catalog_id == catalog_id)
        )
        for unit_id in care_unit_ids:
            self._session.add(m.OfferAssigningUnit(catalog_id=catalog_id, care_unit_id=unit_id))
        await self._session.flush()

    async def set_assignable_offers_for_unit(
        self, care_unit_id: uuid.UUID, catalog_ids: Sequence[str]
    ) -> None:
        await self._session.execute(
            delete(m.OfferAssigningUnit).where(m.OfferAssigningUnit.care_unit_id == care_unit_id)
        )
        for catalog_id in catalog_ids:
            self._session.add(
                m.OfferAssigningUnit(catalog_id=catalog_id, care_unit_id=care_unit_id)
            )
        await self._session.flush()

    # --- sampling units -------------------------------------------------------------------

    async def sampling_units(self, region_codes: Sequence[str] | None) -> list[m.SamplingUnit]:
        query = select(m.SamplingUnit).order_by(m.SamplingUnit.region_code, m.SamplingUnit.name)
        if region_codes is not None:
            query = query.where(m.SamplingUnit.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def sampling_unit(
        self, unit_id: uuid.UUID, *, for_update: bool = False
    ) -> m.SamplingUnit | None:
        query = select(m.SamplingUnit).where(m.SamplingUnit.id == unit_id)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def served_laboratory_codes(
        self, unit_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[str]]:
        rows = await self._session.execute(
            select(m.SamplingUnitLaboratory.sampling_unit_id, m.Laboratory.code)
            .join(m.Laboratory, m.Laboratory.id == m.SamplingUnitLaboratory.laboratory_id)
            .where(m.SamplingUnitLaboratory.sampling_unit_id.in_(list(unit_ids)))
            .order_by(m.Laboratory.code)
        )
        served: dict[uuid.UUID, list[str]] = {unit_id: [] for unit_id in unit_ids}
        for unit_id, code in rows:
            served[unit_id].append(code)
        return served

    async def set_served_laboratories(
        self, unit_id: uuid.UUID, laboratory_ids: Sequence[uuid.UUID]
    ) -> None:
        await self._session.execute(
            delete(m.SamplingUnitLaboratory).where(
                m.SamplingUnitLaboratory.sampling_unit_id == unit_id
            )
        )
        for lab_id in laboratory_ids:
            self._session.add(
                m.SamplingUnitLaboratory(sampling_unit_id=unit_id, laboratory_id=lab_id)
            )
        await self._session.flush()

    async def slot_times(
        self, unit_id: uuid.UUID, *, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        rows = await self._session.execute(
            select(m.SamplingSlot.starts_at, m.SamplingSlot.ends_at).where(
                m.SamplingSlot.sampling_unit_id == unit_id,
                m.SamplingSlot.ends_at > start,
                m.SamplingSlot.starts_at < end,
            )
        )
        return [(a, b) for a, b in rows]

    async def slots(
        self, unit_id: uuid.UUID, *, start: datetime, end: datetime
    ) -> list[m.SamplingSlot]:
        rows = await self._session.execute(
            select(m.SamplingSlot)
            .where(
                m.SamplingSlot.sampling_unit_id == unit_id,
                m.SamplingSlot.starts_at >= start,
                m.SamplingSlot.starts_at < end,
            )
            .order_by(m.SamplingSlot.starts_at)
            .limit(2000)
        )
        return list(rows.scalars())

    async def add_slots(
        self, unit_id: uuid.UUID, times: Sequence[tuple[datetime, datetime]], capacity: int
    ) -> None:
        if times:
            await self._session.execute(
                insert(m.SamplingSlot),
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

    async def close_day(self, unit_id: uuid.UUID, *, start: datetime, end: datetime) -> int:
        """Removes the day's times; returns how many had bookings (then nothing is removed)."""
        booked = (
            await self._session.execute(
                select(func.count())
                .select_from(m.SamplingSlot)
                .where(
                    m.SamplingSlot.sampling_unit_id == unit_id,
                    m.SamplingSlot.starts_at >= start,
                    m.SamplingSlot.starts_at < end,
                    m.SamplingSlot.booked > 0,
                )
            )
        ).scalar_one()
        if booked:
            return int(booked)
        await self._session.execute(
            delete(m.SamplingSlot).where(
                m.SamplingSlot.sampling_unit_id == unit_id,
                m.SamplingSlot.starts_at >= start,
                m.SamplingSlot.starts_at < end,
            )
        )
        return 0

    # --- laboratories ---------------------------------------------------------------------

    async def laboratories(self, region_codes: Sequence[str] | None) -> list[m.Laboratory]:
        query = select(m.Laboratory).order_by(m.Laboratory.region_code, m.Laboratory.name)
        if region_codes is not None:
            query = query.where(m.Laboratory.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def laboratory(self, code: str, *, for_update: bool = False) -> m.Laboratory | None:
        query = select(m.Laboratory).where(m.Laboratory.code == code)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def laboratories_by_code(self, codes: Sequence[str]) -> dict[str, m.Laboratory]:
        rows = await self._session.execute(
            select(m.Laboratory).where(m.Laboratory.code.in_(list(codes)))
        )
        return {lab.code: lab for lab in rows.scalars()}

    async def customers(self, lab_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        """The care units each laboratory sends results to, for many labs in one statement."""
        rows = await self._session.execute(
            select(m.LaboratoryCustomer.laboratory_id, m.CareUnit.hsa_id)
            .join(m.LaboratoryCustomer, m.LaboratoryCustomer.care_unit_id == m.CareUnit.id)
            .where(m.LaboratoryCustomer.laboratory_id.in_(list(lab_ids)))
            .order_by(m.CareUnit.hsa_id)
        )
        customers: dict[uuid.UUID, list[str]] = {lab_id: [] for lab_id in lab_ids}
        for lab_id, hsa_id in rows:
            customers[lab_id].append(hsa_id)
        return customers

    async def set_customers(self, lab_id: uuid.UUID, care_unit_ids: Sequence[uuid.UUID]) -> None:
        await self._session.execute(
            delete(m.LaboratoryCustomer).where(m.LaboratoryCustomer.laboratory_id == lab_id)
        )
        for unit_id in care_unit_ids:
            self._session.add(m.LaboratoryCustomer(laboratory_id=lab_id, care_unit_id=unit_id))
        await self._session.flush()

    async def mappings(
        self, lab_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[m.LaboratoryProductMapping]]:
        """Each laboratory's product-code mapping, for many labs in one statement."""
        rows = await self._session.execute(
            select(m.LaboratoryProductMapping)
            .where(m.LaboratoryProductMapping.laboratory_id.in_(list(lab_ids)))
            .order_by(m.LaboratoryProductMapping.product_code)
        )
        mappings: dict[uuid.UUID, list[m.LaboratoryProductMapping]] = {i: [] for i in lab_ids}
        for mapping in rows.scalars():
            mappings[mapping.laboratory_id].append(mapping)
        return mappings

    async def set_mappings(self, lab_id: uuid.UUID, rows: Sequence[dict[str, str]]) -> None:
        await self._session.execute(
            delete(m.LaboratoryProductMapping).where(
                m.LaboratoryProductMapping.laboratory_id == lab_id
            )
        )
        for row in rows:
            self._session.add(m.LaboratoryProductMapping(laboratory_id=lab_id, **row))
        await self._session.flush()

    async def customer_lab_mappings(self, care_unit_id: uuid.UUID) -> dict[str, frozenset[str]]:
        """For each laboratory with this care unit as customer: the products it maps."""
        rows = await self._session.execute(
            select(m.Laboratory.code, m.LaboratoryProductMapping.product_code)
            .join(m.LaboratoryCustomer, m.LaboratoryCustomer.laboratory_id == m.Laboratory.id)
            .outerjoin(
                m.LaboratoryProductMapping,
                m.LaboratoryProductMapping.laboratory_id == m.Laboratory.id,
            )
            .where(
                m.LaboratoryCustomer.care_unit_id == care_unit_id, m.Laboratory.retired_at.is_(None)
            )
        )
        mapped: dict[str, set[str]] = {}
        for code, product in rows:
            mapped.setdefault(code, set())
            if product is not None:
                mapped[code].add(product)
        return {code: frozenset(products) for code, products in mapped.items()}

    async def result_templates(self, lab_id: uuid.UUID) -> list[m.ResultTemplate]:
        rows = await self._session.execute(
            select(m.ResultTemplate)
            .where(m.ResultTemplate.laboratory_id == lab_id)
            .order_by(m.ResultTemplate.name)
        )
        return list(rows.scalars())

    async def result_template(
        self, template_id: uuid.UUID, *, for_update: bool = False
    ) -> m.ResultTemplate | None:
        query = select(m.ResultTemplate).where(m.ResultTemplate.id == template_id)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    # --- products ---------------------------------------------------------------------------

    async def products(self) -> list[m.Product]:
        return list(
            (await self._session.execute(select(m.Product).order_by(m.Product.code))).scalars()
        )

    async def product(self, code: str, *, for_update: bool = False) -> m.Product | None:
        query = select(m.Product).where(m.Product.code == code)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def existing_product_codes(self, codes: Sequence[str]) -> set[str]:
        rows = await self._session.execute(
            select(m.Product.code).where(
                m.Product.code.in_(list(codes)), m.Product.retired_at.is_(None)
            )
        )
        return set(rows.scalars())

    # --- offers -------------------------------------------------------------------------------

    async def current_offers(self, region_codes: Sequence[str] | None) -> list[m.Offer]:
        query = (
            select(m.Offer).where(m.Offer.is_current).order_by(m.Offer.region_code, m.Offer.name)
        )
        if region_codes is not None:
            query = query.where(m.Offer.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def current_offer(self, catalog_id: str, *, for_update: bool = False) -> m.Offer | None:
        query = select(m.Offer).where(m.Offer.catalog_id == catalog_id, m.Offer.is_current)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def offer_products(self, offer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        rows = await self._session.execute(
            select(m.OfferProduct.offer_id, m.OfferProduct.product_code)
            .where(m.OfferProduct.offer_id.in_(list(offer_ids)))
            .order_by(m.OfferProduct.product_code)
        )
        products: dict[uuid.UUID, list[str]] = {offer_id: [] for offer_id in offer_ids}
        for offer_id, code in rows:
            products[offer_id].append(code)
        return products

    async def offer_assigning_units(self, catalog_ids: Sequence[str]) -> dict[str, list[str]]:
        rows = await self._session.execute(
            select(m.OfferAssigningUnit.catalog_id, m.CareUnit.hsa_id)
            .join(m.CareUnit, m.CareUnit.id == m.OfferAssigningUnit.care_unit_id)
            .where(m.OfferAssigningUnit.catalog_id.in_(list(catalog_ids)))
            .order_by(m.CareUnit.hsa_id)
        )
        units: dict[str, list[str]] = {catalog_id: [] for catalog_id in catalog_ids}
        for catalog_id, hsa_id in rows:
            units[catalog_id].append(hsa_id)
        return units

    async def care_unit_hsa_ids(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        rows = await self._session.execute(
            select(m.CareUnit.id, m.CareUnit.hsa_id).where(m.CareUnit.id.in_(list(ids)))
        )
        return {row.id: row.hsa_id for row in rows}

    async def new_offer_version(self, offer: m.Offer, product_codes: Sequence[str]) -> None:
        """The old version stops being current; existing orders keep pointing at it."""
        await self._session.execute(
            update(m.Offer)
            .where(m.Offer.catalog_id == offer.catalog_id, m.Offer.is_current)
            .values(is_current=False)
        )
        self._session.add(offer)
        await self._session.flush()
        for code in product_codes:
            self._session.add(m.OfferProduct(offer_id=offer.id, product_code=code))
        await self._session.flush()

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

    # --- permissions ------------------------------------------------------------------------

    async def permissions(
        self, *, care_unit_ids: Sequence[uuid.UUID] | None, region_codes: Sequence[str] | None
    ) -> list[tuple[m.StaffPermission, str | None]]:
        query = (
            select(m.StaffPermission, m.CareUnit.hsa_id)
            .outerjoin(m.CareUnit, m.CareUnit.id == m.StaffPermission.care_unit_id)
            .where(m.StaffPermission.revoked_at.is_(None))
            .order_by(m.StaffPermission.staff_hsa_id, m.StaffPermission.module)
        )
        if care_unit_ids is not None or region_codes is not None:
            query = query.where(
                m.StaffPermission.care_unit_id.in_(list(care_unit_ids or []))
                | m.CareUnit.region_code.in_(list(region_codes or []))
            )
        return [(p, hsa) for p, hsa in (await self._session.execute(query)).all()]

    async def permission(self, permission_id: uuid.UUID) -> m.StaffPermission | None:
        return (
            await self._session.execute(
                select(m.StaffPermission)
                .where(m.StaffPermission.id == permission_id)
                .with_for_update()
            )
        ).scalar_one_or_none()

    async def active_permission_exists(
        self,
        *,
        staff_hsa_id: str,
        module: str,
        care_unit_id: uuid.UUID | None,
        region_code: str | None,
    ) -> bool:
        query = select(m.StaffPermission.id).where(
            m.StaffPermission.staff_hsa_id == staff_hsa_id,
            m.StaffPermission.module == module,
            m.StaffPermission.revoked_at.is_(None),
        )
        query = query.where(
            m.StaffPermission.care_unit_id.is_(None)
            if care_unit_id is None
            else m.StaffPermission.care_unit_id == care_unit_id
        )
        query = query.where(
            m.StaffPermission.region_code.is_(None)
            if region_code is None
            else m.StaffPermission.region_code == region_code
        )
        return (await self._session.execute(query)).first() is not None

    # --- help texts ---------------------------------------------------------------------------

    async def help_texts(self) -> list[m.HelpText]:
        return list(
            (await self._session.execute(select(m.HelpText).order_by(m.HelpText.key))).scalars()
        )

    async def help_text(self, key: str) -> m.HelpText | None:
        return (
            await self._session.execute(
                select(m.HelpText).where(m.HelpText.key == key).with_for_update()
            )
        ).scalar_one_or_none()


def as_dict(entity: m.Base, *names: str) -> dict[str, Any]:
    return {name: getattr(entity, name) for name in names}
