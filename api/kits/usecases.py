"""Registering an anonymous kit: one transaction, claimed under the request's
Idempotency-Key; the caller commits (api/web/idempotency.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from adapters.db.uow import UnitOfWork
from adapters.protection import DataProtector
from api.ordering.usecases import OrderView, citizen_hash, order_view
from api.web.idempotency import IdempotentCall
from domain.actors import CitizenActor
from domain.audit import audit_event
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, InvalidCode, normalise
from domain.dispatch import kit_delivery_binds
from domain.errors import InvalidInput
from domain.kits import (
    KitAlreadyRegistered,
    KitAttempts,
    KitNotFound,
    TooManyKitAttempts,
)
from domain.offers import (
    CitizenFacts,
    OfferNotAvailable,
    OfferNotFound,
    SamplingMethod,
    Unavailability,
    unavailability,
)
from domain.orders import OrderStatus


def _code(field: str, value: str, *, body_length: int) -> str:
    try:
        return normalise(value, body_length=body_length)
    except InvalidCode as error:
        raise InvalidInput(field, str(error), code=error.code) from None


async def register_kit(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    attempts: KitAttempts,
    idempotency: IdempotentCall,
    kit_number: str,
    rid: str,
) -> OrderView:
    """Binds the kit to the citizen, once, as an order of the kit's offer. A citizen locked
    out by wrong attempts is refused before anything else, a retry included; the key is
    claimed for the normalised codes, so a retry typed differently is the same request.

    Each guess is counted (one atomic increment) before it is evaluated, so parallel guesses
    cannot all be evaluated before the first is counted: of a burst, KIT_ATTEMPTS_ALLOWED are
    evaluated and the rest refused (issue 11 item 1). A right guess is forgiven."""
    hashed = citizen_hash(protector, actor)
    locked_for = await attempts.locked_for(hashed)
    if locked_for is not None:
        raise TooManyKitAttempts(retry_after=locked_for)
    kit_number = _code("kit_number", kit_number, body_length=KIT_BODY_LENGTH)
    rid = _code("rid", rid, body_length=RID_BODY_LENGTH)
    await idempotency.claim("register_kit", {"kit": kit_number, "rid": rid})
    attempt = await attempts.count_attempt(hashed)
    if not attempt.allowed:
        raise TooManyKitAttempts(retry_after=attempt.seconds_left)
    kit = await uow.kits.find(kit_number)
    if kit is None or kit.rid != rid:
        # One answer for "no such kit" and "wrong RID": a guess learns nothing.
        raise KitNotFound("no kit matches that kit number and RID")
    await attempts.forgive(hashed)
    if not await uow.kits.mark_registered(kit.id, now=now):
        raise KitAlreadyRegistered("this kit is already registered")
    details = await uow.offers.get_for_citizen(
        catalog_id=kit.catalog_id, citizen_hash=hashed, now=now
    )
    if details is None:
        raise OfferNotFound("the kit's offer no longer exists")
    facts = actor.facts(now.date())
    # A kit may have been handed out anywhere: region does not matter, age and sex do.
    reason = unavailability(
        details.offer.rules,
        CitizenFacts(age=facts.age, legal_sex=facts.legal_sex, region_code=None),
        today=now.date(),
        assigned=True,
        uses_in_period=0,
    )
    if reason not in (None, Unavailability.OTHER_REGION, Unavailability.NOT_RESIDENT):
        raise OfferNotAvailable(reason)
    # A kit the citizen ordered home (Ordermottagning posted it): the posted order becomes
    # the kit's, rather than a second order (domain/dispatch.py).
    for delivery_id, status in await uow.dispatch.kit_deliveries(
        citizen_hash=hashed, catalog_id=kit.catalog_id
    ):
        if kit_delivery_binds(OrderStatus(status), has_kit=False):
            if not await uow.dispatch.bind_kit(delivery_id, kit_id=kit.id, rid=kit.rid):
                raise KitAlreadyRegistered("this kit is already registered")
            await uow.audit.record(
                audit_event(
                    actor,
                    "kit_registered",
                    now=now,
                    details={"order_id": str(delivery_id), "ordered_home": True},
                )
            )
            return await order_view(uow, hashed=hashed, order_id=delivery_id, now=now)
    order_id = uuid.uuid4()
    inserted = await uow.orders.insert(
        order_id=order_id,
        rid=kit.rid,
        citizen_value=actor.personnummer.value,
        offer_id=details.offer.offer_id,
        catalog_id=kit.catalog_id,
        sampling_method=SamplingMethod.ANONYMOUS_KIT.value,
        answers={"answers": {}},
        slot_id=None,
        sampling_unit_id=None,
        booked_start=None,
        anonymous_kit_id=kit.id,
        product_codes=[p.code for p in details.offer.products],
        result_care_unit_id=details.result_recipient,
        now=now,
    )
    if not inserted:  # an order already carries the kit's RID
        raise KitAlreadyRegistered("this kit is already registered")
    await uow.audit.record(
        audit_event(actor, "kit_registered", now=now, details={"order_id": str(order_id)})
    )
    return await order_view(uow, hashed=hashed, order_id=order_id, now=now)
