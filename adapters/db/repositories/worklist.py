"""Arbetslista's queries on its read model, `worklist_entries` (kept by the triggers of
revision 0013; docs/adr/0010-worklist-read-model.md). Every statement is scoped to one care
unit and to the results it follows (`followed`), so another unit's result is simply not
found. Filtering, sorting, counting and paging happen in SQL on the partial indexes of the
followed rows; only the rows of the page are decrypted. Sorting is by dates, never by an
encrypted column (the patient's name and personnummer cannot be sorted in SQL, and sorting
them in Python would mean decrypting the whole list). Hand-written SQL, built at import."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.worklist import WorklistFilter, WorklistSort


@dataclass(frozen=True, slots=True)
class WorklistUnit:
    id: uuid.UUID
    hsa_id: str
    name: str
    insights: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorklistRow:
    line_id: uuid.UUID
    order_id: uuid.UUID
    rid: str
    version: int
    citizen_hash: bytes
    personnummer: str
    offer_name: str
    product_code: str
    product_name: str
    sampling_method: str
    insight: str
    sampling_date: date
    result_at: datetime
    read_at: datetime | None
    taken_over_at: datetime | None
    comment_count: int
    last_comment_at: datetime | None
    archived: bool
    archived_at: datetime | None
    archived_by_hsa_id: str | None
    archived_by_name: str | None


@dataclass(frozen=True, slots=True)
class TakeoverRow:
    line_id: uuid.UUID
    care_unit_hsa_id: str
    care_unit_name: str
    taken_by_hsa_id: str
    taken_by_name: str | None
    taken_at: datetime


@dataclass(frozen=True, slots=True)
class CommentRow:
    id: uuid.UUID
    line_id: uuid.UUID
    author_hsa_id: str
    author_name: str | None
    created_at: datetime
    text: str


_UNIT = text(
    "SELECT id, hsa_id, name, worklist_insights FROM care_units"
    " WHERE hsa_id = :hsa_id AND retired_at IS NULL"
)
_SELECT = """
    SELECT e.order_line_id AS line_id, e.order_id, o.rid, e.version, o.citizen_hash,
           o.citizen_encrypted, f.name AS offer_name, l.product_code, p.name AS product_name,
           o.sampling_method, e.insight, e.sampling_date, e.result_at, e.read_at,
           e.taken_over_at, e.comment_count, e.last_comment_at, e.archived, e.archived_at,
           e.archived_by_hsa_id, e.archived_by_name
"""
_JOINS = """
      JOIN orders o ON o.id = e.order_id
      JOIN offers f ON f.id = o.offer_id
      JOIN order_lines l ON l.id = e.order_line_id
      JOIN products p ON p.code = l.product_code
"""
_COLUMNS = _SELECT + " FROM worklist_entries e" + _JOINS
# The filters of the list; each optional one is off when its parameter is NULL. Active or
# archived is written into the statement, so that the planner can use the partial index of
# the rows asked for (ix_worklist_entries_active… / _archived…).
_FILTERS = """
     WHERE e.care_unit_id = :unit AND e.followed AND {archived}
       AND e.insight = ANY(CAST(:insights AS text[]))
       AND (CAST(:read AS boolean) IS NULL OR (e.read_at IS NOT NULL) = :read)
       AND (CAST(:taken_over AS boolean) IS NULL
            OR (e.taken_over_at IS NOT NULL) = :taken_over)
       AND (CAST(:result_from AS timestamptz) IS NULL OR e.result_at >= :result_from)
       AND (CAST(:result_before AS timestamptz) IS NULL OR e.result_at < :result_before)
"""
# The orders of the indexes (by result date, by read date), either way; the line id makes
# the order total, so paging neither repeats nor skips a row.
_ORDER = {
    (WorklistSort.RESULT_DATE, True): "e.result_at DESC, e.order_line_id DESC",
    (WorklistSort.RESULT_DATE, False): "e.result_at, e.order_line_id",
    (WorklistSort.READ_DATE, True): "e.read_at DESC NULLS LAST, e.order_line_id DESC",
    (WorklistSort.READ_DATE, False): "e.read_at NULLS FIRST, e.order_line_id",
}
_STATE = {False: "NOT e.archived", True: "e.archived"}
# The page is cut from the index alone (the partial indexes carry every column the filters
# read: an index-only scan, the offset included), and only the page's rows are read whole and
# joined to their orders: a late page of a long archive costs its offset in index entries.
_PAGES = {
    (*key, archived): text(
        _SELECT
        + " FROM (SELECT e.order_line_id FROM worklist_entries e"
        + _FILTERS.format(archived=state)
        + f" ORDER BY {order} LIMIT :limit OFFSET :offset) page"
        + " JOIN worklist_entries e ON e.order_line_id = page.order_line_id"
        + _JOINS
        + f" ORDER BY {order}"
    )
    for key, order in _ORDER.items()
    for archived, state in _STATE.items()
}
# Bounded (ADR 10): at most :cap index entries are counted.
_COUNT = {
    archived: text(
        "SELECT count(*) FROM (SELECT 1 FROM worklist_entries e"
        + _FILTERS.format(archived=state)
        + " LIMIT :cap) counted"
    )
    for archived, state in _STATE.items()
}
_ONE = text(_COLUMNS + " WHERE e.order_line_id = :id AND e.care_unit_id = :unit AND e.followed")
_ONE_FOR_UPDATE = text(_ONE.text + " FOR UPDATE OF e")
_CHANGES = text(
    "SELECT count(*) AS followed, coalesce(sum(change_seq), 0) AS sequence_sum"
    " FROM worklist_entries WHERE care_unit_id = :unit AND followed AND NOT archived"
)
_TAKEOVERS = text(
    "SELECT order_line_id AS line_id, care_unit_hsa_id, care_unit_name, taken_by_hsa_id,"
    " taken_by_name, taken_at FROM treatment_takeovers"
    " WHERE order_line_id = ANY(CAST(:lines AS uuid[])) ORDER BY taken_at, id"
)
_LATEST_COMMENTS = text(
    "SELECT DISTINCT ON (order_line_id) id, order_line_id AS line_id, author_hsa_id,"
    " author_name, created_at, text_encrypted FROM worklist_comments"
    " WHERE order_line_id = ANY(CAST(:lines AS uuid[])) AND care_unit_id = :unit"
    " ORDER BY order_line_id, created_at DESC, id"
)
_COMMENTS = text(
    "SELECT id, order_line_id AS line_id, author_hsa_id, author_name, created_at,"
    " text_encrypted FROM worklist_comments"
    " WHERE order_line_id = :line AND care_unit_id = :unit ORDER BY created_at, id"
)
_ADD_COMMENT = text(
    "INSERT INTO worklist_comments (id, order_line_id, care_unit_id, author_hsa_id,"
    " author_name, created_at, text_encrypted)"
    " VALUES (:id, :line, :unit, :author, :name, :now, :text)"
)
_COMMENTED = text(
    "UPDATE worklist_entries SET comment_count = comment_count + 1, last_comment_at = :now,"
    " change_seq = nextval('worklist_change_seq') WHERE order_line_id = :line"
)
_SET_ARCHIVED = text(
    """
    UPDATE worklist_entries
       SET archived = :archived,
           archived_at = CASE WHEN :archived THEN CAST(:now AS timestamptz) END,
           archived_by_hsa_id = CASE WHEN :archived THEN CAST(:by AS varchar) END,
           archived_by_name = CASE WHEN :archived THEN CAST(:name AS varchar) END,
           version = version + 1, change_seq = nextval('worklist_change_seq')
     WHERE order_line_id = :line
    """
)
_TAKEN_OVER = text(
    "UPDATE worklist_entries SET taken_over_at = coalesce(taken_over_at, :now),"
    " change_seq = nextval('worklist_change_seq') WHERE order_line_id = :line"
)


class WorklistRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def unit(self, hsa_id: str) -> WorklistUnit | None:
        row = (await self._session.execute(_UNIT, {"hsa_id": hsa_id})).one_or_none()
        if row is None:
            return None
        return WorklistUnit(
            id=row.id,
            hsa_id=row.hsa_id,
            name=row.name,
            insights=tuple(str(i) for i in row.worklist_insights or ()),
        )

    def _row(self, row: Any) -> WorklistRow:
        data = dict(row._mapping)
        encrypted = data.pop("citizen_encrypted")
        data["personnummer"] = self._protector.decrypt(
            encrypted, context=data["citizen_hash"]
        ).decode()
        return WorklistRow(**data)

    @staticmethod
    def _filter_params(unit_id: uuid.UUID, where: WorklistFilter) -> dict[str, Any]:
        return {
            "unit": unit_id,
            "insights": list(where.insights),
            "read": where.read,
            "taken_over": where.taken_over,
            "result_from": where.result_from,
            "result_before": where.result_before,
        }

    async def page(self, unit_id: uuid.UUID, where: WorklistFilter) -> list[WorklistRow]:
        statement = _PAGES[(where.sort, where.descending, where.archived)]
        rows = await self._session.execute(
            statement,
            {
                **self._filter_params(unit_id, where),
                "limit": where.limit,
                "offset": where.offset,
            },
        )
        return [self._row(r) for r in rows]

    async def count(self, unit_id: uuid.UUID, where: WorklistFilter, *, cap: int) -> int:
        """How many rows the filter finds, counting no further than `cap`."""
        total = await self._session.execute(
            _COUNT[where.archived], {**self._filter_params(unit_id, where), "cap": cap}
        )
        return int(total.scalar_one())

    async def item(
        self, line_id: uuid.UUID, *, unit_id: uuid.UUID, for_update: bool = False
    ) -> WorklistRow | None:
        """The result when it is on the unit's worklist (active or archived)."""
        row = (
            await self._session.execute(
                _ONE_FOR_UPDATE if for_update else _ONE, {"id": line_id, "unit": unit_id}
            )
        ).one_or_none()
        return None if row is None else self._row(row)

    async def change_state(self, unit_id: uuid.UUID) -> tuple[int, int]:
        """(how many active results the unit follows, the sum of their change numbers): a
        scan of the unit's part of ix_worklist_entries_changes."""
        row = (await self._session.execute(_CHANGES, {"unit": unit_id})).one()
        return int(row.followed), int(row.sequence_sum)

    async def takeovers(self, line_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[TakeoverRow]]:
        """Who took over treatment of these results, oldest first, in one statement."""
        found: dict[uuid.UUID, list[TakeoverRow]] = {}
        if not line_ids:
            return found
        for row in await self._session.execute(_TAKEOVERS, {"lines": line_ids}):
            found.setdefault(row.line_id, []).append(TakeoverRow(**row._mapping))
        return found

    def _comment(self, row: Any) -> CommentRow:
        data = dict(row._mapping)
        data["text"] = self._protector.decrypt(
            data.pop("text_encrypted"), context=data["id"].bytes
        ).decode()
        return CommentRow(**data)

    async def latest_comments(
        self, line_ids: list[uuid.UUID], *, unit_id: uuid.UUID
    ) -> dict[uuid.UUID, CommentRow]:
        """The newest comment of each result at the unit, in one statement."""
        if not line_ids:
            return {}
        rows = await self._session.execute(_LATEST_COMMENTS, {"lines": line_ids, "unit": unit_id})
        return {row.line_id: self._comment(row) for row in rows}

    async def comments(self, line_id: uuid.UUID, *, unit_id: uuid.UUID) -> list[CommentRow]:
        rows = await self._session.execute(_COMMENTS, {"line": line_id, "unit": unit_id})
        return [self._comment(r) for r in rows]

    async def add_comment(
        self,
        line_id: uuid.UUID,
        *,
        unit_id: uuid.UUID,
        author_hsa_id: str,
        author_name: str | None,
        comment: str,
        now: datetime,
    ) -> CommentRow:
        comment_id = uuid.uuid4()
        await self._session.execute(
            _ADD_COMMENT,
            {
                "id": comment_id,
                "line": line_id,
                "unit": unit_id,
                "author": author_hsa_id,
                "name": author_name,
                "now": now,
                "text": self._protector.encrypt(comment.encode(), context=comment_id.bytes),
            },
        )
        await self._session.execute(_COMMENTED, {"line": line_id, "now": now})
        return CommentRow(
            id=comment_id,
            line_id=line_id,
            author_hsa_id=author_hsa_id,
            author_name=author_name,
            created_at=now,
            text=comment,
        )

    async def set_archived(
        self,
        line_id: uuid.UUID,
        *,
        archived: bool,
        by_hsa_id: str,
        by_name: str | None,
        now: datetime,
    ) -> None:
        await self._session.execute(
            _SET_ARCHIVED,
            {"line": line_id, "archived": archived, "now": now, "by": by_hsa_id, "name": by_name},
        )

    async def mark_taken_over(self, line_id: uuid.UUID, *, now: datetime) -> None:
        await self._session.execute(_TAKEN_OVER, {"line": line_id, "now": now})
