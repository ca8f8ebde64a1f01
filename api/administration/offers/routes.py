from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.offers import usecases
from api.administration.offers.schemas import OfferIn, OfferOut
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag

router = APIRouter()


def _details(body: OfferIn) -> usecases.OfferDetails:
    return usecases.OfferDetails(
        name=body.name,
        instructions=body.instructions,
        region_code=body.region_code,
        sampling_method=body.sampling_method,
        visibility=body.visibility,
        products=body.products,
        validity_days=body.validity_days,
        result_care_unit_hsa_id=body.result_care_unit_hsa_id,
        min_age=body.min_age,
        max_age=body.max_age,
        sex=body.sex,
        usage_limit=body.usage_limit,
        usage_period_days=body.usage_period_days,
        active_from=body.active_from,
        active_until=body.active_until,
        asks=body.asks.model_dump(),
        assigning_units=body.assigning_units,
        insight_texts={str(k): v for k, v in body.insight_texts.items()},
    )


@router.get("/offers", operation_id="listOffersAdmin")
async def list_offers_admin(
    admin: Annotated[Administrator, Depends(admin_access("list_offers"))],
    services: ServicesDep,
) -> list[OfferOut]:
    views = await administer(
        services, admin, lambda uow: usecases.list_offers(uow=uow, actor=admin.actor)
    )
    return [OfferOut.of(v) for v in views]


@router.get("/offers/{catalog_id}", operation_id="getOfferAdmin")
async def get_offer_admin(
    catalog_id: str,
    admin: Annotated[Administrator, Depends(admin_access("get_offer"))],
    services: ServicesDep,
    response: Response,
) -> OfferOut:
    view = await administer(
        services,
        admin,
        lambda uow: usecases.get_offer(uow=uow, actor=admin.actor, catalog_id=catalog_id),
    )
    set_etag(response, view.offer.version)
    return OfferOut.of(view)


@router.post("/offers", operation_id="createOffer", status_code=201)
async def create_offer(
    body: OfferIn,
    admin: Annotated[Administrator, Depends(admin_access("create_offer"))],
    services: ServicesDep,
    response: Response,
) -> OfferOut:
    view = await administer(
        services,
        admin,
        lambda uow: usecases.create_offer(
            uow=uow, actor=admin.actor, now=services.now(), details=_details(body)
        ),
    )
    set_etag(response, view.offer.version)
    return OfferOut.of(view)


@router.put("/offers/{catalog_id}", operation_id="updateOffer")
async def update_offer(
    catalog_id: str,
    body: OfferIn,
    admin: Annotated[Administrator, Depends(admin_access("update_offer"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """Saves a new version of the offer. Orders made from earlier versions keep them."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.update_offer(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            catalog_id=catalog_id,
            expected_version=expected,
            details=_details(body),
        ),
    )
    set_etag(response, view.offer.version)
    return OfferOut.of(view)


@router.post("/offers/{catalog_id}/retire", operation_id="retireOffer")
async def retire_offer(
    catalog_id: str,
    admin: Annotated[Administrator, Depends(admin_access("retire_offer"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """No longer offered to citizens; existing orders and results are unaffected."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.retire_offer(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            catalog_id=catalog_id,
            expected_version=expected,
        ),
    )
    set_etag(response, view.offer.version)
    return OfferOut.of(view)
