"""Behandlingsansvar's queries (domain/treatment_responsibility.py): a patient's positive
results of contact-tracing products — read from the worklist's read model, whose `insight`
is that of the newest version — and the take-over records. Hand-written SQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.db.repositories.worklist import TakeoverRow
from adapters.protection import DataProtector


@dataclass(frozen=True, slots=True)
class PositiveResultRow:
    line_id: uuid.UUID
    order_id: uuid.UUID
    result_id: uuid.UUID
    personnummer: str
    offer_name: str
    product_code: str
    product_name: str
    sampling_date: date
    result_at: datetime
    result_care_unit_hsa_id: str | None
    result_care_unit_name: str | None


# Found by the citizen's orders (ix_orders_citizen_created), then each order's lines in the
# read model (ix_worklist_entries_order_id).
_POSITIVE = """
    SELECT e.order_line_id AS line_id, e.order_id, e.result_id, o.citizen_hash,
           o.citizen_encrypted, f.name AS offer_name, l.product_code,
           p.name AS product_name, e.sampling_date, e.result_at,
           cu.hsa_id AS result_care_unit_hsa_id, cu.name AS result_care_unit_name
      FROM orders o
      JOIN worklist_entries e ON e.order_id = o.id
      JOIN order_lines l ON l.id = e.order_line_id
      JOIN products p ON p.code = l.product_code
      JOIN offers f ON f.id = o.offer_id
      LEFT JOIN care_units cu ON cu.id = o.result_care_unit_id
     WHERE o.citizen_hash = :citizen AND e.insight = 'positive' AND p.contact_tracing
"""
_OF_CITIZEN = text(_POSITIVE + " ORDER BY e.result_at DESC, e.order_line_id LIMIT 200")
_ONE = text(_POSITIVE + " AND e.order_line_id = :line")
_TAKE_OVER = text(
    """
    INSERT INTO treatment_takeovers (id, order_line_id, result_id, care_unit_hsa_id,
                                     care_unit_name, taken_by_hsa_id, taken_by_name, taken_at)
    VALUES (:id, :line, :result, :unit, :unit_name, :by, :name, :now)
    ON CONFLICT (order_line_id, care_unit_hsa_id) DO NOTHING
    RETURNING order_line_id AS line_id, care_unit_hsa_id, care_unit_name, taken_by_hsa_id,
              taken_by_name, taken_at
    """
)
_EXISTING = text(
    "SELECT order_line_id AS line_id, care_unit_hsa_id, care_unit_name, taken_by_hsa_id,"
    " taken_by_name, taken_at FROM treatment_takeovers"
    " WHERE order_line_id = :line AND care_unit_hsa_id = :unit"
)


class TreatmentResponsibilityRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    def _row(self, row: Any) -> PositiveResultRow:
        data = dict(row._mapping)
        citizen = data.pop("citizen_hash")
        data["personnummer"] = self._protector.decrypt(
            data.pop("citizen_encrypted"), context=citizen
        ).decode()
        return PositiveResultRow(**data)

    async def positive_results(self, personnummer: str) -> list[PositiveResultRow]:
        """The citizen's results whose newest version is positive, of contact-tracing
        products, newest first."""
        citizen = self._protector.lookup_hash(personnummer)
        rows = await self._session.execute(_OF_CITIZEN, {"citizen": citizen})
        return [self._row(r) for r in rows]

    async def positive_result(
        self, personnummer: str, line_id: uuid.UUID
    ) -> PositiveResultRow | None:
        citizen = self._protector.lookup_hash(personnummer)
        row = (
            await self._session.execute(_ONE, {"citizen": citizen, "line": line_id})
        ).one_or_none()
        return None if row is None else self._row(row)

    async def take_over(
        self,
        *,
        line_id: uuid.UUID,
        result_id: uuid.UUID,
        care_unit_hsa_id: str,
        care_unit_name: str,
        by_hsa_id: str,
        by_name: str | None,
        now: datetime,
    ) -> tuple[TakeoverRow, bool]:
        """The record of the unit's take-over and whether this call made it: a second
        take-over at the same unit (also a concurrent one) finds the first."""
        made = (
            await self._session.execute(
                _TAKE_OVER,
                {
                    "id": uuid.uuid4(),
                    "line": line_id,
                    "result": result_id,
                    "unit": care_unit_hsa_id,
                    "unit_name": care_unit_name,
                    "by": by_hsa_id,
                    "name": by_name,
                    "now": now,
                },
            )
        ).one_or_none()
        if made is not None:
            return TakeoverRow(**made._mapping), True
        existing = (
            await self._session.execute(_EXISTING, {"line": line_id, "unit": care_unit_hsa_id})
        ).one()
        return TakeoverRow(**existing._mapping), False
