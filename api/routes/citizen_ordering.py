"""Citizen endpoints for offers, orders, kits and results (SPEC §4)."""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

import nh3
from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel, Field, field_validator

from adapters.db.repositories.offers import CitizenOfferRow
from adapters.db.repositories.orders import OrderRow
from api import ordering
from api.web.deps import CitizenSession, ServicesDep
from api.web.problems import PROBLEM_RESPONSES
from domain.codes import formatted
from domain.errors import InvalidInput

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="A unique key per intended order; a retry with the same key returns the "
        "first answer and creates nothing new.",
    ),
]
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"}


def sanitize_instructions(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"https"})


class RegionRef(BaseModel):
    code: str
    name: str


class OfferProduct(BaseModel):
    code: str
    name: str


class OfferSummary(BaseModel):
    catalog_id: str
    name: str
    sampling_method: Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]
    visibility: Literal["personal", "general", "nationwide"]
    region: RegionRef
    products: list[OfferProduct]
    validity_days: int


class Question(BaseModel):
    id: str
    text: str
    type: Literal["yes_no", "text"]
    required: bool


class OfferAsks(BaseModel):
    contact_details: bool
    delivery_address: bool
    order_key: bool
    sampling_datetime: bool
    questions: list[Question]


class SamplingPlaceOut(BaseModel):
    id: uuid.UUID
    name: str
    street: str
    postal_code: str
    city: str
    opening_hours: str | None


class OfferDetails(OfferSummary):
    instructions_html: str = Field(description="Sanitized HTML (p, lists, emphasis, https links)")
    asks: OfferAsks
    sampling_places: list[SamplingPlaceOut]


def _summary(row: CitizenOfferRow) -> dict[str, Any]:
    return {
        "catalog_id": row.rules.catalog_id,
        "name": row.name,
        "sampling_method": row.rules.sampling_method.value,
        "visibility": row.rules.visibility.value,
        "region": {"code": row.rules.region_code, "name": row.region_name},
        "products": [{"code": p.code, "name": p.name} for p in row.products],
        "validity_days": row.validity_days,
    }


@router.get("/offers", operation_id="listCitizenOffers")
async def list_offers(
    citizen: CitizenSession,
    services: ServicesDep,
    scope: Annotated[
        Literal["home", "other_regions"],
        Query(
            description="home: personal offers and those of your region; other_regions: "
            "nationwide offers of other regions (Visa provtagning i andra län)"
        ),
    ] = "home",
) -> list[OfferSummary]:
    """Offers this citizen may order now (age, sex, region and usage limits applied)."""
    rows = await ordering.list_offers(services, citizen, scope=scope)
    return [OfferSummary.model_validate(_summary(r)) for r in rows]


@router.get("/offers/{catalog_id}", operation_id="getCitizenOffer")
async def get_offer(
    catalog_id: Annotated[str, Field(max_length=32)],
    citizen: CitizenSession,
    services: ServicesDep,
) -> OfferDetails:
    """One offer, or 404 (no such offer) / 403 offer-not-available (exists, not for you)."""
    details, places = await ordering.offer_details(services, citizen, catalog_id)
    asks = details.asks
    return OfferDetails.model_validate(
        {
            **_summary(details.offer),
            "instructions_html": sanitize_instructions(details.instructions),
            "asks": {
                "contact_details": bool(asks.get("contact_details")),
                "delivery_address": bool(asks.get("delivery_address")),
                "order_key": bool(asks.get("order_key")),
                "sampling_datetime": bool(asks.get("sampling_datetime")),
                "questions": asks.get("questions", []),
            },
            "sampling_places": [asdict(p) for p in places],
        }
    )


class SlotOut(BaseModel):
    slot_id: uuid.UUID
    sampling_unit_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    free: int


@router.get("/offers/{catalog_id}/slots", operation_id="listFreeSlots")
async def list_slots(
    catalog_id: str,
    sampling_unit_id: uuid.UUID,
    citizen: CitizenSession,
    services: ServicesDep,
    days: Annotated[int, Query(ge=1, le=60)] = 14,
) -> list[SlotOut]:
    """Free times at a sampling place of an offer with time booking."""
    slots = await ordering.free_slots(
        services, citizen, catalog_id=catalog_id, sampling_unit_id=sampling_unit_id, days=days
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


_PHONE = r"^\+?[0-9 ()-]{6,20}$"
_EMAIL = r"^[^@\s<>]{1,64}@[^@\s<>]{1,255}\.[A-Za-z]{2,}$"


class ContactIn(BaseModel):
    phone: str | None = Field(default=None, pattern=_PHONE, max_length=20)
    email: str | None = Field(default=None, pattern=_EMAIL, max_length=254)


class AddressIn(BaseModel):
    care_of: str | None = Field(default=None, max_length=100)
    street: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(pattern=r"^\d{3} ?\d{2}$")
    city: str = Field(min_length=1, max_length=60)


class BookingIn(BaseModel):
    sampling_unit_id: uuid.UUID
    slot_id: uuid.UUID


class OrderIn(BaseModel):
    catalog_id: str = Field(min_length=1, max_length=32)
    contact: ContactIn | None = None
    delivery_address: AddressIn | None = None
    order_key: str | None = Field(default=None, max_length=50)
    sampling_datetime: datetime | None = None
    answers: dict[str, bool | Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=50
    )
    booking: BookingIn | None = None

    @field_validator("answers")
    @classmethod
    def _question_ids(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key):
                raise ValueError("question ids are short identifiers")
        return value


class ResultValue(BaseModel):
    analysis: str
    value: str
    unit: str | None = None
    reference_range: str | None = None
    flag: Literal["high", "low", "abnormal"] | None = None


class ResultOut(BaseModel):
    sampling_date: date
    version: int
    corrected: bool
    insight: Literal["positive", "negative", "technical_error", "answer"] | None
    values: list[ResultValue]
    comment: str | None
    received_at: datetime
    read: bool


class OrderLineOut(BaseModel):
    line_no: int
    product_code: str
    product_name: str
    result: ResultOut | None


class BookingOut(BaseModel):
    sampling_unit_id: uuid.UUID
    sampling_unit_name: str
    address: str
    starts_at: datetime


OrderStatusOut = Literal["ordered", "handled", "sampled", "answered", "cancelled", "expired"]


SamplingMethodOut = Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]
CancelRefusalOut = Literal[
    "already_cancelled", "sampled", "delivery_started", "booked_time_passed", "finished"
]


class OrderSummary(BaseModel):
    order_id: uuid.UUID
    rid: str
    offer_name: str
    sampling_method: SamplingMethodOut
    status: OrderStatusOut
    created_at: datetime
    expires_at: datetime | None
    booking_starts_at: datetime | None
    sampling_unit_name: str | None
    results: int
    unread_results: int


class OrderDetails(OrderSummary):
    catalog_id: str
    version: int = Field(description="Send as If-Match when cancelling")
    booking: BookingOut | None
    lines: list[OrderLineOut]
    contact: ContactIn | None
    delivery_address: AddressIn | None
    can_cancel: bool
    cancel_refusal: CancelRefusalOut | None = Field(description="Why cancelling is not possible")
    sampling_places: list[SamplingPlaceOut] = Field(
        description="For drop-in sampling: where the citizen can go"
    )


def _summary_of(order: OrderRow) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "rid": formatted(order.rid),
        "offer_name": order.offer_name,
        "sampling_method": order.sampling_method,
        "status": order.status,
        "created_at": order.created_at,
        "expires_at": order.expires_at,
        "booking_starts_at": order.booked_start,
        "sampling_unit_name": order.sampling_unit_name,
        "results": order.results,
        "unread_results": order.unread_results,
    }


def render_order(view: ordering.OrderView) -> dict[str, Any]:
    order = view.order
    booking = None
    if order.booked_start is not None and order.sampling_unit_id is not None:
        booking = {
            "sampling_unit_id": order.sampling_unit_id,
            "sampling_unit_name": order.sampling_unit_name,
            "address": order.sampling_unit_address,
            "starts_at": order.booked_start,
        }
    lines = []
    for line in view.lines:
        result = None
        if line.result_id is not None and line.payload is not None:
            result = {
                "sampling_date": line.sampling_date,
                "version": line.version,
                "corrected": (line.version or 1) > 1,
                "insight": line.insight,
                "values": line.payload.get("values", []),
                "comment": line.payload.get("comment"),
                "received_at": line.received_at,
                "read": line.read_at is not None,
            }
        lines.append(
            {
                "line_no": line.line_no,
                "product_code": line.product_code,
                "product_name": line.product_name,
                "result": result,
            }
        )
    details = OrderDetails.model_validate(
        {
            **_summary_of(order),
            "catalog_id": order.catalog_id,
            "version": order.version,
            "booking": booking,
            "lines": lines,
            "contact": view.answers.get("contact"),
            "delivery_address": view.answers.get("delivery_address"),
            "can_cancel": view.cancel_refusal is None,
            "cancel_refusal": view.cancel_refusal,
            "sampling_places": [asdict(p) for p in view.sampling_places],
        }
    )
    rendered: dict[str, Any] = details.model_dump(mode="json")
    return rendered


@router.post("/orders", operation_id="placeOrder", status_code=201)
async def place_order(
    body: OrderIn,
    citizen: CitizenSession,
    services: ServicesDep,
    idempotency_key: IdempotencyKey,
) -> OrderDetails:
    """Slutför beställningen: creates the order and, for offers with time booking, books the
    chosen time in the same transaction."""
    response = await ordering.place_order(
        services,
        citizen,
        ordering.OrderRequest(
            catalog_id=body.catalog_id,
            contact=body.contact.model_dump() if body.contact else None,
            delivery_address=body.delivery_address.model_dump() if body.delivery_address else None,
            order_key=body.order_key,
            sampling_datetime=body.sampling_datetime,
            answers=body.answers,
            sampling_unit_id=body.booking.sampling_unit_id if body.booking else None,
            slot_id=body.booking.slot_id if body.booking else None,
        ),
        idempotency_key=idempotency_key,
        render=render_order,
    )
    return OrderDetails.model_validate(response)


class KitIn(BaseModel):
    kit_number: str = Field(min_length=1, max_length=30)
    rid: str = Field(min_length=1, max_length=30)


@router.post("/kits", operation_id="registerKit", status_code=201)
async def register_kit(
    body: KitIn,
    citizen: CitizenSession,
    services: ServicesDep,
    idempotency_key: IdempotencyKey,
) -> OrderDetails:
    """Registrera provtagningskit: binds a pre-labelled kit to the citizen (once)."""
    response = await ordering.register_kit(
        services,
        citizen,
        kit_number=body.kit_number,
        rid=body.rid,
        idempotency_key=idempotency_key,
        render=render_order,
    )
    return OrderDetails.model_validate(response)


@router.get("/orders", operation_id="listCitizenOrders")
async def list_orders(
    citizen: CitizenSession,
    services: ServicesDep,
    state: Annotated[Literal["ongoing", "previous"], Query()] = "ongoing",
) -> list[OrderSummary]:
    """Pågående (ongoing) or Tidigare (previous) beställningar."""
    rows = await ordering.list_orders(services, citizen, ongoing=state == "ongoing")
    return [OrderSummary.model_validate(_summary_of(r)) for r in rows]


@router.get("/orders/{order_id}", operation_id="getCitizenOrder")
async def get_order(
    order_id: uuid.UUID, citizen: CitizenSession, services: ServicesDep
) -> OrderDetails:
    view = await ordering.get_order(services, citizen, order_id)
    return OrderDetails.model_validate(render_order(view))


@router.post("/orders/{order_id}/cancel", operation_id="cancelOrder")
async def cancel_order(
    order_id: uuid.UUID,
    citizen: CitizenSession,
    services: ServicesDep,
    if_match: Annotated[str | None, Header(alias="If-Match", max_length=20)] = None,
) -> OrderDetails:
    """Ångra beställning. With If-Match (the order's version) a stale view answers 412."""
    version = None
    if if_match is not None:
        stripped = if_match.strip().strip('"').removeprefix("W/").strip('"')
        if not stripped.isdigit():
            raise InvalidInput("If-Match", "the order's version number")
        version = int(stripped)
    view = await ordering.cancel_order(services, citizen, order_id, if_match=version)
    return OrderDetails.model_validate(render_order(view))


@router.post("/orders/{order_id}/results/read", operation_id="markResultsRead", status_code=204)
async def mark_results_read(
    order_id: uuid.UUID, citizen: CitizenSession, services: ServicesDep
) -> Response:
    """The citizen has seen the results (care sees this in the worklist)."""
    await ordering.mark_results_read(services, citizen, order_id)
    return Response(status_code=204)


class DeleteIn(BaseModel):
    confirm_personnummer: str = Field(min_length=10, max_length=13)


@router.post("/orders/{order_id}/delete", operation_id="deleteOrder", status_code=204)
async def delete_order(
    order_id: uuid.UUID, body: DeleteIn, citizen: CitizenSession, services: ServicesDep
) -> Response:
    """Deletes the order and its results for good; confirmed by typing one's personnummer."""
    await ordering.delete_order(
        services, citizen, order_id, confirm_personnummer=body.confirm_personnummer
    )
    return Response(status_code=204)
