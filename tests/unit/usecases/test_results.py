"""Deleting an order with its results (manual 3.7), on in-memory fakes: confirmed by the
citizen's own personnummer; only a result and its order, never an ongoing order without a
result; a deleted order's use still counts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from api.results import usecases
from domain.errors import InvalidInput
from domain.offers import SamplingMethod
from domain.orders import OrderNotDeletable, OrderNotFound, OrderStatus
from tests.unit.usecases.fakes_ordering import (
    KARIN,
    NOW,
    PROTECTOR,
    TOLVAN,
    FakeUnitOfWork,
    citizen,
)


async def delete(uow, order_id, confirm):
    await usecases.delete_order(
        uow=uow,
        actor=citizen(),
        now=NOW,
        protector=PROTECTOR,
        order_id=order_id,
        confirm_personnummer=confirm,
    )


async def test_deleting_needs_the_citizens_own_personnummer():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen())

    with pytest.raises(InvalidInput) as refused:
        await delete(uow, order_id, KARIN.value)

    assert (refused.value.field, refused.value.code) == (
        "confirm_personnummer",
        "not_own_personnummer",
    )
    assert order_id in uow.orders.orders
    assert uow.committed is False


async def test_a_confirmation_that_is_no_personnummer_is_refused_as_such():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen())

    with pytest.raises(InvalidInput) as refused:
        await delete(uow, order_id, "19901212-0000")

    assert refused.value.code == "invalid_personnummer"
    assert order_id in uow.orders.orders


async def test_deleting_removes_the_order_and_audits_only_that_it_happened():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(), status=OrderStatus.ANSWERED)

    await delete(uow, order_id, TOLVAN.formatted)

    assert uow.orders.orders == {}
    assert [(e.action, e.details) for e in uow.audit.events] == [("order_deleted", {})]
    assert uow.committed is True


@pytest.mark.parametrize("status", [OrderStatus.ORDERED, OrderStatus.HANDLED, OrderStatus.SAMPLED])
async def test_an_ongoing_order_without_a_result_is_cancelled_not_deleted(status):
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(), status=status)

    with pytest.raises(OrderNotDeletable):
        await delete(uow, order_id, TOLVAN.value)

    assert order_id in uow.orders.orders
    assert uow.orders.deleted_uses == []
    assert uow.committed is False


@pytest.mark.parametrize(
    ("status", "counted"),
    [(OrderStatus.ANSWERED, 1), (OrderStatus.EXPIRED, 1), (OrderStatus.CANCELLED, 0)],
)
async def test_a_deleted_order_keeps_counting_against_the_usage_limit_unless_cancelled(
    status, counted
):
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(), status=status)

    await delete(uow, order_id, TOLVAN.value)

    assert uow.orders.orders == {}
    assert len(uow.orders.deleted_uses) == counted


async def test_deleting_an_order_whose_time_has_passed_releases_nothing():
    uow = FakeUnitOfWork()
    slot = uow.orders.add_slot(uuid.uuid4(), free=0)
    order_id = uow.orders.add_order(
        citizen(),
        status=OrderStatus.ANSWERED,
        method=SamplingMethod.SITE_BOOKING,
        booked_start=NOW - timedelta(days=1),
        slot_id=slot,
    )

    await delete(uow, order_id, TOLVAN.value)

    assert uow.orders.released == []


async def test_another_citizens_order_cannot_be_deleted():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(KARIN))

    with pytest.raises(OrderNotFound):
        await delete(uow, order_id, TOLVAN.value)

    assert order_id in uow.orders.orders
