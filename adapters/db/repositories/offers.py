"""Offers as a citizen sees them. Hand-written SQL: listing is the hottest read of the
citizen app, and one statement returns offers, products, assignment and usage together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import text

from adapters.db.repositories import Executor, PreparedQuery
from domain.identity_numbers import LegalSex
from domain.offers import OfferRules, SamplingMethod, Visibility
from domain.orders import result_recipient

OfferScope = Literal["home", "other_regions"]


@dataclass(frozen=True, slots=True)
class ProductRef:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class CitizenOfferRow:
    offer_id: uuid.UUID
    version: int
    name: str
    region_name: str
    validity_days: int
    products: tuple[ProductRef, ...]
    rules: OfferRules
    assigned: bool
    uses_in_period: int


_OFFER_COLUMNS = """
    o.id, o.catalog_id, o.version, o.name, o.region_code, r.name AS region_name,
    o.sampling_method, o.visibility, o.validity_days, o.min_age, o.max_age, o.sex,
    o.usage_limit, o.usage_period_days, o.active_from, o.active_until,
    (SELECT coalesce(json_agg(json_build_object('code', p.code, 'name', p.name)
                              ORDER BY p.code), '[]'::json)
       FROM offer_products op JOIN products p ON p.code = op.product_code
      WHERE op.offer_id = o.id) AS products,
    EXISTS (SELECT 1 FROM assigned_offers a
             WHERE a.personnummer_hash = :citizen AND a.catalog_id = o.catalog_id
               AND a.removed_at IS NULL) AS assigned,
    -- Counted only where there is a limit to count against (domain.offers.unavailability
    -- reads it for nothing else): without one, every order of an unlimited offer would
    -- count all of the citizen's earlier orders of it, a cost growing with each order.
    CASE WHEN o.usage_limit IS NULL THEN CAST(0 AS bigint) ELSE (
    (SELECT count(*) FROM orders x
      WHERE x.citizen_hash = :citizen AND x.catalog_id = o.catalog_id
        AND x.status <> 'cancelled'
        AND x.created_at >= CAST(:now AS timestamptz)
                            - make_interval(days => coalesce(o.usage_period_days, 36500))
    ) + (
    -- Deleted orders still count (by day: a deletion counts from the first day of the period).
    SELECT CAST(coalesce(sum(u.uses), 0) AS bigint) FROM usage_counts u
      WHERE u.citizen_hash = :citizen AND u.catalog_id = o.catalog_id
        AND u.counted_on >= CAST((CAST(:now AS timestamptz)
                            - make_interval(days => coalesce(o.usage_period_days, 36500)))
                            AT TIME ZONE 'UTC' AS date)
    )) END AS uses_in_period
"""

_LIST_SQL = text(
    f"""
    SELECT {_OFFER_COLUMNS}
      FROM offers o JOIN regions r ON r.code = o.region_code
     WHERE o.is_current
       -- An anonymous kit is listed when it can be posted home (manual 3.2); one that is
       -- handed out only is registered, not ordered.
       AND (o.sampling_method <> 'anonymous_kit'
            OR coalesce(CAST(o.asks->>'delivery_address' AS boolean), false))
       AND CASE WHEN :scope = 'home' THEN
                 (o.region_code = :region AND o.visibility IN ('general', 'nationwide'))
                 OR (o.visibility = 'personal' AND EXISTS (
                       SELECT 1 FROM assigned_offers a
                        WHERE a.personnummer_hash = :citizen AND a.catalog_id = o.catalog_id
                          AND a.removed_at IS NULL))
            ELSE o.visibility = 'nationwide' AND o.region_code IS DISTINCT FROM :region
           END
     ORDER BY o.name
    """
)

_LIST = PreparedQuery(_LIST_SQL)

_ONE_SQL = text(
    f"""
    SELECT {_OFFER_COLUMNS}, o.instructions, o.asks, o.result_care_unit_id,
           -- The unit whose assignment the citizen orders under (domain.orders
           -- .result_recipient): the newest active one.
           (SELECT a.assigning_care_unit_id FROM assigned_offers a
             WHERE a.personnummer_hash = :citizen AND a.catalog_id = o.catalog_id
               AND a.removed_at IS NULL
             ORDER BY a.assigned_at DESC LIMIT 1) AS assigning_care_unit_id
      FROM offers o JOIN regions r ON r.code = o.region_code
     WHERE o.is_current AND o.catalog_id = :catalog_id
    """
)

# Prepared (see PreparedQuery): the offer's page and every order placed read it.
_ONE = PreparedQuery(_ONE_SQL)

_SAMPLING_PLACES = text(
    """
                SELECT su.id, su.name, su.street, su.postal_code, su.city, su.opening_hours
                  FROM sampling_units su
                  JOIN offers o ON o.id = :offer_id AND su.region_code = o.region_code
                 WHERE su.retired_at IS NULL AND EXISTS (
                       SELECT 1 FROM sampling_unit_laboratories sul
                        WHERE sul.sampling_unit_id = su.id AND EXISTS (
                              SELECT 1 FROM laboratories lab
                               WHERE lab.id = sul.laboratory_id AND lab.retired_at IS NULL)
                          AND NOT EXISTS (
                              SELECT 1 FROM offer_products op
                               WHERE op.offer_id = o.id AND NOT EXISTS (
                                     SELECT 1 FROM laboratory_product_mappings m
                                      WHERE m.laboratory_id = sul.laboratory_id
                                        AND m.product_code = op.product_code)))
                 ORDER BY su.name
                """
)
_FREE_SLOTS = text(
    """
                SELECT id, sampling_unit_id, starts_at, ends_at, capacity - booked AS free
                  FROM sampling_slots
                 WHERE sampling_unit_id = :unit AND starts_at > :after AND starts_at < :until
                   AND booked < capacity
                 ORDER BY starts_at
                 LIMIT 500
                """
)


# By value: a dict lookup, where calling the enum costs its metaclass's __call__ per row.
_VISIBILITIES = {v.value: v for v in Visibility}
_SAMPLING_METHODS = {m.value: m for m in SamplingMethod}


def _row(row: Any) -> CitizenOfferRow:
    # `row`: an asyncpg Record or a SQLAlchemy row mapping (both answer row["name"]).
    return CitizenOfferRow(
        offer_id=row["id"],
        version=row["version"],
        name=row["name"],
        region_name=row["region_name"],
        validity_days=row["validity_days"],
        products=tuple(ProductRef(code=p["code"], name=p["name"]) for p in row["products"]),
        rules=OfferRules(
            catalog_id=row["catalog_id"],
            region_code=row["region_code"],
            visibility=_VISIBILITIES[row["visibility"]],
            sampling_method=_SAMPLING_METHODS[row["sampling_method"]],
            min_age=row["min_age"],
            max_age=row["max_age"],
            sex=_sex(row["sex"]),
            usage_limit=row["usage_limit"],
            usage_period_days=row["usage_period_days"],
            active_from=row["active_from"],
            active_until=row["active_until"],
        ),
        assigned=row["assigned"],
        uses_in_period=row["uses_in_period"],
    )


def _sex(value: str | None) -> LegalSex | None:
    if value == "F":
        return "F"
    if value == "M":
        return "M"
    return None


@dataclass(frozen=True, slots=True)
class OfferDetailsRow:
    offer: CitizenOfferRow
    instructions: str
    asks: dict[str, Any]
    result_care_unit_id: uuid.UUID
    assigning_care_unit_id: uuid.UUID | None

    @property
    def result_recipient(self) -> uuid.UUID:
        """Where an order of this offer by this citizen sends its result."""
        return result_recipient(
            visibility=self.offer.rules.visibility,
            assigning_care_unit_id=self.assigning_care_unit_id,
            offer_result_care_unit_id=self.result_care_unit_id,
        )


@dataclass(frozen=True, slots=True)
class SamplingPlace:
    id: uuid.UUID
    name: str
    street: str
    postal_code: str
    city: str
    opening_hours: str | None

    @property
    def address(self) -> str:
        # The same text the order queries build (street, postal code and city).
        return f"{self.street}, {self.postal_code} {self.city}"


@dataclass(frozen=True, slots=True)
class FreeSlot:
    id: uuid.UUID
    sampling_unit_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    free: int


class OfferRepository:
    def __init__(self, session: Executor) -> None:
        self._session = session

    async def list_for_citizen(
        self, *, citizen_hash: bytes, region_code: str | None, scope: OfferScope, now: datetime
    ) -> list[CitizenOfferRow]:
        rows = await _LIST.fetch(
            self._session,
            citizen=citizen_hash,
            region=region_code,
            scope="home" if scope == "home" else "other",
            now=now,
        )
        return [_row(r) for r in rows]

    async def get_for_citizen(
        self, *, catalog_id: str, citizen_hash: bytes, now: datetime
    ) -> OfferDetailsRow | None:
        rows = await _ONE.fetch(self._session, catalog_id=catalog_id, citizen=citizen_hash, now=now)
        if not rows:
            return None
        row = rows[0]
        return OfferDetailsRow(
            offer=_row(row),
            instructions=row["instructions"],
            asks=row["asks"],
            result_care_unit_id=row["result_care_unit_id"],
            assigning_care_unit_id=row["assigning_care_unit_id"],
        )

    async def sampling_places(self, offer_id: uuid.UUID) -> list[SamplingPlace]:
        """Sampling units whose laboratories together perform every product of the offer:
        a unit is listed when one of its labs maps all of the offer's products."""
        rows = await self._session.execute(
            _SAMPLING_PLACES,
            {"offer_id": offer_id},
        )
        return [
            SamplingPlace(
                id=r.id,
                name=r.name,
                street=r.street,
                postal_code=r.postal_code,
                city=r.city,
                opening_hours=r.opening_hours,
            )
            for r in rows
        ]

    async def free_slots(
        self, *, sampling_unit_id: uuid.UUID, after: datetime, until: datetime
    ) -> list[FreeSlot]:
        rows = await self._session.execute(
            _FREE_SLOTS,
            {"unit": sampling_unit_id, "after": after, "until": until},
        )
        return [
            FreeSlot(
                id=r.id,
                sampling_unit_id=r.sampling_unit_id,
                starts_at=r.starts_at,
                ends_at=r.ends_at,
                free=r.free,
            )
            for r in rows
        ]
