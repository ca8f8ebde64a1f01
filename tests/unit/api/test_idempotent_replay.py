"""api/web/idempotency.py on a fake unit of work: the first answer is rendered and the key
committed with the order's id and the work; a retry is answered from that order without
running the work again (and 404 once the order is gone); a key reused for another request is
refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from adapters.db.repositories.idempotency import StoredResponse
from adapters.protection import DataProtector
from api.web.idempotency import fingerprint, run_idempotent
from domain.actors import CitizenActor
from domain.errors import IdempotencyKeyReused
from domain.identity_numbers import PersonalIdentityNumber
from domain.orders import OrderNotFound

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ACTOR = CitizenActor(personnummer=PersonalIdentityNumber.parse("199012129897"))


class FakeIdempotencyRepository:
    def __init__(self) -> None:
        self.records: dict[tuple[bytes, str], StoredResponse] = {}

    async def claim(
        self, *, actor_hash: bytes, key: str, fingerprint: bytes, now: datetime
    ) -> StoredResponse | None:
        stored = self.records.get((actor_hash, key))
        if stored is None:
            self.records[(actor_hash, key)] = StoredResponse(fingerprint, 0, None)
        return stored

    async def complete(
        self, *, actor_hash: bytes, key: str, status_code: int, order_id: uuid.UUID
    ) -> None:
        claimed = self.records[(actor_hash, key)]
        self.records[(actor_hash, key)] = StoredResponse(claimed.fingerprint, status_code, order_id)


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db
        self.idempotency = FakeIdempotencyRepository()
        self.idempotency.records = dict(db.committed)

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None

    async def commit(self) -> None:
        self._db.committed = dict(self.idempotency.records)
        self._db.commits += 1


class FakeDatabase:
    """Only what commits survives: each unit of work starts from the committed records."""

    protector = DataProtector(hash_key="unit-test", encryption_key="unit-test")

    def __init__(self) -> None:
        self.committed: dict[tuple[bytes, str], StoredResponse] = {}
        self.commits = 0
        # The "orders" a use case made: id → catalog id (deleting one removes it).
        self.orders: dict[uuid.UUID, str] = {}

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)


ORDER_IDS = {"1001": uuid.UUID(int=1001), "1002": uuid.UUID(int=1002)}


async def run(db, work, *, key="key-0001"):
    async def replay(_uow, order_id):
        if order_id not in db.orders:
            raise OrderNotFound("no such order")
        return db.orders[order_id]

    return await run_idempotent(
        db,
        actor=ACTOR,
        key=key,
        now=NOW,
        work=work,
        order_of=lambda catalog_id: ORDER_IDS[catalog_id],
        replay=replay,
        render=lambda result: {"rendered": result},
        status_code=201,
    )


def use_case(request: dict, runs: list[str], db: FakeDatabase | None = None):
    async def work(_uow, idempotency):
        await idempotency.claim("place_order", request)
        runs.append("ran")
        if db is not None:
            db.orders[ORDER_IDS[request["catalog_id"]]] = request["catalog_id"]
        return request["catalog_id"]

    return work


async def test_the_first_answer_is_rendered_stored_and_committed_with_the_work():
    db, runs = FakeDatabase(), []

    answer = await run(db, use_case({"catalog_id": "1001"}, runs))

    assert (answer.status_code, answer.body) == (201, {"rendered": "1001"})
    assert [(s.status_code, s.order_id) for s in db.committed.values()] == [
        (201, ORDER_IDS["1001"])
    ]
    assert db.commits == 1
    assert runs == ["ran"]


async def test_a_retry_gets_the_first_answer_without_running_the_work_again():
    db, runs = FakeDatabase(), []
    await run(db, use_case({"catalog_id": "1001"}, runs, db))

    again = await run(db, use_case({"catalog_id": "1001"}, runs, db))

    assert (again.status_code, again.body) == (201, {"rendered": "1001"})
    assert runs == ["ran"]
    assert db.commits == 1


async def test_a_retry_after_the_order_was_deleted_is_not_found_and_makes_nothing():
    db, runs = FakeDatabase(), []
    await run(db, use_case({"catalog_id": "1001"}, runs, db))
    del db.orders[ORDER_IDS["1001"]]

    with pytest.raises(OrderNotFound):
        await run(db, use_case({"catalog_id": "1001"}, runs, db))

    assert runs == ["ran"]
    assert db.commits == 1


async def test_a_key_reused_for_another_request_is_refused():
    db, runs = FakeDatabase(), []
    await run(db, use_case({"catalog_id": "1001"}, runs))

    with pytest.raises(IdempotencyKeyReused):
        await run(db, use_case({"catalog_id": "1002"}, runs))

    assert runs == ["ran"]


async def test_work_that_fails_leaves_the_key_free_for_a_retry():
    db, runs = FakeDatabase(), []

    async def failing(uow, idempotency):
        await idempotency.claim("place_order", {"catalog_id": "1001"})
        raise RuntimeError("crash after the claim")

    with pytest.raises(RuntimeError):
        await run(db, failing)
    answer = await run(db, use_case({"catalog_id": "1001"}, runs))

    assert db.committed.keys() == {(db.protector.lookup_hash(ACTOR.personnummer.value), "key-0001")}
    assert answer.body == {"rendered": "1001"}


async def test_work_that_never_claims_its_key_is_a_programming_error():
    db = FakeDatabase()

    async def unclaimed(_uow, _idempotency):
        return "1001"

    with pytest.raises(RuntimeError, match="without claiming"):
        await run(db, unclaimed)

    assert db.commits == 0


def test_the_fingerprint_ignores_key_order_and_names_the_operation():
    protector = FakeDatabase.protector
    assert fingerprint(protector, "place_order", {"a": 1, "b": 2}) == fingerprint(
        protector, "place_order", {"b": 2, "a": 1}
    )
    assert fingerprint(protector, "place_order", {"a": 1}) != fingerprint(
        protector, "register_kit", {"a": 1}
    )


def test_the_fingerprint_is_keyed_so_a_dump_cannot_confirm_a_guessed_request():
    other = DataProtector(hash_key="another-key", encryption_key="unit-test")
    request = {"delivery_address": {"street": "Storgatan 1"}}
    assert fingerprint(FakeDatabase.protector, "place_order", request) != fingerprint(
        other, "place_order", request
    )
