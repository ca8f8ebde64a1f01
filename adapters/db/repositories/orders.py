"""Orders, their lines and results. Every query that reads a citizen's orders takes the
citizen's keyed hash and filters on it: an order id alone never reaches another citizen's
data."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from adapters.db.repositories import Executor, PreparedQuery
from adapters.protection import DataProtector
from domain.result_registration import insight_text
from domain.results import Insight


@dataclass(frozen=True, slots=True)
class OrderRow:
    id: uuid.UUID
    rid: str
    catalog_id: str
    offer_id: uuid.UUID
    offer_name: str
    validity_days: int
    sampling_method: str
    status: str
    created_at: datetime
    handled_at: datetime | None
    sampled_at: datetime | None
    cancelled_at: datetime | None
    expires_at: datetime | None
    booked_start: datetime | None
    slot_id: uuid.UUID | None
    sampling_unit_id: uuid.UUID | None
    sampling_unit_name: str | None
    sampling_unit_address: str | None
    version: int
    results: int
    unread_results: int
    # The process steps' last date the citizen sees (manual 2.6); the others are above.
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LineWithResult:
    line_no: int
    product_code: str
    product_name: str
    result_id: uuid.UUID | None
    sampling_date: date | None
    version: int | None
    insight: str | None
    payload: dict[str, Any] | None
    received_at: datetime | None
    read_at: datetime | None
    # What the citizen reads for the insight (domain.result_registration.insight_text).
    insight_text: str | None = None

    @classmethod
    def without_result(cls, line_no: int, product_code: str, product_name: str) -> LineWithResult:
        return cls(
            line_no=line_no,
            product_code=product_code,
            product_name=product_name,
            result_id=None,
            sampling_date=None,
            version=None,
            insight=None,
            payload=None,
            received_at=None,
            read_at=None,
        )


_ORDER_COLUMNS = """
    o.id, o.rid, o.catalog_id, o.offer_id, f.name AS offer_name, f.validity_days,
    o.sampling_method, o.status, o.created_at, o.handled_at, o.sampled_at, o.cancelled_at,
    o.expires_at, o.booked_start, o.slot_id, o.sampling_unit_id, o.answered_at,
    su.name AS sampling_unit_name,
    CASE WHEN su.id IS NULL THEN NULL
         ELSE su.street || ', ' || su.postal_code || ' ' || su.city END AS sampling_unit_address,
    o.version,
    (SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id
      WHERE l.order_id = o.id) AS results,
    (SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id
      WHERE l.order_id = o.id AND r.read_at IS NULL) AS unread_results
"""


# Statements built once at import (they run on every order and listing).
_BOOK_SLOT = text(
    "UPDATE sampling_slots SET booked = booked + 1"
    " WHERE id = :slot AND sampling_unit_id = :unit AND booked < capacity"
    " AND starts_at > :now RETURNING starts_at"
)
_RELEASE_SLOT = text(
    "UPDATE sampling_slots SET booked = booked - 1 WHERE id = :slot AND booked > 0"
)
# The order and its lines in one statement. The RID must be free among orders (ON CONFLICT)
# and, for an ordinary order, not printed on any pre-labelled kit (a kit's own order takes
# its kit's RID); when taken, nothing is inserted and the count is 0. Prepared (see
# PreparedQuery): every order placed runs it.
_INSERT_ORDER = PreparedQuery(
    text(
        """
    WITH new_order AS (
        INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id, catalog_id,
                            sampling_method, status, answers_encrypted, slot_id,
                            sampling_unit_id, booked_start, anonymous_kit_id, created_at,
                            result_care_unit_id, version)
        SELECT :id, CAST(:rid AS varchar), :citizen_hash, :citizen_encrypted, :offer_id,
               :catalog_id,
               :sampling_method, 'ordered', :answers, :slot_id, :sampling_unit_id,
               :booked_start, CAST(:kit_id AS uuid), :now, :result_care_unit_id, 1
         WHERE CAST(:kit_id AS uuid) IS NOT NULL
            OR NOT EXISTS (SELECT 1 FROM anonymous_kits WHERE rid = CAST(:rid AS varchar))
        ON CONFLICT (rid) DO NOTHING
        RETURNING id
    ), new_lines AS (
        INSERT INTO order_lines (id, order_id, line_no, product_code)
        SELECT gen_random_uuid(), new_order.id, t.n, t.code
          FROM new_order, unnest(CAST(:codes AS text[])) WITH ORDINALITY AS t(code, n)
        RETURNING 1
    )
    SELECT count(*) FROM new_order
    """
    )
)
# One decision at a time per citizen and offer: the usage-limit count and the insert that
# follows it run under this lock, held until the transaction ends (issue 11 item 2). A hash
# collision between two pairs only makes them wait for each other.
_LOCK_USAGE = text("SELECT pg_advisory_xact_lock(hashtextextended(:pair, 0))")
# A deleted order's use still counts against the limit: a content-free count per citizen,
# offer and day (the day the order was placed, UTC), read with the live orders.
_COUNT_DELETED_USE = text(
    "INSERT INTO usage_counts (citizen_hash, catalog_id, counted_on, uses)"
    " VALUES (:citizen, :catalog_id, CAST(CAST(:created_at AS timestamptz) AT TIME ZONE 'UTC'"
    " AS date), 1)"
    " ON CONFLICT (citizen_hash, catalog_id, counted_on)"
    " DO UPDATE SET uses = usage_counts.uses + 1"
)
_MARK_ASSIGNMENT_USED = text(
    "UPDATE assigned_offers SET times_used = times_used + 1, last_used_at = :now"
    " WHERE personnummer_hash = :citizen AND catalog_id = :catalog_id"
    " AND removed_at IS NULL"
)


def _list_for_citizen(*, after: bool, of_offer: bool) -> TextClause:
    """A page of the citizen's orders, newest first: a walk of the index on (citizen_hash,
    created_at) — of (citizen_hash, catalog_id, created_at) for one offer — from the
    position of the cursor (the last order's creation time and id)."""
    conditions = ["o.citizen_hash = :citizen", "o.status = ANY(CAST(:statuses AS text[]))"]
    if of_offer:
        conditions.append("o.catalog_id = :catalog_id")
    if after:
        conditions.append(
            "(o.created_at, o.id) < (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))"
        )
    return text(
        f"SELECT {_ORDER_COLUMNS} FROM orders o"
        " JOIN offers f ON f.id = o.offer_id"
        " LEFT JOIN sampling_units su ON su.id = o.sampling_unit_id"
        f" WHERE {' AND '.join(conditions)}"
        " ORDER BY o.created_at DESC, o.id DESC LIMIT :limit"
    )


_LIST_FOR_CITIZEN = {
    (after, of_offer): _list_for_citizen(after=after, of_offer=of_offer)
    for after in (False, True)
    for of_offer in (False, True)
}
_ANSWERS = text("SELECT answers_encrypted FROM orders WHERE id = :id")
_LINES_WITH_RESULTS = text(
    """
                SELECT l.line_no, l.product_code, p.name AS product_name, r.id AS result_id,
                       r.sampling_date, r.version, r.insight, r.payload_encrypted,
                       r.received_at, r.read_at,
                       t.insight AS template_insight, t.insight_text AS template_text,
                       -- The offer's texts as configured now (its current version), else
                       -- as the order's version had them (a retired catalog id).
                       coalesce((SELECT c.insight_texts FROM offers c
                                  WHERE c.catalog_id = o.catalog_id AND c.is_current),
                                f.insight_texts) AS offer_texts,
                       d.text AS default_text
                  FROM order_lines l
                  JOIN orders o ON o.id = l.order_id
                  JOIN offers f ON f.id = o.offer_id
                  JOIN products p ON p.code = l.product_code
                  LEFT JOIN LATERAL (
                       SELECT * FROM results x WHERE x.order_line_id = l.id
                        ORDER BY x.sampling_date DESC, x.version DESC LIMIT 1) r ON true
                  LEFT JOIN result_templates t ON t.id = r.result_template_id
                  LEFT JOIN insight_texts d ON d.insight = r.insight
                 WHERE l.order_id = :order_id
                 ORDER BY l.line_no
                """
)
_GET_SQL = (
    f"SELECT {_ORDER_COLUMNS} FROM orders o"
    " JOIN offers f ON f.id = o.offer_id"
    " LEFT JOIN sampling_units su ON su.id = o.sampling_unit_id"
    " WHERE o.id = :id AND o.citizen_hash = :citizen"
)
_GET = text(_GET_SQL)
_GET_FOR_UPDATE = text(_GET_SQL + " FOR UPDATE OF o")


def _order(row: Any) -> OrderRow:
    return OrderRow(**row._mapping)


class OrderRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def book_slot(
        self, *, slot_id: uuid.UUID, sampling_unit_id: uuid.UUID, now: datetime
    ) -> datetime | None:
        """Takes one place in the slot, atomically: None when it is full, past or unknown."""
        return (
            await self._session.execute(
                _BOOK_SLOT,
                {"slot": slot_id, "unit": sampling_unit_id, "now": now},
            )
        ).scalar_one_or_none()

    async def lock_usage(self, *, citizen_hash: bytes, catalog_id: str) -> None:
        """Serialises ordering one offer by one citizen until this transaction ends."""
        await self._session.execute(
            _LOCK_USAGE, {"pair": f"usage:{citizen_hash.hex()}:{catalog_id}"}
        )

    async def count_deleted_use(
        self, *, citizen_hash: bytes, catalog_id: str, created_at: datetime
    ) -> None:
        await self._session.execute(
            _COUNT_DELETED_USE,
            {"citizen": citizen_hash, "catalog_id": catalog_id, "created_at": created_at},
        )

    async def release_slot(self, slot_id: uuid.UUID) -> None:
        await self._session.execute(
            _RELEASE_SLOT,
            {"slot": slot_id},
        )

    async def insert(
        self,
        *,
        order_id: uuid.UUID,
        rid: str,
        citizen_value: str,
        offer_id: uuid.UUID,
        catalog_id: str,
        sampling_method: str,
        answers: dict[str, Any],
        slot_id: uuid.UUID | None,
        sampling_unit_id: uuid.UUID | None,
        booked_start: datetime | None,
        anonymous_kit_id: uuid.UUID | None,
        product_codes: list[str],
        result_care_unit_id: uuid.UUID,
        now: datetime,
    ) -> bool:
        """Inserts the order with one line per product and the care unit its result goes to
        (domain.orders.result_recipient); False when the RID is taken (then nothing was
        written: draw another)."""
        citizen_hash = self._protector.lookup_hash(citizen_value)
        rows = await _INSERT_ORDER.fetch(
            self._session,
            id=order_id,
            rid=rid,
            citizen_hash=citizen_hash,
            citizen_encrypted=self._protector.encrypt(citizen_value.encode(), context=citizen_hash),
            offer_id=offer_id,
            catalog_id=catalog_id,
            sampling_method=sampling_method,
            answers=self._protector.encrypt(orjson.dumps(answers), context=order_id.bytes),
            slot_id=slot_id,
            sampling_unit_id=sampling_unit_id,
            booked_start=booked_start,
            kit_id=anonymous_kit_id,
            result_care_unit_id=result_care_unit_id,
            now=now,
            codes=product_codes,
        )
        return bool(rows[0][0])

    async def mark_assignment_used(
        self, *, citizen_hash: bytes, catalog_id: str, now: datetime
    ) -> None:
        await self._session.execute(
            _MARK_ASSIGNMENT_USED,
            {"citizen": citizen_hash, "catalog_id": catalog_id, "now": now},
        )

    async def list_for_citizen(
        self,
        citizen_hash: bytes,
        *,
        statuses: list[str],
        catalog_id: str | None = None,
        after: tuple[datetime, uuid.UUID] | None = None,
        limit: int,
    ) -> list[OrderRow]:
        """Up to `limit` of the citizen's orders in these statuses (of one offer), newest
        first, after the position (created_at, id) of the page before."""
        params: dict[str, Any] = {"citizen": citizen_hash, "statuses": statuses, "limit": limit}
        if catalog_id is not None:
            params["catalog_id"] = catalog_id
        if after is not None:
            params["after_at"], params["after_id"] = after
        rows = await self._session.execute(
            _LIST_FOR_CITIZEN[(after is not None, catalog_id is not None)], params
        )
        return [_order(r) for r in rows]

    async def get_for_citizen(
        self, order_id: uuid.UUID, citizen_hash: bytes, *, for_update: bool = False
    ) -> OrderRow | None:
        row = (
            await self._session.execute(
                _GET_FOR_UPDATE if for_update else _GET,
                {"id": order_id, "citizen": citizen_hash},
            )
        ).one_or_none()
        return None if row is None else _order(row)

    async def answers(self, order_id: uuid.UUID) -> dict[str, Any]:
        raw = (await self._session.execute(_ANSWERS, {"id": order_id})).scalar_one()
        data: dict[str, Any] = json.loads(self._protector.decrypt(raw, context=order_id.bytes))
        return data

    async def lines_with_latest_results(self, order_id: uuid.UUID) -> list[LineWithResult]:
        rows = await self._session.execute(
            _LINES_WITH_RESULTS,
            {"order_id": order_id},
        )
        lines = []
        for r in rows:
            payload = None
            if r.payload_encrypted is not None:
                payload = json.loads(
                    self._protector.decrypt(r.payload_encrypted, context=r.result_id.bytes)
                )
            insight = Insight(r.insight) if r.insight else None
            lines.append(
                LineWithResult(
                    line_no=r.line_no,
                    product_code=r.product_code,
                    product_name=r.product_name,
                    result_id=r.result_id,
                    sampling_date=r.sampling_date,
                    version=r.version,
                    insight=r.insight,
                    payload=payload,
                    received_at=r.received_at,
                    read_at=r.read_at,
                    insight_text=insight_text(
                        insight,
                        template_insight=(
                            Insight(r.template_insight) if r.template_insight else None
                        ),
                        template_text=r.template_text,
                        offer_texts=r.offer_texts or {},
                        defaults={r.insight: r.default_text} if r.default_text else {},
                    ),
                )
            )
        return lines

    async def set_cancelled(self, order_id: uuid.UUID, *, now: datetime) -> None:
        await self._session.execute(
            text(
                "UPDATE orders SET status = 'cancelled', cancelled_at = :now,"
                " version = version + 1 WHERE id = :id"
            ),
            {"id": order_id, "now": now},
        )

    async def delete(self, order_id: uuid.UUID) -> None:
        # Lines and results go with the order (ON DELETE CASCADE).
        await self._session.execute(text("DELETE FROM orders WHERE id = :id"), {"id": order_id})

    async def mark_results_read(self, order_id: uuid.UUID, *, now: datetime) -> int:
        result = await self._session.execute(
            text(
                "UPDATE results SET read_at = :now WHERE read_at IS NULL AND order_line_id IN"
                " (SELECT id FROM order_lines WHERE order_id = :id)"
            ),
            {"id": order_id, "now": now},
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def expire_due(self, *, now: datetime) -> int:
        """Handled orders whose validity has run out without sampling become Utgången."""
        result = await self._session.execute(
            text(
                "UPDATE orders SET status = 'expired', version = version + 1"
                " WHERE status = 'handled' AND expires_at IS NOT NULL AND expires_at < :now"
            ),
            {"now": now},
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def add_result(
        self,
        *,
        order_id: uuid.UUID,
        line_no: int,
        sampling_date: date,
        insight: str | None,
        payload: dict[str, Any],
        now: datetime,
    ) -> uuid.UUID:
        """Stores a result for a line as a new version (used by result registration and by
        lab integrations; here also by tests). The order becomes Besvarad when every line
        has a result."""
        result_id = uuid.uuid4()
        await self._session.execute(
            text(
                """
                INSERT INTO results (id, order_line_id, sampling_date, version, insight,
                                     payload_encrypted, received_at)
                SELECT :id, l.id, :sampling_date,
                       coalesce((SELECT max(version) FROM results x
                                  WHERE x.order_line_id = l.id
                                    AND x.sampling_date = :sampling_date), 0) + 1,
                       :insight, :payload, :now
                  FROM order_lines l WHERE l.order_id = :order_id AND l.line_no = :line_no
                """
            ),
            {
                "id": result_id,
                "order_id": order_id,
                "line_no": line_no,
                "sampling_date": sampling_date,
                "insight": insight,
                "payload": self._protector.encrypt(
                    json.dumps(payload).encode(), context=result_id.bytes
                ),
                "now": now,
            },
        )
        await self._session.execute(
            text(
                """
                UPDATE orders o SET status = 'answered', answered_at = :now,
                       version = version + 1
                 WHERE o.id = :order_id AND o.status <> 'answered' AND NOT EXISTS (
                       SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND NOT EXISTS (
                              SELECT 1 FROM results r WHERE r.order_line_id = l.id))
                """
            ),
            {"order_id": order_id, "now": now},
        )
        return result_id
