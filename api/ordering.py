"""The citizen's use cases: offers, ordering with time booking, anonymous kits, cancelling,
results and deleting. Each public function is one transaction."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.db.repositories.offers import (
    CitizenOfferRow,
    OfferDetailsRow,
    OfferScope,
    SamplingPlace,
)
from adapters.db.repositories.orders import LineWithResult, OrderRow
from adapters.db.uow import UnitOfWork
from api.services import Services
from api.web.request_context import current_request_id
from domain.actors import CitizenActor as Citizen
from domain.audit import AuditEvent
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, InvalidCode, new_code, normalise
from domain.errors import IdempotencyKeyReused, InvalidInput, StaleVersion
from domain.identity_numbers import InvalidPersonalIdentityNumber, PersonalIdentityNumber
from domain.kits import (
    KIT_ATTEMPTS_ALLOWED,
    KIT_LOCKOUT,
    KitAlreadyRegistered,
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
from domain.orders import (
    FINISHED,
    ONGOING,
    CancellableOrder,
    OrderCannotBeCancelled,
    OrderNotFound,
    OrderStatus,
    SlotNotAvailable,
    cancel_refusal,
    validated_answers,
)


def citizen_facts(citizen: Citizen, today: Any) -> CitizenFacts:
    return CitizenFacts(
        age=citizen.personnummer.age(today),
        legal_sex=citizen.personnummer.legal_sex,
        region_code=citizen.region_code,
    )


def _availability(offer: CitizenOfferRow, citizen: Citizen, now: datetime) -> Unavailability | None:
    return unavailability(
        offer.rules,
        citizen_facts(citizen, now.date()),
        today=now.date(),
        assigned=offer.assigned,
        uses_in_period=offer.uses_in_period,
    )


async def list_offers(
    services: Services, citizen: Citizen, *, scope: OfferScope
) -> list[CitizenOfferRow]:
    now = services.now()
    citizen_hash = services.protector.lookup_hash(citizen.personnummer.value)
    rows = await services.read(
        lambda reader: reader.offers.list_for_citizen(
            citizen_hash=citizen_hash, region_code=citizen.region_code, scope=scope, now=now
        )
    )
    return [row for row in rows if _availability(row, citizen, now) is None]


async def offer_details(
    services: Services, citizen: Citizen, catalog_id: str
) -> tuple[OfferDetailsRow, list[Any]]:
    now = services.now()
    citizen_hash = services.protector.lookup_hash(citizen.personnummer.value)
    details = await services.read(
        lambda reader: reader.offers.get_for_citizen(
            catalog_id=catalog_id, citizen_hash=citizen_hash, now=now
        )
    )
    if details is None:
        raise OfferNotFound("there is no offer with that id")
    reason = _availability(details.offer, citizen, now)
    if reason is None and details.offer.rules.sampling_method is SamplingMethod.ANONYMOUS_KIT:
        reason = Unavailability.REGISTER_KIT
    if reason is not None:
        raise OfferNotAvailable(reason)
    offer_id = details.offer.offer_id
    places = await services.read(lambda reader: reader.offers.sampling_places(offer_id))
    return details, places


async def free_slots(
    services: Services,
    citizen: Citizen,
    *,
    catalog_id: str,
    sampling_unit_id: uuid.UUID,
    days: int,
) -> list[Any]:
    details, places = await offer_details(services, citizen, catalog_id)
    if details.offer.rules.sampling_method is not SamplingMethod.SITE_BOOKING:
        raise InvalidInput("catalog_id", "this offer has no time booking")
    if sampling_unit_id not in {p.id for p in places}:
        raise InvalidInput("sampling_unit_id", "not a sampling place for this offer")
    now = services.now()
    return await services.read(
        lambda reader: reader.offers.free_slots(
            sampling_unit_id=sampling_unit_id, after=now, until=now + timedelta(days=days)
        )
    )


@dataclass(frozen=True, slots=True)
class OrderRequest:
    catalog_id: str
    contact: dict[str, str | None] | None
    delivery_address: dict[str, str | None] | None
    order_key: str | None
    sampling_datetime: datetime | None
    answers: dict[str, str | bool]
    sampling_unit_id: uuid.UUID | None
    slot_id: uuid.UUID | None


def _fingerprint(payload: dict[str, Any]) -> bytes:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).digest()


RID_ATTEMPTS = 5


def _refusal(
    status: OrderStatus, method: SamplingMethod, booked_start: datetime | None, *, now: datetime
) -> str | None:
    refusal = cancel_refusal(
        CancellableOrder(status=status, sampling_method=method, booked_start=booked_start),
        now=now,
    )
    return None if refusal is None else refusal.value


async def _replay_or_claim(
    uow: UnitOfWork, *, actor_hash: bytes, key: str, fingerprint: bytes, now: datetime
) -> dict[str, Any] | None:
    stored = await uow.idempotency.claim(
        actor_hash=actor_hash, key=key, fingerprint=fingerprint, now=now
    )
    if stored is None:
        return None
    if stored.fingerprint != fingerprint:
        raise IdempotencyKeyReused("this Idempotency-Key was already used for a different request")
    return stored.response


async def place_order(
    services: Services,
    citizen: Citizen,
    request: OrderRequest,
    *,
    idempotency_key: str,
    render: Any,
) -> dict[str, Any]:
    """Creates the order (and books the slot) in one transaction. A retry with the same
    Idempotency-Key returns the first answer and creates nothing."""
    now = services.now()
    citizen_hash = services.protector.lookup_hash(citizen.personnummer.value)
    fingerprint = _fingerprint({"op": "place_order", **asdict(request)})
    async with services.uow() as uow:
        replay = await _replay_or_claim(
            uow, actor_hash=citizen_hash, key=idempotency_key, fingerprint=fingerprint, now=now
        )
        if replay is not None:
            return replay
        details = await uow.offers.get_for_citizen(
            catalog_id=request.catalog_id, citizen_hash=citizen_hash, now=now
        )
        if details is None:
            raise OfferNotFound("there is no offer with that id")
        offer = details.offer
        reason = _availability(offer, citizen, now)
        if reason is None and offer.rules.sampling_method is SamplingMethod.ANONYMOUS_KIT:
            reason = Unavailability.REGISTER_KIT
        if reason is not None:
            raise OfferNotAvailable(reason)
        stored = validated_answers(details.asks, request, now=now)
        if citizen.protected_identity and offer.rules.sampling_method is SamplingMethod.HOME_KIT:
            # Protected identity: the kit must not go out on an ordinary address label; staff
            # handle the delivery by a separate route (SPEC §10).
            stored["manual_handling"] = "protected_identity"

        slot_id = sampling_unit_id = booked_start = None
        method = offer.rules.sampling_method
        places: list[SamplingPlace] = []
        if method is SamplingMethod.SITE_BOOKING:
            if request.slot_id is None or request.sampling_unit_id is None:
                raise InvalidInput("booking", "choose a sampling place and a time", code="required")
            places = await uow.offers.sampling_places(offer.offer_id)
            if request.sampling_unit_id not in {p.id for p in places}:
                raise InvalidInput(
                    "booking.sampling_unit_id", "not a sampling place for this offer"
                )
            booked_start = await uow.orders.book_slot(
                slot_id=request.slot_id, sampling_unit_id=request.sampling_unit_id, now=now
            )
            if booked_start is None:
                raise SlotNotAvailable("the chosen time is no longer free: choose another")
            slot_id, sampling_unit_id = request.slot_id, request.sampling_unit_id
        elif request.slot_id is not None:
            raise InvalidInput("booking", "this offer has no time booking")
        elif method is SamplingMethod.SITE_DROP_IN:
            places = await uow.offers.sampling_places(offer.offer_id)

        order_id = uuid.uuid4()
        for _ in range(RID_ATTEMPTS):
            rid = new_code(secrets.randbelow, RID_BODY_LENGTH)
            if await uow.orders.insert(
                order_id=order_id,
                rid=rid,
                citizen_value=citizen.personnummer.value,
                offer_id=offer.offer_id,
                catalog_id=offer.rules.catalog_id,
                sampling_method=method.value,
                answers=stored,
                slot_id=slot_id,
                sampling_unit_id=sampling_unit_id,
                booked_start=booked_start,
                anonymous_kit_id=None,
                product_codes=[p.code for p in offer.products],
                now=now,
            ):
                break
        else:  # 32^9 codes: practically unreachable
            raise RuntimeError("could not find a free RID")
        if offer.assigned:
            await uow.orders.mark_assignment_used(
                citizen_hash=citizen_hash, catalog_id=offer.rules.catalog_id, now=now
            )
        await _audit(uow, citizen, "order_placed", now, {"order_id": str(order_id)})
        # Rendered from what this transaction wrote, without reading it back.
        place = next((p for p in places if p.id == sampling_unit_id), None)
        response: dict[str, Any] = render(
            OrderView(
                order=OrderRow(
                    id=order_id,
                    rid=rid,
                    catalog_id=offer.rules.catalog_id,
                    offer_id=offer.offer_id,
                    offer_name=offer.name,
                    validity_days=offer.validity_days,
                    sampling_method=method.value,
                    status=OrderStatus.ORDERED.value,
                    created_at=now,
                    handled_at=None,
                    sampled_at=None,
                    cancelled_at=None,
                    expires_at=None,
                    booked_start=booked_start,
                    slot_id=slot_id,
                    sampling_unit_id=sampling_unit_id,
                    sampling_unit_name=place.name if place else None,
                    sampling_unit_address=place.address if place else None,
                    version=1,
                    results=0,
                    unread_results=0,
                ),
                lines=[
                    LineWithResult.without_result(line_no, product.code, product.name)
                    for line_no, product in enumerate(offer.products, start=1)
                ],
                answers=stored,
                cancel_refusal=_refusal(OrderStatus.ORDERED, method, booked_start, now=now),
                sampling_places=places if method is SamplingMethod.SITE_DROP_IN else [],
            )
        )
        await uow.idempotency.complete(
            actor_hash=citizen_hash, key=idempotency_key, status_code=201, response=response
        )
        await uow.commit()
    return response


async def register_kit(
    services: Services,
    citizen: Citizen,
    *,
    kit_number: str,
    rid: str,
    idempotency_key: str,
    render: Any,
) -> dict[str, Any]:
    now = services.now()
    citizen_hash = services.protector.lookup_hash(citizen.personnummer.value)
    attempts_key = f"{services.settings.redis_prefix}:kit-attempts:{citizen_hash.hex()}"
    failures = int(await services.redis.get(attempts_key) or 0)
    if failures >= KIT_ATTEMPTS_ALLOWED:
        raise TooManyKitAttempts("too many wrong attempts: try again in 15 minutes")
    try:
        kit_number = normalise(kit_number, body_length=KIT_BODY_LENGTH)
    except InvalidCode as error:
        raise InvalidInput("kit_number", str(error), code=error.code) from None
    try:
        rid = normalise(rid, body_length=RID_BODY_LENGTH)
    except InvalidCode as error:
        raise InvalidInput("rid", str(error), code=error.code) from None
    fingerprint = _fingerprint({"op": "register_kit", "kit": kit_number, "rid": rid})
    async with services.uow() as uow:
        replay = await _replay_or_claim(
            uow, actor_hash=citizen_hash, key=idempotency_key, fingerprint=fingerprint, now=now
        )
        if replay is not None:
            return replay
        kit = await uow.kits.find(kit_number)
        if kit is None or kit.rid != rid:
            # One answer for "no such kit" and "wrong RID": a guess learns nothing.
            pipeline = services.redis.pipeline()
            pipeline.incr(attempts_key)
            pipeline.expire(attempts_key, int(KIT_LOCKOUT.total_seconds()))
            await pipeline.execute()
            raise KitNotFound("no kit matches that kit number and RID")
        if not await uow.kits.mark_registered(kit.id, now=now):
            raise KitAlreadyRegistered("this kit is already registered")
        details = await uow.offers.get_for_citizen(
            catalog_id=kit.catalog_id, citizen_hash=citizen_hash, now=now
        )
        if details is None:
            raise OfferNotFound("the kit's offer no longer exists")
        facts = citizen_facts(citizen, now.date())
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
        order_id = uuid.uuid4()
        inserted = await uow.orders.insert(
            order_id=order_id,
            rid=kit.rid,
            citizen_value=citizen.personnummer.value,
            offer_id=details.offer.offer_id,
            catalog_id=kit.catalog_id,
            sampling_method=SamplingMethod.ANONYMOUS_KIT.value,
            answers={"answers": {}},
            slot_id=None,
            sampling_unit_id=None,
            booked_start=None,
            anonymous_kit_id=kit.id,
            product_codes=[p.code for p in details.offer.products],
            now=now,
        )
        if not inserted:  # an order already carries the kit's RID
            raise KitAlreadyRegistered("this kit is already registered")
        await _audit(uow, citizen, "kit_registered", now, {"order_id": str(order_id)})
        response = await _render_order(uow, services, citizen, order_id, render)
        await uow.idempotency.complete(
            actor_hash=citizen_hash, key=idempotency_key, status_code=201, response=response
        )
        await uow.commit()
    return response


@dataclass(frozen=True, slots=True)
class OrderView:
    order: OrderRow
    lines: list[LineWithResult]
    answers: dict[str, Any]
    cancel_refusal: str | None
    sampling_places: list[Any]


async def _load_view(
    uow: UnitOfWork, services: Services, citizen: Citizen, order_id: uuid.UUID
) -> OrderView:
    order = await uow.orders.get_for_citizen(
        order_id, services.protector.lookup_hash(citizen.personnummer.value)
    )
    if order is None:
        raise OrderNotFound("no such order")
    return OrderView(
        order=order,
        lines=await uow.orders.lines_with_latest_results(order.id),
        answers=await uow.orders.answers(order.id),
        cancel_refusal=_refusal(
            OrderStatus(order.status),
            SamplingMethod(order.sampling_method),
            order.booked_start,
            now=services.now(),
        ),
        # Where to go, for drop-in sampling: the places of the offer version ordered.
        sampling_places=await uow.offers.sampling_places(order.offer_id)
        if order.sampling_method == SamplingMethod.SITE_DROP_IN
        else [],
    )


async def _render_order(
    uow: UnitOfWork, services: Services, citizen: Citizen, order_id: uuid.UUID, render: Any
) -> dict[str, Any]:
    view = await _load_view(uow, services, citizen, order_id)
    rendered: dict[str, Any] = render(view)
    return rendered


async def get_order(services: Services, citizen: Citizen, order_id: uuid.UUID) -> OrderView:
    async with services.uow() as uow:
        return await _load_view(uow, services, citizen, order_id)


async def list_orders(services: Services, citizen: Citizen, *, ongoing: bool) -> list[OrderRow]:
    statuses = [s.value for s in (ONGOING if ongoing else FINISHED)]
    citizen_hash = services.protector.lookup_hash(citizen.personnummer.value)
    return await services.read(
        lambda reader: reader.orders.list_for_citizen(citizen_hash, statuses=statuses)
    )


async def cancel_order(
    services: Services, citizen: Citizen, order_id: uuid.UUID, *, if_match: int | None
) -> OrderView:
    now = services.now()
    async with services.uow() as uow:
        order = await uow.orders.get_for_citizen(
            order_id, services.protector.lookup_hash(citizen.personnummer.value), for_update=True
        )
        if order is None:
            raise OrderNotFound("no such order")
        if if_match is not None and if_match != order.version:
            raise StaleVersion("the order has changed since you loaded it: reload it")
        refusal = cancel_refusal(
            CancellableOrder(
                status=OrderStatus(order.status),
                sampling_method=SamplingMethod(order.sampling_method),
                booked_start=order.booked_start,
            ),
            now=now,
        )
        if refusal is not None:
            raise OrderCannotBeCancelled(refusal)
        await uow.orders.set_cancelled(order.id, now=now)
        if order.slot_id is not None:
            await uow.orders.release_slot(order.slot_id)
        await _audit(uow, citizen, "order_cancelled", now, {"order_id": str(order_id)})
        view = await _load_view(uow, services, citizen, order_id)
        await uow.commit()
    return view


async def delete_order(
    services: Services, citizen: Citizen, order_id: uuid.UUID, *, confirm_personnummer: str
) -> None:
    """Irreversible: the order, its lines and results are removed. The audit log keeps that
    it happened, not what it was."""
    now = services.now()
    try:
        confirmed = PersonalIdentityNumber.parse(confirm_personnummer, today=now.date())
    except InvalidPersonalIdentityNumber as error:
        raise InvalidInput(
            "confirm_personnummer", str(error), code="invalid_personnummer"
        ) from None
    if confirmed != citizen.personnummer:
        raise InvalidInput(
            "confirm_personnummer", "is not your personnummer", code="not_own_personnummer"
        )
    async with services.uow() as uow:
        order = await uow.orders.get_for_citizen(
            order_id, services.protector.lookup_hash(citizen.personnummer.value), for_update=True
        )
        if order is None:
            raise OrderNotFound("no such order")
        if (
            order.slot_id is not None
            and order.status == OrderStatus.ORDERED
            and order.booked_start is not None
            and order.booked_start > now
        ):
            await uow.orders.release_slot(order.slot_id)
        await uow.orders.delete(order.id)
        await _audit(uow, citizen, "order_deleted", now, {})
        await uow.commit()


async def mark_results_read(services: Services, citizen: Citizen, order_id: uuid.UUID) -> None:
    now = services.now()
    async with services.uow() as uow:
        order = await uow.orders.get_for_citizen(
            order_id, services.protector.lookup_hash(citizen.personnummer.value)
        )
        if order is None:
            raise OrderNotFound("no such order")
        await uow.orders.mark_results_read(order.id, now=now)
        await uow.commit()


async def _audit(
    uow: UnitOfWork,
    citizen: Citizen,
    action: str,
    now: datetime,
    details: dict[str, Any],
) -> None:
    await uow.audit.record(
        AuditEvent(
            occurred_at=now,
            action=action,
            actor_kind="citizen",
            actor_id=citizen.personnummer.value,
            patient=citizen.personnummer,
            request_id=current_request_id(),
            details=details,
        )
    )
