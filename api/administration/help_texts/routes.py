from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import Field

from api.administration.access import Administrator, admin_access, administer
from api.administration.help_texts import usecases
from api.administration.help_texts.schemas import HelpTextIn, HelpTextOut
from api.web.deps import ServicesDep, StaffSession
from api.web.etag import IfMatch, optional_version, set_etag
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction

router = APIRouter()


@router.put("/help-texts/{key}", operation_id="putHelpText")
async def put_help_text(
    key: Annotated[str, Field(pattern=r"^[a-z0-9_.-]{2,100}$")],
    body: HelpTextIn,
    admin: Annotated[Administrator, Depends(admin_access("put_help_text"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> HelpTextOut:
    """Creates (without If-Match) or changes (with If-Match) the help for one input field."""
    expected = optional_version(if_match)
    text = await administer(
        services,
        admin,
        lambda uow: usecases.put_help_text(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            key=key,
            text_sv=body.text_sv,
            text_en=body.text_en,
            expected_version=expected,
        ),
    )
    set_etag(response, text.version)
    return HelpTextOut.of(text)


# Read by every staff member (the help toggle), so outside /api/admin.
help_router = APIRouter(prefix="/api/staff", tags=["staff"], responses=PROBLEM_RESPONSES)


@help_router.get("/help-texts", operation_id="listHelpTexts")
async def list_help_texts(_staff: StaffSession, services: ServicesDep) -> list[HelpTextOut]:
    """Help for the input fields, shown when the user turns help texts on."""
    texts = await in_transaction(services, lambda uow: usecases.list_help_texts(uow=uow))
    return [HelpTextOut.of(t) for t in texts]
