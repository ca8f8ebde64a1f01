"""The inbox as the citizen app reads it. A message says that there is a result and for
which order — never the result (no value, no insight)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from adapters.db.repositories.notifications import InboxPage, InboxRow, UnreadResults
from api.inbox.usecases import InboxSummary


class InboxMessageOut(BaseModel):
    id: uuid.UUID
    kind: Literal["result", "correction", "reminder"] = Field(
        description="A new result, a corrected result, or a reminder of an unread result."
    )
    subject: str
    body: str
    order_id: uuid.UUID
    offer_name: str
    created_at: datetime
    read: bool
    read_at: datetime | None

    @classmethod
    def of(cls, row: InboxRow) -> InboxMessageOut:
        return cls(
            id=row.id,
            kind=row.kind.value,
            subject=row.subject,
            body=row.body,
            order_id=row.order_id,
            offer_name=row.offer_name,
            created_at=row.created_at,
            read=row.read_at is not None,
            read_at=row.read_at,
        )


class InboxPageOut(BaseModel):
    total: int
    unread: int
    page: int
    page_size: int
    items: list[InboxMessageOut]

    @classmethod
    def of(cls, inbox: InboxPage, *, page: int, page_size: int) -> InboxPageOut:
        return cls(
            total=inbox.total,
            unread=inbox.unread,
            page=page,
            page_size=page_size,
            items=[InboxMessageOut.of(row) for row in inbox.items],
        )


class NewResultsOut(BaseModel):
    order_id: uuid.UUID
    offer_name: str
    unread_results: int
    received_at: datetime

    @classmethod
    def of(cls, row: UnreadResults) -> NewResultsOut:
        return cls(
            order_id=row.order_id,
            offer_name=row.offer_name,
            unread_results=row.unread,
            received_at=row.received_at,
        )


class InboxSummaryOut(BaseModel):
    unread_messages: int
    unread_results: int
    new_results: list[NewResultsOut]

    @classmethod
    def of(cls, summary: InboxSummary) -> InboxSummaryOut:
        return cls(
            unread_messages=summary.unread_messages,
            unread_results=summary.unread_results,
            new_results=[NewResultsOut.of(row) for row in summary.new_results],
        )
