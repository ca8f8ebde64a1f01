"""The print log (Utskriftslogg): every print of an order's labels, repeats included. Written
in the transaction of the print itself (the order's state change and its audit entry), so a
logged print is exactly one that was handed out. Listing is scoped by the statement: the
prints at one sampling unit, or those made at one care unit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector

LabelKind = Literal["sample", "tube", "address"]


@dataclass(frozen=True, slots=True)
class NewLabelPrint:
    order_id: uuid.UUID
    kind: LabelKind
    label_count: int
    reprint: bool


@dataclass(frozen=True, slots=True)
class LabelPrintRow:
    id: uuid.UUID
    order_id: uuid.UUID
    rid: str
    personnummer: str
    citizen_hash: bytes
    kind: str
    sampling_unit_id: uuid.UUID | None
    care_unit_hsa_id: str
    printed_by_hsa_id: str
    printed_at: datetime
    reprint: bool
    label_count: int


_INSERT = text(
    """
    INSERT INTO label_prints (id, order_id, kind, sampling_unit_id, care_unit_hsa_id,
                              printed_by_hsa_id, printed_at, reprint, label_count)
    SELECT gen_random_uuid(), t.order_id, t.kind, CAST(:sampling_unit_id AS uuid),
           :care_unit_hsa_id, :printed_by_hsa_id, :printed_at, t.reprint, t.label_count
      FROM unnest(CAST(:order_ids AS uuid[]), CAST(:kinds AS text[]),
                  CAST(:reprints AS boolean[]), CAST(:counts AS int[]))
           AS t(order_id, kind, reprint, label_count)
    """
)
_LIST_SQL = """
    SELECT p.id, p.order_id, o.rid, o.citizen_hash, o.citizen_encrypted, p.kind,
           p.sampling_unit_id, p.care_unit_hsa_id, p.printed_by_hsa_id, p.printed_at,
           p.reprint, p.label_count
      FROM label_prints p JOIN orders o ON o.id = p.order_id
     WHERE {scope}
     ORDER BY p.printed_at DESC, p.id
     LIMIT :limit OFFSET :offset
"""
_COUNT_AT_SAMPLING_UNIT = text("SELECT count(*) FROM label_prints WHERE sampling_unit_id = :scope")
_AT_SAMPLING_UNIT = text(_LIST_SQL.format(scope="p.sampling_unit_id = :scope"))


class LabelPrintRepository:
    def __init__(self, connection: Executor, protector: DataProtector) -> None:
        self._session = connection
        self._protector = protector

    async def record(
        self,
        prints: Sequence[NewLabelPrint],
        *,
        sampling_unit_id: uuid.UUID | None,
        care_unit_hsa_id: str,
        printed_by_hsa_id: str,
        printed_at: datetime,
    ) -> None:
        """Logs the prints of one action (one row per order and kind), in one statement."""
        if not prints:
            return
        await self._session.execute(
            _INSERT,
            {
                "order_ids": [p.order_id for p in prints],
                "kinds": [p.kind for p in prints],
                "reprints": [p.reprint for p in prints],
                "counts": [p.label_count for p in prints],
                "sampling_unit_id": sampling_unit_id,
                "care_unit_hsa_id": care_unit_hsa_id,
                "printed_by_hsa_id": printed_by_hsa_id,
                "printed_at": printed_at,
            },
        )

    async def at_sampling_unit(
        self, sampling_unit_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[int, list[LabelPrintRow]]:
        """Utskriftslogg of a sampling unit, newest first: (total, one page)."""
        params = {"scope": sampling_unit_id, "limit": limit, "offset": offset}
        return await self._page(_AT_SAMPLING_UNIT, _COUNT_AT_SAMPLING_UNIT, params)

    async def _page(
        self, listing: Any, counting: Any, params: dict[str, Any]
    ) -> tuple[int, list[LabelPrintRow]]:
        # The count on its own (an index-only scan) and the page on its own: a count(*)
        # OVER () in the page query would read the unit's whole log on every page (issue 12).
        rows = list(await self._session.execute(listing, params))
        total = int((await self._session.execute(counting, params)).scalar_one())
        page = []
        for r in rows:
            page.append(
                LabelPrintRow(
                    id=r.id,
                    order_id=r.order_id,
                    rid=r.rid,
                    personnummer=self._protector.decrypt(
                        r.citizen_encrypted, context=r.citizen_hash
                    ).decode(),
                    citizen_hash=r.citizen_hash,
                    kind=r.kind,
                    sampling_unit_id=r.sampling_unit_id,
                    care_unit_hsa_id=r.care_unit_hsa_id,
                    printed_by_hsa_id=r.printed_by_hsa_id,
                    printed_at=r.printed_at,
                    reprint=r.reprint,
                    label_count=r.label_count,
                )
            )
        return total, page
