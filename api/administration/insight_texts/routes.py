from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.fields import Insight
from api.administration.insight_texts import usecases
from api.administration.insight_texts.schemas import InsightTextIn, InsightTextOut
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag

router = APIRouter()


@router.get("/insight-texts", operation_id="listInsightTexts")
async def list_insight_texts(
    admin: Annotated[Administrator, Depends(admin_access("list_insight_texts"))],
    services: ServicesDep,
) -> list[InsightTextOut]:
    """The default text of each insight, shown to the citizen when neither the result
    template nor the offer has its own (Positivt, Negativt, Tekniskt fel, Svar)."""
    rows = await administer(services, admin, lambda uow: usecases.list_insight_texts(uow=uow))
    return [InsightTextOut.of(row) for row in rows]


@router.put("/insight-texts/{insight}", operation_id="updateInsightText")
async def update_insight_text(
    insight: Insight,
    body: InsightTextIn,
    admin: Annotated[Administrator, Depends(admin_access("update_insight_text"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> InsightTextOut:
    """Changes the default text of one insight (central administrators; If-Match)."""
    expected = optional_version(if_match)
    row = await administer(
        services,
        admin,
        lambda uow: usecases.update_insight_text(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            insight=insight,
            text=body.text,
            expected_version=expected,
        ),
    )
    set_etag(response, row.version)
    return InsightTextOut.of(row)
