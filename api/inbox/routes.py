"""Citizen endpoints of the inbox (Inkorg)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.inbox import usecases
from api.inbox.schemas import InboxPageOut, InboxSummaryOut
from api.web.deps import CitizenSession, ServicesDep
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


@router.get("/inbox", operation_id="listInboxMessages")
async def list_inbox(
    citizen: CitizenSession,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> InboxPageOut:
    """The citizen's messages, newest first: a result arrived, was corrected, or is still
    unread. A message never holds the result itself, only which order it belongs to."""
    inbox = await services.read(
        lambda reader: usecases.list_inbox(
            reader=reader,
            actor=citizen,
            protector=services.protector,
            page=page,
            page_size=page_size,
        ),
    )
    return InboxPageOut.of(inbox, page=page, page_size=page_size)


@router.get("/inbox/summary", operation_id="getInboxSummary")
async def inbox_summary(citizen: CitizenSession, services: ServicesDep) -> InboxSummaryOut:
    """For the start page: how many messages are unread, and the orders with results the
    citizen has not read yet (a result is read when its order's results are marked read)."""
    summary = await services.read(
        lambda reader: usecases.inbox_summary(
            reader=reader, actor=citizen, protector=services.protector
        )
    )
    return InboxSummaryOut.of(summary)


@router.post("/inbox/{message_id}/read", operation_id="markInboxMessageRead", status_code=204)
async def mark_message_read(
    message_id: uuid.UUID, citizen: CitizenSession, services: ServicesDep
) -> Response:
    """The citizen opened the message. Another citizen's message is not found (404)."""
    await in_transaction(
        services,
        lambda uow: usecases.mark_message_read(
            uow=uow,
            actor=citizen,
            now=services.now(),
            protector=services.protector,
            message_id=message_id,
        ),
    )
    return Response(status_code=204)
