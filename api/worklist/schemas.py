from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from adapters.db.repositories.worklist import CommentRow, TakeoverRow, WorklistUnit
from api.web.schemas import RequestModel
from api.worklist.usecases import CommentThread, WorklistItem, WorklistPage
from domain.codes import formatted
from domain.identity_numbers import PersonalIdentityNumber
from domain.worklist import COMMENT_MAX_LENGTH

InsightValue = Literal["positive", "negative", "technical_error", "answer"]


class WorklistUnitOut(BaseModel):
    hsa_id: str
    name: str
    insights: list[InsightValue] = Field(
        description="The insights the unit's worklist follows (administration)"
    )

    @classmethod
    def of(cls, unit: WorklistUnit) -> WorklistUnitOut:
        known = ("positive", "negative", "technical_error", "answer")
        return cls(
            hsa_id=unit.hsa_id,
            name=unit.name,
            insights=[i for i in known if i in unit.insights],
        )


class WorklistPatientOut(BaseModel):
    personnummer: str
    name: str | None = Field(description="From the cached register copy; null when none")


class WorklistTakeoverOut(BaseModel):
    """Behandlingsansvar: who took over treatment of the result, at which care unit, when."""

    taken_by_hsa_id: str
    taken_by_name: str | None
    care_unit_hsa_id: str
    care_unit_name: str
    taken_at: datetime

    @classmethod
    def of(cls, row: TakeoverRow) -> WorklistTakeoverOut:
        return cls(
            taken_by_hsa_id=row.taken_by_hsa_id,
            taken_by_name=row.taken_by_name,
            care_unit_hsa_id=row.care_unit_hsa_id,
            care_unit_name=row.care_unit_name,
            taken_at=row.taken_at,
        )


class WorklistCommentOut(BaseModel):
    id: uuid.UUID
    author_hsa_id: str
    author_name: str | None
    created_at: datetime
    text: str

    @classmethod
    def of(cls, row: CommentRow) -> WorklistCommentOut:
        return cls(
            id=row.id,
            author_hsa_id=row.author_hsa_id,
            author_name=row.author_name,
            created_at=row.created_at,
            text=row.text,
        )


class WorklistCommentsSummary(BaseModel):
    count: int
    latest: WorklistCommentOut | None


class WorklistArchiveOut(BaseModel):
    archived_at: datetime | None
    archived_by_hsa_id: str | None
    archived_by_name: str | None


class WorklistItemOut(BaseModel):
    """One followed result: an order line with the newest version of its result."""

    id: uuid.UUID = Field(
        description="The result's id on the worklist (its order line: the same through corrections)"
    )
    version: int = Field(description="The version archiving names in If-Match (also the ETag)")
    order_id: uuid.UUID
    rid: str
    patient: WorklistPatientOut
    offer_name: str
    product_code: str
    product_name: str
    sampling_method: str
    insight: InsightValue
    sampling_date: date
    result_at: datetime = Field(description="When the newest version of the result came")
    read: bool = Field(description="The citizen has read the newest version")
    read_at: datetime | None
    takeovers: list[WorklistTakeoverOut]
    comments: WorklistCommentsSummary
    archived: bool
    archive: WorklistArchiveOut | None

    @classmethod
    def of(cls, item: WorklistItem) -> WorklistItemOut:
        row = item.row
        return cls(
            id=row.line_id,
            version=row.version,
            order_id=row.order_id,
            rid=formatted(row.rid),
            patient=WorklistPatientOut(
                personnummer=PersonalIdentityNumber(row.personnummer).formatted, name=item.name
            ),
            offer_name=row.offer_name,
            product_code=row.product_code,
            product_name=row.product_name,
            sampling_method=row.sampling_method,
            insight=row.insight,
            sampling_date=row.sampling_date,
            result_at=row.result_at,
            read=row.read_at is not None,
            read_at=row.read_at,
            takeovers=[WorklistTakeoverOut.of(t) for t in item.takeovers],
            comments=WorklistCommentsSummary(
                count=row.comment_count,
                latest=None
                if item.latest_comment is None
                else WorklistCommentOut.of(item.latest_comment),
            ),
            archived=row.archived,
            archive=WorklistArchiveOut(
                archived_at=row.archived_at,
                archived_by_hsa_id=row.archived_by_hsa_id,
                archived_by_name=row.archived_by_name,
            )
            if row.archived
            else None,
        )


class WorklistPageOut(BaseModel):
    care_unit: WorklistUnitOut
    total: int = Field(description="How many results the filter finds, at most 10,000")
    total_capped: bool = Field(description="More than `total`: the count stops there")
    page: int
    page_size: int
    change_token: str = Field(
        description="The unit's change token when the page was read: send it as "
        "If-None-Match to GET /api/staff/worklist/changes"
    )
    items: list[WorklistItemOut]

    @classmethod
    def of(cls, listing: WorklistPage, *, page: int, page_size: int) -> WorklistPageOut:
        return cls(
            care_unit=WorklistUnitOut.of(listing.unit),
            total=listing.total,
            total_capped=listing.total_capped,
            page=page,
            page_size=page_size,
            change_token=listing.change_token,
            items=[WorklistItemOut.of(i) for i in listing.items],
        )


class WorklistChangesOut(BaseModel):
    change_token: str


class WorklistCommentIn(RequestModel):
    text: str = Field(min_length=1, max_length=COMMENT_MAX_LENGTH)


class WorklistCommentsOut(BaseModel):
    item: WorklistItemOut
    comments: list[WorklistCommentOut]

    @classmethod
    def of(cls, thread: CommentThread) -> WorklistCommentsOut:
        return cls(
            item=WorklistItemOut.of(thread.item),
            comments=[WorklistCommentOut.of(c) for c in thread.comments],
        )
