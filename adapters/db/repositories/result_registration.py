"""Svarsregistrering's queries (domain/result_registration.py): the orders whose results go to
a care unit — the unit is part of every statement — their lines with every result version,
the result templates an order may be answered with, sampling an order by registration, and
the Svarslogg. Hand-written SQL on the unit of work's connection, built once at import."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.orders import OrderState, OrderStatus
from domain.result_registration import TemplateAnalysis, TemplateRef
from domain.results import Insight


@dataclass(frozen=True, slots=True)
class RegistrationOrderRow:
    """An order whose results go to the care unit."""

    id: uuid.UUID
    rid: str
    status: str
    version: int
    citizen_hash: bytes
    personnummer: str
    offer_name: str
    catalog_id: str
    sampling_method: str
    created_at: datetime
    handled_at: datetime | None
    expires_at: datetime | None
    sampled_at: datetime | None
    answered_at: datetime | None
    laboratory_id: uuid.UUID | None
    laboratory_code: str | None
    laboratory_name: str | None
    results: int

    @property
    def state(self) -> OrderState:
        return OrderState(
            status=OrderStatus(self.status),
            created_at=self.created_at,
            handled_at=self.handled_at,
            expires_at=self.expires_at,
            sampled_at=self.sampled_at,
            laboratory_id=self.laboratory_id,
            version=self.version,
        )


@dataclass(frozen=True, slots=True)
class ResultVersionRow:
    """One stored version of a line's result, with who registered it (manual ones)."""

    result_id: uuid.UUID
    line_no: int
    sampling_date: date
    version: int
    insight: str | None
    payload: dict[str, Any]
    received_at: datetime
    read_at: datetime | None
    source: str
    registered_by_hsa_id: str | None
    registered_by_name: str | None
    template_name: str | None


@dataclass(frozen=True, slots=True)
class RegistrationLineRow:
    line_no: int
    product_code: str
    product_name: str
    # Newest first: by sampling date, then version.
    versions: tuple[ResultVersionRow, ...]


@dataclass(frozen=True, slots=True)
class TemplateRow:
    template: TemplateRef
    laboratory_code: str
    laboratory_name: str


@dataclass(frozen=True, slots=True)
class LogRow:
    """Svarslogg: one manually registered result (version)."""

    result_id: uuid.UUID
    order_id: uuid.UUID
    rid: str
    citizen_hash: bytes
    personnummer: str
    offer_name: str
    line_no: int
    product_name: str
    sampling_date: date
    version: int
    insight: str | None
    template_name: str | None
    registered_by_hsa_id: str | None
    registered_by_name: str | None
    registered_at: datetime


_ORDER_SQL = """
    SELECT o.id, o.rid, o.status, o.version, o.citizen_hash, o.citizen_encrypted,
           f.name AS offer_name, o.catalog_id, o.sampling_method, o.created_at, o.handled_at,
           o.expires_at, o.sampled_at, o.answered_at, o.laboratory_id,
           lab.code AS laboratory_code, lab.name AS laboratory_name,
           (SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id
             WHERE l.order_id = o.id) AS results
      FROM orders o
      JOIN offers f ON f.id = o.offer_id
      LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
"""
_OF_CITIZEN = text(
    _ORDER_SQL
    + """
     WHERE o.citizen_hash = :citizen AND o.result_care_unit_id = :unit
     ORDER BY o.created_at DESC
     LIMIT 200
    """
)
_BY_RID = text(_ORDER_SQL + " WHERE o.rid = :rid AND o.result_care_unit_id = :unit")
_ONE = text(_ORDER_SQL + " WHERE o.id = :id AND o.result_care_unit_id = :unit")
_ONE_FOR_UPDATE = text(_ONE.text + " FOR UPDATE OF o")
_LINES = text(
    """
    SELECT l.line_no, l.product_code, p.name AS product_name, r.id AS result_id,
           r.sampling_date, r.version, r.insight, r.payload_encrypted, r.received_at,
           r.read_at, r.source, r.registered_by_hsa_id, r.registered_by_name,
           t.name AS template_name
      FROM order_lines l
      JOIN products p ON p.code = l.product_code
      LEFT JOIN results r ON r.order_line_id = l.id
      LEFT JOIN result_templates t ON t.id = r.result_template_id
     WHERE l.order_id = :id
     ORDER BY l.line_no, r.sampling_date DESC NULLS LAST, r.version DESC
    """
)
_TEMPLATE_COLUMNS = """
    t.id, t.laboratory_id, t.name, t.insight, t.analyses, t.default_comment,
    lab.code AS laboratory_code, lab.name AS laboratory_name
"""
# An order with a laboratory is answered with that laboratory's templates; one not yet
# sampled with those of the laboratories (in use) that have the unit as their customer.
_TEMPLATES = text(
    f"""
    SELECT {_TEMPLATE_COLUMNS}
      FROM result_templates t
      JOIN laboratories lab ON lab.id = t.laboratory_id
     WHERE t.retired_at IS NULL
       AND CASE WHEN CAST(:lab AS uuid) IS NOT NULL THEN lab.id = CAST(:lab AS uuid)
                ELSE lab.retired_at IS NULL AND EXISTS (
                     SELECT 1 FROM laboratory_customers c
                      WHERE c.laboratory_id = lab.id AND c.care_unit_id = :unit)
           END
     ORDER BY lab.code, t.name
    """
)
# Guarded: only an order still to be sampled moves, whatever the caller read before.
_SET_SAMPLED = text(
    """
    UPDATE orders SET status = 'sampled', sampled_at = :sampled_at, handled_at = :handled_at,
           laboratory_id = :lab, sampled_by_hsa_id = :by, version = :version
     WHERE id = :id AND status IN ('ordered', 'handled')
    RETURNING id
    """
)
_BUMP_VERSION = text("UPDATE orders SET version = version + 1 WHERE id = :id RETURNING version")
_LOG_SQL = """
    SELECT r.id AS result_id, o.id AS order_id, o.rid, o.citizen_hash, o.citizen_encrypted,
           f.name AS offer_name, l.line_no, p.name AS product_name, r.sampling_date,
           r.version, r.insight, t.name AS template_name, r.registered_by_hsa_id,
           r.registered_by_name, r.received_at AS registered_at
      FROM results r
      JOIN order_lines l ON l.id = r.order_line_id
      JOIN orders o ON o.id = l.order_id
      JOIN offers f ON f.id = o.offer_id
      JOIN products p ON p.code = l.product_code
      LEFT JOIN result_templates t ON t.id = r.result_template_id
     WHERE r.registered_at_care_unit_id = :unit
       AND r.received_at >= :start AND r.received_at < :end
       AND (CAST(:citizen AS bytea) IS NULL OR o.citizen_hash = CAST(:citizen AS bytea))
       AND (CAST(:rid AS text) IS NULL OR o.rid = CAST(:rid AS text))
     ORDER BY r.received_at DESC, r.id DESC
     LIMIT :limit OFFSET :offset
"""
_LOG = text(_LOG_SQL)
# The count stops at LOG_COUNT_CAP (+1 to tell "more"): an exact count (or `count(*) OVER
# ()` on the page) reads every manual result of the unit in the period on every page — 213 ms
# of PostgreSQL CPU per page at national volume against 3 ms on the demo database (bench/
# national_lists.py). Beyond the cap the staff narrow the dates or search one patient.
LOG_COUNT_CAP = 1000
_LOG_COUNT = text(
    """
    SELECT count(*) FROM (
        SELECT 1
          FROM results r
          JOIN order_lines l ON l.id = r.order_line_id
          JOIN orders o ON o.id = l.order_id
         WHERE r.registered_at_care_unit_id = :unit
           AND r.received_at >= :start AND r.received_at < :end
           AND (CAST(:citizen AS bytea) IS NULL OR o.citizen_hash = CAST(:citizen AS bytea))
           AND (CAST(:rid AS text) IS NULL OR o.rid = CAST(:rid AS text))
         LIMIT :cap
    ) AS counted
    """
)
# Without a citizen or a RID the count needs no join: the log's index alone answers it.
_LOG_COUNT_UNFILTERED = text(
    """
    SELECT count(*) FROM (
        SELECT 1
          FROM results r
         WHERE r.registered_at_care_unit_id = :unit
           AND r.received_at >= :start AND r.received_at < :end
         LIMIT :cap
    ) AS counted
    """
)


def _template(row: Any) -> TemplateRow:
    return TemplateRow(
        template=TemplateRef(
            id=row.id,
            laboratory_id=row.laboratory_id,
            name=row.name,
            insight=Insight(row.insight) if row.insight else None,
            analyses=tuple(
                TemplateAnalysis(
                    analysis=a.get("analysis", ""),
                    unit=a.get("unit"),
                    reference_range=a.get("reference_range"),
                    value=a.get("value"),
                    insight=Insight(a["insight"]) if a.get("insight") else None,
                )
                for a in row.analyses or []
            ),
            default_comment=row.default_comment,
        ),
        laboratory_code=row.laboratory_code,
        laboratory_name=row.laboratory_name,
    )


class ResultRegistrationRepository:
    def __init__(self, connection: Executor, protector: DataProtector) -> None:
        self._session = connection
        self._protector = protector

    def _personnummer(self, row: Any) -> dict[str, Any]:
        data = dict(row._mapping)
        encrypted = data.pop("citizen_encrypted")
        data["personnummer"] = self._protector.decrypt(
            encrypted, context=data["citizen_hash"]
        ).decode()
        return data

    async def orders_of_citizen(
        self, personnummer: str, *, unit_id: uuid.UUID
    ) -> list[RegistrationOrderRow]:
        """Every order of the citizen whose results go to the unit, newest first."""
        citizen = self._protector.lookup_hash(personnummer)
        rows = await self._session.execute(_OF_CITIZEN, {"citizen": citizen, "unit": unit_id})
        return [RegistrationOrderRow(**self._personnummer(r)) for r in rows]

    async def order_by_rid(self, rid: str, *, unit_id: uuid.UUID) -> RegistrationOrderRow | None:
        row = (await self._session.execute(_BY_RID, {"rid": rid, "unit": unit_id})).one_or_none()
        return None if row is None else RegistrationOrderRow(**self._personnummer(row))

    async def order(
        self, order_id: uuid.UUID, *, unit_id: uuid.UUID, for_update: bool = False
    ) -> RegistrationOrderRow | None:
        """The order when its results go to the unit; locked for the transaction with
        `for_update`."""
        row = (
            await self._session.execute(
                _ONE_FOR_UPDATE if for_update else _ONE, {"id": order_id, "unit": unit_id}
            )
        ).one_or_none()
        return None if row is None else RegistrationOrderRow(**self._personnummer(row))

    async def lines(self, order_id: uuid.UUID) -> list[RegistrationLineRow]:
        """The order's lines, each with every version of its result, newest first."""
        rows = await self._session.execute(_LINES, {"id": order_id})
        lines: dict[int, tuple[str, str, list[ResultVersionRow]]] = {}
        for r in rows:
            _, _, versions = lines.setdefault(r.line_no, (r.product_code, r.product_name, []))
            if r.result_id is None:
                continue
            versions.append(
                ResultVersionRow(
                    result_id=r.result_id,
                    line_no=r.line_no,
                    sampling_date=r.sampling_date,
                    version=r.version,
                    insight=r.insight,
                    payload=json.loads(
                        self._protector.decrypt(r.payload_encrypted, context=r.result_id.bytes)
                    ),
                    received_at=r.received_at,
                    read_at=r.read_at,
                    source=r.source,
                    registered_by_hsa_id=r.registered_by_hsa_id,
                    registered_by_name=r.registered_by_name,
                    template_name=r.template_name,
                )
            )
        return [
            RegistrationLineRow(
                line_no=line_no,
                product_code=code,
                product_name=name,
                versions=tuple(versions),
            )
            for line_no, (code, name, versions) in lines.items()
        ]

    async def templates(
        self, *, laboratory_id: uuid.UUID | None, unit_id: uuid.UUID
    ) -> list[TemplateRow]:
        """The result templates in use the order may be answered with (domain rule)."""
        rows = await self._session.execute(_TEMPLATES, {"lab": laboratory_id, "unit": unit_id})
        return [_template(r) for r in rows]

    async def set_sampled(self, order_id: uuid.UUID, state: OrderState, *, by_hsa_id: str) -> bool:
        """Stores the sampled state a registration gives an order not yet sampled
        (domain.orders.mark_sampled); False when it was sampled meanwhile."""
        moved = (
            await self._session.execute(
                _SET_SAMPLED,
                {
                    "id": order_id,
                    "sampled_at": state.sampled_at,
                    "handled_at": state.handled_at,
                    "lab": state.laboratory_id,
                    "by": by_hsa_id,
                    "version": state.version,
                },
            )
        ).scalar_one_or_none()
        return moved is not None

    async def bump_version(self, order_id: uuid.UUID) -> int:
        """The order changed (a result was registered): its ETag moves on."""
        return int((await self._session.execute(_BUMP_VERSION, {"id": order_id})).scalar_one())

    async def log(
        self,
        *,
        unit_id: uuid.UUID,
        start: datetime,
        end: datetime,
        personnummer: str | None,
        rid: str | None,
        limit: int,
        offset: int,
    ) -> tuple[int, bool, list[LogRow]]:
        """Svarslogg: the results registered by hand at the unit within [start, end),
        newest first, optionally of one citizen or one RID; with the total, counted up to
        LOG_COUNT_CAP (and whether there are more)."""
        params = {
            "unit": unit_id,
            "start": start,
            "end": end,
            "citizen": None if personnummer is None else self._protector.lookup_hash(personnummer),
            "rid": rid,
        }
        rows = list(await self._session.execute(_LOG, {**params, "limit": limit, "offset": offset}))
        counted = int(
            (
                await self._session.execute(
                    _LOG_COUNT if personnummer or rid else _LOG_COUNT_UNFILTERED,
                    {**params, "cap": LOG_COUNT_CAP + 1},
                )
            ).scalar_one()
        )
        items = [LogRow(**self._personnummer(r)) for r in rows]
        return min(counted, LOG_COUNT_CAP), counted > LOG_COUNT_CAP, items
