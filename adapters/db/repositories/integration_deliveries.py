"""The integration API's view of orders: listing by organisation, the leased hand-out
(claim, acknowledge) over `integration_deliveries`, and the status updates a client makes.
Hand-written SQL on the unit of work's connection: polling is a hot path (ADR 7).

Organisation isolation is in every statement here: an order is the client's when one of
its laboratories analyses it, one of its sampling units samples it (booked or sampled
there), or one of its care units receives its results (domain.integration.sees)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.actors import IntegrationOrganisation
from domain.orders import OrderState, OrderStatus

# Enqueuers (the trigger of migration 0009, `enqueue_visible`) hold this advisory lock
# shared while they draw queue numbers; the head of a queue advances only while it is held
# exclusively, i.e. when no number drawn before is still uncommitted (ADR 7).
ENQUEUE_LOCK = 900_009

READY_STATUSES = ("handled", "sampled")

_SEES = """
    (o.laboratory_id = ANY (CAST(:labs AS uuid[]))
     OR o.sampling_unit_id = ANY (CAST(:units AS uuid[]))
     OR o.sampled_at_unit_id = ANY (CAST(:units AS uuid[]))
     OR o.result_care_unit_id = ANY (CAST(:cares AS uuid[])))
"""
# When the order last moved: what `updated_since` and the list's cursor go by.
_CHANGED_AT = (
    "GREATEST(o.created_at, o.handled_at, o.sampled_at, o.answered_at, o.cancelled_at,"
    " o.rejected_at)"
)
_ORDER_COLUMNS = f"""
    o.id, o.rid, o.status, o.version, o.citizen_hash, o.citizen_encrypted, o.catalog_id,
    o.sampling_method, o.created_at, o.handled_at, o.expires_at, o.sampled_at,
    o.answered_at, o.cancelled_at, o.rejected_at, o.rejection_reason, o.booked_start,
    {_CHANGED_AT} AS changed_at,
    lab.code AS laboratory_code, lab.name AS laboratory_name,
    su.hsa_id AS sampling_unit_hsa_id, su.name AS sampling_unit_name,
    rc.hsa_id AS recipient_hsa_id, rc.name AS recipient_name,
    (SELECT coalesce(json_agg(json_build_object(
                'line_no', l.line_no, 'product_code', l.product_code,
                'product_name', p.name, 'lab_code', m.lab_code, 'tube_code', m.tube_code,
                'material', coalesce(m.material, p.material)) ORDER BY l.line_no), '[]')
       FROM order_lines l
       JOIN products p ON p.code = l.product_code
       LEFT JOIN laboratory_product_mappings m
         ON m.laboratory_id = o.laboratory_id AND m.product_code = l.product_code
      WHERE l.order_id = o.id) AS lines
"""
_ORDER_FROM = """
      FROM orders o
      JOIN offers f ON f.id = o.offer_id
      LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
      LEFT JOIN sampling_units su ON su.id = coalesce(o.sampled_at_unit_id, o.sampling_unit_id)
      LEFT JOIN care_units rc ON rc.id = coalesce(o.result_care_unit_id, f.result_care_unit_id)
"""

# The list walks, for each way the client sees an order (`_SEES`), each of its organisation
# units and each status asked for, that unit's orders of that status in list order — one
# index range each (migration 0015: (column, status, _CHANGED_AT, id)), at most a page each
# — and merges them: the first page of the union is within the first pages of its parts.
# UNION drops an order seen by two ways. So a page reads a page per (unit, status) pair,
# however many orders the client has had (issue 12).
_VISIBLE_BY = (
    ("laboratory_id", "labs"),
    ("sampling_unit_id", "units"),
    ("sampled_at_unit_id", "units"),
    ("result_care_unit_id", "cares"),
)


def _page_by(column: str, ids: str) -> str:
    return f"""
    SELECT p.id, p.changed_at
      FROM unnest(CAST(:statuses AS varchar[])) AS s(status)
     CROSS JOIN unnest(CAST(:{ids} AS uuid[])) AS k(id)
     CROSS JOIN LATERAL (
           SELECT o.id, {_CHANGED_AT} AS changed_at
             FROM orders o
            WHERE o.{column} = k.id AND o.status = s.status
              AND (CAST(:lab AS uuid) IS NULL OR o.laboratory_id = CAST(:lab AS uuid))
              AND {_CHANGED_AT} >= CAST(:since AS timestamptz)
              AND ({_CHANGED_AT}, o.id)
                  > (CAST(:after_at AS timestamptz), CAST(:after_id AS uuid))
            ORDER BY {_CHANGED_AT}, o.id
            LIMIT :limit) AS p
    """


_LIST = text(
    f"""
    WITH seen AS ({" UNION ".join(_page_by(column, ids) for column, ids in _VISIBLE_BY)}),
    page AS (SELECT seen.id, seen.changed_at FROM seen ORDER BY seen.changed_at, seen.id
              LIMIT :limit)
    SELECT {_ORDER_COLUMNS}
    {_ORDER_FROM}
      JOIN page ON page.id = o.id
     ORDER BY page.changed_at, page.id
    """
)
_BY_IDS = text(
    f"""
    SELECT {_ORDER_COLUMNS}
    {_ORDER_FROM}
     WHERE o.id = ANY (CAST(:ids AS uuid[])) AND {_SEES}
    """
)

# The claim: the oldest waiting (or lease-expired) rows of the client's queue, from its
# head on, locked and leased in one statement; rows another poller is claiming or
# acknowledging right now are skipped, not waited for.
_CLAIM = text(
    """
    WITH picked AS (
        SELECT d.order_id
          FROM integration_deliveries d
         WHERE d.client_id = :client
           AND d.seq >= (SELECT h.head_seq FROM integration_queue_heads h
                          WHERE h.client_id = :client)
           AND (d.leased_until IS NULL OR d.leased_until <= :now)
         ORDER BY d.seq
         LIMIT :limit
           FOR UPDATE SKIP LOCKED)
    UPDATE integration_deliveries d
       SET lease_id = :lease, leased_until = :until, handed_out = d.handed_out + 1
      FROM picked
     WHERE d.client_id = :client AND d.order_id = picked.order_id
    RETURNING d.order_id
    """
)
_ACK = text(
    """
    DELETE FROM integration_deliveries d
     USING unnest(CAST(:leases AS uuid[]), CAST(:orders AS uuid[])) AS a(lease_id, order_id)
     WHERE d.client_id = :client AND d.order_id = a.order_id AND d.lease_id = a.lease_id
    RETURNING d.order_id
    """
)
_HELD = text(
    """
    SELECT d.order_id, d.leased_until FROM integration_deliveries d
     WHERE d.client_id = :client AND d.lease_id = :lease
     ORDER BY d.seq
    """
)
_TRY_HEAD_LOCK = text(f"SELECT pg_try_advisory_xact_lock({ENQUEUE_LOCK})")
# Under the exclusive lock no queue number is drawn but uncommitted: the head may move up to
# the smallest number left (or past every number drawn, when the queue is empty). The scan
# for it walks only the rows acknowledged since the last move.
_ADVANCE_HEAD = text(
    """
    UPDATE integration_queue_heads h
       SET head_seq = coalesce(
             (SELECT min(d.seq) FROM integration_deliveries d
               WHERE d.client_id = h.client_id AND d.seq >= h.head_seq),
             (SELECT CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END
                FROM integration_delivery_seq s))
     WHERE h.client_id = :client
    """
)
_ENQUEUE_LOCK_SHARED = text(f"SELECT pg_advisory_xact_lock_shared({ENQUEUE_LOCK})")
_ENQUEUE_VISIBLE = text(
    f"""
    INSERT INTO integration_deliveries (client_id, order_id)
    SELECT :client, o.id FROM orders o
     WHERE o.status IN ('handled', 'sampled') AND {_SEES}
    ON CONFLICT (client_id, order_id) DO NOTHING
    """
)
_FORGET_INVISIBLE = text(
    f"""
    DELETE FROM integration_deliveries d
     USING orders o
     WHERE d.client_id = :client AND o.id = d.order_id AND NOT {_SEES}
    """
)
_FORGET_ALL = text("DELETE FROM integration_deliveries WHERE client_id = :client")

_FOR_UPDATE = text(
    f"""
    SELECT o.id, o.status, o.version, o.created_at, o.handled_at, o.expires_at,
           o.sampled_at, o.laboratory_id, o.sampling_unit_id, o.sampled_at_unit_id,
           o.result_care_unit_id, f.validity_days, f.result_care_unit_id AS offer_recipient_id,
           o.citizen_hash, o.citizen_encrypted, o.rid
      FROM orders o JOIN offers f ON f.id = o.offer_id
     WHERE o.id = :id AND {_SEES}
       FOR UPDATE OF o
    """
)
_SET_HANDLED = text(
    """
    UPDATE orders SET status = 'handled', handled_at = :handled_at, expires_at = :expires_at,
           version = :version
     WHERE id = :id AND status = 'ordered'
    RETURNING id
    """
)
_SET_SAMPLED = text(
    """
    UPDATE orders SET status = 'sampled', sampled_at = :sampled_at, handled_at = :handled_at,
           laboratory_id = :lab, sampled_at_unit_id = :unit,
           result_care_unit_id = :recipient, version = :version
     WHERE id = :id AND status IN ('ordered', 'handled')
    RETURNING id
    """
)
_SET_REJECTED = text(
    """
    UPDATE orders SET status = 'rejected', rejected_at = :rejected_at,
           rejection_reason = :reason, version = :version
     WHERE id = :id AND status IN ('ordered', 'handled', 'sampled')
    RETURNING id
    """
)
_LAB_FOR_SAMPLING = text(
    """
    SELECT lab.id FROM laboratories lab
     WHERE lab.code = :code AND lab.retired_at IS NULL
       AND (lab.id = ANY (CAST(:labs AS uuid[]))
            OR EXISTS (SELECT 1 FROM sampling_unit_laboratories sul
                        WHERE sul.laboratory_id = lab.id
                          AND sul.sampling_unit_id = ANY (CAST(:units AS uuid[]))))
    """
)
_ONLY_LABORATORY = text(
    """
    SELECT min(CAST(sul.laboratory_id AS text)) AS id, count(*) AS n
      FROM sampling_unit_laboratories sul
      JOIN laboratories lab ON lab.id = sul.laboratory_id AND lab.retired_at IS NULL
     WHERE sul.sampling_unit_id = :unit
    """
)
_UNMAPPED_PRODUCTS = text(
    """
    SELECT l.product_code FROM order_lines l
     WHERE l.order_id = :id AND NOT EXISTS (
           SELECT 1 FROM laboratory_product_mappings m
            WHERE m.laboratory_id = :lab AND m.product_code = l.product_code)
     ORDER BY l.line_no
    """
)
_IS_CUSTOMER = text(
    "SELECT EXISTS (SELECT 1 FROM laboratory_customers"
    " WHERE laboratory_id = :lab AND care_unit_id = :unit)"
)


def _organisation(organisation: IntegrationOrganisation) -> dict[str, list[uuid.UUID]]:
    return {
        "labs": list(organisation.laboratory_ids),
        "units": list(organisation.sampling_unit_ids),
        "cares": list(organisation.care_unit_ids),
    }


@dataclass(frozen=True, slots=True)
class IntegrationLine:
    line_no: int
    product_code: str
    product_name: str
    lab_code: str | None
    tube_code: str | None
    material: str | None


@dataclass(frozen=True, slots=True)
class IntegrationOrder:
    """An order as the integration API hands it out (decrypted)."""

    id: uuid.UUID
    rid: str
    status: str
    version: int
    personnummer: str
    catalog_id: str
    sampling_method: str
    created_at: datetime
    handled_at: datetime | None
    expires_at: datetime | None
    sampled_at: datetime | None
    answered_at: datetime | None
    cancelled_at: datetime | None
    rejected_at: datetime | None
    rejection_reason: str | None
    booked_start: datetime | None
    changed_at: datetime
    laboratory_code: str | None
    laboratory_name: str | None
    sampling_unit_hsa_id: str | None
    sampling_unit_name: str | None
    recipient_hsa_id: str | None
    recipient_name: str | None
    lines: list[IntegrationLine]
    # Set on a claimed order: the lease it was handed out under.
    lease_id: uuid.UUID | None = None
    leased_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class LockedOrder:
    """An order locked for a status update, with what the rules read."""

    id: uuid.UUID
    rid: str
    personnummer: str
    state: OrderState
    validity_days: int
    sampling_unit_id: uuid.UUID | None
    result_care_unit_id: uuid.UUID | None
    offer_recipient_id: uuid.UUID | None


class IntegrationDeliveryRepository:
    def __init__(self, connection: Executor, protector: DataProtector) -> None:
        self._session = connection
        self._protector = protector

    def _order(self, row: Any, **extra: Any) -> IntegrationOrder:
        data = dict(row._mapping)
        encrypted = data.pop("citizen_encrypted")
        citizen_hash = data.pop("citizen_hash")
        data["personnummer"] = self._protector.decrypt(encrypted, context=citizen_hash).decode()
        lines = data["lines"]
        if isinstance(lines, str):
            lines = json.loads(lines)
        data["lines"] = [IntegrationLine(**line) for line in lines]
        return IntegrationOrder(**data, **extra)

    # --- listing --------------------------------------------------------------------------

    async def listed(
        self,
        organisation: IntegrationOrganisation,
        *,
        statuses: tuple[str, ...],
        laboratory_id: uuid.UUID | None,
        since: datetime,
        after: tuple[datetime, uuid.UUID],
        limit: int,
    ) -> list[IntegrationOrder]:
        rows = await self._session.execute(
            _LIST,
            {
                **_organisation(organisation),
                "statuses": list(statuses),
                "lab": laboratory_id,
                "since": since,
                "after_at": after[0],
                "after_id": after[1],
                "limit": limit,
            },
        )
        return [self._order(r) for r in rows]

    async def by_ids(
        self, organisation: IntegrationOrganisation, ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, Any]:
        rows = await self._session.execute(_BY_IDS, {**_organisation(organisation), "ids": ids})
        return {r.id: r for r in rows}

    async def one(
        self, organisation: IntegrationOrganisation, order_id: uuid.UUID
    ) -> IntegrationOrder | None:
        rows = await self.by_ids(organisation, [order_id])
        return self._order(rows[order_id]) if order_id in rows else None

    # --- the leased hand-out --------------------------------------------------------------

    async def claim(
        self,
        client: uuid.UUID,
        organisation: IntegrationOrganisation,
        *,
        limit: int,
        lease_id: uuid.UUID,
        leased_until: datetime,
        now: datetime,
    ) -> list[IntegrationOrder]:
        """Leases up to `limit` waiting orders to this caller: each is handed to nobody
        else until acknowledged or until `leased_until`. In queue order."""
        claimed = [
            r.order_id
            for r in await self._session.execute(
                _CLAIM,
                {
                    "client": client,
                    "limit": limit,
                    "lease": lease_id,
                    "until": leased_until,
                    "now": now,
                },
            )
        ]
        return await self._leased(organisation, claimed, lease_id, leased_until)

    async def held(
        self, client: uuid.UUID, organisation: IntegrationOrganisation, *, lease_id: uuid.UUID
    ) -> list[IntegrationOrder]:
        """The orders still held under a lease (an idempotent retry of a claim)."""
        rows = list(await self._session.execute(_HELD, {"client": client, "lease": lease_id}))
        if not rows:
            return []
        return await self._leased(
            organisation, [r.order_id for r in rows], lease_id, rows[0].leased_until
        )

    async def _leased(
        self,
        organisation: IntegrationOrganisation,
        ids: list[uuid.UUID],
        lease_id: uuid.UUID,
        leased_until: datetime,
    ) -> list[IntegrationOrder]:
        if not ids:
            return []
        rows = await self.by_ids(organisation, ids)
        # Queue order; an order no longer the organisation's (changed since it was queued)
        # is left out.
        return [
            self._order(rows[i], lease_id=lease_id, leased_until=leased_until)
            for i in ids
            if i in rows
        ]

    async def acknowledge(
        self, client: uuid.UUID, pairs: list[tuple[uuid.UUID, uuid.UUID]]
    ) -> set[tuple[uuid.UUID, uuid.UUID]]:
        """Ends the deliveries named by (lease id, order id) still held under that lease;
        returns those ended. The queue head moves up when it can (see _ADVANCE_HEAD)."""
        if not pairs:
            return set()
        done = {
            r.order_id
            for r in await self._session.execute(
                _ACK,
                {
                    "client": client,
                    "leases": [lease for lease, _ in pairs],
                    "orders": [order for _, order in pairs],
                },
            )
        }
        if done and (await self._session.execute(_TRY_HEAD_LOCK)).scalar_one():
            await self._session.execute(_ADVANCE_HEAD, {"client": client})
        return {(lease, order) for lease, order in pairs if order in done}

    async def still_held(
        self, client: uuid.UUID, pairs: list[tuple[uuid.UUID, uuid.UUID]]
    ) -> set[tuple[uuid.UUID, uuid.UUID]]:
        """Which (lease, order) pairs are still held (not acknowledged)."""
        if not pairs:
            return set()
        rows = await self._session.execute(
            text(
                "SELECT d.lease_id, d.order_id FROM integration_deliveries d"
                " JOIN unnest(CAST(:leases AS uuid[]), CAST(:orders AS uuid[]))"
                " AS a(lease_id, order_id)"
                " ON d.order_id = a.order_id AND d.lease_id = a.lease_id"
                " WHERE d.client_id = :client"
            ),
            {
                "client": client,
                "leases": [lease for lease, _ in pairs],
                "orders": [order for _, order in pairs],
            },
        )
        return {(r.lease_id, r.order_id) for r in rows}

    async def enqueue_visible(
        self, client: uuid.UUID, organisation: IntegrationOrganisation
    ) -> None:
        """Queues every handled or sampled order the client sees and does not have queued
        (a new client, or one whose organisation grew); forgets those it no longer sees."""
        params = {"client": client, **_organisation(organisation)}
        await self._session.execute(_FORGET_INVISIBLE, params)
        await self._session.execute(_ENQUEUE_LOCK_SHARED)
        await self._session.execute(_ENQUEUE_VISIBLE, params)

    async def forget_all(self, client: uuid.UUID) -> None:
        await self._session.execute(_FORGET_ALL, {"client": client})

    # --- status updates -------------------------------------------------------------------

    async def for_update(
        self, organisation: IntegrationOrganisation, order_id: uuid.UUID
    ) -> LockedOrder | None:
        row = (
            await self._session.execute(
                _FOR_UPDATE, {**_organisation(organisation), "id": order_id}
            )
        ).one_or_none()
        if row is None:
            return None
        return LockedOrder(
            id=row.id,
            rid=row.rid,
            personnummer=self._protector.decrypt(
                row.citizen_encrypted, context=row.citizen_hash
            ).decode(),
            state=OrderState(
                status=OrderStatus(row.status),
                created_at=row.created_at,
                handled_at=row.handled_at,
                expires_at=row.expires_at,
                sampled_at=row.sampled_at,
                laboratory_id=row.laboratory_id,
                version=row.version,
            ),
            validity_days=row.validity_days,
            sampling_unit_id=row.sampled_at_unit_id or row.sampling_unit_id,
            result_care_unit_id=row.result_care_unit_id,
            offer_recipient_id=row.offer_recipient_id,
        )

    async def set_handled(self, order_id: uuid.UUID, state: OrderState) -> bool:
        moved = await self._session.execute(
            _SET_HANDLED,
            {
                "id": order_id,
                "handled_at": state.handled_at,
                "expires_at": state.expires_at,
                "version": state.version,
            },
        )
        return moved.scalar_one_or_none() is not None

    async def set_sampled(
        self,
        order_id: uuid.UUID,
        state: OrderState,
        *,
        sampling_unit_id: uuid.UUID | None,
        result_care_unit_id: uuid.UUID | None,
    ) -> bool:
        moved = await self._session.execute(
            _SET_SAMPLED,
            {
                "id": order_id,
                "sampled_at": state.sampled_at,
                "handled_at": state.handled_at,
                "lab": state.laboratory_id,
                "unit": sampling_unit_id,
                "recipient": result_care_unit_id,
                "version": state.version,
            },
        )
        return moved.scalar_one_or_none() is not None

    async def set_rejected(self, order_id: uuid.UUID, state: OrderState, *, reason: str) -> bool:
        moved = await self._session.execute(
            _SET_REJECTED,
            {
                "id": order_id,
                "rejected_at": state.rejected_at,
                "reason": reason,
                "version": state.version,
            },
        )
        return moved.scalar_one_or_none() is not None

    async def laboratory_for_sampling(
        self, organisation: IntegrationOrganisation, code: str
    ) -> uuid.UUID | None:
        """A laboratory the client may sample for: one of its own, or one its sampling
        units serve."""
        row = (
            await self._session.execute(
                _LAB_FOR_SAMPLING, {**_organisation(organisation), "code": code}
            )
        ).one_or_none()
        return None if row is None else row.id

    async def only_laboratory(self, sampling_unit_id: uuid.UUID) -> uuid.UUID | None:
        """The laboratory of a sampling unit that serves exactly one (else None)."""
        row = (await self._session.execute(_ONLY_LABORATORY, {"unit": sampling_unit_id})).one()
        return uuid.UUID(row.id) if row.n == 1 else None

    async def unmapped_products(self, order_id: uuid.UUID, laboratory_id: uuid.UUID) -> list[str]:
        rows = await self._session.execute(
            _UNMAPPED_PRODUCTS, {"id": order_id, "lab": laboratory_id}
        )
        return [r.product_code for r in rows]

    async def is_customer(self, *, laboratory_id: uuid.UUID, care_unit_id: uuid.UUID) -> bool:
        row = await self._session.execute(
            _IS_CUSTOMER, {"lab": laboratory_id, "unit": care_unit_id}
        )
        return bool(row.scalar_one())
