"""The ordering use cases' rules, on in-memory fakes: what an order needs, what it books,
what it marks, and when cancelling is refused."""

from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import timedelta

import pytest

from api.ordering import usecases
from api.ordering.usecases import OrderRequest
from domain.errors import InvalidInput, StaleVersion
from domain.offers import (
    OfferNotAvailable,
    OfferNotFound,
    SamplingMethod,
    Unavailability,
    Visibility,
)
from domain.orders import (
    CancelRefusal,
    OrderCannotBeCancelled,
    OrderNotFound,
    OrderStatus,
    SlotNotAvailable,
)
from tests.unit.usecases.fakes_ordering import (
    KARIN,
    NOW,
    PROTECTOR,
    FakeIdempotentCall,
    FakeUnitOfWork,
    citizen,
    create_offer,
    create_place,
    hash_of,
)

HOME = {"street": "Landsvägen 12", "postal_code": "172 63", "city": "Sundbyberg"}


def order_request(
    catalog_id: str = "1001",
    *,
    sampling_unit_id: uuid.UUID | None = None,
    slot_id: uuid.UUID | None = None,
) -> OrderRequest:
    return OrderRequest(
        catalog_id=catalog_id,
        contact=None,
        delivery_address=None,
        order_key=None,
        sampling_datetime=None,
        answers={},
        sampling_unit_id=sampling_unit_id,
        slot_id=slot_id,
    )


async def place(uow, request, *, actor=None, idempotency=None):
    return await usecases.place_order(
        uow=uow,
        actor=actor or citizen(),
        now=NOW,
        protector=PROTECTOR,
        idempotency=idempotency or FakeIdempotentCall(),
        request=request,
    )


# --- placing an order --------------------------------------------------------------------


async def test_the_request_is_claimed_under_its_key_before_anything_is_read():
    uow, idempotency = FakeUnitOfWork(), FakeIdempotentCall()
    request = order_request("9999")

    with pytest.raises(OfferNotFound):
        await place(uow, request, idempotency=idempotency)

    assert idempotency.claims == [("place_order", asdict(request))]


async def test_placing_an_order_leaves_the_commit_to_the_idempotency_runner():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer())

    view = await place(uow, order_request())

    assert uow.committed is False
    assert list(uow.orders.orders) == [view.order.id]
    assert uow.audit.actions() == ["order_placed"]
    assert uow.audit.events[0].details == {"order_id": str(view.order.id)}


async def test_an_offer_with_a_usage_limit_is_counted_under_the_citizens_lock():
    uow = FakeUnitOfWork()
    offer = create_offer()
    limited = replace(
        offer,
        offer=replace(
            offer.offer, rules=replace(offer.offer.rules, usage_limit=4, usage_period_days=365)
        ),
    )
    uow.offers.add(limited)

    await place(uow, order_request())

    assert uow.orders.usage_locks == [(hash_of(citizen()), "1001")]


async def test_an_offer_without_a_usage_limit_takes_no_lock():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer())

    await place(uow, order_request())

    assert uow.orders.usage_locks == []


async def test_an_offer_with_time_booking_needs_a_place_and_a_time():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.SITE_BOOKING), [create_place()])

    with pytest.raises(InvalidInput) as refused:
        await place(uow, order_request())

    assert (refused.value.field, refused.value.code) == ("booking", "required")
    assert uow.orders.orders == {}


async def test_an_offer_without_time_booking_refuses_a_booking():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.HOME_KIT))

    with pytest.raises(InvalidInput) as refused:
        await place(uow, order_request(sampling_unit_id=uuid.uuid4(), slot_id=uuid.uuid4()))

    assert (refused.value.field, refused.value.detail) == (
        "booking",
        "this offer has no time booking",
    )
    assert uow.orders.orders == {}


async def test_a_booking_at_a_place_that_cannot_sample_the_offer_is_refused():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.SITE_BOOKING), [create_place()])
    elsewhere = uuid.uuid4()
    slot = uow.orders.add_slot(elsewhere)

    with pytest.raises(InvalidInput) as refused:
        await place(uow, order_request(sampling_unit_id=elsewhere, slot_id=slot))

    assert refused.value.field == "booking.sampling_unit_id"
    assert uow.orders.slots[slot].free == 1


async def test_a_time_taken_before_the_booking_is_refused_and_no_order_is_made():
    uow = FakeUnitOfWork()
    unit = create_place()
    uow.offers.add(create_offer(method=SamplingMethod.SITE_BOOKING), [unit])
    taken = uow.orders.add_slot(unit.id, free=0)

    with pytest.raises(SlotNotAvailable):
        await place(uow, order_request(sampling_unit_id=unit.id, slot_id=taken))

    assert uow.orders.orders == {}
    assert uow.audit.events == []


async def test_a_booked_order_takes_the_time_and_shows_where_and_when():
    uow = FakeUnitOfWork()
    unit = create_place()
    uow.offers.add(create_offer(method=SamplingMethod.SITE_BOOKING), [unit])
    slot = uow.orders.add_slot(unit.id, free=1)

    view = await place(uow, order_request(sampling_unit_id=unit.id, slot_id=slot))

    assert uow.orders.slots[slot].free == 0
    assert view.order.slot_id == slot
    assert view.order.booked_start == NOW + timedelta(days=2)
    assert view.order.sampling_unit_name == unit.name
    assert view.order.sampling_unit_address == "Storgatan 1, 141 86 Huddinge"
    assert view.cancel_refusal is None
    assert view.sampling_places == []


async def test_a_drop_in_order_lists_the_places_to_go():
    uow = FakeUnitOfWork()
    places = [create_place("A"), create_place("B")]
    uow.offers.add(create_offer(method=SamplingMethod.SITE_DROP_IN), places)

    view = await place(uow, order_request())

    assert view.sampling_places == places


async def test_a_protected_identity_ordering_a_home_kit_is_left_to_manual_handling():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.HOME_KIT))

    view = await place(uow, order_request(), actor=citizen(protected_identity=True))

    assert view.answers == {"answers": {}, "manual_handling": "protected_identity"}
    assert uow.orders.orders[view.order.id].answers == view.answers


async def test_an_unprotected_identity_ordering_a_home_kit_is_not_handled_manually():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.HOME_KIT))

    view = await place(uow, order_request())

    assert view.answers == {"answers": {}}


async def test_a_protected_identity_booking_a_site_needs_no_manual_handling():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.SITE_DROP_IN), [create_place()])

    view = await place(uow, order_request(), actor=citizen(protected_identity=True))

    assert view.answers == {"answers": {}}


async def test_ordering_an_assigned_offer_marks_the_assignment_used():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(visibility=Visibility.PERSONAL, assigned=True))

    await place(uow, order_request())

    assert uow.orders.assignments_used == [(hash_of(citizen()), "1001")]


async def test_ordering_a_general_offer_marks_no_assignment():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(visibility=Visibility.GENERAL))

    await place(uow, order_request())

    assert uow.orders.assignments_used == []


async def test_an_order_keeps_what_the_offer_asks_for():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(asks={"delivery_address": True}))
    request = OrderRequest(**{**asdict(order_request()), "delivery_address": HOME})

    view = await place(uow, request)

    assert view.answers == {"answers": {}, "delivery_address": HOME}


async def test_an_anonymous_kit_offer_is_registered_not_ordered():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(method=SamplingMethod.ANONYMOUS_KIT))

    with pytest.raises(OfferNotAvailable) as refused:
        await place(uow, order_request())

    assert refused.value.reason is Unavailability.REGISTER_KIT
    assert uow.orders.orders == {}


async def test_a_personal_offer_not_assigned_to_the_citizen_cannot_be_ordered():
    uow = FakeUnitOfWork()
    uow.offers.add(create_offer(visibility=Visibility.PERSONAL, assigned=False))

    with pytest.raises(OfferNotAvailable) as refused:
        await place(uow, order_request())

    assert refused.value.reason is Unavailability.NOT_ASSIGNED


# --- cancelling --------------------------------------------------------------------------


async def cancel(uow, order_id, *, expected_version=None):
    return await usecases.cancel_order(
        uow=uow,
        actor=citizen(),
        now=NOW,
        protector=PROTECTOR,
        order_id=order_id,
        expected_version=expected_version,
    )


async def test_cancelling_with_a_stale_version_is_refused_and_changes_nothing():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(), version=2)

    with pytest.raises(StaleVersion):
        await cancel(uow, order_id, expected_version=1)

    assert uow.orders.orders[order_id].row.status == OrderStatus.ORDERED
    assert uow.committed is False


async def test_cancelling_a_sampled_order_is_refused_with_the_reason():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(), status=OrderStatus.SAMPLED)

    with pytest.raises(OrderCannotBeCancelled) as refused:
        await cancel(uow, order_id)

    assert refused.value.reason is CancelRefusal.SAMPLED
    assert uow.audit.events == []
    assert uow.committed is False


async def test_cancelling_after_the_booked_time_is_refused():
    uow = FakeUnitOfWork()
    slot = uow.orders.add_slot(uuid.uuid4(), free=0)
    order_id = uow.orders.add_order(
        citizen(),
        method=SamplingMethod.SITE_BOOKING,
        booked_start=NOW - timedelta(minutes=1),
        slot_id=slot,
    )

    with pytest.raises(OrderCannotBeCancelled) as refused:
        await cancel(uow, order_id)

    assert refused.value.reason is CancelRefusal.BOOKED_TIME_PASSED
    assert uow.orders.released == []


async def test_cancelling_releases_the_booked_time_and_is_audited_and_committed():
    uow = FakeUnitOfWork()
    slot = uow.orders.add_slot(uuid.uuid4(), free=0)
    order_id = uow.orders.add_order(
        citizen(),
        method=SamplingMethod.SITE_BOOKING,
        booked_start=NOW + timedelta(days=1),
        slot_id=slot,
        version=3,
    )

    view = await cancel(uow, order_id, expected_version=3)

    assert view.order.status == OrderStatus.CANCELLED
    assert view.order.version == 4
    assert view.cancel_refusal is CancelRefusal.ALREADY_CANCELLED
    assert uow.orders.released == [slot]
    assert uow.audit.actions() == ["order_cancelled"]
    assert uow.committed is True


async def test_another_citizens_order_cannot_be_cancelled():
    uow = FakeUnitOfWork()
    order_id = uow.orders.add_order(citizen(KARIN))

    with pytest.raises(OrderNotFound):
        await cancel(uow, order_id)

    assert uow.orders.orders[order_id].row.status == OrderStatus.ORDERED


# --- reading ------------------------------------------------------------------------------


async def test_free_times_are_only_for_offers_with_time_booking():
    uow = FakeUnitOfWork()
    unit = create_place()
    uow.offers.add(create_offer(method=SamplingMethod.SITE_DROP_IN), [unit])

    with pytest.raises(InvalidInput) as refused:
        await usecases.free_slots(
            reader=uow,
            actor=citizen(),
            now=NOW,
            protector=PROTECTOR,
            catalog_id="1001",
            sampling_unit_id=unit.id,
            days=14,
        )

    assert (refused.value.field, refused.value.detail) == (
        "catalog_id",
        "this offer has no time booking",
    )


def test_an_order_requests_fingerprint_is_the_same_as_from_its_asdict() -> None:
    # The fingerprint stored under an Idempotency-Key must not change when the request's
    # values are taken without asdict's deep copy: a retry after a deploy is still a retry.
    from api.web.idempotency import fingerprint

    request = OrderRequest(
        catalog_id="3001",
        contact={"phone": "0701234567", "email": "karin@example.se"},
        delivery_address={"care_of": "Åsa", **HOME},
        order_key="ABC123",
        sampling_datetime=NOW - timedelta(hours=3),
        answers={"symptoms": True, "week": "12"},
        sampling_unit_id=uuid.UUID("7f0c4f6e-0000-4000-8000-000000000001"),
        slot_id=uuid.UUID("7f0c4f6e-0000-4000-8000-000000000002"),
    )
    assert request.values() == asdict(request)
    assert fingerprint(PROTECTOR, "place_order", request.values()) == fingerprint(
        PROTECTOR, "place_order", asdict(request)
    )
