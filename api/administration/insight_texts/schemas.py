from __future__ import annotations

from datetime import datetime

from pydantic import Field

from adapters.db.models import InsightText
from api.administration.fields import Insight
from api.web.schemas import PlainText, RequestModel
from domain.result_registration import MAX_INSIGHT_TEXT


class InsightTextIn(RequestModel):
    text: PlainText = Field(min_length=1, max_length=MAX_INSIGHT_TEXT)


class InsightTextOut(InsightTextIn):
    insight: Insight
    version: int
    updated_at: datetime | None
    updated_by_hsa_id: str | None

    @classmethod
    def of(cls, row: InsightText) -> InsightTextOut:
        return cls(
            insight=row.insight,
            text=row.text,
            version=row.version,
            updated_at=row.updated_at,
            updated_by_hsa_id=row.updated_by_hsa_id,
        )
