"""Results polling (`results:read`): a care unit's system fetches the results delivered to
its units with a lease and acknowledges them — the same claim / lease / acknowledge cycle as
order polling (ADR 7), over `care_unit_result_deliveries` (filled by the local care-unit
system consumer of the outbox, adapters/notifications/local.py).

A claim hands out up to `limit` unacknowledged results whose lease is free or has run out,
oldest first, under one new lease id (`FOR UPDATE SKIP LOCKED`: parallel pollers take
different rows, none waits). Acknowledging under that lease id before it runs out settles
them; an acknowledgement that comes too late (the lease ran out, the result was handed out
again) changes nothing and says so. Acknowledged rows are kept (what was delivered, when),
out of the partial index that claims read."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector

_CLAIM = text(
    """
    UPDATE care_unit_result_deliveries d
       SET lease_token = :lease, leased_by = :client, lease_expires_at = :until,
           handed_out = d.handed_out + 1
      FROM (SELECT event_id FROM care_unit_result_deliveries
             WHERE care_unit_id = ANY(CAST(:units AS uuid[])) AND acknowledged_at IS NULL
               AND (lease_expires_at IS NULL OR lease_expires_at <= :now)
             ORDER BY delivered_at, event_id
             LIMIT :limit
               FOR UPDATE SKIP LOCKED) AS due
     WHERE d.event_id = due.event_id
    RETURNING d.event_id, d.result_id, d.handed_out, d.delivered_at
    """
)
_DETAILS = text(
    """
    SELECT r.id AS result_id, r.sampling_date, r.version, r.insight, r.payload_encrypted,
           r.received_at, r.lab_result_id, r.lab_version, r.source,
           l.line_no, l.product_code, p.name AS product_name, p.npu_code,
           o.id AS order_id, o.rid, o.citizen_hash, o.citizen_encrypted, o.status,
           lab.code AS laboratory_code, cu.hsa_id AS care_unit_hsa_id
      FROM results r
      JOIN order_lines l ON l.id = r.order_line_id
      JOIN orders o ON o.id = l.order_id
      JOIN products p ON p.code = l.product_code
      LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
      JOIN care_unit_result_deliveries d
        ON d.result_id = r.id AND d.event_id = ANY(CAST(:events AS uuid[]))
      JOIN care_units cu ON cu.id = d.care_unit_id
     WHERE r.id = ANY(CAST(:ids AS uuid[]))
    """
)
_HELD = text(
    """
    SELECT event_id, result_id, handed_out, lease_expires_at
      FROM care_unit_result_deliveries
     WHERE lease_token = :lease AND leased_by = :client
       AND care_unit_id = ANY(CAST(:units AS uuid[])) AND acknowledged_at IS NULL
     ORDER BY delivered_at, event_id
    """
)
_ACKNOWLEDGED = text(
    "SELECT event_id FROM care_unit_result_deliveries"
    " WHERE event_id = ANY(CAST(:ids AS uuid[])) AND care_unit_id = ANY(CAST(:units AS uuid[]))"
    " AND acknowledged_at IS NOT NULL"
)
_ACK = text(
    """
    UPDATE care_unit_result_deliveries
       SET acknowledged_at = :now, lease_token = NULL, lease_expires_at = NULL
     WHERE event_id = ANY(CAST(:ids AS uuid[])) AND lease_token = :lease
       AND lease_expires_at > :now AND care_unit_id = ANY(CAST(:units AS uuid[]))
       AND acknowledged_at IS NULL
    RETURNING event_id
    """
)


@dataclass(frozen=True, slots=True)
class DeliveredResult:
    """A result handed out to a care unit's system: everything the unit's journal needs."""

    delivery_id: uuid.UUID
    handed_out: int
    care_unit_hsa_id: str
    order_id: uuid.UUID
    rid: str
    personnummer: str
    line_no: int
    product_code: str
    product_name: str
    npu_code: str | None
    laboratory_code: str | None
    result_id: uuid.UUID
    sampling_date: date
    version: int
    insight: str | None
    payload: dict[str, Any]
    received_at: datetime
    lab_result_id: str | None
    lab_version: int | None
    source: str


class ResultDeliveryRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def claim(
        self,
        *,
        care_unit_ids: Sequence[uuid.UUID],
        client_id: str,
        lease: uuid.UUID,
        until: datetime,
        limit: int,
        now: datetime,
    ) -> list[DeliveredResult]:
        if not care_unit_ids:
            return []
        claimed = (
            await self._session.execute(
                _CLAIM,
                {
                    "units": list(care_unit_ids),
                    "client": client_id,
                    "lease": lease,
                    "until": until,
                    "limit": limit,
                    "now": now,
                },
            )
        ).all()
        return await self._details(claimed)

    async def held(
        self, *, care_unit_ids: Sequence[uuid.UUID], client_id: str, lease: uuid.UUID
    ) -> tuple[list[DeliveredResult], datetime | None]:
        """The results still handed out under a lease and not acknowledged (an idempotent
        retry of a claim), with the lease's end (None: it holds nothing any more)."""
        if not care_unit_ids:
            return [], None
        rows = (
            await self._session.execute(
                _HELD, {"lease": lease, "client": client_id, "units": list(care_unit_ids)}
            )
        ).all()
        if not rows:
            return [], None
        return await self._details(rows), rows[0].lease_expires_at

    async def acknowledged(
        self, *, delivery_ids: Sequence[uuid.UUID], care_unit_ids: Sequence[uuid.UUID]
    ) -> set[uuid.UUID]:
        """Which of these deliveries of the units are acknowledged (by anyone, any time)."""
        if not delivery_ids or not care_unit_ids:
            return set()
        rows = await self._session.execute(
            _ACKNOWLEDGED, {"ids": list(delivery_ids), "units": list(care_unit_ids)}
        )
        return {r.event_id for r in rows}

    async def _details(self, claimed: Sequence[Any]) -> list[DeliveredResult]:
        if not claimed:
            return []
        by_result = {c.result_id: c for c in claimed}
        rows = await self._session.execute(
            _DETAILS,
            {"ids": list(by_result), "events": [c.event_id for c in claimed]},
        )
        protector = self._protector
        found = []
        for r in rows:
            claim = by_result[r.result_id]
            found.append(
                DeliveredResult(
                    delivery_id=claim.event_id,
                    handed_out=claim.handed_out,
                    care_unit_hsa_id=r.care_unit_hsa_id,
                    order_id=r.order_id,
                    rid=r.rid,
                    personnummer=protector.decrypt(
                        r.citizen_encrypted, context=r.citizen_hash
                    ).decode(),
                    line_no=r.line_no,
                    product_code=r.product_code,
                    product_name=r.product_name,
                    npu_code=r.npu_code,
                    laboratory_code=r.laboratory_code,
                    result_id=r.result_id,
                    sampling_date=r.sampling_date,
                    version=r.version,
                    insight=r.insight,
                    payload=json.loads(
                        protector.decrypt(r.payload_encrypted, context=r.result_id.bytes)
                    ),
                    received_at=r.received_at,
                    lab_result_id=r.lab_result_id,
                    lab_version=r.lab_version,
                    source=r.source,
                )
            )
        order = {c.event_id: i for i, c in enumerate(claimed)}
        found.sort(key=lambda d: order[d.delivery_id])
        return found

    async def acknowledge(
        self,
        *,
        delivery_ids: Sequence[uuid.UUID],
        care_unit_ids: Sequence[uuid.UUID],
        lease: uuid.UUID,
        now: datetime,
    ) -> set[uuid.UUID]:
        """Settles the deliveries handed out under `lease`; returns those settled (the
        others were not this lease's, or it ran out)."""
        if not delivery_ids or not care_unit_ids:
            return set()
        rows = await self._session.execute(
            _ACK,
            {"ids": list(delivery_ids), "units": list(care_unit_ids), "lease": lease, "now": now},
        )
        return {r.event_id for r in rows}
