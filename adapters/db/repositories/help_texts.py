"""Help texts for the input fields of the professional app (ORM: a low-volume path)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import HelpText


class HelpTextRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> list[HelpText]:
        return list(
            (await self._session.execute(select(HelpText).order_by(HelpText.key))).scalars()
        )

    async def for_update(self, key: str) -> HelpText | None:
        return (
            await self._session.execute(
                select(HelpText).where(HelpText.key == key).with_for_update()
            )
        ).scalar_one_or_none()

    async def add(
        self, *, key: str, text_sv: str, text_en: str | None, updated_by_hsa_id: str
    ) -> HelpText:
        text = HelpText(
            key=key,
            text_sv=text_sv,
            text_en=text_en,
            version=1,
            updated_by_hsa_id=updated_by_hsa_id,
        )
        self._session.add(text)
        await self._session.flush()
        return text
