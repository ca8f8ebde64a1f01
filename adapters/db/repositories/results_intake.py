"""Result intake (domain/results.py), set-based: a batch of up to a thousand results costs
the same handful of statements as one — lock the orders, read their lines, the laboratories'
codes and the stored versions, insert the accepted versions, answer the orders that are
complete. Statements are built once, at import.

Concurrency: the orders are locked (in id order, so two batches never deadlock) before
anything is read, and the reads run as statements of their own after the lock is held, so
they see every version committed before. Two intakes for the same order therefore decide one
after the other. The unique indexes stay the last word: a version that still collides (the
same laboratory result id sent for another order at the same moment) is not inserted, and
the use case refuses it.

Rows are unpacked in their SELECT's column order: reading a row's column by name costs
about a microsecond in SQLAlchemy 2.1, unpacking it a tenth of that — for the 2,500 rows a
batch of 1,000 results reads and gets back, several milliseconds (bench/README.md)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.orders import OrderStatus
from domain.results import LineFacts, OrderFacts, StoredVersion

_LOCK_ORDERS = text(
    """
    SELECT o.id, o.rid, o.status, o.laboratory_id, o.created_at,
           coalesce(rcpt.id, cu.id) AS recipient
      FROM orders o
      LEFT JOIN care_units cu ON cu.id = o.result_care_unit_id
      LEFT JOIN care_units rcpt ON rcpt.hsa_id = cu.result_recipient_hsa_id
     WHERE o.rid = ANY(CAST(:rids AS text[]))
       AND o.laboratory_id = ANY(CAST(:labs AS uuid[]))
     ORDER BY o.id
       FOR UPDATE OF o
    """
)
_LINES = text(
    "SELECT l.id, l.order_id, l.line_no, l.product_code, p.name AS product_name"
    " FROM order_lines l JOIN products p ON p.code = l.product_code"
    " WHERE l.order_id = ANY(CAST(:orders AS uuid[])) ORDER BY l.order_id, l.line_no"
)
_MAPPINGS = text(
    "SELECT laboratory_id, lab_code, product_code FROM laboratory_product_mappings"
    " WHERE laboratory_id = ANY(CAST(:labs AS uuid[])) AND lab_code = ANY(CAST(:codes AS text[]))"
)
_STORED = text(
    """
    SELECT id, order_line_id, sampling_date, version, laboratory_id, lab_result_id,
           lab_version, content_hash
      FROM results
     WHERE order_line_id = ANY(CAST(:lines AS uuid[]))
        OR (laboratory_id = ANY(CAST(:labs AS uuid[]))
            AND lab_result_id = ANY(CAST(:lab_ids AS text[])))
    """
)
_INSERT = text(
    """
    INSERT INTO results (id, order_line_id, sampling_date, version, insight, payload_encrypted,
                         received_at, laboratory_id, lab_result_id, lab_version, source,
                         content_hash, registered_by_hsa_id, registered_by_name,
                         registered_at_care_unit_id, result_template_id)
    SELECT t.id, t.line, t.sampling_date, t.version, t.insight, t.payload, :now, t.lab,
           t.lab_result_id, t.lab_version, t.source, t.content_hash, t.by_hsa_id, t.by_name,
           t.at_unit, t.template
      FROM unnest(CAST(:ids AS uuid[]), CAST(:lines AS uuid[]), CAST(:dates AS date[]),
                  CAST(:versions AS int[]), CAST(:insights AS text[]),
                  CAST(:payloads AS bytea[]), CAST(:labs AS uuid[]),
                  CAST(:lab_result_ids AS text[]), CAST(:lab_versions AS int[]),
                  CAST(:sources AS text[]), CAST(:hashes AS bytea[]),
                  CAST(:by_hsa_ids AS text[]), CAST(:by_names AS text[]),
                  CAST(:at_units AS uuid[]), CAST(:templates AS uuid[]))
           AS t(id, line, sampling_date, version, insight, payload, lab, lab_result_id,
                lab_version, source, content_hash, by_hsa_id, by_name, at_unit, template)
    ON CONFLICT DO NOTHING
    RETURNING id
    """
)
# Besvarad when every line has a result (partial answers keep the order open).
_ANSWER = text(
    """
    UPDATE orders o SET status = 'answered', answered_at = :now, version = o.version + 1
     WHERE o.id = ANY(CAST(:orders AS uuid[])) AND o.status = 'sampled'
       AND NOT EXISTS (
           SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND NOT EXISTS (
                  SELECT 1 FROM results r WHERE r.order_line_id = l.id))
    RETURNING o.id
    """
)


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A version to store: the decision's result id, line and version, and what came."""

    result_id: uuid.UUID
    line_id: uuid.UUID
    sampling_date: date
    version: int
    insight: str | None
    payload: dict[str, Any]
    laboratory_id: uuid.UUID | None
    lab_result_id: str | None
    lab_version: int | None
    source: str
    content_hash: bytes
    # A manual result: who registered it, at which care unit, with which template.
    registered_by_hsa_id: str | None = None
    registered_by_name: str | None = None
    registered_at_care_unit_id: uuid.UUID | None = None
    result_template_id: uuid.UUID | None = None


class ResultIntakeRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    def content_hash(self, content: dict[str, Any]) -> bytes:
        """A keyed hash of a result's content: comparable, and no dictionary of values."""
        return self._protector.lookup_hash(
            "result:" + json.dumps(content, sort_keys=True, default=str)
        )

    async def lock_orders(
        self, *, rids: Sequence[str], laboratory_ids: Sequence[uuid.UUID]
    ) -> dict[str, OrderFacts]:
        """The orders with these RIDs sampled for these laboratories, locked until the
        transaction ends, with their lines; by RID."""
        rows = (
            await self._session.execute(
                _LOCK_ORDERS, {"rids": list(rids), "labs": list(laboratory_ids)}
            )
        ).all()
        if not rows:
            return {}
        lines: dict[uuid.UUID, list[LineFacts]] = {}
        order_ids = [row[0] for row in rows]
        for line_id, order_id, line_no, product, name in await self._session.execute(
            _LINES, {"orders": order_ids}
        ):
            lines.setdefault(order_id, []).append(
                LineFacts(id=line_id, line_no=line_no, product_code=product, product_name=name)
            )
        return {
            rid: OrderFacts(
                id=order_id,
                rid=rid,
                status=OrderStatus(status),
                laboratory_id=laboratory_id,
                lines=tuple(lines.get(order_id, ())),
                recipient_care_unit_id=recipient,
                placed_at=created_at,
            )
            for order_id, rid, status, laboratory_id, created_at, recipient in rows
        }

    async def mappings(
        self, *, laboratory_ids: Sequence[uuid.UUID], codes: Sequence[str]
    ) -> dict[tuple[uuid.UUID, str], str]:
        """(laboratory, analysis code) → national product code, for the codes sent."""
        if not codes:
            return {}
        rows = await self._session.execute(
            _MAPPINGS, {"labs": list(laboratory_ids), "codes": list(codes)}
        )
        return {(laboratory_id, code): product for laboratory_id, code, product in rows}

    async def stored_versions(
        self,
        *,
        line_ids: Sequence[uuid.UUID],
        laboratory_ids: Sequence[uuid.UUID],
        lab_result_ids: Sequence[str],
    ) -> list[StoredVersion]:
        """The versions stored for these lines, and those of these laboratory result ids
        (wherever they are)."""
        rows = await self._session.execute(
            _STORED,
            {
                "lines": list(line_ids),
                "labs": list(laboratory_ids),
                "lab_ids": list(lab_result_ids),
            },
        )
        return [
            StoredVersion(
                result_id=result_id,
                line_id=line_id,
                sampling_date=sampling_date,
                version=version,
                laboratory_id=laboratory_id,
                lab_result_id=lab_result_id,
                lab_version=lab_version,
                content_hash=content_hash,
            )
            for (
                result_id,
                line_id,
                sampling_date,
                version,
                laboratory_id,
                lab_result_id,
                lab_version,
                content_hash,
            ) in rows
        ]

    async def insert(self, versions: Sequence[NewVersion], *, now: datetime) -> set[uuid.UUID]:
        """Inserts the versions in one statement; returns the ids inserted (a version that
        collides with one committed meanwhile is left out, and nothing else of it written)."""
        if not versions:
            return set()
        payloads = self._protector.encrypt_many(
            [(orjson.dumps(v.payload), v.result_id.bytes) for v in versions]
        )
        rows = await self._session.execute(
            _INSERT,
            {
                "now": now,
                "ids": [v.result_id for v in versions],
                "lines": [v.line_id for v in versions],
                "dates": [v.sampling_date for v in versions],
                "versions": [v.version for v in versions],
                "insights": [v.insight for v in versions],
                "payloads": payloads,
                "labs": [v.laboratory_id for v in versions],
                "lab_result_ids": [v.lab_result_id for v in versions],
                "lab_versions": [v.lab_version for v in versions],
                "sources": [v.source for v in versions],
                "hashes": [v.content_hash for v in versions],
                "by_hsa_ids": [v.registered_by_hsa_id for v in versions],
                "by_names": [v.registered_by_name for v in versions],
                "at_units": [v.registered_at_care_unit_id for v in versions],
                "templates": [v.result_template_id for v in versions],
            },
        )
        return {result_id for (result_id,) in rows}

    async def answer_complete(
        self, order_ids: Sequence[uuid.UUID], *, now: datetime
    ) -> set[uuid.UUID]:
        """Orders whose every line now has a result become Besvarad; returns those."""
        if not order_ids:
            return set()
        rows = await self._session.execute(_ANSWER, {"orders": list(order_ids), "now": now})
        return {order_id for (order_id,) in rows}
