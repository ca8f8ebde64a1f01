"""Smittspårning's one query (domain/contact_tracing.py): a citizen's home tests of
contact-tracing products, with dates only. It reads no insight, no payload and no comment:
what it cannot read it cannot tell."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.contact_tracing import HOME_TEST_METHODS


@dataclass(frozen=True, slots=True)
class HomeTestRow:
    order_id: uuid.UUID
    offer_name: str
    sampling_method: str
    status: str
    products: list[str]
    ordered_at: datetime
    sampled_at: datetime | None
    first_sampling_date: date | None
    first_answer_at: datetime | None


_HOME_TESTS = text(
    """
    SELECT o.id AS order_id, f.name AS offer_name, o.sampling_method, o.status,
           t.products, o.created_at AS ordered_at, o.sampled_at,
           t.first_sampling_date, t.first_answer_at
      FROM orders o
      JOIN offers f ON f.id = o.offer_id
     CROSS JOIN LATERAL (
           SELECT array_agg(DISTINCT p.name ORDER BY p.name) AS products,
                  min(r.sampling_date) AS first_sampling_date,
                  min(r.received_at) AS first_answer_at
             FROM order_lines l
             JOIN products p ON p.code = l.product_code AND p.contact_tracing
             LEFT JOIN results r ON r.order_line_id = l.id
            WHERE l.order_id = o.id) t
     WHERE o.citizen_hash = :citizen
       AND o.sampling_method = ANY(CAST(:methods AS text[]))
       AND t.products IS NOT NULL
     ORDER BY o.created_at DESC, o.id
     LIMIT 200
    """
)


class ContactTracingRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def home_tests(self, personnummer: str) -> list[HomeTestRow]:
        """The citizen's home and anonymous-kit tests holding a contact-tracing product, of
        every region, newest first."""
        citizen = self._protector.lookup_hash(personnummer)
        rows = await self._session.execute(
            _HOME_TESTS, {"citizen": citizen, "methods": list(HOME_TEST_METHODS)}
        )
        return [HomeTestRow(**r._mapping) for r in rows]
