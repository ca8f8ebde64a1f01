"""The citizen's order lists (Pågående, Tidigare) a page at a time: newest first, every
order once across the pages, whatever else the citizen has ordered."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.support.browserless_login import login
from tests.support.factories import create_offer

TOLVAN = "199012129897"
ONGOING, PREVIOUS = 23, 8


@pytest.fixture
async def own_offer_orders(regional_admin, services) -> dict:
    """An offer of this test's own and Tolvan's orders of it, put straight into the database
    (placing 31 orders through the API would meet the usage limits and the clock): 23
    ongoing, 8 answered; created in groups of three at the same instant, so that the pages
    must break ties by id."""
    offer = await create_offer(regional_admin)
    citizen_hash = services.protector.lookup_hash(TOLVAN)
    start = services.now() - timedelta(days=10)
    made = []
    async with services.uow() as uow:
        offer_id = (
            await uow.session.execute(
                text("SELECT id FROM offers WHERE catalog_id = :c AND is_current"),
                {"c": offer["catalog_id"]},
            )
        ).scalar_one()
        for n in range(ONGOING + PREVIOUS):
            order_id = uuid.uuid4()
            created_at = start + timedelta(minutes=n // 3)
            status = "ordered" if n < ONGOING else "answered"
            await uow.session.execute(
                text(
                    "INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id,"
                    " catalog_id, sampling_method, status, answers_encrypted, created_at,"
                    " version)"
                    " VALUES (:id, :rid, :h, :enc, :offer, :catalog, 'home_kit', :status,"
                    " :answers, :at, 1)"
                ),
                {
                    "id": order_id,
                    "rid": "T" + order_id.hex[:11].upper(),
                    "h": citizen_hash,
                    "enc": services.protector.encrypt(TOLVAN.encode(), context=citizen_hash),
                    "offer": offer_id,
                    "catalog": offer["catalog_id"],
                    "status": status,
                    "answers": services.protector.encrypt(b"{}", context=order_id.bytes),
                    "at": created_at,
                },
            )
            made.append((created_at, str(order_id), status))
        await uow.commit()
    newest_first = sorted(made, reverse=True)
    return {
        "catalog_id": offer["catalog_id"],
        "ongoing": [order_id for _, order_id, status in newest_first if status == "ordered"],
        "previous": [order_id for _, order_id, status in newest_first if status == "answered"],
    }


async def _walk(client, **params) -> tuple[list[str], int]:
    """Every page (following `next_cursor`): the order ids in page order, and the pages."""
    ids: list[str] = []
    cursor = None
    for pages in range(1, 100):
        response = await client.get(
            "/api/citizen/orders", params={**params, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [o["order_id"] for o in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages
    raise AssertionError("the cursors never ended")


@pytest.mark.parametrize(("state", "limit"), [("ongoing", 5), ("previous", 3), ("ongoing", 23)])
async def test_an_offers_orders_are_paged_newest_first_each_once(
    client, own_offer_orders, state, limit
):
    await login(client, kind="citizen", key="tolvan")

    ids, pages = await _walk(
        client, state=state, catalog_id=own_offer_orders["catalog_id"], limit=limit
    )

    assert ids == own_offer_orders[state]
    assert pages == -(-len(ids) // limit)


async def test_the_unfiltered_list_pages_through_the_citizens_other_orders_too(
    client, own_offer_orders
):
    await login(client, kind="citizen", key="tolvan")

    ids, _ = await _walk(client, state="ongoing", limit=4)

    # Other tests' orders of Tolvan come between; ours are there once each, in order.
    assert len(ids) == len(set(ids))
    assert [i for i in ids if i in set(own_offer_orders["ongoing"])] == own_offer_orders["ongoing"]


async def test_the_first_page_is_twenty_orders_by_default(client, own_offer_orders):
    await login(client, kind="citizen", key="tolvan")

    page = (
        await client.get(
            "/api/citizen/orders", params={"catalog_id": own_offer_orders["catalog_id"]}
        )
    ).json()

    assert [o["order_id"] for o in page["items"]] == own_offer_orders["ongoing"][:20]
    assert page["next_cursor"] is not None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
        ({"cursor": "MjAyNi0xMi0wMVQwOTowMDowMHxub3QtYS11dWlk"}, "cursor"),
        ({"limit": 101}, "query.limit"),
        ({"limit": 0}, "query.limit"),
    ],
)
async def test_a_bad_cursor_or_page_size_is_a_422_not_a_server_error(client, params, field):
    await login(client, kind="citizen", key="tolvan")

    refused = await client.get("/api/citizen/orders", params=params)

    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]
