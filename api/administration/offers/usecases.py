"""Offers: list, read, create, change (a new version) and retire, within the
administrator's regions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from adapters.db.models import Offer
from adapters.db.uow import UnitOfWork
from adapters.html import sanitize_instructions
from api.administration.editing import edit, found, record_change
from domain.access import admin_scope
from domain.actors import StaffActor
from domain.administration import ZONE, require_known_region, require_region
from domain.offers import (
    CareUnitFacts,
    OfferDefinition,
    check_offer_care_units,
    check_offer_definition,
    require_known_products,
    require_performable,
    require_same_region,
)
from domain.result_registration import validate_insight_texts


@dataclass(frozen=True, slots=True)
class OfferView:
    offer: Offer
    products: list[str]
    assigning_units: list[str]  # care units' HSA-ids
    result_care_unit_hsa_id: str


@dataclass(frozen=True, slots=True)
class OfferDetails:
    """An offer as the administrator gives it, for a new offer or a new version."""

    name: str
    instructions: str  # HTML, sanitized before it is stored
    region_code: str
    sampling_method: str
    visibility: str
    products: Sequence[str]
    validity_days: int
    result_care_unit_hsa_id: str
    min_age: int | None
    max_age: int | None
    sex: str | None
    usage_limit: int | None
    usage_period_days: int | None
    active_from: date | None
    active_until: date | None
    asks: dict[str, Any]
    assigning_units: Sequence[str]  # care units' HSA-ids
    # The citizen's text per insight for this offer's results (manual 3.5); an insight
    # without one shows the default.
    insight_texts: Mapping[str, str] = field(default_factory=dict)

    def definition(self) -> OfferDefinition:
        return OfferDefinition(
            region_code=self.region_code,
            sampling_method=self.sampling_method,
            visibility=self.visibility,
            products=self.products,
            result_care_unit_hsa_id=self.result_care_unit_hsa_id,
            assigning_units=self.assigning_units,
            asks_delivery_address=bool(self.asks.get("delivery_address")),
            min_age=self.min_age,
            max_age=self.max_age,
            usage_limit=self.usage_limit,
            usage_period_days=self.usage_period_days,
            active_from=self.active_from,
            active_until=self.active_until,
        )


async def _views(uow: UnitOfWork, offers: Sequence[Offer]) -> list[OfferView]:
    """Products, assigning units and result units of all the offers in three statements."""
    products = await uow.offers_admin.products([o.id for o in offers])
    assigning = await uow.offers_admin.assigning_units([o.catalog_id for o in offers])
    result_units = await uow.care_units.hsa_ids([o.result_care_unit_id for o in offers])
    return [
        OfferView(
            offer=offer,
            products=products[offer.id],
            assigning_units=assigning[offer.catalog_id],
            result_care_unit_hsa_id=result_units[offer.result_care_unit_id],
        )
        for offer in offers
    ]


async def _view(uow: UnitOfWork, offer: Offer) -> OfferView:
    return (await _views(uow, [offer]))[0]


async def _validated(uow: UnitOfWork, details: OfferDetails) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Checks the offer on its own and against the rest of the configuration; returns the
    result unit's id and the assigning units' ids."""
    require_known_region(details.region_code)
    definition = details.definition()
    check_offer_definition(definition)
    require_known_products(
        details.products, active_codes=await uow.products.active_codes(details.products)
    )
    units = await uow.care_units.by_hsa_ids(
        [details.result_care_unit_hsa_id, *details.assigning_units]
    )
    check_offer_care_units(
        definition,
        {
            hsa_id: CareUnitFacts(
                hsa_id=hsa_id, region_code=unit.region_code, retired=unit.retired_at is not None
            )
            for hsa_id, unit in units.items()
        },
    )
    result_unit = units[details.result_care_unit_hsa_id]
    require_performable(
        product_codes=details.products,
        customer_lab_mappings=await uow.laboratories.customer_lab_mappings(result_unit.id),
    )
    return result_unit.id, [units[h].id for h in details.assigning_units]


async def _save_version(
    uow: UnitOfWork,
    actor: StaffActor,
    details: OfferDetails,
    *,
    catalog_id: str,
    version: int,
) -> Offer:
    result_unit_id, assigning = await _validated(uow, details)
    offer = await uow.offers_admin.add_version(
        catalog_id=catalog_id,
        version=version,
        region_code=details.region_code,
        name=details.name,
        instructions=sanitize_instructions(details.instructions),
        sampling_method=details.sampling_method,
        visibility=details.visibility,
        asks=details.asks,
        validity_days=details.validity_days,
        result_care_unit_id=result_unit_id,
        min_age=details.min_age,
        max_age=details.max_age,
        sex=details.sex,
        usage_limit=details.usage_limit,
        usage_period_days=details.usage_period_days,
        active_from=details.active_from,
        active_until=details.active_until,
        created_by_hsa_id=actor.hsa_id,
        product_codes=details.products,
        insight_texts=validate_insight_texts("insight_texts", details.insight_texts),
    )
    await uow.offers_admin.set_assigning_units(catalog_id, assigning)
    return offer


async def list_offers(*, uow: UnitOfWork, actor: StaffActor) -> list[OfferView]:
    scope = admin_scope(actor.context)
    offers = await uow.offers_admin.current(None if scope.national else sorted(scope.region_codes))
    return await _views(uow, offers)


async def get_offer(*, uow: UnitOfWork, actor: StaffActor, catalog_id: str) -> OfferView:
    offer = found(await uow.offers_admin.current_version(catalog_id), "offer")
    require_region(actor.context, offer.region_code)
    return await _view(uow, offer)


async def create_offer(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, details: OfferDetails
) -> OfferView:
    require_region(actor.context, details.region_code)
    catalog_id = await uow.offers_admin.next_catalog_id()
    offer = await _save_version(uow, actor, details, catalog_id=catalog_id, version=1)
    await record_change(
        uow, actor=actor, now=now, action="create_offer", catalog_id=catalog_id, version=1
    )
    view = await _view(uow, offer)
    await uow.commit()
    return view


async def update_offer(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    catalog_id: str,
    expected_version: int | None,
    details: OfferDetails,
) -> OfferView:
    """Saves a new version of the offer. Orders made from earlier versions keep them."""

    async def new_version(current: Offer) -> Offer:
        require_same_region(current=current.region_code, proposed=details.region_code)
        return await _save_version(
            uow, actor, details, catalog_id=catalog_id, version=current.version + 1
        )

    return await edit(
        uow,
        await uow.offers_admin.current_version(catalog_id, for_update=True),
        what="offer",
        actor=actor,
        now=now,
        action="update_offer",
        expected_version=expected_version,
        authorize=lambda offer: require_region(actor.context, offer.region_code),
        change=new_version,
        details=lambda offer: {"catalog_id": catalog_id, "version": offer.version},
        view=lambda offer: _view(uow, offer),
        # The new version is a row of its own, saved with its number.
        new_version=False,
    )


async def retire_offer(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    catalog_id: str,
    expected_version: int | None,
) -> OfferView:
    """No longer offered to citizens; existing orders and results are unaffected. The
    version stays: retiring is not a new definition of the offer."""

    async def retire(offer: Offer) -> Offer:
        offer.retired_at = now
        offer.active_until = now.astimezone(ZONE).date() - timedelta(days=1)
        return offer

    return await edit(
        uow,
        await uow.offers_admin.current_version(catalog_id, for_update=True),
        what="offer",
        actor=actor,
        now=now,
        action="retire_offer",
        expected_version=expected_version,
        authorize=lambda offer: require_region(actor.context, offer.region_code),
        change=retire,
        details=lambda _offer: {"catalog_id": catalog_id},
        view=lambda offer: _view(uow, offer),
        new_version=False,
    )
