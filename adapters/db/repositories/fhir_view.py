"""What the FHIR view (api/fhir) reads: the orders an integration client's organisation sees
(the rule of domain.integration.sees, in SQL), each line with its newest result, changed
since a time. One statement per search; personnummer and results decrypted here."""

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
    SELECT o.id AS order_id, o.rid, o.status, o.created_at, o.handled_at, o.sampled_at,
           o.answered_at, o.citizen_hash, o.citizen_encrypted,
           greatest(o.created_at, o.handled_at, o.sampled_at, o.answered_at, o.cancelled_at,
                    o.rejected_at) AS order_updated,
           lab.code AS laboratory_code, m.lab_code,
           l.line_no, l.product_code, p.name AS product_name, p.npu_code,
           r.id AS result_id, r.sampling_date, r.version, r.insight, r.payload_encrypted,
           r.received_at, r.lab_result_id, r.lab_version
      FROM orders o
      JOIN order_lines l ON l.order_id = o.id
      JOIN products p ON p.code = l.product_code
      LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
      LEFT JOIN laboratory_product_mappings m
             ON m.laboratory_id = o.laboratory_id AND m.product_code = l.product_code
      LEFT JOIN LATERAL (
           SELECT * FROM results x WHERE x.order_line_id = l.id
            ORDER BY x.sampling_date DESC, x.version DESC LIMIT 1) r ON true
     WHERE (o.laboratory_id = ANY(CAST(:labs AS uuid[]))
            OR o.sampling_unit_id = ANY(CAST(:sampling AS uuid[]))
            OR o.sampled_at_unit_id = ANY(CAST(:sampling AS uuid[]))
            OR o.result_care_unit_id = ANY(CAST(:units AS uuid[])))
       AND CASE WHEN :by_result THEN r.received_at >= :since
                ELSE greatest(o.created_at, o.handled_at, o.sampled_at, o.answered_at,
                              o.cancelled_at, o.rejected_at) >= :since END
       AND (CAST(:order_id AS uuid) IS NULL OR o.id = CAST(:order_id AS uuid))
     ORDER BY o.id, l.line_no
     LIMIT :limit
    """
)


@dataclass(frozen=True, slots=True)
class FhirLine:
    order_id: uuid.UUID
    rid: str
    status: str
    created_at: datetime
    handled_at: datetime | None
    sampled_at: datetime | None
    order_updated: datetime
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
        order_id: uuid.UUID | None = None,
    ) -> list[FhirLine]:
        """`by_result`: lines whose newest result arrived since (DiagnosticReport,
        Observation); otherwise lines whose order changed since (its steps)."""
        rows = await self._session.execute(
            _SEARCH,
            {
                "labs": list(organisation.laboratory_ids),
                "sampling": list(organisation.sampling_unit_ids),
                "units": list(organisation.care_unit_ids),
                "since": since,
                "by_result": by_result,
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
