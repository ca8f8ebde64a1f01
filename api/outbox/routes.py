from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.outbox import usecases
from api.outbox.schemas import DeadLetterOut, DeadLetterPage
from api.web.deps import ServicesDep, Staff, StaffSession, record_refusal
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.errors import NotPermitted

router = APIRouter(prefix="/api/operator/outbox", tags=["operations"], responses=PROBLEM_RESPONSES)


async def operator(staff: StaffSession, services: ServicesDep) -> Staff:
    """An operator (or central administrator); a refusal is audited."""
    try:
        usecases.require_operator(staff.context)
    except NotPermitted as error:
        await record_refusal(services, staff, action="operator:outbox", error=error)
        raise
    return staff


Operator = Annotated[Staff, Depends(operator)]


@router.get("/dead-letters", operation_id="listOutboxDeadLetters")
async def list_dead_letters(
    staff: Operator,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeadLetterPage:
    """Events whose delivery failed on every attempt (dead letters), oldest first: what
    kind, how many attempts, the last error. Their payloads (ids) are not shown."""
    letters = await in_transaction(
        services,
        lambda uow: usecases.list_dead_letters(
            uow=uow, actor=staff.actor, now=services.now(), page=page, page_size=page_size
        ),
    )
    return DeadLetterPage(
        total=letters.total,
        page=page,
        page_size=page_size,
        items=[DeadLetterOut.of(e) for e in letters.items],
    )


@router.post(
    "/dead-letters/{event_id}/requeue", operation_id="requeueOutboxDeadLetter", status_code=204
)
async def requeue_dead_letter(
    event_id: uuid.UUID, staff: Operator, services: ServicesDep
) -> Response:
    """Delivers a dead event again (from the first attempt), with the next drain."""
    await in_transaction(
        services,
        lambda uow: usecases.requeue_dead_letter(
            uow=uow, actor=staff.actor, now=services.now(), event_id=event_id
        ),
    )
    return Response(status_code=204)
