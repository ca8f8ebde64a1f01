"""Offers, versioned: editing saves a new version."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from adapters.db.uow import UnitOfWork
from api.routes.administration.common import (
    ZONE,
    HsaId,
    IfMatch,
    audit,
    check_version,
    etag,
    guarded,
    regions_filter,
    require_known_region,
    scope_of,
)
from api.routes.citizen_ordering import sanitize_instructions
from api.services import Services
from api.web.deps import ServicesDep, Staff, StaffSession
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    require_active,
    require_performable,
    require_region,
)

router = APIRouter()


class QuestionIO(BaseModel):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    text: str = Field(min_length=2, max_length=500)
    type: Literal["yes_no", "text"]
    required: bool


class OfferAsksIO(BaseModel):
    contact_details: bool = True
    delivery_address: bool = False
    order_key: bool = False
    sampling_datetime: bool = False
    questions: list[QuestionIO] = Field(default_factory=list, max_length=30)


class OfferIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    instructions: str = Field(min_length=1, max_length=20000)
    region_code: str = Field(min_length=2, max_length=2)
    sampling_method: Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]
    visibility: Literal["personal", "general", "nationwide"]
    products: list[str] = Field(min_length=1, max_length=30)
    validity_days: int = Field(ge=1, le=730)
    result_care_unit_hsa_id: HsaId
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["F", "M"] | None = None
    usage_limit: int | None = Field(default=None, ge=1, le=1000)
    usage_period_days: int | None = Field(default=None, ge=1, le=3650)
    active_from: date | None = None
    active_until: date | None = None
    asks: OfferAsksIO = Field(default_factory=OfferAsksIO)
    assigning_units: list[str] = Field(default_factory=list, max_length=500)


class OfferOut(OfferIn):
    catalog_id: str
    version: int
    retired: bool


async def _offers_out(uow: UnitOfWork, offers: Sequence[m.Offer]) -> list[OfferOut]:
    """Products, assigning units and result units of all the offers in three statements."""
    products = await uow.administration.offer_products([o.id for o in offers])
    assigning = await uow.administration.offer_assigning_units([o.catalog_id for o in offers])
    result_units = await uow.administration.care_unit_hsa_ids(
        [o.result_care_unit_id for o in offers]
    )
    return [
        _offer_model(
            offer,
            products=products[offer.id],
            assigning=assigning[offer.catalog_id],
            result_unit=result_units[offer.result_care_unit_id],
        )
        for offer in offers
    ]


async def _offer_out(uow: UnitOfWork, offer: m.Offer) -> OfferOut:
    return (await _offers_out(uow, [offer]))[0]


def _offer_model(
    offer: m.Offer, *, products: list[str], assigning: list[str], result_unit: str
) -> OfferOut:
    return OfferOut(
        catalog_id=offer.catalog_id,
        version=offer.version,
        retired=offer.retired_at is not None,
        name=offer.name,
        instructions=offer.instructions,
        region_code=offer.region_code,
        sampling_method=offer.sampling_method,
        visibility=offer.visibility,
        products=products,
        validity_days=offer.validity_days,
        result_care_unit_hsa_id=result_unit,
        min_age=offer.min_age,
        max_age=offer.max_age,
        sex=offer.sex,
        usage_limit=offer.usage_limit,
        usage_period_days=offer.usage_period_days,
        active_from=offer.active_from,
        active_until=offer.active_until,
        asks=OfferAsksIO(**offer.asks),
        assigning_units=assigning,
    )


async def _validated_offer(uow: UnitOfWork, body: OfferIn) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Checks the definition against the rest of the configuration; returns the result
    unit's id and the assigning units' ids."""
    require_known_region(body.region_code)
    if body.min_age is not None and body.max_age is not None and body.min_age > body.max_age:
        raise InvalidConfiguration("max_age", "must not be below min_age")
    if body.active_from and body.active_until and body.active_until < body.active_from:
        raise InvalidConfiguration("active_until", "must not be before active_from")
    if (body.usage_limit is None) != (body.usage_period_days is None):
        raise InvalidConfiguration("usage_period_days", "give both usage_limit and its period")
    if body.visibility == "personal" and not body.assigning_units:
        raise InvalidConfiguration("assigning_units", "a personal offer needs assigning units")
    if body.visibility != "personal" and body.assigning_units:
        raise InvalidConfiguration("assigning_units", "only personal offers are assigned")
    if body.sampling_method in ("home_kit",) and not body.asks.delivery_address:
        raise InvalidConfiguration("asks.delivery_address", "a home kit needs a delivery address")
    unknown = sorted(
        set(body.products) - await uow.administration.existing_product_codes(body.products)
    )
    if unknown:
        raise InvalidConfiguration("products", f"no national product code {unknown[0]}")
    units = await uow.administration.care_units_by_hsa(
        [body.result_care_unit_hsa_id, *body.assigning_units]
    )
    result_unit = units.get(body.result_care_unit_hsa_id)
    if result_unit is None or result_unit.retired_at is not None:
        raise InvalidConfiguration("result_care_unit_hsa_id", "no such active care unit")
    for hsa_id in body.assigning_units:
        unit = units.get(hsa_id)
        if unit is None or unit.region_code != body.region_code:
            raise InvalidConfiguration("assigning_units", f"{hsa_id} is no care unit of the region")
    require_performable(
        product_codes=body.products,
        customer_lab_mappings=await uow.administration.customer_lab_mappings(result_unit.id),
    )
    return result_unit.id, [units[h].id for h in body.assigning_units]


def _offer_row(
    body: OfferIn, *, catalog_id: str, version: int, result_unit_id: uuid.UUID, created_by: str
) -> m.Offer:
    return m.Offer(
        id=uuid.uuid4(),
        catalog_id=catalog_id,
        version=version,
        is_current=True,
        region_code=body.region_code,
        name=body.name,
        instructions=sanitize_instructions(body.instructions),
        sampling_method=body.sampling_method,
        visibility=body.visibility,
        asks=body.asks.model_dump(),
        validity_days=body.validity_days,
        result_care_unit_id=result_unit_id,
        min_age=body.min_age,
        max_age=body.max_age,
        sex=body.sex,
        usage_limit=body.usage_limit,
        usage_period_days=body.usage_period_days,
        active_from=body.active_from,
        active_until=body.active_until,
        created_by_hsa_id=created_by,
    )


async def _offer_in_scope(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    catalog_id: str,
    action: str,
    *,
    for_update: bool = False,
) -> m.Offer:
    offer = await uow.administration.current_offer(catalog_id, for_update=for_update)
    if offer is None:
        raise ConfigurationNotFound("no such offer")
    await guarded(
        services, staff, f"admin:{action}", lambda: require_region(staff.context, offer.region_code)
    )
    return offer


async def _save_offer_version(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    body: OfferIn,
    *,
    catalog_id: str,
    version: int,
    action: str,
) -> OfferOut:
    result_unit_id, assigning = await _validated_offer(uow, body)
    offer = _offer_row(
        body,
        catalog_id=catalog_id,
        version=version,
        result_unit_id=result_unit_id,
        created_by=staff.context.hsa_id,
    )
    await uow.administration.new_offer_version(offer, body.products)
    await uow.administration.set_assigning_units_for_offer(catalog_id, assigning)
    await audit(uow, services, staff, action, catalog_id=catalog_id, version=version)
    return await _offer_out(uow, offer)


@router.get("/offers", operation_id="listOffersAdmin")
async def list_offers_admin(staff: StaffSession, services: ServicesDep) -> list[OfferOut]:
    scope = await scope_of(services, staff, "admin:list_offers")
    async with services.uow() as uow:
        return await _offers_out(
            uow, await uow.administration.current_offers(regions_filter(scope))
        )


@router.get("/offers/{catalog_id}", operation_id="getOfferAdmin")
async def get_offer_admin(
    catalog_id: str, staff: StaffSession, services: ServicesDep, response: Response
) -> OfferOut:
    await scope_of(services, staff, "admin:get_offer")
    async with services.uow() as uow:
        offer = await _offer_in_scope(uow, services, staff, catalog_id, "get_offer")
        out = await _offer_out(uow, offer)
    etag(response, out.version)
    return out


@router.post("/offers", operation_id="createOffer", status_code=201)
async def create_offer(
    body: OfferIn, staff: StaffSession, services: ServicesDep, response: Response
) -> OfferOut:
    await scope_of(services, staff, "admin:create_offer")
    await guarded(
        services,
        staff,
        "admin:create_offer",
        lambda: require_region(staff.context, body.region_code),
    )
    async with services.uow() as uow:
        out = await _save_offer_version(
            uow,
            services,
            staff,
            body,
            catalog_id=await uow.administration.next_catalog_id(),
            version=1,
            action="create_offer",
        )
        await uow.commit()
    etag(response, out.version)
    return out


@router.put("/offers/{catalog_id}", operation_id="updateOffer")
async def update_offer(
    catalog_id: str,
    body: OfferIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """Saves a new version of the offer. Orders made from earlier versions keep them."""
    await scope_of(services, staff, "admin:update_offer")
    async with services.uow() as uow:
        current = await _offer_in_scope(
            uow, services, staff, catalog_id, "update_offer", for_update=True
        )
        check_version(current.version, if_match)
        require_active(current.retired_at, "offer")
        if body.region_code != current.region_code:
            raise InvalidConfiguration("region_code", "an offer stays in its region")
        out = await _save_offer_version(
            uow,
            services,
            staff,
            body,
            catalog_id=catalog_id,
            version=current.version + 1,
            action="update_offer",
        )
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/offers/{catalog_id}/retire", operation_id="retireOffer")
async def retire_offer(
    catalog_id: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """No longer offered to citizens; existing orders and results are unaffected."""
    await scope_of(services, staff, "admin:retire_offer")
    async with services.uow() as uow:
        offer = await _offer_in_scope(
            uow, services, staff, catalog_id, "retire_offer", for_update=True
        )
        check_version(offer.version, if_match)
        require_active(offer.retired_at, "offer")
        offer.retired_at = services.now()
        offer.active_until = services.now().astimezone(ZONE).date() - timedelta(days=1)
        await audit(uow, services, staff, "retire_offer", catalog_id=catalog_id)
        out = await _offer_out(uow, offer)
        await uow.commit()
    etag(response, out.version)
    return out
