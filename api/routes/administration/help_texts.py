"""Help texts for input fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from api.routes.administration.common import (
    IfMatch,
    audit,
    check_version,
    etag,
    guarded,
    scope_of,
)
from api.web.deps import ServicesDep, StaffSession
from api.web.problems import PROBLEM_RESPONSES
from domain.administration import (
    require_central,
)

router = APIRouter()


class HelpTextIn(BaseModel):
    text_sv: str = Field(min_length=1, max_length=2000)
    text_en: str = Field(min_length=1, max_length=2000)


class HelpTextOut(HelpTextIn):
    key: str
    version: int


@router.put("/help-texts/{key}", operation_id="putHelpText")
async def put_help_text(
    key: Annotated[str, Field(pattern=r"^[a-z0-9_.-]{2,100}$")],
    body: HelpTextIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> HelpTextOut:
    """Creates (without If-Match) or changes (with If-Match) the help for one input field."""
    await scope_of(services, staff, "admin:put_help_text")
    await guarded(services, staff, "admin:put_help_text", lambda: require_central(staff.context))
    async with services.uow() as uow:
        text = await uow.administration.help_text(key)
        if text is None:
            text = m.HelpText(
                key=key,
                text_sv=body.text_sv,
                text_en=body.text_en,
                version=1,
                updated_by_hsa_id=staff.context.hsa_id,
            )
            await uow.administration.add(text)
        else:
            check_version(text.version, if_match)
            text.text_sv, text.text_en = body.text_sv, body.text_en
            text.version += 1
            text.updated_by_hsa_id = staff.context.hsa_id
        await audit(uow, services, staff, "put_help_text", key=key)
        out = HelpTextOut(key=key, text_sv=text.text_sv, text_en=text.text_en, version=text.version)
        await uow.commit()
    etag(response, out.version)
    return out


help_router = APIRouter(prefix="/api/staff", tags=["staff"], responses=PROBLEM_RESPONSES)


@help_router.get("/help-texts", operation_id="listHelpTexts")
async def list_help_texts(_staff: StaffSession, services: ServicesDep) -> list[HelpTextOut]:
    """Help for the input fields, shown when the user turns help texts on."""
    async with services.uow() as uow:
        return [
            HelpTextOut(key=t.key, text_sv=t.text_sv, text_en=t.text_en, version=t.version)
            for t in await uow.administration.help_texts()
        ]
