"""Orders (beställningar) and their lifecycle (SPEC §3)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from domain.errors import Conflict, InvalidInput, NotFound
from domain.offers import SamplingMethod


class OrderStatus(StrEnum):
    ORDERED = "ordered"  # Beställd
    HANDLED = "handled"  # Hanterad
    SAMPLED = "sampled"  # Provtagen
    ANSWERED = "answered"  # Besvarad
    CANCELLED = "cancelled"  # Ångrad
    EXPIRED = "expired"  # Utgången


ONGOING = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED})
FINISHED = frozenset({OrderStatus.ANSWERED, OrderStatus.CANCELLED, OrderStatus.EXPIRED})


class CancelRefusal(StrEnum):
    ALREADY_CANCELLED = "already_cancelled"
    SAMPLED = "sampled"
    DELIVERY_STARTED = "delivery_started"
    BOOKED_TIME_PASSED = "booked_time_passed"
    FINISHED = "finished"


CANCEL_REFUSAL_TEXT = {
    CancelRefusal.ALREADY_CANCELLED: "the order is already cancelled",
    CancelRefusal.SAMPLED: "the sample has already been taken",
    CancelRefusal.DELIVERY_STARTED: "the home kit has already been sent",
    CancelRefusal.BOOKED_TIME_PASSED: "the booked sampling time has passed",
    CancelRefusal.FINISHED: "the order is finished",
}


@dataclass(frozen=True, slots=True)
class CancellableOrder:
    status: OrderStatus
    sampling_method: SamplingMethod
    booked_start: datetime | None


def cancel_refusal(order: CancellableOrder, *, now: datetime) -> CancelRefusal | None:
    """Cancelling is allowed until the sample is taken or a home kit is on its way, and never
    after a booked time has passed. None means allowed."""
    if order.status is OrderStatus.CANCELLED:
        return CancelRefusal.ALREADY_CANCELLED
    if order.status in (OrderStatus.SAMPLED, OrderStatus.ANSWERED):
        return CancelRefusal.SAMPLED
    if order.status is OrderStatus.EXPIRED:
        return CancelRefusal.FINISHED
    if order.status is OrderStatus.HANDLED and order.sampling_method in (
        SamplingMethod.HOME_KIT,
        SamplingMethod.ANONYMOUS_KIT,
    ):
        return CancelRefusal.DELIVERY_STARTED
    if order.booked_start is not None and order.booked_start <= now:
        return CancelRefusal.BOOKED_TIME_PASSED
    return None


class OrderCannotBeCancelled(Conflict):
    def __init__(self, reason: CancelRefusal) -> None:
        super().__init__(CANCEL_REFUSAL_TEXT[reason])
        self.reason = reason


def expires_at(*, handled_at: datetime, validity_days: int) -> datetime:
    """Validity counts from Hanterad (SPEC §3)."""
    return handled_at + timedelta(days=validity_days)


class OrderForm(Protocol):
    """What the citizen filled in (the API's parsed request satisfies this)."""

    @property
    def contact(self) -> Mapping[str, str | None] | None: ...
    @property
    def delivery_address(self) -> Mapping[str, str | None] | None: ...
    @property
    def order_key(self) -> str | None: ...
    @property
    def sampling_datetime(self) -> datetime | None: ...
    @property
    def answers(self) -> Mapping[str, str | bool]: ...


_MARKUP = re.compile(r"[<>]")


def _no_markup(field: str, value: str | None) -> None:
    # Free text is shown to staff and printed on labels: no markup in it at all.
    if value is not None and _MARKUP.search(value):
        raise InvalidInput(field, "must not contain < or >", code="markup")


def validated_answers(asks: Mapping[str, Any], form: OrderForm, *, now: datetime) -> dict[str, Any]:
    """What the offer asks (SPEC §2: contact details, delivery address, order key, sampling
    date/time, questions), checked field by field against what the citizen filled in;
    returns what is stored with the order. Raises InvalidInput naming the field."""
    stored: dict[str, Any] = {}
    if asks.get("contact_details"):
        contact = form.contact or {}
        if not (contact.get("phone") or contact.get("email")):
            raise InvalidInput(
                "contact", "give a mobile number or an e-mail address", code="required"
            )
    if form.contact:
        stored["contact"] = dict(form.contact)
    if asks.get("delivery_address"):
        if form.delivery_address is None:
            raise InvalidInput(
                "delivery_address", "the offer needs a delivery address", code="required"
            )
        for name, value in form.delivery_address.items():
            _no_markup(f"delivery_address.{name}", value)
        stored["delivery_address"] = dict(form.delivery_address)
    if asks.get("order_key"):
        if not form.order_key:
            raise InvalidInput("order_key", "the offer needs an order key", code="required")
        _no_markup("order_key", form.order_key)
        stored["order_key"] = form.order_key
    if asks.get("sampling_datetime") and form.sampling_datetime is None:
        raise InvalidInput(
            "sampling_datetime", "the offer needs a sampling date and time", code="required"
        )
    if form.sampling_datetime is not None:
        if form.sampling_datetime.tzinfo is None:
            raise InvalidInput(
                "sampling_datetime", "give a time zone (e.g. +01:00)", code="timezone_required"
            )
        if form.sampling_datetime < now:
            raise InvalidInput("sampling_datetime", "must not be in the past", code="in_past")
        stored["sampling_datetime"] = form.sampling_datetime.isoformat()
    questions = {q["id"]: q for q in asks.get("questions", [])}
    for question_id in form.answers:
        if question_id not in questions:
            raise InvalidInput(
                f"answers.{question_id}", "the offer asks no such question", code="unknown"
            )
    answers: dict[str, Any] = {}
    for question_id, question in questions.items():
        answer = form.answers.get(question_id)
        if answer is None or answer == "":
            if question.get("required"):
                raise InvalidInput(
                    f"answers.{question_id}", "this question must be answered", code="required"
                )
            continue
        if question.get("type") == "yes_no" and not isinstance(answer, bool):
            raise InvalidInput(f"answers.{question_id}", "answer yes or no", code="yes_no")
        if isinstance(answer, str):
            _no_markup(f"answers.{question_id}", answer)
        answers[question_id] = answer
    stored["answers"] = answers
    return stored


class OrderNotFound(NotFound):
    """No such order, or not one the actor may know of."""


class SlotNotAvailable(Conflict):
    """The chosen time was taken (or closed) before the booking."""
