"""Kit orders waiting to be sent (Etiketter, Ordermottagning, Batchbearbetning): the orders
of one care unit's kits, their tube lines with the laboratory's codes, and receiving them.

The scope is part of every statement (domain/dispatch.py): the orders of offers whose
results the staff member's care unit receives (`unit` is its HSA-id), of one sampling
method; for anonymous kits only the orders to post (a registered kit has its kit already).
Hand-written SQL on the unit of work's connection: these paths run over thousands of
orders."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from adapters.request_scope import current_request_id
from domain.audit import AuditEvent

_SCOPE = """
       o.sampling_method = :method
   AND (o.sampling_method <> 'anonymous_kit' OR o.anonymous_kit_id IS NULL)
   AND f.id = o.offer_id AND cu.id = f.result_care_unit_id AND cu.hsa_id = :unit
"""
_COLUMNS = """
    o.id, o.rid, o.status, o.version, o.created_at, o.handled_at, o.expires_at,
    o.citizen_hash, o.citizen_encrypted, o.answers_encrypted, o.catalog_id,
    f.name AS offer_name, f.validity_days
"""
# The page and the count run apart: `count(*) OVER ()` on the page made PostgreSQL build
# every waiting order's whole row (encrypted answers included) to count them — 12 → 41 ms
# of its CPU per request with a campaign's backlog (bench/national_lists.py). The count
# alone reads the waiting-dispatch partial index.
_WAITING = text(
    f"""
    SELECT {_COLUMNS}
      FROM orders o, offers f, care_units cu
     WHERE o.status = 'ordered' AND {_SCOPE}
     ORDER BY o.created_at, o.id
     LIMIT :limit
    """
)
_WAITING_COUNT = text(
    f"""
    SELECT count(*)
      FROM orders o, offers f, care_units cu
     WHERE o.status = 'ordered' AND {_SCOPE}
    """
)
_SELECTED = text(
    f"""
    SELECT {_COLUMNS}
      FROM orders o, offers f, care_units cu
     WHERE o.id = ANY(:ids) AND {_SCOPE}
     ORDER BY o.created_at, o.id
    """
)
_SELECTED_FOR_UPDATE = text(_SELECTED.text + " FOR UPDATE OF o")

# Per line of each order: the product and, from the laboratory that will analyse the sample,
# its code, tube code and label template. The laboratory: one that has the offer's
# result-receiving unit as customer and performs every product of the order, preferring the
# offer's own region, then by code (a fixed choice, so a reprint matches).
_TUBE_LINES = text(
    """
    SELECT l.order_id, l.line_no, l.product_code, p.name AS product_name,
           lab.code AS laboratory_code, lab.label_template_zpl,
           m.lab_code, m.tube_code
      FROM order_lines l
      JOIN orders o ON o.id = l.order_id
      JOIN offers f ON f.id = o.offer_id
      JOIN products p ON p.code = l.product_code
      LEFT JOIN LATERAL (
           SELECT lb.id, lb.code, lb.label_template_zpl
             FROM laboratories lb
             JOIN laboratory_customers c
               ON c.laboratory_id = lb.id AND c.care_unit_id = f.result_care_unit_id
            WHERE lb.retired_at IS NULL AND NOT EXISTS (
                  SELECT 1 FROM order_lines x
                   WHERE x.order_id = o.id AND NOT EXISTS (
                         SELECT 1 FROM laboratory_product_mappings mm
                          WHERE mm.laboratory_id = lb.id AND mm.product_code = x.product_code))
            ORDER BY (lb.region_code = f.region_code) DESC, lb.code
            LIMIT 1) lab ON true
      LEFT JOIN laboratory_product_mappings m
        ON m.laboratory_id = lab.id AND m.product_code = l.product_code
     WHERE l.order_id = ANY(:ids)
     ORDER BY l.order_id, l.line_no
    """
)
# Printing: the orders were locked and checked; each gets the handled time and expiry the
# domain computed (domain.orders.mark_handled).
_SET_HANDLED = text(
    """
    UPDATE orders o SET status = 'handled', handled_at = :now, expires_at = t.expires_at,
           version = t.version
      FROM unnest(CAST(:ids AS uuid[]), CAST(:expires AS timestamptz[]),
                  CAST(:versions AS int[])) AS t(id, expires_at, version)
     WHERE o.id = t.id AND o.status = 'ordered'
    RETURNING o.id
    """
)
# One audit entry per order of a selection, in the selection's order, its patient taken from
# the order as stored (the order's and the audit log's encryption share the keyed hash as
# context): no decrypting and re-encrypting thousands of personnummer.
_AUDIT_COLUMNS = """
    occurred_at, actor_kind, actor_id, care_unit_hsa_id, assignment_id, assignment_purpose,
    patient_hash, patient_encrypted, action, outcome, request_id, details
"""
_AUDIT_VALUES = """
    CAST(:occurred_at AS timestamptz), :actor_kind, :actor_id, :care_unit_hsa_id,
    :assignment_id, :assignment_purpose, {source}.citizen_hash, {source}.citizen_encrypted,
    :action, :outcome, :request_id,
    CAST(:details AS jsonb) || jsonb_build_object('order_id', CAST({source}.id AS text))
"""
_AUDIT_ORDERS = text(
    f"INSERT INTO audit_log ({_AUDIT_COLUMNS})"
    f" SELECT {_AUDIT_VALUES.format(source='o')}"
    " FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS t(id, n)"
    " JOIN orders o ON o.id = t.id ORDER BY t.n"
)
# Batchbearbetning: every order of the batch that is the unit's and still Beställd becomes
# Hanterad in one set-based statement, each audited (a data-modifying WITH always runs); the
# caller compares what moved with the batch and rolls everything back when any order did
# not. The expiry is the rule of domain.orders.expires_at (handled time + validity days) in
# SQL: days of 24 hours, as Python's timedelta counts them (an interval of days would follow
# the session's time zone across a daylight-saving change).
_RECEIVE_BATCH = text(
    f"""
    WITH moved AS (
        UPDATE orders o SET status = 'handled', handled_at = :now,
               expires_at = CAST(:now AS timestamptz)
                            + make_interval(hours => 24 * f.validity_days),
               version = o.version + 1
          FROM offers f, care_units cu
         WHERE o.id = ANY(:ids) AND o.status = 'ordered' AND {_SCOPE}
        RETURNING o.id, o.citizen_hash, o.citizen_encrypted
    ), audited AS (
        INSERT INTO audit_log ({_AUDIT_COLUMNS})
        SELECT {_AUDIT_VALUES.format(source="moved")} FROM moved
    )
    SELECT id FROM moved
    """
)
# The current state of orders of a selection, where they are the unit's (rid and status
# None otherwise): what a refusal lists.
_STATES = text(
    f"""
    SELECT t.id, s.rid, s.status
      FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS t(id, n)
      LEFT JOIN LATERAL (
           SELECT o.rid, o.status
             FROM orders o, offers f, care_units cu
            WHERE o.id = t.id AND {_SCOPE}) s ON true
     ORDER BY t.n
    """
)


# Registering a kit: the citizen's anonymous-kit orders of the offer that were ordered to be
# posted (no kit yet), oldest posted first, locked against a parallel registration.
_KIT_DELIVERIES = text(
    """
    SELECT id, status FROM orders
     WHERE citizen_hash = :citizen AND catalog_id = :catalog_id
       AND sampling_method = 'anonymous_kit' AND anonymous_kit_id IS NULL
       AND status IN ('ordered', 'handled')
     ORDER BY handled_at NULLS LAST, created_at, id
     FOR UPDATE
    """
)
# The posted order takes the kit and the kit's RID (what the tube carries); no order may hold
# that RID already.
_BIND_KIT = text(
    """
    UPDATE orders SET rid = :rid, anonymous_kit_id = :kit_id, version = version + 1
     WHERE id = :id AND anonymous_kit_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.rid = :rid)
    RETURNING id
    """
)


@dataclass(frozen=True, slots=True)
class DispatchOrder:
    """A kit order as the dispatch modules read it, decrypted."""

    id: uuid.UUID
    rid: str
    status: str
    version: int
    created_at: datetime
    handled_at: datetime | None
    expires_at: datetime | None
    catalog_id: str
    offer_name: str
    validity_days: int
    citizen_hash: bytes
    personnummer: str
    answers: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TubeLine:
    order_id: uuid.UUID
    line_no: int
    product_code: str
    product_name: str
    laboratory_code: str | None  # None: no laboratory performs every product
    label_template_zpl: str | None
    lab_code: str | None
    tube_code: str | None


@dataclass(frozen=True, slots=True)
class OrderState:
    order_id: uuid.UUID
    rid: str | None  # None: not an order of the unit's kits
    status: str | None


class DispatchRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    def _order(self, row: Any) -> DispatchOrder:
        personnummer = self._protector.decrypt(row.citizen_encrypted, context=row.citizen_hash)
        answers = json.loads(self._protector.decrypt(row.answers_encrypted, context=row.id.bytes))
        return DispatchOrder(
            id=row.id,
            rid=row.rid,
            status=row.status,
            version=row.version,
            created_at=row.created_at,
            handled_at=row.handled_at,
            expires_at=row.expires_at,
            catalog_id=row.catalog_id,
            offer_name=row.offer_name,
            validity_days=row.validity_days,
            citizen_hash=row.citizen_hash,
            personnummer=personnummer.decode(),
            answers=answers,
        )

    async def waiting(
        self, *, unit: str, method: str, limit: int
    ) -> tuple[int, list[DispatchOrder]]:
        """The unit's orders waiting for dispatch, oldest first: how many there are, and the
        first `limit`."""
        params = {"unit": unit, "method": method}
        rows = (await self._session.execute(_WAITING, {**params, "limit": limit})).all()
        total = (
            (await self._session.execute(_WAITING_COUNT, params)).scalar_one()
            if len(rows) == limit
            else len(rows)
        )
        return int(total), [self._order(r) for r in rows]

    async def selected(
        self, ids: list[uuid.UUID], *, unit: str, method: str, for_update: bool = False
    ) -> list[DispatchOrder]:
        """Those of `ids` that are the unit's orders (any status), locked when asked."""
        rows = await self._session.execute(
            _SELECTED_FOR_UPDATE if for_update else _SELECTED,
            {"ids": ids, "unit": unit, "method": method},
        )
        return [self._order(r) for r in rows]

    async def tube_lines(self, ids: list[uuid.UUID]) -> list[TubeLine]:
        rows = await self._session.execute(_TUBE_LINES, {"ids": ids})
        return [TubeLine(**r._mapping) for r in rows]

    async def set_handled(
        self, handled: list[tuple[uuid.UUID, datetime, int]], *, now: datetime
    ) -> int:
        """(order id, expires at, new version) of orders locked and checked by the caller."""
        result = await self._session.execute(
            _SET_HANDLED,
            {
                "ids": [h[0] for h in handled],
                "expires": [h[1] for h in handled],
                "versions": [h[2] for h in handled],
                "now": now,
            },
        )
        return len(result.all())

    async def receive_batch(
        self, ids: list[uuid.UUID], *, unit: str, method: str, now: datetime, audit: AuditEvent
    ) -> set[uuid.UUID]:
        """Batchbearbetning in one statement: the orders that became Hanterad, each audited
        with `audit` and its order id."""
        rows = await self._session.execute(
            _RECEIVE_BATCH,
            {"ids": ids, "unit": unit, "method": method, "now": now, **_audit_params(audit)},
        )
        return {r.id for r in rows}

    async def states(self, ids: list[uuid.UUID], *, unit: str, method: str) -> list[OrderState]:
        """The current state of each of `ids`, in their order."""
        rows = await self._session.execute(_STATES, {"ids": ids, "unit": unit, "method": method})
        return [OrderState(order_id=r.id, rid=r.rid, status=r.status) for r in rows]

    async def kit_deliveries(
        self, *, citizen_hash: bytes, catalog_id: str
    ) -> list[tuple[uuid.UUID, str]]:
        """(order id, status) of the citizen's anonymous kits of the offer ordered to be
        posted and not yet bound to a kit, oldest posted first, locked."""
        rows = await self._session.execute(
            _KIT_DELIVERIES, {"citizen": citizen_hash, "catalog_id": catalog_id}
        )
        return [(r.id, r.status) for r in rows]

    async def bind_kit(self, order_id: uuid.UUID, *, kit_id: uuid.UUID, rid: str) -> bool:
        """The order becomes the kit's: its kit and RID. False when it cannot (no longer
        without a kit, or the RID is on another order)."""
        bound = await self._session.execute(
            _BIND_KIT, {"id": order_id, "kit_id": kit_id, "rid": rid}
        )
        return bound.scalar_one_or_none() is not None

    async def audit_orders(self, audit: AuditEvent, ids: list[uuid.UUID]) -> None:
        """One audit entry per order (its patient and order id added to `audit`)."""
        await self._session.execute(_AUDIT_ORDERS, {"ids": ids, **_audit_params(audit)})


def _audit_params(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at,
        "actor_kind": event.actor_kind,
        "actor_id": event.actor_id,
        "care_unit_hsa_id": event.care_unit_hsa_id,
        "assignment_id": event.assignment_id,
        "assignment_purpose": event.assignment_purpose,
        "action": event.action,
        "outcome": event.outcome,
        "request_id": event.request_id or current_request_id(),
        "details": json.dumps(event.details),
    }
