"""What the FHIR view (api/fhir) reads, one statement per search page; personnummer and
results decrypted here.

Who sees what:
- orders (ServiceRequest, Specimen, Task): the order-visibility rule of
  domain.integration.sees, in SQL — the client's laboratories, sampling units (booked or
  sampled at) and result care units;
- results (DiagnosticReport, Observation): exactly as the native results API hands them out
  (`POST /api/integration/v1/results/claims`, adapters/db/repositories/result_deliveries.py):
  to the care unit that receives the order's results only — the order's result care unit,
  or the unit it names as its result recipient (`result_recipient_hsa_id`, resolved as the
  intake resolves it, adapters/db/repositories/results_intake.py). A laboratory does not
  read results back (not even those it posted: it has its own copy, and the native API
  gives it none), nor does a sampling unit.

Paging: rows come in a stable order — last updated, then order id, then line number — and a
page continues strictly after the previous page's last row (a keyset cursor), so pages
together hold every match exactly once."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.actors import IntegrationOrganisation

# An order's last change: the latest of its steps (orders carry no update stamp of their
# own); a result's: its arrival.
_SEARCH = text(
    """
    SELECT * FROM (
        SELECT o.id AS order_id, o.rid, o.status, o.created_at, o.handled_at, o.sampled_at,
               o.answered_at, o.citizen_hash, o.citizen_encrypted,
               greatest(o.created_at, o.handled_at, o.sampled_at, o.answered_at,
                        o.cancelled_at, o.rejected_at) AS order_updated,
               lab.code AS laboratory_code, m.lab_code,
               l.line_no, l.product_code, p.name AS product_name, p.npu_code,
               r.id AS result_id, r.sampling_date, r.version, r.insight, r.payload_encrypted,
               r.received_at, r.lab_result_id, r.lab_version,
               CASE WHEN :by_result THEN r.received_at
                    ELSE greatest(o.created_at, o.handled_at, o.sampled_at, o.answered_at,
                                  o.cancelled_at, o.rejected_at) END AS updated
          FROM orders o
          JOIN order_lines l ON l.order_id = o.id
          JOIN products p ON p.code = l.product_code
          LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
          LEFT JOIN laboratory_product_mappings m
                 ON m.laboratory_id = o.laboratory_id AND m.product_code = l.product_code
          LEFT JOIN care_units cu ON cu.id = o.result_care_unit_id
          LEFT JOIN care_units rcpt ON rcpt.hsa_id = cu.result_recipient_hsa_id
          LEFT JOIN LATERAL (
               SELECT * FROM results x WHERE x.order_line_id = l.id
                ORDER BY x.sampling_date DESC, x.version DESC LIMIT 1) r ON true
         WHERE CASE WHEN :by_result
                    THEN r.id IS NOT NULL
                         AND coalesce(rcpt.id, cu.id) = ANY(CAST(:units AS uuid[]))
                    ELSE (o.laboratory_id = ANY(CAST(:labs AS uuid[]))
                          OR o.sampling_unit_id = ANY(CAST(:sampling AS uuid[]))
                          OR o.sampled_at_unit_id = ANY(CAST(:sampling AS uuid[]))
                          OR o.result_care_unit_id = ANY(CAST(:units AS uuid[]))) END
           AND (NOT :sampled_only OR o.sampled_at IS NOT NULL)
           AND (NOT :per_order
                OR l.line_no = (SELECT min(f.line_no) FROM order_lines f
                                 WHERE f.order_id = o.id))
           AND (CAST(:order_id AS uuid) IS NULL OR o.id = CAST(:order_id AS uuid))
    ) s
     WHERE (s.updated > :since OR (NOT :strictly_after AND s.updated = :since))
       AND (CAST(:after_at AS timestamptz) IS NULL
            OR (s.updated, s.order_id, s.line_no)
               > (CAST(:after_at AS timestamptz), CAST(:after_order AS uuid),
                  CAST(:after_line AS int)))
     ORDER BY s.updated, s.order_id, s.line_no
     LIMIT :limit
    """
)


@dataclass(frozen=True, slots=True)
class FhirPosition:
    """Where a page ended: the last row's last-updated instant, order and line."""

    updated: datetime
    order_id: uuid.UUID
    line_no: int


@dataclass(frozen=True, slots=True)
class FhirLine:
    order_id: uuid.UUID
    rid: str
    status: str
    created_at: datetime
    handled_at: datetime | None
    sampled_at: datetime | None
    order_updated: datetime
    updated: datetime
    personnummer: str
    laboratory_code: str | None
    lab_code: str | None
    line_no: int
    product_code: str
    product_name: str
    npu_code: str | None
    result_id: uuid.UUID | None
    sampling_date: date | None
    version: int | None
    insight: str | None
    payload: dict[str, Any] | None
    received_at: datetime | None
    lab_result_id: str | None
    lab_version: int | None


class FhirViewRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def lines(
        self,
        organisation: IntegrationOrganisation,
        *,
        since: datetime,
        limit: int,
        by_result: bool,
        strictly_after: bool = False,
        after: FhirPosition | None = None,
        per_order: bool = False,
        sampled_only: bool = False,
        order_id: uuid.UUID | None = None,
    ) -> list[FhirLine]:
        """`by_result`: lines whose newest result arrived at or after `since` (after it,
        `strictly_after`), of orders whose results the organisation receives
        (DiagnosticReport, Observation); otherwise lines of the organisation's orders that
        changed since (their steps). `per_order`: an order's first line only (Task);
        `sampled_only`: lines of sampled orders (Specimen). In the stable order, after
        `after`, at most `limit`."""
        rows = await self._session.execute(
            _SEARCH,
            {
                "labs": list(organisation.laboratory_ids),
                "sampling": list(organisation.sampling_unit_ids),
                "units": list(organisation.care_unit_ids),
                "since": since,
                "strictly_after": strictly_after,
                "by_result": by_result,
                "per_order": per_order,
                "sampled_only": sampled_only,
                "after_at": after.updated if after else None,
                "after_order": after.order_id if after else None,
                "after_line": after.line_no if after else None,
                "limit": limit,
                "order_id": order_id,
            },
        )
        decrypt = self._protector.decrypt
        found = []
        for r in rows:
            payload = None
            if r.result_id is not None:
                payload = json.loads(decrypt(r.payload_encrypted, context=r.result_id.bytes))
            found.append(
                FhirLine(
                    order_id=r.order_id,
                    rid=r.rid,
                    status=r.status,
                    created_at=r.created_at,
                    handled_at=r.handled_at,
                    sampled_at=r.sampled_at,
                    order_updated=r.order_updated,
                    updated=r.updated,
                    personnummer=decrypt(r.citizen_encrypted, context=r.citizen_hash).decode(),
                    laboratory_code=r.laboratory_code,
                    lab_code=r.lab_code,
                    line_no=r.line_no,
                    product_code=r.product_code,
                    product_name=r.product_name,
                    npu_code=r.npu_code,
                    result_id=r.result_id,
                    sampling_date=r.sampling_date,
                    version=r.version,
                    insight=r.insight,
                    payload=payload,
                    received_at=r.received_at,
                    lab_result_id=r.lab_result_id,
                    lab_version=r.lab_version,
                )
            )
        return found
