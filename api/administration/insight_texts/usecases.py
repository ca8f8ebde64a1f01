"""The default insight texts: listed for every administrator, changed by central ones."""

from __future__ import annotations

from datetime import datetime

from adapters.db.models import InsightText
from adapters.db.uow import UnitOfWork
from api.administration.editing import edit
from domain.actors import StaffActor
from domain.administration import require_central
from domain.errors import InvalidInput


async def list_insight_texts(*, uow: UnitOfWork) -> list[InsightText]:
    return await uow.insight_texts.all()


async def update_insight_text(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    insight: str,
    text: str,
    expected_version: int | None,
) -> InsightText:
    """Changes the default text of one insight (the version the administrator saw). The
    defaults are national: only a central administrator changes them."""
    require_central(actor.context)
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("text", "the default needs a text", code="required")

    async def apply(row: InsightText) -> InsightText:
        row.text = cleaned
        row.updated_at = now
        row.updated_by_hsa_id = actor.hsa_id
        return row

    async def view(row: InsightText) -> InsightText:
        return row

    return await edit(
        uow,
        await uow.insight_texts.for_update(insight),
        what="insight text",
        actor=actor,
        now=now,
        action="update_insight_text",
        expected_version=expected_version,
        authorize=None,
        change=apply,
        details=lambda _row: {"insight": insight},
        view=view,
        check_retired=False,
    )
