"""Citizen endpoints of ordering: offers, their details and free times, placing an order,
the citizen's orders and cancelling one (SPEC §4.2–4.5, §4.7)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from pydantic import Field

from api.ordering import usecases
from api.ordering.schemas import (
    CitizenOrdersPage,
    IdempotencyKey,
    OfferDetails,
    OfferSummary,
    OrderDetails,
    OrderIn,
    SlotOut,
    offer_details,
    offer_summary_document,
    order_details,
    order_summary,
    stored_order_details,
)
from api.web.deps import CitizenDep, CitizenSession, ServicesDep, current_citizen_with_services
from api.web.etag import optional_version
from api.web.idempotency import run_idempotent
from api.web.problems import PROBLEM_RESPONSES, Problem
from api.web.responses import Document
from api.web.run import in_transaction
from domain.errors import InvalidInput

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


_SCOPE_TEXT = (
    "home: personal offers and those of your region; other_regions: nationwide offers of "
    "other regions (Visa provtagning i andra län)"
)
_SCOPES: dict[str, Literal["home", "other_regions"]] = {
    "home": "home",
    "other_regions": "other_regions",
}


@router.get(
    "/offers",
    operation_id="listCitizenOffers",
    response_model=list[OfferSummary],
    # `scope` is read by the route (below), and documented here as FastAPI documents a
    # query parameter: its per-request parameter machinery cost ≈ 57 k instructions, 3 % of
    # the offer list (issue 12, part 3). tests/integration/test_citizen_ordering.py checks
    # that a bad scope is refused exactly as FastAPI refused it.
    openapi_extra={
        "parameters": [
            {
                "description": _SCOPE_TEXT,
                "in": "query",
                "name": "scope",
                "required": False,
                "schema": {
                    "default": "home",
                    "description": _SCOPE_TEXT,
                    "enum": ["home", "other_regions"],
                    "title": "Scope",
                    "type": "string",
                },
            }
        ]
    },
)
async def list_offers(request: Request) -> Document:
    """Offers this citizen may order now (age, sex, region and usage limits applied)."""
    citizen = await current_citizen_with_services(request)
    scope = _SCOPES.get(request.query_params.get("scope", "home"))
    if scope is None:
        raise InvalidInput(
            "query.scope", "Input should be 'home' or 'other_regions'", code="literal_error"
        )
    services = citizen.services
    now = services.now()
    rows = await services.read(
        lambda reader: usecases.list_offers(
            reader=reader, actor=citizen.actor, now=now, protector=services.protector, scope=scope
        )
    )
    return Document([offer_summary_document(row) for row in rows])


@router.get("/offers/{catalog_id}", operation_id="getCitizenOffer")
async def get_offer(
    catalog_id: Annotated[str, Field(max_length=32)],
    citizen: CitizenSession,
    services: ServicesDep,
) -> OfferDetails:
    """One offer, or 404 (no such offer) / 403 offer-not-available (exists, not for you)."""
    now = services.now()
    offer = await services.read(
        lambda reader: usecases.offer_details(
            reader=reader,
            actor=citizen,
            now=now,
            protector=services.protector,
            catalog_id=catalog_id,
        )
    )
    return offer_details(offer)


@router.get("/offers/{catalog_id}/slots", operation_id="listFreeSlots")
async def list_slots(
    catalog_id: str,
    sampling_unit_id: uuid.UUID,
    citizen: CitizenSession,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=60)] = 14,
) -> list[SlotOut]:
    """Free times at a sampling place of an offer with time booking."""
    now = services.now()
    slots = await services.read(
        lambda reader: usecases.free_slots(
            reader=reader,
            actor=citizen,
            now=now,
            protector=services.protector,
            catalog_id=catalog_id,
            sampling_unit_id=sampling_unit_id,
            days=days,
        )
    )
    return [
        SlotOut(
            slot_id=s.id,
            sampling_unit_id=s.sampling_unit_id,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            free=s.free,
        )
        for s in slots
    ]


@router.post(
    "/orders",
    operation_id="placeOrder",
    status_code=201,
    response_model=OrderDetails,
    responses={
        404: {
            "model": Problem,
            "content": {"application/problem+json": {}},
            "description": "offer-not-found; or order-not-found for a retry (the same "
            "Idempotency-Key) whose order has been deleted since: nothing of it is replayed",
        }
    },
)
async def place_order(
    body: OrderIn,
    citizen: CitizenDep,
    idempotency_key: IdempotencyKey,
) -> Document:
    """Slutför beställningen: creates the order and, for offers with time booking, books the
    chosen time in the same transaction."""
    services, actor = citizen.services, citizen.actor
    now = services.now()
    answer = await run_idempotent(
        services,
        actor=actor,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.place_order(
            uow=uow,
            actor=actor,
            now=now,
            protector=services.protector,
            idempotency=idempotency,
            request=body.order_request(),
        ),
        order_of=lambda view: view.order.id,
        replay=lambda uow, order_id: usecases.get_order(
            uow=uow, actor=actor, now=now, protector=services.protector, order_id=order_id
        ),
        render=stored_order_details,
        status_code=201,
    )
    # The stored answer is the model's JSON document already (stored_order_details).
    return Document(answer.body, status_code=answer.status_code)


@router.get("/orders", operation_id="listCitizenOrders")
async def list_orders(
    citizen: CitizenSession,
    services: ServicesDep,
    state: Annotated[Literal["ongoing", "previous"], Query()] = "ongoing",
    catalog_id: Annotated[
        str | None, Query(min_length=1, max_length=32, description="Only orders of this offer")
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the page before")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CitizenOrdersPage:
    """Pågående (ongoing) or Tidigare (previous) beställningar, newest first, a page at a
    time (*Visa fler* follows `next_cursor`)."""
    page = await services.read(
        lambda reader: usecases.list_orders(
            reader=reader,
            actor=citizen,
            protector=services.protector,
            ongoing=state == "ongoing",
            catalog_id=catalog_id,
            cursor=cursor,
            limit=limit,
        )
    )
    return CitizenOrdersPage(
        items=[order_summary(row) for row in page.orders], next_cursor=page.next_cursor
    )


@router.get("/orders/{order_id}", operation_id="getCitizenOrder")
async def get_order(
    order_id: uuid.UUID, citizen: CitizenSession, services: ServicesDep
) -> OrderDetails:
    view = await in_transaction(
        services,
        lambda uow: usecases.get_order(
            uow=uow,
            actor=citizen,
            now=services.now(),
            protector=services.protector,
            order_id=order_id,
        ),
    )
    return order_details(view)


@router.post("/orders/{order_id}/cancel", operation_id="cancelOrder")
async def cancel_order(
    order_id: uuid.UUID,
    citizen: CitizenSession,
    services: ServicesDep,
    if_match: Annotated[str | None, Header(alias="If-Match", max_length=20)] = None,
) -> OrderDetails:
    """Ångra beställning. With If-Match (the order's version) a stale view answers 412. An
    order that is already cancelled answers 200 with the order as it is (a double click or a
    retry succeeds), whatever If-Match says."""
    expected = optional_version(if_match)
    view = await in_transaction(
        services,
        lambda uow: usecases.cancel_order(
            uow=uow,
            actor=citizen,
            now=services.now(),
            protector=services.protector,
            order_id=order_id,
            expected_version=expected,
        ),
    )
    return order_details(view)
