"""Issue 11, citizen side: the kit lockout and usage limits hold under parallel requests;
no health data in the idempotency store or the log; deleting is for a result and its order
and gives no use back; cancelling twice is a success. Each test makes its own offers (or
clears its own counters), so its counts are exact."""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from adapters.db.models import AuditEntry
from api.logging_setup import HideDatabaseErrorText
from api.web.errors import problem_for
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, check_character, new_code
from domain.kits import KIT_ATTEMPTS_ALLOWED, KIT_LOCKOUT
from tests.support.browserless_login import login
from tests.support.factories import create_offer

ADDRESS = {"street": "Hemliga gränd 7", "postal_code": "11122", "city": "Stockholm"}
TOLVAN = "199012129897"
ERIK = "197809039816"


class Citizen:
    def __init__(self, client, csrf: str) -> None:
        self.client = client
        self.headers = {"X-CSRF-Token": csrf}

    async def order(self, catalog_id: str, *, idempotency_key: str | None = None):
        return await self.client.post(
            "/api/citizen/orders",
            json={
                "catalog_id": catalog_id,
                "contact": {"phone": "0701234567"},
                "delivery_address": ADDRESS,
                "answers": {},
            },
            headers={**self.headers, "Idempotency-Key": idempotency_key or uuid.uuid4().hex},
        )

    async def delete(self, order_id: str, personnummer: str):
        return await self.client.post(
            f"/api/citizen/orders/{order_id}/delete",
            json={"confirm_personnummer": personnummer},
            headers=self.headers,
        )

    async def cancel(self, order_id: str, *, version: int):
        return await self.client.post(
            f"/api/citizen/orders/{order_id}/cancel",
            headers={**self.headers, "If-Match": f'"{version}"'},
        )


@pytest.fixture
def as_citizen(new_client):
    async def _login(key_name: str) -> Citizen:
        http = new_client()
        return Citizen(http, await login(http, kind="citizen", key=key_name))

    return _login


async def limited_offer(admin, *, limit: int) -> str:
    offer = await create_offer(admin, usage_limit=limit, usage_period_days=365)
    return str(offer["catalog_id"])


async def add_result(services, order_id: str) -> None:
    """A result from the lab on every line (as the lab integration will deliver it)."""
    async with services.uow() as uow:
        lines = len(await uow.orders.lines_with_latest_results(uuid.UUID(order_id)))
        for line_no in range(1, lines + 1):
            await uow.orders.add_result(
                order_id=uuid.UUID(order_id),
                line_no=line_no,
                sampling_date=date.today(),
                insight="negative",
                payload={"values": [], "comment": None},
                now=services.now(),
            )
        await uow.commit()


# --- item 1: the kit lockout under a parallel burst -------------------------------------


def _unknown_kit() -> tuple[str, str]:
    body = "Z" * KIT_BODY_LENGTH
    return body + check_character(body), new_code(secrets.randbelow, RID_BODY_LENGTH)


async def test_a_parallel_burst_of_kit_guesses_is_cut_at_the_allowed_attempts(as_citizen, services):
    erik = await as_citizen("erik-stockholm")
    prefix = services.settings.redis_prefix
    await services.redis.delete(
        f"{prefix}:kit-attempts:{services.protector.lookup_hash(ERIK).hex()}"
    )
    kit_number, rid = _unknown_kit()

    async def guess():
        return await erik.client.post(
            "/api/citizen/kits",
            json={"kit_number": kit_number, "rid": rid},
            headers={**erik.headers, "Idempotency-Key": uuid.uuid4().hex},
        )

    answers = await asyncio.gather(*(guess() for _ in range(30)))

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [404] * KIT_ATTEMPTS_ALLOWED + [429] * (30 - KIT_ATTEMPTS_ALLOWED)
    refused = [a for a in answers if a.status_code == 429]
    assert {a.json()["type"] for a in refused} == {"/problems/too-many-attempts"}
    lockout = int(KIT_LOCKOUT.total_seconds())
    assert all(0 < int(a.headers["Retry-After"]) <= lockout for a in refused)
    # Still locked for the next, sequential, attempt, and it says how long.
    later = await guess()
    assert later.status_code == 429
    assert 0 < int(later.headers["Retry-After"]) <= lockout


# --- item 2: usage limits under concurrency ---------------------------------------------


async def test_parallel_orders_by_one_citizen_never_exceed_the_usage_limit(
    as_citizen, regional_admin
):
    catalog_id = await limited_offer(regional_admin, limit=4)
    sessions = [await as_citizen("tolvan") for _ in range(4)]

    answers = await asyncio.gather(
        *(session.order(catalog_id) for session in sessions for _ in range(4))
    )

    assert sorted(a.status_code for a in answers) == [201] * 4 + [403] * 12
    assert {a.json()["type"] for a in answers if a.status_code == 403} == {
        "/problems/offer-not-available"
    }
    accepted = {a.json()["order_id"] for a in answers if a.status_code == 201}
    listed = (await sessions[0].client.get("/api/citizen/orders")).json()["items"]
    assert len([o for o in listed if o["order_id"] in accepted]) == 4


# --- item 3: no health data in the idempotency store, replay, or log --------------------


async def test_the_idempotency_store_keeps_no_plain_text_of_the_order(
    as_citizen, regional_admin, services
):
    catalog_id = await limited_offer(regional_admin, limit=10)
    tolvan = await as_citizen("tolvan")
    idempotency_key = uuid.uuid4().hex

    placed = await tolvan.order(catalog_id, idempotency_key=idempotency_key)

    assert placed.status_code == 201, placed.text
    rid = placed.json()["rid"]
    async with services.uow() as uow:
        raw = (
            await uow.session.execute(
                text("SELECT CAST(r AS text) FROM idempotency_records r WHERE key = :key"),
                {"key": idempotency_key},
            )
        ).scalar_one()
    for plain in (ADDRESS["street"], rid, rid.replace("-", ""), "0701234567"):
        assert plain not in raw
    # The retry still gets the order back.
    again = await tolvan.order(catalog_id, idempotency_key=idempotency_key)
    assert (again.status_code, again.json()) == (201, placed.json())


async def test_replaying_the_key_of_a_deleted_order_returns_nothing_of_it(
    as_citizen, regional_admin, services
):
    catalog_id = await limited_offer(regional_admin, limit=10)
    tolvan = await as_citizen("tolvan")
    idempotency_key = uuid.uuid4().hex
    placed = (await tolvan.order(catalog_id, idempotency_key=idempotency_key)).json()
    await add_result(services, placed["order_id"])
    assert (await tolvan.delete(placed["order_id"], TOLVAN)).status_code == 204

    replayed = await tolvan.order(catalog_id, idempotency_key=idempotency_key)

    assert replayed.status_code == 404
    assert replayed.json()["type"] == "/problems/order-not-found"
    assert ADDRESS["street"] not in replayed.text
    assert placed["rid"] not in replayed.text
    # …and the replay made no new order either.
    listed = (await tolvan.client.get("/api/citizen/orders", params={"state": "ongoing"})).json()[
        "items"
    ]
    assert [o for o in listed if o["offer_name"] == placed["offer_name"]] == []


async def test_a_failing_statement_logs_none_of_its_values(services, caplog):
    secret = "Hemliga gränd 7, 0701234567"
    async with services.uow() as uow:
        with pytest.raises(DBAPIError) as failed:
            # The region exists: a unique violation, with a health-data-like parameter.
            await uow.session.execute(
                text("INSERT INTO regions (code, name) VALUES ('01', :name)"), {"name": secret}
            )
    error = failed.value
    assert secret not in str(error)  # hide_parameters on the engine

    with caplog.at_level(logging.DEBUG):
        answer = problem_for(error)  # the app's answer to an unforeseen error, and its log
    assert answer.status_code == 500
    records = [r for r in caplog.records if r.name == "api.web.errors"]
    assert len(records) == 1
    logged = records[0].getMessage() + (records[0].exc_text or "")
    assert "UniqueViolationError" in logged
    for leaked in (secret, "Key (code)=(01)", "already exists"):
        assert leaked not in logged
    assert records[0].exc_info is None

    # The server logs the exception Starlette re-raises after the 500: the handler's filter
    # keeps its text out too.
    record = logging.LogRecord(
        "uvicorn.error",
        logging.ERROR,
        __file__,
        1,
        "Exception in ASGI application",
        None,
        (type(error), error, error.__traceback__),
    )
    assert HideDatabaseErrorText().filter(record) is True
    formatted = logging.Formatter().format(record)
    assert secret not in formatted
    assert "Key (code)=(01)" not in formatted
    assert "UniqueViolationError" in formatted


# --- item 8: deleting is for a result and its order, and keeps the use ------------------


async def test_an_ongoing_order_without_a_result_is_cancelled_not_deleted(
    as_citizen, regional_admin
):
    catalog_id = await limited_offer(regional_admin, limit=10)
    tolvan = await as_citizen("tolvan")
    order = (await tolvan.order(catalog_id)).json()

    refused = await tolvan.delete(order["order_id"], TOLVAN)

    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/order-not-deletable"
    kept = await tolvan.client.get(f"/api/citizen/orders/{order['order_id']}")
    assert kept.json()["status"] == "ordered"


async def test_deleting_an_answered_order_does_not_give_its_use_back(
    as_citizen, regional_admin, services
):
    catalog_id = await limited_offer(regional_admin, limit=2)
    tolvan = await as_citizen("tolvan")
    first = (await tolvan.order(catalog_id)).json()
    assert (await tolvan.order(catalog_id)).status_code == 201
    await add_result(services, first["order_id"])

    assert (await tolvan.delete(first["order_id"], TOLVAN)).status_code == 204
    again = await tolvan.order(catalog_id)

    assert again.status_code == 403
    assert "usage_limit" in again.json()["detail"]
    offers = (await tolvan.client.get("/api/citizen/offers")).json()
    assert catalog_id not in [o["catalog_id"] for o in offers]
    async with services.uow() as uow:
        counted = (
            (
                await uow.session.execute(
                    text("SELECT CAST(u AS text) FROM usage_counts u WHERE catalog_id = :c"),
                    {"c": catalog_id},
                )
            )
            .scalars()
            .all()
        )
    assert len(counted) == 1
    assert ADDRESS["street"] not in counted[0]


# --- item 15: cancelling twice is a success ---------------------------------------------


async def test_two_parallel_cancels_of_one_order_both_succeed_and_cancel_once(
    as_citizen, regional_admin, services
):
    catalog_id = await limited_offer(regional_admin, limit=10)
    tolvan = await as_citizen("tolvan")
    order = (await tolvan.order(catalog_id)).json()
    other_tab = await as_citizen("tolvan")

    answers = await asyncio.gather(
        tolvan.cancel(order["order_id"], version=order["version"]),
        other_tab.cancel(order["order_id"], version=order["version"]),
    )

    assert [a.status_code for a in answers] == [200, 200]
    assert [a.json()["status"] for a in answers] == ["cancelled", "cancelled"]
    assert answers[0].json()["version"] == answers[1].json()["version"] == order["version"] + 1
    # Once more, with the old If-Match, later: still a success that changes nothing.
    late = await tolvan.cancel(order["order_id"], version=order["version"])
    assert (late.status_code, late.json()["version"]) == (200, order["version"] + 1)
    async with services.uow() as uow:
        audited = (
            await uow.session.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.action == "order_cancelled",
                    AuditEntry.details["order_id"].astext == order["order_id"],
                )
            )
        ).scalar_one()
    assert audited == 1
