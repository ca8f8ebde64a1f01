from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Response

from api.web.deps import ServicesDep, Staff, module_access
from api.web.etag import IfMatch, expected_version, set_etag
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from api.worklist import usecases
from api.worklist.schemas import (
    InsightValue,
    WorklistChangesOut,
    WorklistCommentIn,
    WorklistCommentOut,
    WorklistCommentsOut,
    WorklistItemOut,
    WorklistPageOut,
)
from domain.access import Module
from domain.results import Insight
from domain.worklist import WorklistQuery, WorklistSort

router = APIRouter(prefix="/api/staff/worklist", tags=["worklist"], responses=PROBLEM_RESPONSES)
Follower = Annotated[Staff, Depends(module_access(Module.WORKLIST))]
IfNoneMatch = Annotated[str | None, Header(alias="If-None-Match", max_length=100)]


@router.get("", operation_id="listWorklist")
async def list_worklist(
    staff: Follower,
    services: ServicesDep,
    insight: Annotated[
        list[InsightValue] | None,
        Query(description="Only these insights (among those the unit follows); all by default"),
    ] = None,
    read: Annotated[
        bool | None, Query(description="Read (true) or unread (false) by the citizen")
    ] = None,
    taken_over: Annotated[
        bool | None, Query(description="Treatment responsibility taken over, or not")
    ] = None,
    archived: Annotated[bool, Query(description="The archived results instead")] = False,
    result_from: Annotated[date | None, Query(description="Result on or after this day")] = None,
    result_to: Annotated[date | None, Query(description="Result on or before this day")] = None,
    sort: Annotated[Literal["result_date", "read_date"], Query()] = "result_date",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> WorklistPageOut:
    """Arbetslista: the care unit's results whose newest version has an insight the unit
    follows, filtered, sorted by result or read date, one page; every patient shown is
    audited. Sorting by the patient is not offered: names and personnummer are encrypted."""
    query = WorklistQuery(
        archived=archived,
        insights=None if insight is None else frozenset(Insight(i) for i in insight),
        read=read,
        taken_over=taken_over,
        result_from=result_from,
        result_to=result_to,
        sort=WorklistSort(sort),
        descending=order == "desc",
        page=page,
        page_size=page_size,
    )
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_worklist(
            uow=uow, actor=staff.actor, now=services.now(), query=query
        ),
    )
    return WorklistPageOut.of(listing, page=page, page_size=page_size)


def _quoted(token: str) -> str:
    return f'"{token}"'


@router.get(
    "/changes",
    operation_id="getWorklistChanges",
    response_model=WorklistChangesOut,
    responses={304: {"description": "Nothing changed since the token sent in If-None-Match"}},
)
async def get_changes(
    staff: Follower, services: ServicesDep, if_none_match: IfNoneMatch = None
) -> Response | WorklistChangesOut:
    """The unit's change token (also the ETag): with If-None-Match naming the current token
    the answer is 304 and empty. Cheap enough to poll every 15 seconds; shows no patient."""
    token = await in_transaction(
        services, lambda uow: usecases.current_change_token(uow=uow, actor=staff.actor)
    )
    sent = {t.strip().removeprefix("W/").strip('"') for t in (if_none_match or "").split(",")}
    if token in sent:
        return Response(status_code=304, headers={"ETag": _quoted(token)})
    return Response(
        content=WorklistChangesOut(change_token=token).model_dump_json(),
        media_type="application/json",
        headers={"ETag": _quoted(token)},
    )


@router.post("/items/{item_id}/archive", operation_id="archiveWorklistItem")
async def archive_item(
    item_id: uuid.UUID,
    response: Response,
    staff: Follower,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> WorklistItemOut:
    """Arkivera: the result is followed up; send If-Match with its version (412 when it
    changed meanwhile)."""
    return await _set_archived(item_id, response, staff, services, if_match, archived=True)


@router.post("/items/{item_id}/unarchive", operation_id="unarchiveWorklistItem")
async def unarchive_item(
    item_id: uuid.UUID,
    response: Response,
    staff: Follower,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> WorklistItemOut:
    """Återställ: the archived result comes back to the active list (If-Match as above)."""
    return await _set_archived(item_id, response, staff, services, if_match, archived=False)


async def _set_archived(
    item_id: uuid.UUID,
    response: Response,
    staff: Staff,
    services: ServicesDep,
    if_match: str | None,
    *,
    archived: bool,
) -> WorklistItemOut:
    version = expected_version(if_match)
    item = await in_transaction(
        services,
        lambda uow: usecases.set_archived(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            line_id=item_id,
            expected_version=version,
            archived=archived,
        ),
    )
    set_etag(response, item.row.version)
    return WorklistItemOut.of(item)


@router.get("/items/{item_id}/comments", operation_id="listWorklistComments")
async def list_comments(
    item_id: uuid.UUID, response: Response, staff: Follower, services: ServicesDep
) -> WorklistCommentsOut:
    """The result and every comment on it, oldest first, with author and time."""
    thread = await in_transaction(
        services,
        lambda uow: usecases.list_comments(
            uow=uow, actor=staff.actor, now=services.now(), line_id=item_id
        ),
    )
    set_etag(response, thread.item.row.version)
    return WorklistCommentsOut.of(thread)


@router.post("/items/{item_id}/comments", operation_id="addWorklistComment", status_code=201)
async def add_comment(
    item_id: uuid.UUID, body: WorklistCommentIn, staff: Follower, services: ServicesDep
) -> WorklistCommentOut:
    """A comment on the result, signed with the staff member's HSA-id and name."""
    comment = await in_transaction(
        services,
        lambda uow: usecases.add_comment(
            uow=uow, actor=staff.actor, now=services.now(), line_id=item_id, text=body.text
        ),
    )
    return WorklistCommentOut.of(comment)
