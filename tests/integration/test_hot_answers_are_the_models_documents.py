"""The hot citizen reads and placing an order answer with a `Document` built without the
response models (api/web/responses.py, issue 12 part 3): each answer must be exactly the
document its declared model gives — the same fields, types and formats (UTC times with Z) —
or the OpenAPI contract would be a promise the server does not keep."""

from __future__ import annotations

import uuid

from api.ordering.schemas import OfferSummary, OrderDetails
from api.profile.schemas import CitizenProfile
from tests.support.browserless_login import login


async def _spare_citizen(client, services):
    citizen = services.person_register.new_citizen()
    csrf = await login(client, kind="citizen", key=citizen.key)
    return {"X-CSRF-Token": csrf}


async def test_the_profile_answer_is_the_profile_models_document(client, services):
    await _spare_citizen(client, services)

    answer = await client.get("/api/citizen/profile")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert CitizenProfile.model_validate(body).model_dump(mode="json") == body
    assert set(body) == set(CitizenProfile.model_fields)


async def test_the_offer_list_is_the_offer_summaries_documents(client, services):
    await _spare_citizen(client, services)

    answer = await client.get("/api/citizen/offers", params={"scope": "home"})

    assert answer.status_code == 200
    body = answer.json()
    assert body, "a spare citizen in Region Stockholm sees the region's general offers"
    assert [OfferSummary.model_validate(o).model_dump(mode="json") for o in body] == body


async def test_a_placed_order_and_its_replay_are_the_order_models_document(client, services):
    headers = await _spare_citizen(client, services)
    key = uuid.uuid4().hex
    order = {
        "catalog_id": "2001",
        "contact": {"phone": "0701234567"},
        "delivery_address": {"street": "Storgatan 1", "postal_code": "111 22", "city": "Solna"},
        "answers": {"symptoms": False},
    }

    placed = await client.post(
        "/api/citizen/orders", json=order, headers={**headers, "Idempotency-Key": key}
    )
    replayed = await client.post(
        "/api/citizen/orders", json=order, headers={**headers, "Idempotency-Key": key}
    )

    assert placed.status_code == 201, placed.text
    body = placed.json()
    assert OrderDetails.model_validate(body).model_dump(mode="json") == body
    assert body["created_at"].endswith("Z")
    assert replayed.status_code == 201
    assert replayed.json() == body
