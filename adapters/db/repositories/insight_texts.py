"""The default text of each insight (configuration; ORM: a low-volume path)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import InsightText

# The order the four insights are listed in (manual 3.5: Positivt, Negativt, Tekniskt fel, Svar).
_ORDER = {"positive": 0, "negative": 1, "technical_error": 2, "answer": 3}


class InsightTextRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> list[InsightText]:
        rows = list((await self._session.execute(select(InsightText))).scalars())
        return sorted(rows, key=lambda row: _ORDER.get(row.insight, len(_ORDER)))

    async def for_update(self, insight: str) -> InsightText | None:
        return (
            await self._session.execute(
                select(InsightText).where(InsightText.insight == insight).with_for_update()
            )
        ).scalar_one_or_none()
