"""Orders (beställningar) and their lifecycle (SPEC §3)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from domain.errors import Conflict, InvalidInput, NotFound
from domain.offers import SamplingMethod, Visibility


class OrderStatus(StrEnum):
    ORDERED = "ordered"  # Beställd
    HANDLED = "handled"  # Hanterad
    SAMPLED = "sampled"  # Provtagen
    ANSWERED = "answered"  # Besvarad
    CANCELLED = "cancelled"  # Ångrad
    EXPIRED = "expired"  # Utgången
    REJECTED = "rejected"  # Avvisad: refused by an integration platform or laboratory


def result_recipient(
    *,
    visibility: Visibility,
    assigning_care_unit_id: uuid.UUID | None,
    offer_result_care_unit_id: uuid.UUID,
) -> uuid.UUID:
    """The care unit that registers and follows up the order's result (*svarsmottagare*,
    `orders.result_care_unit_id`), decided when the order is placed and kept from then on:
    for an offer assigned to the patient (manual 4.9), the unit that assigned it (the newest
    active assignment when several units assigned it, manual 4.10); otherwise the offer's
    result-receiving unit."""
    if visibility is Visibility.PERSONAL and assigning_care_unit_id is not None:
        return assigning_care_unit_id
    return offer_result_care_unit_id


ONGOING = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED})
FINISHED = frozenset(
    {OrderStatus.ANSWERED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REJECTED}
)


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
    if order.status in (OrderStatus.EXPIRED, OrderStatus.REJECTED):
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


def may_be_deleted(status: OrderStatus, *, results: int) -> bool:
    """Deleting is for a result and its order (manual 3.7). An ongoing order without a
    result is cancelled (*Ångra*), not deleted; a finished order (answered, cancelled,
    expired) and one that already has a result may be deleted."""
    return status not in ONGOING or results > 0


class OrderNotDeletable(Conflict):
    """An ongoing order without a result: it is cancelled, not deleted."""


def counts_against_usage_limit(status: OrderStatus) -> bool:
    """A cancelled order gives its use back; every other order keeps counting, deleted or
    not."""
    return status is not OrderStatus.CANCELLED


# The process steps the citizen's order shows with their dates (manual 2.6): Beställd,
# Hanterad (the validity counts from here), Provtagen, Besvarad.
PROCESS_STEPS = (
    OrderStatus.ORDERED,
    OrderStatus.HANDLED,
    OrderStatus.SAMPLED,
    OrderStatus.ANSWERED,
)


def process_steps(
    *,
    ordered_at: datetime,
    handled_at: datetime | None,
    sampled_at: datetime | None,
    answered_at: datetime | None,
) -> list[tuple[OrderStatus, datetime | None]]:
    """Each step with the time the order reached it (None: not yet)."""
    return list(zip(PROCESS_STEPS, (ordered_at, handled_at, sampled_at, answered_at), strict=True))


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


# --- moving an order on: Hanterad and Provtagen (SPEC §3, manual 2.6 and 4.2) ---------------


@dataclass(frozen=True, slots=True)
class OrderState:
    """What the lifecycle transitions read and write of an order."""

    status: OrderStatus
    created_at: datetime
    handled_at: datetime | None = None
    expires_at: datetime | None = None
    sampled_at: datetime | None = None
    laboratory_id: uuid.UUID | None = None
    version: int = 1
    rejected_at: datetime | None = None


class OrderStatusConflict(Conflict):
    """The order's current status does not allow the step (answered as 409 with the current
    state, so the client can show what happened instead)."""

    def __init__(self, detail: str, *, state: OrderState) -> None:
        super().__init__(detail)
        self.state = state

    @property
    def problem_extensions(self) -> dict[str, object]:
        state = self.state
        # Not "status": that member of a problem is the HTTP status.
        return {
            "order_status": state.status.value,
            "version": state.version,
            "sampled_at": state.sampled_at.isoformat() if state.sampled_at else None,
            "laboratory_id": str(state.laboratory_id) if state.laboratory_id else None,
        }


class OrderAlreadySampled(OrderStatusConflict):
    """The order was sampled already: its laboratory and sampling date are locked."""


def mark_handled(order: OrderState, *, now: datetime, validity_days: int) -> OrderState:
    """Beställd → Hanterad: labels printed or the order marked received (manual flow), or
    fetched by an integration platform. The validity countdown starts here (manual 2.6)."""
    if order.status is not OrderStatus.ORDERED:
        raise OrderStatusConflict(
            f"only an ordered order can be handled; this one is {order.status.value}",
            state=order,
        )
    return replace(
        order,
        status=OrderStatus.HANDLED,
        handled_at=now,
        expires_at=expires_at(handled_at=now, validity_days=validity_days),
        version=order.version + 1,
    )


SAMPLEABLE = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED})


def check_sampling_time(
    sampled_at: datetime | None, *, now: datetime, ordered_at: datetime
) -> datetime:
    """The sampling time is required, carries a time zone, is not in the future and not
    before the order was placed. Raises InvalidInput naming `sampled_at`."""
    if sampled_at is None:
        raise InvalidInput("sampled_at", "enter the sampling time", code="required")
    if sampled_at.tzinfo is None:
        raise InvalidInput("sampled_at", "give a time zone (e.g. +01:00)", code="timezone_required")
    if sampled_at > now:
        raise InvalidInput("sampled_at", "must not be in the future", code="in_future")
    if sampled_at < ordered_at:
        raise InvalidInput(
            "sampled_at", "must not be before the order was placed", code="before_order"
        )
    return sampled_at


def require_sampleable(order: OrderState) -> None:
    """Only an ordered or handled order may be sampled: a sampled one is locked
    (OrderAlreadySampled), a cancelled or expired one is over (OrderStatusConflict)."""
    if order.status in (OrderStatus.SAMPLED, OrderStatus.ANSWERED):
        raise OrderAlreadySampled(
            "the order is already sampled; its laboratory and sampling time are locked",
            state=order,
        )
    if order.status not in SAMPLEABLE:
        raise OrderStatusConflict(f"a {order.status.value} order cannot be sampled", state=order)


def mark_sampled(
    order: OrderState,
    *,
    sampled_at: datetime | None,
    laboratory_id: uuid.UUID,
    now: datetime,
) -> OrderState:
    """Beställd/Hanterad → Provtagen: the sampling time is registered and the laboratory
    chosen; from now on both are locked (a second sampling is refused, reprints leave them
    as they are). An order sampled straight from Beställd was handled at the same moment
    (its labels were printed)."""
    require_sampleable(order)
    when = check_sampling_time(sampled_at, now=now, ordered_at=order.created_at)
    return replace(
        order,
        status=OrderStatus.SAMPLED,
        handled_at=order.handled_at or now,
        sampled_at=when,
        laboratory_id=laboratory_id,
        version=order.version + 1,
    )


REJECTABLE = frozenset({OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED})


def mark_rejected(order: OrderState, *, reason: str, now: datetime) -> OrderState:
    """Beställd/Hanterad/Provtagen → Avvisad: an integration platform or the laboratory
    refuses the order or its sample (e.g. the sample could not be analysed), with a reason.
    Terminal: an answered, cancelled, expired or already rejected order cannot be."""
    if order.status not in REJECTABLE:
        raise OrderStatusConflict(f"a {order.status.value} order cannot be rejected", state=order)
    text = reason.strip()
    if not text:
        raise InvalidInput("reason", "give the reason for the rejection", code="required")
    _no_markup("reason", text)
    return replace(order, status=OrderStatus.REJECTED, rejected_at=now, version=order.version + 1)
