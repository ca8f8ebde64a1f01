"""The ordering capability's request and response models, and how a use case's result
becomes one (offers, order details). `OrderDetails` is also the answer of kit registration."""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Header
from pydantic import BaseModel, Field, field_validator

from adapters.db.repositories.offers import CitizenOfferRow
from adapters.db.repositories.orders import OrderRow
from adapters.html import sanitize_instructions
from api.ordering.usecases import OfferWithPlaces, OrderRequest, OrderView
from api.web.schemas import RequestModel
from domain.codes import formatted
from domain.orders import process_steps

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


def offer_summary_document(row: CitizenOfferRow) -> dict[str, Any]:
    """`OfferSummary`'s JSON document, built without the model: every value is already of
    its declared type (api/web/responses.py)."""
    return {
        "catalog_id": row.rules.catalog_id,
        "name": row.name,
        "sampling_method": row.rules.sampling_method.value,
        "visibility": row.rules.visibility.value,
        "region": {"code": row.rules.region_code, "name": row.region_name},
        "products": [{"code": p.code, "name": p.name} for p in row.products],
        "validity_days": row.validity_days,
    }


def offer_details(offer: OfferWithPlaces) -> OfferDetails:
    details = offer.details
    asks = details.asks
    return OfferDetails.model_validate(
        {
            **offer_summary_document(details.offer),
            "instructions_html": sanitize_instructions(details.instructions),
            "asks": {
                "contact_details": bool(asks.get("contact_details")),
                "delivery_address": bool(asks.get("delivery_address")),
                "order_key": bool(asks.get("order_key")),
                "sampling_datetime": bool(asks.get("sampling_datetime")),
                "questions": asks.get("questions", []),
            },
            "sampling_places": [asdict(p) for p in offer.sampling_places],
        }
    )


class SlotOut(BaseModel):
    slot_id: uuid.UUID
    sampling_unit_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    free: int


_PHONE = r"^\+?[0-9 ()-]{6,20}$"
_EMAIL = r"^[^@\s<>]{1,64}@[^@\s<>]{1,255}\.[A-Za-z]{2,}$"


class ContactIn(RequestModel):
    phone: str | None = Field(default=None, pattern=_PHONE, max_length=20)
    email: str | None = Field(default=None, pattern=_EMAIL, max_length=254)


class AddressIn(RequestModel):
    care_of: str | None = Field(default=None, max_length=100)
    street: str = Field(min_length=1, max_length=100)
    postal_code: str = Field(pattern=r"^\d{3} ?\d{2}$")
    city: str = Field(min_length=1, max_length=60)


class BookingIn(RequestModel):
    sampling_unit_id: uuid.UUID
    slot_id: uuid.UUID


class OrderIn(RequestModel):
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

    def order_request(self) -> OrderRequest:
        return OrderRequest(
            catalog_id=self.catalog_id,
            contact=self.contact.model_dump() if self.contact else None,
            delivery_address=self.delivery_address.model_dump() if self.delivery_address else None,
            order_key=self.order_key,
            sampling_datetime=self.sampling_datetime,
            answers=self.answers,
            sampling_unit_id=self.booking.sampling_unit_id if self.booking else None,
            slot_id=self.booking.slot_id if self.booking else None,
        )


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
    insight_text: str | None = Field(
        description="What the insight means, as configured for the result's template, its "
        "offer or by default (null: the result has no insight)"
    )
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


OrderStatusOut = Literal[
    "ordered", "handled", "sampled", "answered", "cancelled", "expired", "rejected"
]


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


class CitizenOrdersPage(BaseModel):
    """A page of the citizen's orders, newest first."""

    items: list[OrderSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` (with the same state and offer) for the next page "
        "(*Visa fler*); null on the last page"
    )


class ProcessStep(BaseModel):
    step: Literal["ordered", "handled", "sampled", "answered"]
    at: datetime | None = Field(description="When the order reached the step (null: not yet)")


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
    steps: list[ProcessStep] = Field(
        description="The process steps with their dates: Beställd, Hanterad (the validity "
        "counts from here), Provtagen, Besvarad"
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


def order_summary(order: OrderRow) -> OrderSummary:
    return OrderSummary.model_validate(_summary_of(order))


def order_details(view: OrderView) -> OrderDetails:
    return OrderDetails.model_validate(order_details_document(view))


def order_details_document(view: OrderView) -> dict[str, Any]:
    """OrderDetails' document from already-typed values (api/web/responses.py): what a
    `Document` answers without building the model. Nested values from stored JSON (the
    answers' contact and address, a result's values) are given every field of their model,
    as the model's own dump would."""
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
                "insight_text": line.insight_text,
                "values": [
                    _with_fields(v, _RESULT_VALUE_FIELDS) for v in line.payload.get("values", [])
                ],
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
    contact = view.answers.get("contact")
    address = view.answers.get("delivery_address")
    return {
        **_summary_of(order),
        "catalog_id": order.catalog_id,
        "version": order.version,
        "booking": booking,
        "lines": lines,
        "contact": None if contact is None else _with_fields(contact, _CONTACT_FIELDS),
        "delivery_address": None if address is None else _with_fields(address, _ADDRESS_FIELDS),
        "can_cancel": view.cancel_refusal is None,
        "cancel_refusal": None if view.cancel_refusal is None else view.cancel_refusal.value,
        "sampling_places": [asdict(p) for p in view.sampling_places],
        "steps": [
            {"step": step.value, "at": at}
            for step, at in process_steps(
                ordered_at=order.created_at,
                handled_at=order.handled_at,
                sampled_at=order.sampled_at,
                answered_at=order.answered_at,
            )
        ],
    }


_CONTACT_FIELDS = tuple(ContactIn.model_fields)
_ADDRESS_FIELDS = tuple(AddressIn.model_fields)
_RESULT_VALUE_FIELDS = tuple(ResultValue.model_fields)


def _with_fields(stored: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    # Every field of the model, in its order; a field the stored JSON lacks is null.
    return {name: stored.get(name) for name in names}


def stored_order_details(view: OrderView) -> dict[str, Any]:
    """The answer of an idempotent call (api/web/idempotency.py renders the first answer and
    a retry's alike; only the order's id is stored under the key): OrderDetails' document,
    for a `Document` to serialise."""
    return order_details_document(view)
