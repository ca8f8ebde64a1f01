"""Personal offers assigned to patients (Tilldela erbjudande, Tilldelade erbjudanden).
Every query is scoped to the care unit the staff member works at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.identity_numbers import LegalSex


@dataclass(frozen=True, slots=True)
class AssignableOffer:
    catalog_id: str
    name: str
    sampling_method: str
    validity_days: int
    products: list[str]
    # Whom the offer is for (domain.assignment.Audience).
    min_age: int | None = None
    max_age: int | None = None
    sex: LegalSex | None = None


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    id: uuid.UUID
    personnummer: str
    personnummer_hash: bytes
    catalog_id: str
    offer_name: str
    times_used: int
    last_used_at: datetime | None
    assigned_at: datetime
    assigned_by_hsa_id: str
    assigned_by_name: str | None
    care_unit_hsa_id: str
    care_unit_name: str


_ASSIGNABLE = text(
    """
    SELECT o.catalog_id, o.name, o.sampling_method, o.validity_days,
           o.min_age, o.max_age, o.sex,
           (SELECT coalesce(array_agg(p.name ORDER BY p.name), '{}')
              FROM offer_products op JOIN products p ON p.code = op.product_code
             WHERE op.offer_id = o.id) AS products
      FROM offers o
      JOIN offer_assigning_units u ON u.catalog_id = o.catalog_id
     WHERE u.care_unit_id = :unit AND o.is_current AND o.visibility = 'personal'
       AND o.retired_at IS NULL
       AND (o.active_from IS NULL OR o.active_from <= :today)
       AND (o.active_until IS NULL OR o.active_until >= :today)
     ORDER BY o.name
    """
)

_ASSIGNMENTS = """
    SELECT a.id, a.personnummer_encrypted, a.personnummer_hash, a.catalog_id,
           o.name AS offer_name, a.times_used, a.last_used_at, a.assigned_at,
           a.assigned_by_hsa_id, a.assigned_by_name,
           c.hsa_id AS care_unit_hsa_id, c.name AS care_unit_name
      FROM assigned_offers a
      JOIN offers o ON o.catalog_id = a.catalog_id AND o.is_current
      JOIN care_units c ON c.id = a.assigning_care_unit_id
     WHERE a.removed_at IS NULL AND a.assigning_care_unit_id = :unit
"""


class AssignmentRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def care_unit_id(self, hsa_id: str) -> uuid.UUID | None:
        """The id of the care unit the staff member works at, None when it is not configured
        in this service or has been retired."""
        return (
            await self._session.execute(
                text("SELECT id FROM care_units WHERE hsa_id = :hsa_id AND retired_at IS NULL"),
                {"hsa_id": hsa_id},
            )
        ).scalar_one_or_none()

    async def assignable_offers(
        self, care_unit_id: uuid.UUID, *, today: date
    ) -> list[AssignableOffer]:
        rows = await self._session.execute(_ASSIGNABLE, {"unit": care_unit_id, "today": today})
        return [
            AssignableOffer(
                catalog_id=r.catalog_id,
                name=r.name,
                sampling_method=r.sampling_method,
                validity_days=r.validity_days,
                products=list(r.products),
                min_age=r.min_age,
                max_age=r.max_age,
                sex=r.sex,
            )
            for r in rows
        ]

    def _row(self, r: object) -> AssignmentRow:
        data = dict(r._mapping)  # type: ignore[attr-defined]
        encrypted = data.pop("personnummer_encrypted")
        data["personnummer"] = self._protector.decrypt(
            encrypted, context=data["personnummer_hash"]
        ).decode()
        return AssignmentRow(**data)

    async def for_patient(self, personnummer: str, care_unit_id: uuid.UUID) -> list[AssignmentRow]:
        rows = await self._session.execute(
            text(_ASSIGNMENTS + " AND a.personnummer_hash = :h ORDER BY a.assigned_at DESC"),
            {"unit": care_unit_id, "h": self._protector.lookup_hash(personnummer)},
        )
        return [self._row(r) for r in rows]

    async def for_unit(self, care_unit_id: uuid.UUID, *, limit: int) -> list[AssignmentRow]:
        rows = await self._session.execute(
            text(_ASSIGNMENTS + " ORDER BY a.assigned_at DESC LIMIT :limit"),
            {"unit": care_unit_id, "limit": limit},
        )
        return [self._row(r) for r in rows]

    async def assign(
        self,
        *,
        personnummer: str,
        catalog_id: str,
        care_unit_id: uuid.UUID,
        assigned_by_hsa_id: str,
        assigned_by_name: str | None,
        now: datetime,
    ) -> uuid.UUID | None:
        """None when this care unit has assigned the patient this offer already (one active
        assignment per patient, offer and care unit: several units may assign it)."""
        digest = self._protector.lookup_hash(personnummer)
        return (
            await self._session.execute(
                text(
                    "INSERT INTO assigned_offers (id, personnummer_hash, personnummer_encrypted,"
                    " catalog_id, assigning_care_unit_id, assigned_by_hsa_id, assigned_by_name,"
                    " assigned_at)"
                    " VALUES (:id, :h, :enc, :catalog_id, :unit, :by, :by_name, :now)"
                    # No conflict target: the only unique index it can meet is one active
                    # assignment per patient, offer and unit (migration 0006), and the
                    # statement runs unchanged on the schema before it.
                    " ON CONFLICT DO NOTHING RETURNING id"
                ),
                {
                    "id": uuid.uuid4(),
                    "h": digest,
                    "enc": self._protector.encrypt(personnummer.encode(), context=digest),
                    "catalog_id": catalog_id,
                    "unit": care_unit_id,
                    "by": assigned_by_hsa_id,
                    "by_name": assigned_by_name,
                    "now": now,
                },
            )
        ).scalar_one_or_none()

    async def remove(
        self, assignment_id: uuid.UUID, *, care_unit_id: uuid.UUID, now: datetime
    ) -> str | None:
        """Removes an assignment made at this unit; returns the patient's personnummer."""
        row = (
            await self._session.execute(
                text(
                    "UPDATE assigned_offers SET removed_at = :now WHERE id = :id"
                    " AND assigning_care_unit_id = :unit AND removed_at IS NULL"
                    " RETURNING personnummer_encrypted, personnummer_hash"
                ),
                {"id": assignment_id, "unit": care_unit_id, "now": now},
            )
        ).one_or_none()
        if row is None:
            return None
        return self._protector.decrypt(
            row.personnummer_encrypted, context=row.personnummer_hash
        ).decode()
