"""The citizen's own inbox. Reads run on the autocommit `Reader` (the start page asks for the
summary on every visit): two single statements each — the counts and the page, the unread
messages and the unread results. Marking read is one statement in a unit of work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from adapters.db.repositories.notifications import InboxPage, UnreadResults
from adapters.db.uow import Reader, UnitOfWork
from adapters.protection import DataProtector
from api.ordering.usecases import citizen_hash
from domain.actors import CitizenActor
from domain.notifications import InboxMessageNotFound

# The start page lists at most this many orders with new results.
SUMMARY_ORDERS = 20


async def list_inbox(
    *, reader: Reader, actor: CitizenActor, protector: DataProtector, page: int, page_size: int
) -> InboxPage:
    """The citizen's messages, newest first, one page; with how many there are in all and
    how many are unread."""
    return await reader.notifications.inbox(
        citizen_hash(protector, actor), limit=page_size, offset=(page - 1) * page_size
    )


async def mark_message_read(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    message_id: uuid.UUID,
) -> None:
    """The citizen opened the message (a message read before keeps its time). Another
    citizen's message is not found."""
    if not await uow.notifications.mark_read(message_id, citizen_hash(protector, actor), now=now):
        raise InboxMessageNotFound("no such message in your inbox")
    await uow.commit()


@dataclass(frozen=True, slots=True)
class InboxSummary:
    unread_messages: int
    # Orders with results the citizen has not read yet, newest first.
    new_results: list[UnreadResults]

    @property
    def unread_results(self) -> int:
        return sum(order.unread for order in self.new_results)


async def inbox_summary(
    *, reader: Reader, actor: CitizenActor, protector: DataProtector
) -> InboxSummary:
    """The start page's news: unread messages, and the results not read yet."""
    hashed = citizen_hash(protector, actor)
    return InboxSummary(
        unread_messages=await reader.notifications.unread_messages(hashed),
        new_results=await reader.notifications.unread_results(hashed, limit=SUMMARY_ORDERS),
    )
