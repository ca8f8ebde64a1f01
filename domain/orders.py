"""Orders (beställningar) and their lifecycle (SPEC §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import Conflict
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
