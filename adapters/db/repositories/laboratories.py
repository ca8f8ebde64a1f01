"""Laboratories with their customers, product mappings and result templates, as
administrators change them (ORM: a low-volume path)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import (
    CareUnit,
    Laboratory,
    LaboratoryCustomer,
    LaboratoryProductMapping,
    ResultTemplate,
)


@dataclass(frozen=True, slots=True)
class ProductMapping:
    """A national product code as one laboratory knows it: its own code, tube and material."""

    product_code: str
    lab_code: str
    tube_code: str
    material: str


class LaboratoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def in_regions(self, region_codes: Sequence[str] | None) -> list[Laboratory]:
        """All laboratories, or those of the given regions."""
        query = select(Laboratory).order_by(Laboratory.region_code, Laboratory.name)
        if region_codes is not None:
            query = query.where(Laboratory.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def get(self, code: str, *, for_update: bool = False) -> Laboratory | None:
        query = select(Laboratory).where(Laboratory.code == code)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def by_id(self, laboratory_id: uuid.UUID) -> Laboratory | None:
        return await self._session.get(Laboratory, laboratory_id)

    async def by_codes(self, codes: Sequence[str]) -> dict[str, Laboratory]:
        rows = await self._session.execute(
            select(Laboratory).where(Laboratory.code.in_(list(codes)))
        )
        return {lab.code: lab for lab in rows.scalars()}

    async def add(
        self, *, code: str, name: str, region_code: str, label_template_zpl: str | None
    ) -> Laboratory:
        lab = Laboratory(
            id=uuid.uuid4(),
            code=code,
            name=name,
            region_code=region_code,
            label_template_zpl=label_template_zpl,
            version=1,
        )
        self._session.add(lab)
        await self._session.flush()
        return lab

    async def customers(self, lab_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        """The care units each laboratory sends results to, for many labs in one statement."""
        rows = await self._session.execute(
            select(LaboratoryCustomer.laboratory_id, CareUnit.hsa_id)
            .join(LaboratoryCustomer, LaboratoryCustomer.care_unit_id == CareUnit.id)
            .where(LaboratoryCustomer.laboratory_id.in_(list(lab_ids)))
            .order_by(CareUnit.hsa_id)
        )
        customers: dict[uuid.UUID, list[str]] = {lab_id: [] for lab_id in lab_ids}
        for lab_id, hsa_id in rows:
            customers[lab_id].append(hsa_id)
        return customers

    async def set_customers(self, lab_id: uuid.UUID, care_unit_ids: Sequence[uuid.UUID]) -> None:
        await self._session.execute(
            delete(LaboratoryCustomer).where(LaboratoryCustomer.laboratory_id == lab_id)
        )
        for unit_id in care_unit_ids:
            self._session.add(LaboratoryCustomer(laboratory_id=lab_id, care_unit_id=unit_id))
        await self._session.flush()

    async def mappings(
        self, lab_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[LaboratoryProductMapping]]:
        """Each laboratory's product-code mapping, for many labs in one statement."""
        rows = await self._session.execute(
            select(LaboratoryProductMapping)
            .where(LaboratoryProductMapping.laboratory_id.in_(list(lab_ids)))
            .order_by(LaboratoryProductMapping.product_code)
        )
        mappings: dict[uuid.UUID, list[LaboratoryProductMapping]] = {i: [] for i in lab_ids}
        for mapping in rows.scalars():
            mappings[mapping.laboratory_id].append(mapping)
        return mappings

    async def set_mappings(self, lab_id: uuid.UUID, rows: Sequence[ProductMapping]) -> None:
        await self._session.execute(
            delete(LaboratoryProductMapping).where(LaboratoryProductMapping.laboratory_id == lab_id)
        )
        for row in rows:
            self._session.add(
                LaboratoryProductMapping(
                    laboratory_id=lab_id,
                    product_code=row.product_code,
                    lab_code=row.lab_code,
                    tube_code=row.tube_code,
                    material=row.material,
                )
            )
        await self._session.flush()

    async def customer_lab_mappings(self, care_unit_id: uuid.UUID) -> dict[str, frozenset[str]]:
        """For each active laboratory with this care unit as customer: the products it maps."""
        rows = await self._session.execute(
            select(Laboratory.code, LaboratoryProductMapping.product_code)
            .join(LaboratoryCustomer, LaboratoryCustomer.laboratory_id == Laboratory.id)
            .outerjoin(
                LaboratoryProductMapping,
                LaboratoryProductMapping.laboratory_id == Laboratory.id,
            )
            .where(LaboratoryCustomer.care_unit_id == care_unit_id, Laboratory.retired_at.is_(None))
        )
        mapped: dict[str, set[str]] = {}
        for code, product in rows:
            mapped.setdefault(code, set())
            if product is not None:
                mapped[code].add(product)
        return {code: frozenset(products) for code, products in mapped.items()}

    async def result_templates(self, lab_id: uuid.UUID) -> list[ResultTemplate]:
        rows = await self._session.execute(
            select(ResultTemplate)
            .where(ResultTemplate.laboratory_id == lab_id)
            .order_by(ResultTemplate.name)
        )
        return list(rows.scalars())

    async def result_template(
        self, template_id: uuid.UUID, *, for_update: bool = False
    ) -> ResultTemplate | None:
        query = select(ResultTemplate).where(ResultTemplate.id == template_id)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def add_result_template(
        self,
        *,
        laboratory_id: uuid.UUID,
        name: str,
        analyses: Sequence[dict[str, Any]],
        default_comment: str | None,
        insight: str | None,
        insight_text: str | None = None,
    ) -> ResultTemplate:
        template = ResultTemplate(
            id=uuid.uuid4(),
            laboratory_id=laboratory_id,
            name=name,
            analyses=list(analyses),
            default_comment=default_comment,
            insight=insight,
            insight_text=insight_text,
            version=1,
        )
        self._session.add(template)
        await self._session.flush()
        return template
