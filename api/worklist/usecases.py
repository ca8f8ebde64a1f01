"""Arbetslista (SPEC §5; manual 4.6; domain/worklist.py): a care unit's followed results with
whether the citizen read them, who took over treatment, comments and archiving; the unit's
change token for the app's polling. Every use case works at the care unit of the staff
member's chosen assignment; module access has made sure of the permission and the purpose.
Every list, comment view and change is audited with the patients shown or changed; the
change token shows nobody and is not."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from adapters.db.repositories.worklist import CommentRow, TakeoverRow, WorklistRow, WorklistUnit
from adapters.db.uow import UnitOfWork
from domain.actors import StaffActor
from domain.audit import audit_event
from domain.errors import StaleVersion
from domain.identity_numbers import PersonalIdentityNumber
from domain.worklist import (
    COUNT_CAP,
    WorklistItemNotFound,
    WorklistQuery,
    WorklistUnitNotFound,
    change_token,
    comment_text,
    worklist_filter,
)


@dataclass(frozen=True, slots=True)
class WorklistItem:
    row: WorklistRow
    # From the cached register copy; None when no copy is cached.
    name: str | None
    takeovers: list[TakeoverRow]
    latest_comment: CommentRow | None


@dataclass(frozen=True, slots=True)
class WorklistPage:
    unit: WorklistUnit
    total: int
    # More than COUNT_CAP: `total` is the cap.
    total_capped: bool
    items: list[WorklistItem]
    change_token: str


@dataclass(frozen=True, slots=True)
class CommentThread:
    item: WorklistItem
    comments: list[CommentRow]


async def _unit(uow: UnitOfWork, actor: StaffActor) -> WorklistUnit:
    selected = actor.selected
    assert selected is not None  # module access guarantees it
    unit = await uow.worklist.unit(selected.care_unit_hsa_id)
    if unit is None:
        raise WorklistUnitNotFound(
            f"{selected.care_unit_name} ({selected.care_unit_hsa_id}) is not registered here"
        )
    return unit


async def _token(uow: UnitOfWork, unit: WorklistUnit) -> str:
    followed, sequence_sum = await uow.worklist.change_state(unit.id)
    return change_token(followed=followed, sequence_sum=sequence_sum)


async def _items(
    uow: UnitOfWork, unit: WorklistUnit, rows: list[WorklistRow]
) -> list[WorklistItem]:
    """Names, take-overs and latest comments of the rows: three statements whatever their
    number."""
    lines = [r.line_id for r in rows]
    takeovers = await uow.worklist.takeovers(lines)
    comments = await uow.worklist.latest_comments(lines, unit_id=unit.id)
    cached = await uow.person_cache.load_many(sorted({r.citizen_hash for r in rows}))
    return [
        WorklistItem(
            row=r,
            name=cached[r.citizen_hash].person.full_name if r.citizen_hash in cached else None,
            takeovers=takeovers.get(r.line_id, []),
            latest_comment=comments.get(r.line_id),
        )
        for r in rows
    ]


def _details(unit: WorklistUnit, row: WorklistRow) -> dict[str, str]:
    return {
        "care_unit": unit.hsa_id,
        "order_id": str(row.order_id),
        "line_id": str(row.line_id),
        "rid": row.rid,
    }


async def list_worklist(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, query: WorklistQuery
) -> WorklistPage:
    """One page of the unit's list as asked. The change token is read first: a change made
    while the page is read then shows as a new token at the next poll, never as none."""
    unit = await _unit(uow, actor)
    where = worklist_filter(query, followed=unit.insights)
    token = await _token(uow, unit)
    rows: list[WorklistRow] = []
    counted = 0
    if where.insights:
        rows = await uow.worklist.page(unit.id, where)
        counted = await uow.worklist.count(unit.id, where, cap=COUNT_CAP + 1)
    items = await _items(uow, unit, rows)
    details = {
        "care_unit": unit.hsa_id,
        "archived": str(query.archived),
        "page": str(query.page),
        "rows": str(len(rows)),
    }
    if rows:
        await uow.audit.record_many(
            [
                audit_event(
                    actor,
                    "worklist_listed",
                    now=now,
                    patient=PersonalIdentityNumber.parse(r.personnummer),
                    details={**details, **_details(unit, r)},
                )
                for r in rows
            ]
        )
    else:
        await uow.audit.record(audit_event(actor, "worklist_listed", now=now, details=details))
    await uow.commit()
    return WorklistPage(
        unit=unit,
        total=min(counted, COUNT_CAP),
        total_capped=counted > COUNT_CAP,
        items=items,
        change_token=token,
    )


async def current_change_token(*, uow: UnitOfWork, actor: StaffActor) -> str:
    """The unit's change token: whether anything on its list changed since a token was
    given. Shows no patient (not audited)."""
    return await _token(uow, await _unit(uow, actor))


async def _item(uow: UnitOfWork, unit: WorklistUnit, line_id: uuid.UUID) -> WorklistItem:
    row = await uow.worklist.item(line_id, unit_id=unit.id)
    if row is None:
        raise WorklistItemNotFound("no such result on this care unit's worklist")
    (item,) = await _items(uow, unit, [row])
    return item


async def set_archived(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    line_id: uuid.UUID,
    expected_version: int,
    archived: bool,
) -> WorklistItem:
    """Arkivera / Återställ: the result leaves (or comes back to) the active list. The
    version named must be current (412 otherwise: somebody archived, took it back, or a new
    version of the result came); archiving an archived result changes nothing."""
    unit = await _unit(uow, actor)
    row = await uow.worklist.item(line_id, unit_id=unit.id, for_update=True)
    if row is None:
        raise WorklistItemNotFound("no such result on this care unit's worklist")
    if row.version != expected_version:
        raise StaleVersion("the result changed since it was shown: look at it again")
    changed = row.archived != archived
    if changed:
        await uow.worklist.set_archived(
            line_id, archived=archived, by_hsa_id=actor.hsa_id, by_name=actor.name, now=now
        )
    await uow.audit.record(
        audit_event(
            actor,
            "worklist_archived" if archived else "worklist_unarchived",
            now=now,
            patient=PersonalIdentityNumber.parse(row.personnummer),
            details={**_details(unit, row), "changed": str(changed)},
        )
    )
    item = await _item(uow, unit, line_id)
    await uow.commit()
    return item


async def list_comments(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, line_id: uuid.UUID
) -> CommentThread:
    """Every comment the unit wrote on the result, oldest first. Audited with the patient."""
    unit = await _unit(uow, actor)
    item = await _item(uow, unit, line_id)
    comments = await uow.worklist.comments(line_id, unit_id=unit.id)
    await uow.audit.record(
        audit_event(
            actor,
            "worklist_comments_viewed",
            now=now,
            patient=PersonalIdentityNumber.parse(item.row.personnummer),
            details={**_details(unit, item.row), "comments": str(len(comments))},
        )
    )
    await uow.commit()
    return CommentThread(item=item, comments=comments)


async def add_comment(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, line_id: uuid.UUID, text: str
) -> CommentRow:
    """A comment with its author (HSA-id and name) and time. The result is locked while the
    count is raised, so two comments at once both count."""
    comment = comment_text(text)
    unit = await _unit(uow, actor)
    row = await uow.worklist.item(line_id, unit_id=unit.id, for_update=True)
    if row is None:
        raise WorklistItemNotFound("no such result on this care unit's worklist")
    added = await uow.worklist.add_comment(
        line_id,
        unit_id=unit.id,
        author_hsa_id=actor.hsa_id,
        author_name=actor.name,
        comment=comment,
        now=now,
    )
    await uow.audit.record(
        audit_event(
            actor,
            "worklist_comment_added",
            now=now,
            patient=PersonalIdentityNumber.parse(row.personnummer),
            details={**_details(unit, row), "comment_id": str(added.id)},
        )
    )
    await uow.commit()
    return added
