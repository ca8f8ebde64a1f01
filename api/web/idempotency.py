"""Idempotent requests (the Idempotency-Key header): a retry with the same key gets the
order the first call made, with the first status, and creates nothing new; the same key sent
with a different request is refused (`IdempotencyKeyReused`, 409 idempotency-key-reused).

How it works, all of it here:
1. The route calls `run_idempotent`, which opens the unit of work and hands the use case an
   `IdempotentCall` for the request's key.
2. The use case claims the key (`await idempotency.claim(operation, request)`) where its work
   begins, naming what identifies its request (e.g. the normalised kit number and RID), after
   the checks that answer even a retry (the kit lockout). The claim is a row written in the
   use case's own transaction.
3. A key answered before: the fingerprints (a keyed hash of operation and request) differ →
   `IdempotencyKeyReused`; they match → the use case is stopped and the runner answers with
   the stored status and the order the first call made, rendered as it is now (`replay`).
4. Otherwise the use case does its work and returns its domain result without committing;
   the runner renders it, stores the key with the id of the order it made and commits. The
   order and its key commit together: a crash anywhere leaves neither, and the retry starts
   afresh.

What is stored under a key is only that: a keyed hash of the request, the status and the
order's id — never the answer itself, which holds health data (address, phone, RID, the
test's name; issue 11 item 3). So deleting the order leaves nothing of it here, and a retry
of a key whose order was deleted is answered 404 order-not-found, as reading that order is:
the call's effect no longer exists, and nothing of it is replayed. (A client that still wants
an order sends a new request with a new key.)

So a use case never sees HTTP: it claims, works and returns; rendering and replay happen
only here. This module imports no web framework, so use cases can name the port."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from adapters.db.repositories.idempotency import IdempotencyRepository, StoredResponse
from adapters.db.uow import UnitOfWork
from adapters.protection import DataProtector
from domain.actors import CitizenActor, IntegrationActor, StaffActor
from domain.errors import IdempotencyKeyReused
from domain.orders import OrderNotFound

T = TypeVar("T")


def fingerprint(protector: DataProtector, operation: str, request: Mapping[str, Any]) -> bytes:
    """What makes two requests the same: the operation and every value of the request, as
    canonical JSON (sorted keys; dates, ids and the like as their text), under a keyed hash —
    the request holds personal data, which a plain hash would let anyone confirm by guessing."""
    payload = {"op": operation, **request}
    return protector.lookup_hash("idempotency:" + json.dumps(payload, sort_keys=True, default=str))


class IdempotentCall(Protocol):
    """The port a use case receives: the request's Idempotency-Key, to be claimed once."""

    async def claim(self, operation: str, request: Mapping[str, Any]) -> None:
        """Claims the key for this request in the use case's transaction. Raises
        IdempotencyKeyReused when the key was used for a different request; when this
        request was answered before it does not return (the first answer is replayed)."""
        ...


class _AlreadyAnswered(Exception):
    """Stops a use case whose request was answered before; only `run_idempotent` sees it."""

    def __init__(self, stored: StoredResponse) -> None:
        super().__init__("the request was answered before")
        self.stored = stored


class _KeyClaim:
    def __init__(
        self,
        repository: IdempotencyRepository,
        protector: DataProtector,
        *,
        actor_hash: bytes,
        key: str,
        now: datetime,
    ) -> None:
        self._repository = repository
        self._protector = protector
        self._actor_hash = actor_hash
        self._key = key
        self._now = now
        self.claimed = False

    async def claim(self, operation: str, request: Mapping[str, Any]) -> None:
        sent = fingerprint(self._protector, operation, request)
        stored = await self._repository.claim(
            actor_hash=self._actor_hash, key=self._key, fingerprint=sent, now=self._now
        )
        if stored is None:
            self.claimed = True
            return
        if stored.fingerprint != sent:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was already used for a different request"
            )
        raise _AlreadyAnswered(stored)

    async def store(self, *, status_code: int, order_id: uuid.UUID) -> None:
        await self._repository.complete(
            actor_hash=self._actor_hash, key=self._key, status_code=status_code, order_id=order_id
        )


class Database(Protocol):
    """What the runner needs of the services: a unit of work, and the keyed hash that keeps
    a citizen's stored answers theirs."""

    protector: DataProtector

    def uow(self) -> UnitOfWork: ...


def actor_hash(
    protector: DataProtector, actor: CitizenActor | IntegrationActor | StaffActor
) -> bytes:
    """Whose keys: a citizen's by the keyed hash of the personnummer, an integration
    client's by the keyed hash of its client id, a staff member's by the keyed hash of the
    HSA id (prefixed, so the three can never collide)."""
    if isinstance(actor, IntegrationActor):
        return protector.lookup_hash("integration-client:" + actor.client_id)
    if isinstance(actor, StaffActor):
        return protector.lookup_hash("staff:" + actor.hsa_id)
    return protector.lookup_hash(actor.personnummer.value)


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int
    body: dict[str, Any]


async def run_idempotent(
    db: Database,
    *,
    actor: CitizenActor | IntegrationActor | StaffActor,
    key: str,
    now: datetime,
    work: Callable[[UnitOfWork, IdempotentCall], Awaitable[T]],
    order_of: Callable[[T], uuid.UUID],
    replay: Callable[[UnitOfWork, uuid.UUID], Awaitable[T]],
    render: Callable[[T], dict[str, Any]],
    status_code: int,
) -> Answer:
    """Runs `work` (a use case that claims the key and does not commit) in one transaction:
    the first answer for the key, or — for a retry — the order the first call made, read by
    `replay` (which raises OrderNotFound when that order was deleted)."""
    async with db.uow() as uow:
        call = _KeyClaim(
            uow.idempotency,
            db.protector,
            actor_hash=actor_hash(db.protector, actor),
            key=key,
            now=now,
        )
        try:
            result = await work(uow, call)
        except _AlreadyAnswered as answered:
            if answered.stored.order_id is None:
                raise OrderNotFound("the order made with this Idempotency-Key is gone") from None
            replayed = await replay(uow, answered.stored.order_id)
            return Answer(status_code=answered.stored.status_code, body=render(replayed))
        if not call.claimed:
            raise RuntimeError("an idempotent use case returned without claiming its key")
        body = render(result)
        await call.store(status_code=status_code, order_id=order_of(result))
        await uow.commit()
    return Answer(status_code=status_code, body=body)
