"""Kit registration's rules, on in-memory fakes: wrong attempts are counted and lock
registration; a kit is bound once; the request is claimed for its normalised codes."""

from __future__ import annotations

import secrets

import pytest

from api.kits import usecases
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, formatted, new_code
from domain.errors import InvalidInput
from domain.kits import KIT_ATTEMPTS_ALLOWED, KitAlreadyRegistered, KitNotFound, TooManyKitAttempts
from domain.offers import SamplingMethod
from domain.orders import OrderStatus
from tests.unit.usecases.fakes_ordering import (
    KARIN,
    NOW,
    PROTECTOR,
    FakeIdempotentCall,
    FakeKitAttempts,
    FakeUnitOfWork,
    citizen,
    create_offer,
    hash_of,
)


def kit_codes() -> tuple[str, str]:
    return new_code(secrets.randbelow, KIT_BODY_LENGTH), new_code(
        secrets.randbelow, RID_BODY_LENGTH
    )


def a_kit(uow: FakeUnitOfWork) -> tuple[str, str]:
    uow.offers.add(create_offer(catalog_id="2001", method=SamplingMethod.ANONYMOUS_KIT))
    kit_number, rid = kit_codes()
    uow.kits.add(kit_number=kit_number, rid=rid, catalog_id="2001")
    return kit_number, rid


async def register(uow, *, kit_number, rid, attempts=None, idempotency=None, actor=None):
    return await usecases.register_kit(
        uow=uow,
        actor=actor or citizen(),
        now=NOW,
        protector=PROTECTOR,
        attempts=attempts or FakeKitAttempts(),
        idempotency=idempotency or FakeIdempotentCall(),
        kit_number=kit_number,
        rid=rid,
    )


async def test_an_unknown_kit_counts_a_wrong_attempt():
    uow, attempts = FakeUnitOfWork(), FakeKitAttempts()
    a_kit(uow)
    unknown, rid = kit_codes()

    with pytest.raises(KitNotFound):
        await register(uow, kit_number=unknown, rid=rid, attempts=attempts)

    assert attempts.counts == {hash_of(citizen()): 1}
    assert uow.orders.orders == {}


async def test_a_wrong_rid_counts_a_wrong_attempt_with_the_same_answer():
    uow, attempts = FakeUnitOfWork(), FakeKitAttempts()
    kit_number, _ = a_kit(uow)
    _, wrong_rid = kit_codes()

    with pytest.raises(KitNotFound) as refused:
        await register(uow, kit_number=kit_number, rid=wrong_rid, attempts=attempts)

    assert refused.value.detail == "no kit matches that kit number and RID"
    assert attempts.counts == {hash_of(citizen()): 1}


async def test_a_locked_out_citizen_is_refused_before_the_request_is_claimed():
    uow, attempts, idempotency = FakeUnitOfWork(), FakeKitAttempts(), FakeIdempotentCall()
    kit_number, rid = a_kit(uow)
    attempts.counts[hash_of(citizen())] = KIT_ATTEMPTS_ALLOWED

    with pytest.raises(TooManyKitAttempts):
        await register(
            uow, kit_number=kit_number, rid=rid, attempts=attempts, idempotency=idempotency
        )

    assert idempotency.claims == []
    assert uow.kits.kits[kit_number].registered_at is None


async def test_the_last_attempt_before_the_lockout_is_still_tried():
    uow, attempts = FakeUnitOfWork(), FakeKitAttempts()
    kit_number, rid = a_kit(uow)
    attempts.counts[hash_of(citizen())] = KIT_ATTEMPTS_ALLOWED - 1

    view = await register(uow, kit_number=kit_number, rid=rid, attempts=attempts)

    assert view.order.rid == rid


async def test_another_citizens_lockout_does_not_lock_this_citizen():
    uow, attempts = FakeUnitOfWork(), FakeKitAttempts()
    kit_number, rid = a_kit(uow)
    attempts.counts[hash_of(citizen(KARIN))] = KIT_ATTEMPTS_ALLOWED

    view = await register(uow, kit_number=kit_number, rid=rid, attempts=attempts)

    assert view.order.status == OrderStatus.ORDERED


async def test_a_malformed_kit_number_names_the_field_and_claims_nothing():
    uow, idempotency = FakeUnitOfWork(), FakeIdempotentCall()
    _, rid = a_kit(uow)

    with pytest.raises(InvalidInput) as refused:
        await register(uow, kit_number="12", rid=rid, idempotency=idempotency)

    assert refused.value.field == "kit_number"
    assert idempotency.claims == []


async def test_the_request_is_claimed_for_the_normalised_codes():
    uow, idempotency = FakeUnitOfWork(), FakeIdempotentCall()
    kit_number, rid = a_kit(uow)

    await register(
        uow,
        kit_number=formatted(kit_number).lower(),
        rid=formatted(rid).lower(),
        idempotency=idempotency,
    )

    assert idempotency.claims == [("register_kit", {"kit": kit_number, "rid": rid})]


async def test_registering_binds_the_kit_as_an_order_of_its_offer_and_is_audited():
    uow = FakeUnitOfWork()
    kit_number, rid = a_kit(uow)

    view = await register(uow, kit_number=kit_number, rid=rid)

    stored = uow.orders.orders[view.order.id]
    assert stored.kit_id == uow.kits.kits[kit_number].id
    assert stored.row.sampling_method == SamplingMethod.ANONYMOUS_KIT.value
    assert stored.row.rid == rid
    assert uow.kits.kits[kit_number].registered_at == NOW
    assert uow.audit.actions() == ["kit_registered"]
    assert uow.committed is False


async def test_a_kit_is_registered_once():
    uow = FakeUnitOfWork()
    kit_number, rid = a_kit(uow)
    await register(uow, kit_number=kit_number, rid=rid)

    with pytest.raises(KitAlreadyRegistered):
        await register(uow, kit_number=kit_number, rid=rid, actor=citizen(KARIN))
