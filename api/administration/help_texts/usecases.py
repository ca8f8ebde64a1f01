"""Help texts: read by all staff, written by central administrators."""

from __future__ import annotations

from datetime import datetime

from adapters.db.models import HelpText
from adapters.db.uow import UnitOfWork
from api.administration.editing import edit, record_change
from domain.actors import StaffActor
from domain.administration import require_central


async def list_help_texts(*, uow: UnitOfWork) -> list[HelpText]:
    return await uow.help_texts.all()


async def put_help_text(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    key: str,
    text_sv: str,
    text_en: str | None,
    expected_version: int | None,
) -> HelpText:
    """Creates the help for one input field (no version needed), or changes it (the version
    the administrator saw)."""
    require_central(actor.context)
    current = await uow.help_texts.for_update(key)
    if current is None:
        text = await uow.help_texts.add(
            key=key, text_sv=text_sv, text_en=text_en, updated_by_hsa_id=actor.hsa_id
        )
        await record_change(uow, actor=actor, now=now, action="put_help_text", key=key)
        await uow.commit()
        return text

    async def apply(text: HelpText) -> HelpText:
        text.text_sv, text.text_en = text_sv, text_en
        text.updated_by_hsa_id = actor.hsa_id
        return text

    async def view(text: HelpText) -> HelpText:
        return text

    return await edit(
        uow,
        current,
        what="help text",
        actor=actor,
        now=now,
        action="put_help_text",
        expected_version=expected_version,
        authorize=None,
        change=apply,
        details=lambda _text: {"key": key},
        view=view,
        check_retired=False,
    )
