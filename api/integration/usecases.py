"""The integration API's use cases (SPEC §6, issue 9): the token endpoint (client
credentials), listing the client's orders, the leased hand-out (claim, acknowledge) and the
status updates a platform or laboratory makes. Every call is audited with the client; every
order handed out is audited per patient."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from adapters.db.repositories.integration_deliveries import (
    READY_STATUSES,
    IntegrationOrder,
    LockedOrder,
)
from adapters.db.uow import UnitOfWork
from adapters.integration_tokens import IntegrationTokens, IssuedToken
from api.web.idempotency import IdempotentCall
from domain.actors import IntegrationActor
from domain.audit import anonymous_event, audit_event
from domain.errors import InvalidInput
from domain.identity_numbers import PersonalIdentityNumber
from domain.integration import (
    InvalidClient,
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedGrantType,
    batch_size,
    granted_scopes,
    lease_length,
    utc_instant,
)
from domain.orders import OrderNotFound, OrderState, mark_handled, mark_rejected, mark_sampled
from domain.sampling import ProductNotPerformed, RecipientNotCustomer

# --- the token endpoint -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenRequest:
    grant_type: str | None
    client_id: str | None
    client_secret: str | None
    scope: str | None
    # The verified client certificate's thumbprint from the TLS terminator (production).
    certificate_thumbprint: str | None = None


async def issue_token(
    *, uow: UnitOfWork, tokens: IntegrationTokens, now: datetime, request: TokenRequest
) -> IssuedToken:
    """RFC 6749 §4.4: a client authenticated by its secret gets a short-lived access token
    for the scopes it asks for (all of its scopes when it asks for none). Refusals are
    audited too, in this transaction (committed either way)."""
    try:
        issued = await _issue(uow, tokens, now, request)
    except InvalidClient as error:
        await uow.audit.record(
            anonymous_event(
                "integration:token",
                now=now,
                actor_kind="integration",
                actor_id=(request.client_id or "")[:128],
                outcome="refused",
                details={"error": error.error},
            )
        )
        await uow.commit()
        raise
    await uow.commit()
    return issued


async def _issue(
    uow: UnitOfWork, tokens: IntegrationTokens, now: datetime, request: TokenRequest
) -> IssuedToken:
    if request.grant_type is None:
        raise InvalidRequest("grant_type is required")
    if request.grant_type != "client_credentials":
        raise UnsupportedGrantType("only client_credentials is supported")
    if not request.client_id or not request.client_secret:
        raise InvalidClient("authenticate with client_id and client_secret")
    client = await uow.integration_credentials.credentials(request.client_id)
    if (
        client is None
        or client.retired
        or not tokens.secret_matches(request.client_secret, client.secret_hash)
    ):
        raise InvalidClient("unknown client or wrong secret")
    if client.certificate_thumbprint is not None and (
        request.certificate_thumbprint != client.certificate_thumbprint
    ):
        raise InvalidClient("the client must present its registered certificate")
    if not client.scopes:
        raise UnauthorizedClient("the client holds no scope")
    scopes = granted_scopes(request.scope, allowed=client.scopes)
    issued = tokens.issue(
        client_id=client.client_id,
        scopes=scopes,
        now=now,
        certificate_thumbprint=client.certificate_thumbprint,
    )
    await uow.audit.record(
        audit_event(
            client.actor(scopes),
            "integration:token",
            now=now,
            details={"scope": " ".join(sorted(scopes))},
        )
    )
    return issued


# --- listing ------------------------------------------------------------------------------

LISTABLE = ("ordered", "handled", "sampled", "answered", "cancelled", "expired", "rejected")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_ID = uuid.UUID(int=0)


@dataclass(frozen=True, slots=True)
class OrderPage:
    orders: list[IntegrationOrder]
    next_cursor: str | None


def encode_cursor(changed_at: datetime, order_id: uuid.UUID) -> str:
    raw = f"{changed_at.astimezone(UTC).isoformat()}|{order_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, order_id = raw.partition("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when.astimezone(UTC), uuid.UUID(order_id)
    except (ValueError, UnicodeDecodeError, OverflowError):
        raise InvalidInput(
            "cursor", "not a cursor this API gave out", code="invalid_cursor"
        ) from None


async def _audit_orders(
    uow: UnitOfWork,
    actor: IntegrationActor,
    orders: Sequence[IntegrationOrder],
    *,
    action: str,
    now: datetime,
) -> None:
    """One entry per order handed out: the client saw that citizen's data."""
    await uow.audit.record_many(
        [
            audit_event(
                actor,
                action,
                now=now,
                patient=PersonalIdentityNumber.parse(o.personnummer),
                details={"order_id": str(o.id), "rid": o.rid},
            )
            for o in orders
        ]
    )


async def list_orders(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    statuses: Sequence[str],
    laboratory_code: str | None,
    updated_since: datetime | None,
    cursor: str | None,
    limit: int,
) -> OrderPage:
    """The client's orders by status (default: handled and sampled), of one of its
    laboratories, changed since a time; oldest change first, a page at a time. Reading is
    not handing out: the leased hand-out is `claim_orders`."""
    chosen = tuple(sorted(set(statuses))) or READY_STATUSES
    for status in chosen:
        if status not in LISTABLE:
            raise InvalidInput("status", f"unknown status {status!r}", code="unknown_status")
    laboratory_id = None
    if laboratory_code is not None:
        if laboratory_code not in actor.organisation.laboratory_codes:
            raise InvalidInput(
                "laboratory", "not one of the client's laboratories", code="not_yours"
            )
        found = await uow.integration_clients.laboratories_by_code([laboratory_code])
        laboratory_id = found[laboratory_code].id if laboratory_code in found else None
    if updated_since is not None:
        updated_since = utc_instant(updated_since, field="updated_since")
    after = decode_cursor(cursor) if cursor else (_EPOCH, _NO_ID)
    rows = await uow.integration_deliveries.listed(
        actor.organisation,
        statuses=chosen,
        laboratory_id=laboratory_id,
        since=updated_since or _EPOCH,
        after=after,
        limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    await _audit_orders(uow, actor, page, action="integration:list_orders", now=now)
    await uow.commit()
    last = page[-1] if page else None
    return OrderPage(
        orders=page,
        next_cursor=encode_cursor(last.changed_at, last.id) if more and last else None,
    )


# --- the leased hand-out ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    lease_id: uuid.UUID
    leased_until: datetime
    orders: list[IntegrationOrder]


def lease_token(lease_id: uuid.UUID, order_id: uuid.UUID) -> str:
    """The lease id of one handed-out order, as the client acknowledges it: opaque, 43
    characters (the claim's lease and the order, base64url)."""
    return base64.urlsafe_b64encode(lease_id.bytes + order_id.bytes).rstrip(b"=").decode()


def parse_lease_token(token: str) -> tuple[uuid.UUID, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidInput("lease_ids", f"not a lease id: {token[:50]!r}", code="invalid_lease")
    return uuid.UUID(bytes=raw[:16]), uuid.UUID(bytes=raw[16:])


@dataclass(frozen=True, slots=True)
class LeaseBounds:
    default_seconds: int
    max_seconds: int
    max_batch: int


def _row_id(actor: IntegrationActor) -> uuid.UUID:
    assert actor.row_id is not None, "integration actors are built from their client's row"
    return actor.row_id


async def claim_orders(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    idempotency: IdempotentCall,
    limit: int | None,
    lease_seconds: int | None,
    bounds: LeaseBounds,
    new_lease_id: uuid.UUID,
) -> Claim:
    """Hands up to `limit` waiting orders to this caller under one lease: nobody else gets
    them until they are acknowledged or the lease runs out (then they are handed out again).
    A retry with the same Idempotency-Key gets the orders still held under the first
    call's lease."""
    size = batch_size(limit, maximum=bounds.max_batch)
    lease = lease_length(lease_seconds, default=bounds.default_seconds, maximum=bounds.max_seconds)
    await idempotency.claim("integration.claim", {"limit": size, "lease": lease.seconds})
    until = now + lease
    orders = await uow.integration_deliveries.claim(
        _row_id(actor),
        actor.organisation,
        limit=size,
        lease_id=new_lease_id,
        leased_until=until,
        now=now,
    )
    await _audit_orders(uow, actor, orders, action="integration:claim_orders", now=now)
    if not orders:
        await uow.audit.record(
            audit_event(actor, "integration:claim_orders", now=now, details={"orders": "0"})
        )
    return Claim(lease_id=new_lease_id, leased_until=until, orders=orders)


async def replay_claim(
    *, uow: UnitOfWork, actor: IntegrationActor, now: datetime, lease_id: uuid.UUID
) -> Claim:
    """What a claim's Idempotency-Key answers again: the orders still held under its lease
    (those acknowledged or handed out again since are left out). They are handed out again,
    so audited again, one entry per order — committed (the replay writes nothing else)."""
    orders = await uow.integration_deliveries.held(
        _row_id(actor), actor.organisation, lease_id=lease_id
    )
    await _audit_orders(uow, actor, orders, action="integration:claim_orders_replayed", now=now)
    await uow.commit()
    until = orders[0].leased_until if orders else None
    return Claim(lease_id=lease_id, leased_until=until or _EPOCH, orders=orders)


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    lease_id: str
    order_id: uuid.UUID
    acknowledged: bool


async def acknowledge(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    idempotency: IdempotentCall,
    lease_ids: Sequence[str],
) -> list[Acknowledgement]:
    """Ends the hand-out of each order named by a lease id. An order whose lease ran out
    and was handed out again since is not acknowledged by the old lease id
    (`acknowledged: false`): the poller that holds it now acknowledges it."""
    pairs = [parse_lease_token(t) for t in lease_ids]
    await idempotency.claim("integration.ack", {"lease_ids": sorted(lease_ids)})
    done = await uow.integration_deliveries.acknowledge(_row_id(actor), pairs)
    await uow.audit.record(
        audit_event(
            actor,
            "integration:acknowledge",
            now=now,
            details={"acknowledged": str(len(done)), "refused": str(len(pairs) - len(done))},
        )
    )
    return [
        Acknowledgement(lease_id=t, order_id=p[1], acknowledged=p in done)
        for t, p in zip(lease_ids, pairs, strict=True)
    ]


async def replay_acknowledge(
    *, uow: UnitOfWork, actor: IntegrationActor, lease_ids: Sequence[str]
) -> list[Acknowledgement]:
    """A retried acknowledgement: each lease id no longer held is acknowledged."""
    pairs = [parse_lease_token(t) for t in lease_ids]
    held = await uow.integration_deliveries.still_held(_row_id(actor), pairs)
    return [
        Acknowledgement(lease_id=t, order_id=p[1], acknowledged=p not in held)
        for t, p in zip(lease_ids, pairs, strict=True)
    ]


# --- status updates -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: str  # "handled" | "sampled" | "rejected"
    sampled_at: datetime | None = None
    laboratory_code: str | None = None
    reason: str | None = None


async def _locked(uow: UnitOfWork, actor: IntegrationActor, order_id: uuid.UUID) -> LockedOrder:
    order = await uow.integration_deliveries.for_update(actor.organisation, order_id)
    if order is None:
        raise OrderNotFound("no such order of the client's organisation")
    return order


async def _sample(
    uow: UnitOfWork,
    actor: IntegrationActor,
    order: LockedOrder,
    change: StatusChange,
    now: datetime,
) -> tuple[OrderState, uuid.UUID | None]:
    laboratory_id = order.state.laboratory_id
    if change.laboratory_code is not None:
        laboratory_id = await uow.integration_deliveries.laboratory_for_sampling(
            actor.organisation, change.laboratory_code
        )
        if laboratory_id is None:
            raise InvalidInput(
                "laboratory_code",
                "not a laboratory of the client or of its sampling units",
                code="not_yours",
            )
    if laboratory_id is None and order.sampling_unit_id is not None:
        # As at the sampling site: a unit that serves one laboratory needs no choice.
        laboratory_id = await uow.integration_deliveries.only_laboratory(order.sampling_unit_id)
    if laboratory_id is None:
        raise InvalidInput(
            "laboratory_code", "name the laboratory that analyses the sample", code="required"
        )
    state = mark_sampled(
        order.state, sampled_at=change.sampled_at, laboratory_id=laboratory_id, now=now
    )
    code = change.laboratory_code or ""
    unmapped = await uow.integration_deliveries.unmapped_products(order.id, laboratory_id)
    if unmapped:
        raise ProductNotPerformed(
            laboratory_code=code,
            missing_products=unmapped,
            recipient_hsa_id=None,
            recipient_name=None,
        )
    recipient = order.result_care_unit_id or order.offer_recipient_id
    if recipient is not None and not await uow.integration_deliveries.is_customer(
        laboratory_id=laboratory_id, care_unit_id=recipient
    ):
        raise RecipientNotCustomer(
            laboratory_code=code,
            missing_products=(),
            recipient_hsa_id=None,
            recipient_name=None,
        )
    return state, recipient


async def change_status(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    idempotency: IdempotentCall,
    order_id: uuid.UUID,
    change: StatusChange,
) -> IntegrationOrder:
    """Hanterad (the electronic flow; the validity countdown starts), Provtagen with the
    sampling time from the sampling system, or Avvisad with a reason. A step the order's
    status does not allow is a conflict that carries the current state."""
    await idempotency.claim(
        "integration.status",
        {
            "order": str(order_id),
            "status": change.status,
            "sampled_at": change.sampled_at.isoformat() if change.sampled_at else None,
            "laboratory": change.laboratory_code,
            "reason": change.reason,
        },
    )
    order = await _locked(uow, actor, order_id)
    details: dict[str, object] = {"order_id": str(order.id), "rid": order.rid}
    if change.status == "handled":
        state = mark_handled(order.state, now=now, validity_days=order.validity_days)
        moved = await uow.integration_deliveries.set_handled(order.id, state)
    elif change.status == "sampled":
        state, recipient = await _sample(uow, actor, order, change, now)
        moved = await uow.integration_deliveries.set_sampled(
            order.id,
            state,
            sampling_unit_id=order.sampling_unit_id
            if order.sampling_unit_id in actor.organisation.sampling_unit_ids
            else None,
            result_care_unit_id=recipient,
        )
        details["sampled_at"] = state.sampled_at.isoformat() if state.sampled_at else None
    else:
        state = mark_rejected(order.state, reason=change.reason or "", now=now)
        moved = await uow.integration_deliveries.set_rejected(
            order.id, state, reason=(change.reason or "").strip()
        )
        details["reason"] = (change.reason or "").strip()
    # The row was locked above: the guarded update cannot miss.
    assert moved, "a locked order changed under its lock"
    await uow.audit.record(
        audit_event(
            actor,
            f"integration:set_{change.status}",
            now=now,
            patient=PersonalIdentityNumber.parse(order.personnummer),
            details={k: str(v) for k, v in details.items()},
        )
    )
    return await order_for_client(uow=uow, actor=actor, order_id=order.id)


async def order_for_client(
    *, uow: UnitOfWork, actor: IntegrationActor, order_id: uuid.UUID
) -> IntegrationOrder:
    """One order of the client's organisation as it is now (what a status update answers
    with, also when its Idempotency-Key is replayed)."""
    order = await uow.integration_deliveries.one(actor.organisation, order_id)
    if order is None:
        raise OrderNotFound("no such order of the client's organisation")
    return order


async def get_order(
    *, uow: UnitOfWork, actor: IntegrationActor, now: datetime, order_id: uuid.UUID
) -> IntegrationOrder:
    order = await order_for_client(uow=uow, actor=actor, order_id=order_id)
    await _audit_orders(uow, actor, [order], action="integration:get_order", now=now)
    await uow.commit()
    return order
