"""Provtagning's queries: which sampling unit a care unit is, the orders a sampling unit may
see (its scope is part of every statement: domain/sampling.py), the laboratories it serves
with their product mappings and customers, and sampling an order with one guarded UPDATE.
Hand-written SQL on the unit of work's connection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.orders import OrderState, OrderStatus
from domain.sampling import LaboratoryRef, MappedLine


@dataclass(frozen=True, slots=True)
class SamplingUnitRow:
    id: uuid.UUID
    hsa_id: str
    name: str
    region_code: str


@dataclass(frozen=True, slots=True)
class SamplingOrderRow:
    """An order as Provtagning shows it, with its result recipient resolved."""

    id: uuid.UUID
    rid: str
    status: str
    version: int
    citizen_hash: bytes
    personnummer: str
    catalog_id: str
    offer_name: str
    offer_region_code: str
    offer_region_name: str
    validity_days: int
    sampling_method: str
    created_at: datetime
    handled_at: datetime | None
    expires_at: datetime | None
    booked_start: datetime | None
    booked_unit_id: uuid.UUID | None
    booked_unit_name: str | None
    sampled_at: datetime | None
    sampled_at_unit_id: uuid.UUID | None
    sampled_by_hsa_id: str | None
    laboratory_id: uuid.UUID | None
    laboratory_code: str | None
    laboratory_name: str | None
    recipient_id: uuid.UUID
    recipient_hsa_id: str
    recipient_name: str

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
class SampledOrderRow:
    """Utskrivna: an order sampled at the unit."""

    id: uuid.UUID
    rid: str
    status: str
    citizen_hash: bytes
    personnummer: str
    offer_name: str
    laboratory_code: str | None
    sampled_at: datetime
    sampled_by_hsa_id: str | None
    prints: int


_UNIT = text(
    """
    SELECT su.id, su.hsa_id, su.name, su.region_code
      FROM sampling_units su
     WHERE su.retired_at IS NULL
       AND (su.hsa_id = :hsa_id
            OR su.care_unit_id = (SELECT c.id FROM care_units c WHERE c.hsa_id = :hsa_id))
     ORDER BY (su.hsa_id = :hsa_id) DESC
     LIMIT 1
    """
)

# The result recipient: the one the order was placed with (domain.orders.result_recipient,
# stored since issue 10 and kept by sampling). An order placed by the previous release while
# revision 0011 rolled out may have none: for it, the same rule as of the order's placing —
# for a personal offer, the unit of the citizen's assignment made before the order (active
# then first, newest first); else the offer's result-receiving unit.
_RECIPIENT = """
    coalesce(
        o.result_care_unit_id,
        CASE WHEN f.visibility = 'personal' THEN (
            SELECT a.assigning_care_unit_id FROM assigned_offers a
             WHERE a.personnummer_hash = o.citizen_hash AND a.catalog_id = o.catalog_id
               AND a.assigned_at <= o.created_at
             ORDER BY (a.removed_at IS NULL OR a.removed_at > o.created_at) DESC,
                      a.assigned_at DESC
             LIMIT 1)
        END,
        f.result_care_unit_id)
"""
_ORDER_SQL = f"""
    SELECT o.id, o.rid, o.status, o.version, o.citizen_hash, o.citizen_encrypted,
           o.catalog_id, f.name AS offer_name, f.region_code AS offer_region_code,
           r.name AS offer_region_name, f.validity_days, o.sampling_method, o.created_at,
           o.handled_at, o.expires_at, o.booked_start, o.sampling_unit_id AS booked_unit_id,
           bu.name AS booked_unit_name, o.sampled_at, o.sampled_at_unit_id,
           o.sampled_by_hsa_id, o.laboratory_id, lab.code AS laboratory_code,
           lab.name AS laboratory_name, rc.id AS recipient_id, rc.hsa_id AS recipient_hsa_id,
           rc.name AS recipient_name
      FROM orders o
      JOIN offers f ON f.id = o.offer_id
      JOIN regions r ON r.code = f.region_code
      JOIN care_units rc ON rc.id = {_RECIPIENT}
      LEFT JOIN sampling_units bu ON bu.id = o.sampling_unit_id
      LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
"""
# The scope of one sampling unit: orders sampled at a site, not booked at another unit.
_IN_SCOPE = """
       o.sampling_method IN ('site_booking', 'site_drop_in')
   AND (o.sampling_unit_id IS NULL OR o.sampling_unit_id = :unit)
"""
_ONE = text(_ORDER_SQL + f" WHERE o.id = :id AND {_IN_SCOPE}")
_ONE_FOR_UPDATE = text(_ONE.text + " FOR UPDATE OF o")
_OF_CITIZEN = text(
    _ORDER_SQL
    + """
     WHERE o.citizen_hash = :citizen AND o.status IN ('ordered', 'handled')
       AND o.sampling_method IN ('site_booking', 'site_drop_in')
     ORDER BY o.booked_start NULLS LAST, o.created_at
     LIMIT 200
    """
)
_BOOKED = text(
    _ORDER_SQL
    + """
     WHERE o.sampling_unit_id = :unit AND o.booked_start >= :start AND o.booked_start < :end
       AND o.status NOT IN ('cancelled', 'expired')
     ORDER BY o.booked_start, o.created_at
     LIMIT 2000
    """
)
_SAMPLED_HERE = text(
    """
    SELECT o.id, o.rid, o.status, o.citizen_hash, o.citizen_encrypted, f.name AS offer_name,
           lab.code AS laboratory_code, o.sampled_at, o.sampled_by_hsa_id,
           (SELECT count(*) FROM label_prints p WHERE p.order_id = o.id) AS prints
      FROM orders o
      JOIN offers f ON f.id = o.offer_id
      LEFT JOIN laboratories lab ON lab.id = o.laboratory_id
     WHERE o.sampled_at_unit_id = :unit
     ORDER BY o.sampled_at DESC, o.id
     LIMIT :limit OFFSET :offset
    """
)
_COUNT_SAMPLED_HERE = text("SELECT count(*) FROM orders WHERE sampled_at_unit_id = :unit")
_LABORATORIES = text(
    """
    SELECT lab.id, lab.code, lab.name, lab.label_template_zpl
      FROM sampling_unit_laboratories sul
      JOIN laboratories lab ON lab.id = sul.laboratory_id
     WHERE sul.sampling_unit_id = :unit AND lab.retired_at IS NULL
     ORDER BY lab.code
    """
)
_LABORATORY = text("SELECT id, code, name, label_template_zpl FROM laboratories WHERE id = :id")
_LINES = text(
    """
    SELECT l.line_no, l.product_code, p.name AS product_name, m.lab_code, m.tube_code,
           m.material
      FROM order_lines l
      JOIN products p ON p.code = l.product_code
      LEFT JOIN laboratory_product_mappings m
        ON m.laboratory_id = CAST(:lab AS uuid) AND m.product_code = l.product_code
     WHERE l.order_id = :id
     ORDER BY l.line_no
    """
)
_IS_CUSTOMER = text(
    "SELECT EXISTS (SELECT 1 FROM laboratory_customers"
    " WHERE laboratory_id = :lab AND care_unit_id = :unit)"
)
# Guarded: only an order still to be sampled moves, whatever the caller read before.
_SET_SAMPLED = text(
    """
    UPDATE orders SET status = 'sampled', sampled_at = :sampled_at, handled_at = :handled_at,
           laboratory_id = :lab, sampled_at_unit_id = :unit, sampled_by_hsa_id = :by,
           result_care_unit_id = :recipient, version = :version
     WHERE id = :id AND status IN ('ordered', 'handled')
    RETURNING id
    """
)


class SamplingRepository:
    def __init__(self, connection: Executor, protector: DataProtector) -> None:
        self._session = connection
        self._protector = protector

    async def unit_for_care_unit(self, care_unit_hsa_id: str) -> SamplingUnitRow | None:
        row = (await self._session.execute(_UNIT, {"hsa_id": care_unit_hsa_id})).one_or_none()
        return None if row is None else SamplingUnitRow(**row._mapping)

    def _order(self, row: Any) -> SamplingOrderRow:
        data = dict(row._mapping)
        encrypted = data.pop("citizen_encrypted")
        data["personnummer"] = self._protector.decrypt(
            encrypted, context=data["citizen_hash"]
        ).decode()
        return SamplingOrderRow(**data)

    async def order(
        self, order_id: uuid.UUID, *, unit_id: uuid.UUID, for_update: bool = False
    ) -> SamplingOrderRow | None:
        """The order when it is in the sampling unit's scope (a site order not booked at
        another unit), whatever its status; locked for the transaction with `for_update`."""
        row = (
            await self._session.execute(
                _ONE_FOR_UPDATE if for_update else _ONE, {"id": order_id, "unit": unit_id}
            )
        ).one_or_none()
        return None if row is None else self._order(row)

    async def orders_of_citizen(self, personnummer: str) -> list[SamplingOrderRow]:
        """Every site order of the citizen still to be sampled, of any region and unit."""
        citizen = self._protector.lookup_hash(personnummer)
        rows = await self._session.execute(_OF_CITIZEN, {"citizen": citizen})
        return [self._order(r) for r in rows]

    async def booked(
        self, unit_id: uuid.UUID, *, start: datetime, end: datetime
    ) -> list[SamplingOrderRow]:
        rows = await self._session.execute(_BOOKED, {"unit": unit_id, "start": start, "end": end})
        return [self._order(r) for r in rows]

    async def sampled_here(
        self, unit_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[int, list[SampledOrderRow]]:
        # The count on its own (an index-only scan of the unit's entries) and the page on its
        # own (a walk of the index to the page): a count(*) OVER () in the page query would
        # read every order the unit ever sampled, on every page (issue 12).
        rows = list(
            await self._session.execute(
                _SAMPLED_HERE, {"unit": unit_id, "limit": limit, "offset": offset}
            )
        )
        total = int(
            (await self._session.execute(_COUNT_SAMPLED_HERE, {"unit": unit_id})).scalar_one()
        )
        items = []
        for r in rows:
            data = dict(r._mapping)
            encrypted = data.pop("citizen_encrypted")
            data["personnummer"] = self._protector.decrypt(
                encrypted, context=data["citizen_hash"]
            ).decode()
            items.append(SampledOrderRow(**data))
        return total, items

    async def laboratories(self, unit_id: uuid.UUID) -> list[LaboratoryRef]:
        """The laboratories in use the sampling unit takes samples for."""
        rows = await self._session.execute(_LABORATORIES, {"unit": unit_id})
        return [LaboratoryRef(**r._mapping) for r in rows]

    async def laboratory(self, laboratory_id: uuid.UUID) -> LaboratoryRef:
        """An order's locked laboratory (also when the unit no longer serves it)."""
        row = (await self._session.execute(_LABORATORY, {"id": laboratory_id})).one()
        return LaboratoryRef(**row._mapping)

    async def lines(
        self, order_id: uuid.UUID, *, laboratory_id: uuid.UUID | None
    ) -> list[MappedLine]:
        """The order's lines with the laboratory's codes (None where it maps none; all None
        without a laboratory)."""
        rows = await self._session.execute(_LINES, {"id": order_id, "lab": laboratory_id})
        return [MappedLine(**r._mapping) for r in rows]

    async def is_customer(self, *, laboratory_id: uuid.UUID, care_unit_id: uuid.UUID) -> bool:
        return bool(
            (
                await self._session.execute(
                    _IS_CUSTOMER, {"lab": laboratory_id, "unit": care_unit_id}
                )
            ).scalar_one()
        )

    async def set_sampled(
        self,
        order_id: uuid.UUID,
        state: OrderState,
        *,
        sampling_unit_id: uuid.UUID,
        sampled_by_hsa_id: str,
        result_care_unit_id: uuid.UUID,
    ) -> bool:
        """Stores the sampled state (domain.orders.mark_sampled); False when the order was
        no longer to be sampled (then nothing changed)."""
        moved = (
            await self._session.execute(
                _SET_SAMPLED,
                {
                    "id": order_id,
                    "sampled_at": state.sampled_at,
                    "handled_at": state.handled_at,
                    "lab": state.laboratory_id,
                    "unit": sampling_unit_id,
                    "by": sampled_by_hsa_id,
                    "recipient": result_care_unit_id,
                    "version": state.version,
                },
            )
        ).scalar_one_or_none()
        return moved is not None
