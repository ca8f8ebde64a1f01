"""Result intake — the one use case that electronic results (laboratory systems, the native
and the FHIR endpoints) and manual registration (the results follow-up issue) share — and
results polling for care units.

`receive_results` decides every item on its own (domain/results.py) and writes, in the one
transaction: the accepted versions, the orders that became Besvarad, their outbox events
(the citizen's notification, each result to the recipient care unit's system) and one audit
entry for the call. An item refused writes nothing; an item accepted writes all of its
parts (the results' insert, its order's status and its events are statements over the whole
batch in that transaction, and an item the insert left out — a collision committed
meanwhile — gets no events)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from adapters.db.repositories.result_deliveries import DeliveredResult
from adapters.db.repositories.results_intake import NewVersion
from adapters.db.uow import UnitOfWork
from api.web.idempotency import IdempotentCall
from domain.actors import Actor, IntegrationActor
from domain.audit import audit_event
from domain.errors import InvalidInput, NotPermitted
from domain.identity_numbers import PersonalIdentityNumber
from domain.integration import lease_length
from domain.orders import OrderStatus
from domain.outbox import NewEvent, result_events
from domain.results import (
    MAX_BATCH,
    STORED,
    Decision,
    IncomingResult,
    Outcome,
    ResultKeyTaken,
    decide,
    result_payload,
)


def normalised_rid(raw: str) -> str:
    """As printed (XXXX-XXXX-XX, any case, spaces) or as stored."""
    return "".join(raw.split()).replace("-", "").upper()


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What became of one item: its outcome and, unless refused, the result (version) now
    standing for it and its order's status; refused, the error."""

    index: int
    outcome: Outcome
    rid: str
    line_no: int | None = None
    result_id: uuid.UUID | None = None
    version: int | None = None
    order_id: uuid.UUID | None = None
    order_status: OrderStatus | None = None
    error: Exception | None = None


@dataclass(frozen=True, slots=True)
class IntakeReport:
    items: list[ItemResult]

    def count(self, *outcomes: Outcome) -> int:
        return sum(1 for i in self.items if i.outcome in outcomes)


def intake_laboratories(actor: Actor) -> frozenset[uuid.UUID]:
    """The laboratories whose orders the actor may post results for: a laboratory system's
    own (orders.laboratory_id). Manual registration names its laboratories itself."""
    if isinstance(actor, IntegrationActor):
        return actor.organisation.laboratory_ids
    raise NotPermitted("results are posted by laboratory systems or registered by hand")


async def receive_results(
    *,
    uow: UnitOfWork,
    actor: Actor,
    now: datetime,
    items: Sequence[IncomingResult],
    laboratory_ids: frozenset[uuid.UUID] | None = None,
    idempotency: IdempotentCall | None = None,
    commit: bool = True,
    new_id: Callable[[], uuid.UUID] | None = None,
    registration: ManualRegistration | None = None,
) -> IntakeReport:
    """Decides and stores up to MAX_BATCH results. With `idempotency` the call's key is
    claimed first and the runner commits; otherwise this commits (unless told not to: a
    replay decides the items again as things are now and writes nothing). Manual
    registration (api/result_registration) names its laboratory in `laboratory_ids` and
    who registered the results, where and with which template in `registration`."""
    if not items:
        raise InvalidInput("results", "send at least one result", code="required")
    if len(items) > MAX_BATCH:
        raise InvalidInput("results", f"send at most {MAX_BATCH} results", code="too_many")
    labs = intake_laboratories(actor) if laboratory_ids is None else laboratory_ids
    new_id = new_id or random_ids()
    items = [_with_rid(item) for item in items]
    if idempotency is not None:
        await idempotency.claim("receive_results", {"results": [_identity(i) for i in items]})
    lab_list = sorted(labs)
    intake = uow.results_intake
    orders = await intake.lock_orders(rids=sorted({i.rid for i in items}), laboratory_ids=lab_list)
    mapped = await intake.mappings(
        laboratory_ids=lab_list,
        codes=sorted({i.analysis_code for i in items if i.analysis_code}),
    )
    stored = await intake.stored_versions(
        line_ids=[line.id for order in orders.values() for line in order.lines],
        laboratory_ids=lab_list,
        lab_result_ids=sorted({i.lab_result_id for i in items if i.lab_result_id}),
    )
    hashes = [intake.content_hash(item.content()) for item in items]
    decisions = decide(
        items,
        orders=orders,
        mapped=mapped,
        stored=stored,
        content_hashes=hashes,
        now=now,
        new_id=new_id,
    )
    registered = _registered(registration)
    versions = [
        NewVersion(
            result_id=d.result_id,
            line_id=d.line.id,
            sampling_date=item.sampling_date,
            version=d.version,
            insight=item.insight.value if item.insight else None,
            payload=result_payload(item, d.line),
            laboratory_id=d.order.laboratory_id if item.lab_result_id else None,
            lab_result_id=item.lab_result_id,
            lab_version=item.lab_version,
            source=item.source.value,
            content_hash=content_hash,
            **registered,
        )
        for item, d, content_hash in zip(items, decisions, hashes, strict=True)
        if d.outcome in STORED and d.result_id and d.line and d.order and d.version
    ]
    inserted = await intake.insert(versions, now=now)
    decisions = [_collided() if _lost(d, inserted) else d for d in decisions]
    stored_orders = {d.order.id: d.order for d in decisions if d.outcome in STORED and d.order}
    answered = await intake.answer_complete(sorted(stored_orders), now=now)
    await uow.outbox.add(_events(decisions, new_id=new_id), now=now)
    report = IntakeReport(
        items=[
            _item_result(index, item, d, answered)
            for index, (item, d) in enumerate(zip(items, decisions, strict=True))
        ]
    )
    await uow.audit.record(
        audit_event(
            actor,
            "results_received",
            now=now,
            details={
                "created": report.count(Outcome.CREATED),
                "corrected": report.count(Outcome.CORRECTED),
                "duplicate": report.count(Outcome.DUPLICATE),
                "superseded": report.count(Outcome.SUPERSEDED),
                "refused": report.count(Outcome.REFUSED),
                "orders": sorted(str(order_id) for order_id in stored_orders),
            },
        )
    )
    if idempotency is None and commit:
        await uow.commit()
    return report


@dataclass(frozen=True, slots=True)
class ManualRegistration:
    """Who registered results by hand (HSA id and name as the login had them), at which
    care unit, with which result template."""

    by_hsa_id: str
    by_name: str | None
    care_unit_id: uuid.UUID
    template_id: uuid.UUID


def _registered(registration: ManualRegistration | None) -> dict[str, Any]:
    if registration is None:
        return {}
    return {
        "registered_by_hsa_id": registration.by_hsa_id,
        "registered_by_name": registration.by_name,
        "registered_at_care_unit_id": registration.care_unit_id,
        "result_template_id": registration.template_id,
    }


def random_ids(per_draw: int = 64) -> Callable[[], uuid.UUID]:
    """New ids as uuid.uuid4 makes them (version 4, their randomness from os.urandom), the
    randomness drawn for `per_draw` ids at once: uuid4 makes a system call per id, and a
    batch of 1,000 results makes 2,500 ids (results and outbox events) — a few microseconds
    each on a busy machine (bench/README.md, "Result intake")."""
    pool: list[bytes] = []

    def new_id() -> uuid.UUID:
        if not pool:
            drawn = os.urandom(16 * per_draw)
            pool.extend(drawn[i : i + 16] for i in range(0, len(drawn), 16))
        return uuid.UUID(bytes=pool.pop(), version=4)

    return new_id


def _with_rid(item: IncomingResult) -> IncomingResult:
    rid = normalised_rid(item.rid)
    return item if rid == item.rid else replace(item, rid=rid)


def _identity(item: IncomingResult) -> dict[str, object]:
    """What makes two calls the same (the Idempotency-Key's fingerprint)."""
    return {
        **item.content(),
        "lab_result_id": item.lab_result_id,
        "lab_version": item.lab_version,
        "source": item.source.value,
    }


def _lost(decision: Decision, inserted: set[uuid.UUID]) -> bool:
    return decision.outcome in STORED and decision.result_id not in inserted


def _collided() -> Decision:
    return Decision(
        outcome=Outcome.REFUSED,
        error=ResultKeyTaken(
            "the same result or version was received at the same moment by another call"
        ),
    )


def _events(decisions: Sequence[Decision], *, new_id: Callable[[], uuid.UUID]) -> list[NewEvent]:
    per_order: dict[uuid.UUID, list[Decision]] = {}
    for d in decisions:
        if d.outcome in STORED and d.order is not None:
            per_order.setdefault(d.order.id, []).append(d)
    events: list[NewEvent] = []
    for order_id, stored in per_order.items():
        order = stored[0].order
        assert order is not None
        events += result_events(
            order_id=order_id,
            results=[
                (d.result_id, d.line.line_no, order.recipient_care_unit_id)
                for d in stored
                if d.result_id is not None and d.line is not None
            ],
            corrected=any(d.outcome is Outcome.CORRECTED for d in stored),
            new_id=new_id,
        )
    return events


def _item_result(
    index: int, item: IncomingResult, d: Decision, answered: set[uuid.UUID]
) -> ItemResult:
    if d.outcome is Outcome.REFUSED or d.order is None:
        return ItemResult(index=index, outcome=Outcome.REFUSED, rid=item.rid, error=d.error)
    status = OrderStatus.ANSWERED if d.order.id in answered else d.order.status
    return ItemResult(
        index=index,
        outcome=d.outcome,
        rid=item.rid,
        line_no=d.line.line_no if d.line else None,
        result_id=d.result_id,
        version=d.version,
        order_id=d.order.id,
        order_status=status,
    )


# --- results polling ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResultClaim:
    lease_id: uuid.UUID
    lease_expires_at: datetime
    results: list[DeliveredResult]


async def claim_results(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    idempotency: IdempotentCall,
    limit: int,
    lease_seconds: int | None,
    default_lease_seconds: int,
    max_lease_seconds: int,
    new_lease_id: uuid.UUID,
) -> ResultClaim:
    """Hands out up to `limit` results delivered to the client's care units and not yet
    acknowledged, under a new lease; each is handed to no other poller until the lease runs
    out. Claims the call's Idempotency-Key (the runner commits; a retry is answered by
    `replay_result_claim`). Audited: one entry per result handed out, naming its patient."""
    if limit < 1 or limit > MAX_BATCH:
        raise InvalidInput("limit", f"claim between 1 and {MAX_BATCH} results", code="out_of_range")
    lease = lease_length(lease_seconds, default=default_lease_seconds, maximum=max_lease_seconds)
    await idempotency.claim("results.claim", {"limit": limit, "lease": lease.seconds})
    until = now + lease
    results = await uow.result_deliveries.claim(
        care_unit_ids=sorted(actor.organisation.care_unit_ids),
        client_id=actor.client_id,
        lease=new_lease_id,
        until=until,
        limit=limit,
        now=now,
    )
    await _audit_handed_out(uow, actor, "results_claimed", new_lease_id, results, now=now)
    return ResultClaim(lease_id=new_lease_id, lease_expires_at=until, results=results)


async def replay_result_claim(
    *, uow: UnitOfWork, actor: IntegrationActor, now: datetime, lease_id: uuid.UUID
) -> ResultClaim:
    """What a claim's Idempotency-Key answers again: the results still held under its lease
    (those acknowledged or handed out again since are left out). They are handed out again,
    so audited again — and committed (the replay writes nothing else)."""
    results, until = await uow.result_deliveries.held(
        care_unit_ids=sorted(actor.organisation.care_unit_ids),
        client_id=actor.client_id,
        lease=lease_id,
    )
    await _audit_handed_out(uow, actor, "results_claim_replayed", lease_id, results, now=now)
    await uow.commit()
    return ResultClaim(lease_id=lease_id, lease_expires_at=until or now, results=results)


async def _audit_handed_out(
    uow: UnitOfWork,
    actor: IntegrationActor,
    action: str,
    lease_id: uuid.UUID,
    results: Sequence[DeliveredResult],
    *,
    now: datetime,
) -> None:
    """One entry per result handed out, naming its patient; nothing handed out, one entry."""
    if not results:
        await uow.audit.record(
            audit_event(actor, action, now=now, details={"lease_id": str(lease_id), "results": []})
        )
        return
    await uow.audit.record_many(
        [
            audit_event(
                actor,
                action,
                now=now,
                patient=PersonalIdentityNumber.parse(r.personnummer),
                details={
                    "lease_id": str(lease_id),
                    "order_id": str(r.order_id),
                    "rid": r.rid,
                    "result_id": str(r.result_id),
                },
            )
            for r in results
        ]
    )


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    acknowledged: list[uuid.UUID]
    not_acknowledged: list[uuid.UUID]


async def acknowledge_results(
    *,
    uow: UnitOfWork,
    actor: IntegrationActor,
    now: datetime,
    idempotency: IdempotentCall,
    lease_id: uuid.UUID,
    delivery_ids: Sequence[uuid.UUID],
) -> Acknowledgement:
    """Settles results handed out under `lease_id` while it holds; those it no longer holds
    (ran out, handed out again) are listed as not acknowledged — fetch them again. Claims
    the call's Idempotency-Key (the runner commits; a retry is answered by
    `replay_acknowledge_results`)."""
    if not delivery_ids:
        raise InvalidInput("delivery_ids", "name at least one delivery", code="required")
    ordered = list(dict.fromkeys(delivery_ids))
    await idempotency.claim(
        "results.ack", {"lease_id": str(lease_id), "delivery_ids": sorted(map(str, ordered))}
    )
    settled = await uow.result_deliveries.acknowledge(
        delivery_ids=ordered,
        care_unit_ids=sorted(actor.organisation.care_unit_ids),
        lease=lease_id,
        now=now,
    )
    await uow.audit.record(
        audit_event(
            actor,
            "results_acknowledged",
            now=now,
            details={"lease_id": str(lease_id), "acknowledged": len(settled)},
        )
    )
    return Acknowledgement(
        acknowledged=[d for d in ordered if d in settled],
        not_acknowledged=[d for d in ordered if d not in settled],
    )


async def replay_acknowledge_results(
    *, uow: UnitOfWork, actor: IntegrationActor, delivery_ids: Sequence[uuid.UUID]
) -> Acknowledgement:
    """A retried acknowledgement, as things are now: each delivery that is acknowledged."""
    ordered = list(dict.fromkeys(delivery_ids))
    done = await uow.result_deliveries.acknowledged(
        delivery_ids=ordered, care_unit_ids=sorted(actor.organisation.care_unit_ids)
    )
    return Acknowledgement(
        acknowledged=[d for d in ordered if d in done],
        not_acknowledged=[d for d in ordered if d not in done],
    )
