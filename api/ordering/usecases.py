"""The citizen's ordering use cases: the offers they may order, an offer's details and free
times, placing an order (booking the time in the same transaction), their orders, and
cancelling one.

Reads of the order flow's pages (`list_offers`, `offer_details`, `free_slots`, `list_orders`)
run on the autocommit `Reader`: each statement sees what is committed when it runs, and no
transaction spans them (a read is safe to repeat, which `Services.read` does after a dropped
connection). Everything else is one transaction in the caller's unit of work."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from adapters.db.repositories.offers import (
    CitizenOfferRow,
    FreeSlot,
    OfferDetailsRow,
    OfferRepository,
    OfferScope,
    SamplingPlace,
)
from adapters.db.repositories.orders import LineWithResult, OrderRow
from adapters.db.uow import Reader, UnitOfWork
from adapters.protection import DataProtector
from api.web.idempotency import IdempotentCall
from domain.actors import CitizenActor
from domain.audit import audit_event
from domain.codes import RID_BODY_LENGTH, new_code
from domain.dispatch import home_delivery_refusal
from domain.errors import InvalidInput, StaleVersion
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
    CancelRefusal,
    OrderCannotBeCancelled,
    OrderNotFound,
    OrderStatus,
    SlotNotAvailable,
    cancel_refusal,
    validated_answers,
)

# Drawing a RID that is taken is rare (32^9 codes); a few draws make failing practically
# impossible.
RID_ATTEMPTS = 5


def citizen_hash(protector: DataProtector, actor: CitizenActor) -> bytes:
    """The keyed hash every query for the citizen's own offers and orders filters on."""
    return protector.lookup_hash(actor.personnummer.value)


def _unavailability(
    offer: CitizenOfferRow, facts: CitizenFacts, today: date
) -> Unavailability | None:
    return unavailability(
        offer.rules,
        facts,
        today=today,
        assigned=offer.assigned,
        uses_in_period=offer.uses_in_period,
    )


async def orderable_offer(
    offers: OfferRepository,
    *,
    actor: CitizenActor,
    catalog_id: str,
    hashed: bytes,
    now: datetime,
) -> OfferDetailsRow:
    """The offer, when this citizen may order it now through the order flow: OfferNotFound
    when there is none, OfferNotAvailable (and why) when it is not for them. An anonymous kit
    is ordered here only when the offer asks where to post it (manual 3.2); otherwise its
    kit is registered (kits capability)."""
    details = await offers.get_for_citizen(catalog_id=catalog_id, citizen_hash=hashed, now=now)
    if details is None:
        raise OfferNotFound("there is no offer with that id")
    today = now.date()
    reason = _unavailability(details.offer, actor.facts(today), today)
    if reason is None:
        reason = home_delivery_refusal(
            details.offer.rules.sampling_method,
            asks_delivery_address=bool(details.asks.get("delivery_address")),
        )
    if reason is not None:
        raise OfferNotAvailable(reason)
    return details


async def list_offers(
    *,
    reader: Reader,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    scope: OfferScope,
) -> list[CitizenOfferRow]:
    """Ny beställning: the offers this citizen may order now (age, sex, region and usage
    limits applied). Anonymous kit offers are listed when they can be posted home (the
    statement leaves out those only handed out, whose kits are registered). One statement."""
    rows = await reader.offers.list_for_citizen(
        citizen_hash=citizen_hash(protector, actor),
        region_code=actor.region_code,
        scope=scope,
        now=now,
    )
    # The citizen's facts once, not per offer (the age is computed from the personnummer).
    today = now.date()
    facts = actor.facts(today)
    return [row for row in rows if _unavailability(row, facts, today) is None]


@dataclass(frozen=True, slots=True)
class OfferWithPlaces:
    details: OfferDetailsRow
    sampling_places: list[SamplingPlace]


async def offer_details(
    *,
    reader: Reader,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    catalog_id: str,
) -> OfferWithPlaces:
    """One offer the citizen may order, with the places that can sample it. Two statements."""
    details = await orderable_offer(
        reader.offers,
        actor=actor,
        catalog_id=catalog_id,
        hashed=citizen_hash(protector, actor),
        now=now,
    )
    places = await reader.offers.sampling_places(details.offer.offer_id)
    return OfferWithPlaces(details=details, sampling_places=places)


async def free_slots(
    *,
    reader: Reader,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    catalog_id: str,
    sampling_unit_id: uuid.UUID,
    days: int,
) -> list[FreeSlot]:
    """Free times in the coming `days` at a sampling place of an offer with time booking.
    Three statements."""
    offer = await offer_details(
        reader=reader, actor=actor, now=now, protector=protector, catalog_id=catalog_id
    )
    if offer.details.offer.rules.sampling_method is not SamplingMethod.SITE_BOOKING:
        raise InvalidInput("catalog_id", "this offer has no time booking")
    if sampling_unit_id not in {p.id for p in offer.sampling_places}:
        raise InvalidInput("sampling_unit_id", "not a sampling place for this offer")
    return await reader.offers.free_slots(
        sampling_unit_id=sampling_unit_id, after=now, until=now + timedelta(days=days)
    )


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """What the citizen sent with *Slutför beställningen* (satisfies domain.orders.OrderForm)."""

    catalog_id: str
    contact: dict[str, str | None] | None
    delivery_address: dict[str, str | None] | None
    order_key: str | None
    sampling_datetime: datetime | None
    answers: dict[str, str | bool]
    sampling_unit_id: uuid.UUID | None
    slot_id: uuid.UUID | None

    def values(self) -> dict[str, Any]:
        """Each field's value as it is, for the request's fingerprint: the same mapping as
        dataclasses.asdict (no field holds a dataclass) without its deep copy of the nested
        dicts, which cost ≈ 17 µs per order (issue 12, part 3)."""
        return {name: getattr(self, name) for name in _ORDER_REQUEST_FIELDS}


_ORDER_REQUEST_FIELDS = tuple(f.name for f in fields(OrderRequest))


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order as the citizen sees it: the order, its lines with their latest results, what
    they answered, why it cannot be cancelled (None: it can) and, for drop-in sampling, where
    to go."""

    order: OrderRow
    lines: list[LineWithResult]
    answers: dict[str, Any]
    cancel_refusal: CancelRefusal | None
    sampling_places: list[SamplingPlace]


def _refusal(
    status: OrderStatus, method: SamplingMethod, booked_start: datetime | None, *, now: datetime
) -> CancelRefusal | None:
    return cancel_refusal(
        CancellableOrder(status=status, sampling_method=method, booked_start=booked_start),
        now=now,
    )


async def place_order(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    idempotency: IdempotentCall,
    request: OrderRequest,
) -> OrderView:
    """*Slutför beställningen*: creates the order and, for an offer with time booking, books
    the chosen time. The request's Idempotency-Key is claimed first; the caller commits (with
    the answer stored for the key, api/web/idempotency.py)."""
    await idempotency.claim("place_order", request.values())
    hashed = citizen_hash(protector, actor)
    details = await orderable_offer(
        uow.offers, actor=actor, catalog_id=request.catalog_id, hashed=hashed, now=now
    )
    if details.offer.rules.usage_limit is not None:
        # The usage limit is counted and the order inserted as one decision per citizen and
        # offer: parallel orders wait here for each other (issue 11 item 2), and the uses
        # are counted again under the lock. An offer without a limit has nothing to count:
        # its orders neither wait for each other nor pay the lock's round trip.
        await uow.orders.lock_usage(citizen_hash=hashed, catalog_id=request.catalog_id)
        details = await orderable_offer(
            uow.offers, actor=actor, catalog_id=request.catalog_id, hashed=hashed, now=now
        )
    offer = details.offer
    method = offer.rules.sampling_method
    stored = validated_answers(details.asks, request, now=now)
    if actor.protected_identity and method in (
        SamplingMethod.HOME_KIT,
        SamplingMethod.ANONYMOUS_KIT,
    ):
        # Protected identity: the kit must not go out on an ordinary address label; staff
        # handle the delivery by a separate route (SPEC §10).
        stored["manual_handling"] = "protected_identity"

    slot_id = sampling_unit_id = booked_start = None
    places: list[SamplingPlace] = []
    if method is SamplingMethod.SITE_BOOKING:
        if request.slot_id is None or request.sampling_unit_id is None:
            raise InvalidInput("booking", "choose a sampling place and a time", code="required")
        places = await uow.offers.sampling_places(offer.offer_id)
        if request.sampling_unit_id not in {p.id for p in places}:
            raise InvalidInput("booking.sampling_unit_id", "not a sampling place for this offer")
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
            citizen_value=actor.personnummer.value,
            offer_id=offer.offer_id,
            catalog_id=offer.rules.catalog_id,
            sampling_method=method.value,
            answers=stored,
            slot_id=slot_id,
            sampling_unit_id=sampling_unit_id,
            booked_start=booked_start,
            anonymous_kit_id=None,
            product_codes=[p.code for p in offer.products],
            result_care_unit_id=details.result_recipient,
            now=now,
        ):
            break
    else:
        raise RuntimeError("could not find a free RID")
    if offer.assigned:
        await uow.orders.mark_assignment_used(
            citizen_hash=hashed, catalog_id=offer.rules.catalog_id, now=now
        )
    await uow.audit.record(
        audit_event(actor, "order_placed", now=now, details={"order_id": str(order_id)})
    )
    # The view is built from what this transaction wrote, without reading it back.
    place = next((p for p in places if p.id == sampling_unit_id), None)
    return OrderView(
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


async def order_view(
    uow: UnitOfWork, *, hashed: bytes, order_id: uuid.UUID, now: datetime
) -> OrderView:
    """The citizen's order as they see it, read in the caller's transaction; OrderNotFound
    when it is not theirs."""
    order = await uow.orders.get_for_citizen(order_id, hashed)
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
            now=now,
        ),
        # Where to go, for drop-in sampling: the places of the offer version ordered.
        sampling_places=await uow.offers.sampling_places(order.offer_id)
        if order.sampling_method == SamplingMethod.SITE_DROP_IN
        else [],
    )


async def get_order(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    order_id: uuid.UUID,
) -> OrderView:
    """One of the citizen's orders, read in one (read-only) transaction."""
    return await order_view(uow, hashed=citizen_hash(protector, actor), order_id=order_id, now=now)


@dataclass(frozen=True, slots=True)
class OrdersPage:
    orders: list[OrderRow]
    # The cursor of the next page (*Visa fler*); None on the last.
    next_cursor: str | None


def encode_orders_cursor(created_at: datetime, order_id: uuid.UUID) -> str:
    """The position after the last order of a page: its creation time and id (the order's
    id is in the citizen's URLs anyway; nothing personal)."""
    raw = f"{created_at.astimezone(UTC).isoformat()}|{order_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_orders_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, order_id = raw.partition("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when.astimezone(UTC), uuid.UUID(order_id)
    except (ValueError, UnicodeDecodeError, OverflowError):
        raise InvalidInput(
            "cursor", "not a cursor of this list: start from the first page", code="invalid_cursor"
        ) from None


async def list_orders(
    *,
    reader: Reader,
    actor: CitizenActor,
    protector: DataProtector,
    ongoing: bool,
    catalog_id: str | None = None,
    cursor: str | None = None,
    limit: int,
) -> OrdersPage:
    """*Pågående* (ongoing) or *Tidigare* (finished) beställningar (of one offer), newest
    first, a page at a time: one statement over the citizen's index, however many orders
    they have."""
    after = decode_orders_cursor(cursor) if cursor else None
    statuses = [s.value for s in (ONGOING if ongoing else FINISHED)]
    rows = await reader.orders.list_for_citizen(
        citizen_hash(protector, actor),
        statuses=statuses,
        catalog_id=catalog_id,
        after=after,
        limit=limit + 1,
    )
    page = rows[:limit]
    more = len(rows) > limit
    return OrdersPage(
        orders=page,
        next_cursor=encode_orders_cursor(page[-1].created_at, page[-1].id) if more else None,
    )


async def cancel_order(
    *,
    uow: UnitOfWork,
    actor: CitizenActor,
    now: datetime,
    protector: DataProtector,
    order_id: uuid.UUID,
    expected_version: int | None,
) -> OrderView:
    """*Ångra beställning* under the rules of SPEC §3; releases a booked time. With the
    version the citizen saw (If-Match), a changed order is refused as stale. Cancelling an
    order that is already cancelled succeeds and changes nothing (a double click, a retry),
    whatever version it names. One transaction, committed here."""
    hashed = citizen_hash(protector, actor)
    order = await uow.orders.get_for_citizen(order_id, hashed, for_update=True)
    if order is None:
        raise OrderNotFound("no such order")
    if order.status == OrderStatus.CANCELLED:
        return await order_view(uow, hashed=hashed, order_id=order_id, now=now)
    if expected_version is not None and expected_version != order.version:
        raise StaleVersion("the order has changed since you loaded it: reload it")
    refusal = _refusal(
        OrderStatus(order.status),
        SamplingMethod(order.sampling_method),
        order.booked_start,
        now=now,
    )
    if refusal is not None:
        raise OrderCannotBeCancelled(refusal)
    await uow.orders.set_cancelled(order.id, now=now)
    if order.slot_id is not None:
        await uow.orders.release_slot(order.slot_id)
    await uow.audit.record(
        audit_event(actor, "order_cancelled", now=now, details={"order_id": str(order_id)})
    )
    view = await order_view(uow, hashed=hashed, order_id=order_id, now=now)
    await uow.commit()
    return view
