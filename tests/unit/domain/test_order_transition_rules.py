"""Hanterad and Provtagen (domain/orders.py): which orders may move on, what is set, and
what is locked once sampled."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import InvalidInput
from domain.orders import (
    OrderAlreadySampled,
    OrderState,
    OrderStatus,
    OrderStatusConflict,
    mark_handled,
    mark_sampled,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
ORDERED_AT = NOW - timedelta(days=2)
LAB = uuid.UUID("00000000-0000-0000-0000-00000000000a")


def _order(status: OrderStatus = OrderStatus.ORDERED, **fields: object) -> OrderState:
    return OrderState(status=status, created_at=ORDERED_AT, version=3, **fields)  # type: ignore[arg-type]


def test_handling_an_ordered_order_starts_the_validity_countdown() -> None:
    handled = mark_handled(_order(), now=NOW, validity_days=30)

    assert handled.status is OrderStatus.HANDLED
    assert handled.handled_at == NOW
    assert handled.expires_at == NOW + timedelta(days=30)
    assert handled.version == 4


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.HANDLED,
        OrderStatus.SAMPLED,
        OrderStatus.ANSWERED,
        OrderStatus.CANCELLED,
        OrderStatus.EXPIRED,
    ],
)
def test_only_an_ordered_order_can_be_handled(status: OrderStatus) -> None:
    with pytest.raises(OrderStatusConflict) as refused:
        mark_handled(_order(status), now=NOW, validity_days=30)

    assert refused.value.state.status is status


@pytest.mark.parametrize("status", [OrderStatus.ORDERED, OrderStatus.HANDLED])
def test_an_ordered_or_handled_order_can_be_sampled(status: OrderStatus) -> None:
    sampled_at = NOW - timedelta(minutes=5)

    sampled = mark_sampled(_order(status), sampled_at=sampled_at, laboratory_id=LAB, now=NOW)

    assert sampled.status is OrderStatus.SAMPLED
    assert sampled.sampled_at == sampled_at
    assert sampled.laboratory_id == LAB
    assert sampled.version == 4


def test_sampling_straight_from_ordered_also_sets_handled() -> None:
    sampled = mark_sampled(_order(), sampled_at=NOW, laboratory_id=LAB, now=NOW)

    assert sampled.handled_at == NOW


def test_sampling_a_handled_order_keeps_its_handled_time() -> None:
    handled_at = NOW - timedelta(days=1)

    sampled = mark_sampled(
        _order(OrderStatus.HANDLED, handled_at=handled_at),
        sampled_at=NOW,
        laboratory_id=LAB,
        now=NOW,
    )

    assert sampled.handled_at == handled_at


@pytest.mark.parametrize("status", [OrderStatus.SAMPLED, OrderStatus.ANSWERED])
def test_a_second_sampling_is_refused_and_lab_and_time_stay_locked(status: OrderStatus) -> None:
    first = NOW - timedelta(hours=1)
    order = _order(status, sampled_at=first, laboratory_id=LAB)

    with pytest.raises(OrderAlreadySampled) as refused:
        mark_sampled(order, sampled_at=NOW, laboratory_id=uuid.uuid4(), now=NOW)

    assert refused.value.problem_extensions == {
        "order_status": status.value,
        "version": 3,
        "sampled_at": first.isoformat(),
        "laboratory_id": str(LAB),
    }


@pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.EXPIRED])
def test_a_cancelled_or_expired_order_cannot_be_sampled(status: OrderStatus) -> None:
    with pytest.raises(OrderStatusConflict) as refused:
        mark_sampled(_order(status), sampled_at=NOW, laboratory_id=LAB, now=NOW)

    assert not isinstance(refused.value, OrderAlreadySampled)


def _time_refusal(sampled_at: datetime | None) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        mark_sampled(_order(), sampled_at=sampled_at, laboratory_id=LAB, now=NOW)
    assert refused.value.field == "sampled_at"
    return refused.value


def test_the_sampling_time_is_required() -> None:
    assert _time_refusal(None).code == "required"


def test_the_sampling_time_is_never_in_the_future() -> None:
    assert _time_refusal(NOW + timedelta(seconds=1)).code == "in_future"


def test_the_sampling_time_needs_a_time_zone() -> None:
    assert _time_refusal(datetime(2026, 12, 3, 9, 0)).code == "timezone_required"


def test_the_sampling_time_is_not_before_the_order_was_placed() -> None:
    assert _time_refusal(ORDERED_AT - timedelta(minutes=1)).code == "before_order"


def test_the_status_is_checked_before_the_time() -> None:
    order = _order(OrderStatus.SAMPLED, sampled_at=NOW, laboratory_id=LAB)

    with pytest.raises(OrderAlreadySampled):
        mark_sampled(order, sampled_at=NOW + timedelta(days=1), laboratory_id=LAB, now=NOW)
