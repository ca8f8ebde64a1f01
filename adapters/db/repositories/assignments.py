"""Personal offers assigned to patients (Tilldela erbjudande, Tilldelade erbjudanden).
Every query is scoped to the care unit the staff member works at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

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


# Tilldelade erbjudanden: the sorts the list offers, each the key of an index of the unit's
# active assignments (migration 0014) — the SQL expression and its type. Personnummer and
# name are encrypted and have no order in the database: they are not sorts (ADR 10).
ListingSort = Literal["assigned_at", "last_used_at", "times_used", "assigned_by_name"]
LISTING_SORTS: dict[ListingSort, tuple[str, str]] = {
    "assigned_at": ("a.assigned_at", "timestamptz"),
    # A never-used assignment counts as the oldest use: the key is never NULL.
    "last_used_at": ("coalesce(a.last_used_at, '-infinity'::timestamptz)", "timestamptz"),
    "times_used": ("a.times_used", "integer"),
    # As the column shows it: the name, else the HSA-id (rows from before names were kept).
    "assigned_by_name": ("coalesce(a.assigned_by_name, a.assigned_by_hsa_id)", "text"),
}


def listing_value(sort: ListingSort, value: str) -> str:
    """A cursor's sort key as the page statement reads it (canonical text of the key's
    type); ValueError when it cannot be one — a cursor is client input."""
    kind = LISTING_SORTS[sort][1]
    if kind == "timestamptz":
        if value == "-infinity":
            return value
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            raise ValueError("a time without its offset")
        return when.isoformat()
    if kind == "integer":
        number = int(value)
        if not -(2**31) <= number < 2**31:
            raise ValueError("out of range")
        return str(number)
    if len(value) > 200 or any(ord(c) < 32 for c in value):
        raise ValueError("not a name")
    return value


@dataclass(frozen=True, slots=True)
class ListingPosition:
    """Where a row stands in a sorted listing: its sort key (as PostgreSQL writes it as
    text, so that it reads back exactly) and its id."""

    value: str
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ListedAssignment:
    row: AssignmentRow
    position: ListingPosition


@cache
def _page_statement(
    sort: ListingSort, *, descending: bool, by_offer: bool, after: bool
) -> TextClause:
    """The page query of one sort, direction and filter: the key and the id in the index's
    order (forwards or backwards), the cursor as a row comparison the index starts from."""
    key, key_type = LISTING_SORTS[sort]
    direction, past = ("DESC", "<") if descending else ("ASC", ">")
    conditions = ["a.removed_at IS NULL", "a.assigning_care_unit_id = :unit"]
    if by_offer:
        conditions.append("a.catalog_id = :catalog_id")
    if after:
        conditions.append(
            f"({key}, a.id) {past} (CAST(CAST(:after_value AS text) AS {key_type}),"
            " CAST(:after_id AS uuid))"
        )
    return text(
        f"{_LISTED} CAST({key} AS text) AS sort_value"
        f"{_LISTED_FROM} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {key} {direction}, a.id {direction} LIMIT :limit"
    )


_LISTED = """
    SELECT a.id, a.personnummer_encrypted, a.personnummer_hash, a.catalog_id,
           o.name AS offer_name, a.times_used, a.last_used_at, a.assigned_at,
           a.assigned_by_hsa_id, a.assigned_by_name,
           c.hsa_id AS care_unit_hsa_id, c.name AS care_unit_name,"""
_LISTED_FROM = """
      FROM assigned_offers a
      JOIN offers o ON o.catalog_id = a.catalog_id AND o.is_current
      JOIN care_units c ON c.id = a.assigning_care_unit_id
"""
_COUNT = text(
    "SELECT count(*) FROM (SELECT 1 FROM assigned_offers a"
    " WHERE a.removed_at IS NULL AND a.assigning_care_unit_id = :unit LIMIT :up_to) AS s"
)
_COUNT_OFFER = text(
    "SELECT count(*) FROM (SELECT 1 FROM assigned_offers a"
    " WHERE a.removed_at IS NULL AND a.assigning_care_unit_id = :unit"
    " AND a.catalog_id = :catalog_id LIMIT :up_to) AS s"
)


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
        return self._row_of(dict(r._mapping))  # type: ignore[attr-defined]

    def _row_of(self, data: dict[str, Any]) -> AssignmentRow:
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

    async def page_for_unit(
        self,
        care_unit_id: uuid.UUID,
        *,
        sort: ListingSort,
        descending: bool,
        catalog_id: str | None,
        after: ListingPosition | None,
        limit: int,
    ) -> list[ListedAssignment]:
        """One page of the unit's active assignments in the order of `sort` (then id), after
        the position a cursor names: a walk of that sort's index, `limit` rows long however
        many the unit has (ADR 10). Only the page's personnummer are decrypted."""
        statement = _page_statement(
            sort, descending=descending, by_offer=catalog_id is not None, after=after is not None
        )
        params: dict[str, object] = {"unit": care_unit_id, "limit": limit}
        if catalog_id is not None:
            params["catalog_id"] = catalog_id
        if after is not None:
            params["after_value"], params["after_id"] = after.value, after.id
        rows = await self._session.execute(statement, params)
        listed = []
        for r in rows:
            data = dict(r._mapping)
            position = ListingPosition(value=data.pop("sort_value"), id=data["id"])
            listed.append(ListedAssignment(row=self._row_of(data), position=position))
        return listed

    async def count_for_unit(
        self, care_unit_id: uuid.UUID, *, catalog_id: str | None, up_to: int
    ) -> int:
        """How many active assignments the unit has (of one offer), counted up to `up_to`:
        an index-only scan of at most that many entries, so a unit with half a million
        assignments costs what one with `up_to` does."""
        params: dict[str, object] = {"unit": care_unit_id, "up_to": up_to}
        if catalog_id is not None:
            params["catalog_id"] = catalog_id
        statement = _COUNT if catalog_id is None else _COUNT_OFFER
        return int((await self._session.execute(statement, params)).scalar_one())

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
