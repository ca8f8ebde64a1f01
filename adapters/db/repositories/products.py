"""National product codes (ORM: a low-volume administrator path)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import Product


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> list[Product]:
        return list((await self._session.execute(select(Product).order_by(Product.code))).scalars())

    async def get(self, code: str, *, for_update: bool = False) -> Product | None:
        query = select(Product).where(Product.code == code)
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def active_codes(self, codes: Sequence[str]) -> set[str]:
        """Which of `codes` are national product codes in use (not retired)."""
        rows = await self._session.execute(
            select(Product.code).where(Product.code.in_(list(codes)), Product.retired_at.is_(None))
        )
        return set(rows.scalars())

    async def add(
        self,
        *,
        code: str,
        name: str,
        material: str,
        npu_code: str | None,
        contact_tracing: bool = False,
    ) -> Product:
        product = Product(
            code=code,
            name=name,
            material=material,
            npu_code=npu_code,
            contact_tracing=contact_tracing,
            version=1,
        )
        self._session.add(product)
        await self._session.flush()
        return product
