"""The integration API (issue 9): client credentials, scopes, organisation isolation, the
leased hand-out under concurrency, status updates with Idempotency-Key, and the
administration of clients. Each test makes its own laboratories, clients and orders."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from adapters.demo_data import demo_id
from api.integration.schemas import ClaimOut
from api.services import Services
from tests.support.factories import (
    StaffClient,
    create_laboratory,
    create_sampling_unit,
    unique,
)

PERSONNUMMER = "191212121212"
ALL_SCOPES = ["orders:read", "orders:write", "results:read", "results:write"]


async def create_integration_client(
    admin: StaffClient,
    *,
    laboratory_codes: Sequence[str] = (),
    sampling_unit_ids: Sequence[str] = (),
    scopes: Sequence[str] = ("orders:read", "orders:write"),
) -> tuple[str, str, str]:
    """A new client; returns (client_id, client_secret, ETag)."""
    created = await admin.post(
        "/api/admin/integration-clients",
        {
            "name": unique("Labbsystem "),
            "region_code": "01",
            "scopes": list(scopes),
            "laboratory_codes": list(laboratory_codes),
            "sampling_unit_ids": list(sampling_unit_ids),
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    return body["client_id"], body["client_secret"], created.headers["ETag"]


async def get_token(
    http: httpx.AsyncClient, client_id: str, secret: str, scope: str | None = None
) -> str:
    form = {"grant_type": "client_credentials"}
    if scope is not None:
        form["scope"] = scope
    answer = await http.post("/oauth/token", data=form, auth=(client_id, secret))
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def seed_orders(
    services: Services,
    *,
    laboratory_code: str | None,
    count: int,
    status: str = "sampled",
    sampling_unit_id: str | None = None,
    personnummer: str = PERSONNUMMER,
    products: Sequence[str] = ("PEP-CT",),
) -> list[uuid.UUID]:
    """`count` orders of demo offer 1001 (one line per product, PEP-CT unless told) for the
    test citizen (or `personnummer`), as sampling left them: the laboratory chosen (when
    given), the result recipient a customer of it."""
    protector = services.protector
    citizen_hash = protector.lookup_hash(personnummer)
    now = datetime.now(UTC) - timedelta(minutes=5)
    ids = [uuid.uuid4() for _ in range(count)]
    async with services.engine.begin() as connection:
        lab_id = None
        if laboratory_code is not None:
            lab_id = (
                await connection.execute(
                    text("SELECT id FROM laboratories WHERE code = :code"),
                    {"code": laboratory_code},
                )
            ).scalar_one()
        await connection.execute(
            text(
                """
                INSERT INTO orders (id, rid, citizen_hash, citizen_encrypted, offer_id,
                    catalog_id, sampling_method, status, answers_encrypted, created_at,
                    handled_at, sampled_at, laboratory_id, result_care_unit_id,
                    sampling_unit_id, version)
                VALUES (:id, :rid, :hash, :citizen, :offer, '1001', 'site_booking', :status,
                    :answers, :created, :handled, :sampled, :lab, :recipient, :unit, 1)
                """
            ),
            [
                {
                    "id": i,
                    "rid": unique("T")[:12],
                    "hash": citizen_hash,
                    "citizen": protector.encrypt(personnummer.encode(), context=citizen_hash),
                    "offer": demo_id("offer:1001:1"),
                    "status": status,
                    "answers": protector.encrypt(b"{}", context=i.bytes),
                    "created": now,
                    "handled": now if status != "ordered" else None,
                    "sampled": now if status == "sampled" else None,
                    "lab": lab_id,
                    "recipient": demo_id("SE2321000016-A001") if lab_id else None,
                    "unit": uuid.UUID(sampling_unit_id) if sampling_unit_id else None,
                }
                for i in ids
            ],
        )
        await connection.execute(
            text(
                "INSERT INTO order_lines (id, order_id, line_no, product_code)"
                " VALUES (gen_random_uuid(), :id, :line_no, :product)"
            ),
            [
                {"id": i, "line_no": line_no, "product": product}
                for i in ids
                for line_no, product in enumerate(products, start=1)
            ],
        )
    return ids


async def own_sampling_unit(admin: StaffClient) -> tuple[str, str]:
    """A sampling unit of its own serving one laboratory of its own (which performs PEP-CT
    for the result units of the demo offers): (sampling unit id, laboratory code)."""
    lab = await create_laboratory(
        admin, customers=("SE2321000016-A001", "SE2321000016-A002", "SE2321000016-A003")
    )
    return await create_sampling_unit(admin, laboratory_codes=[lab]), lab


@pytest.fixture
async def lab_client(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> tuple[str, str, str]:
    """A laboratory of its own and a client of it: (laboratory code, client id, token)."""
    lab = await create_laboratory(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, laboratory_codes=[lab])
    return lab, client_id, await get_token(client, client_id, secret)


# --- the token endpoint ---------------------------------------------------------------------


async def test_token_is_issued_for_client_secret_basic_and_post_with_asked_scopes(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> None:
    lab = await create_laboratory(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, laboratory_codes=[lab])

    basic = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "orders:read"},
        auth=(client_id, secret),
    )
    post = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )

    assert basic.status_code == 200, basic.text
    assert basic.headers["cache-control"] == "no-store"
    assert basic.json()["token_type"] == "Bearer"
    assert basic.json()["scope"] == "orders:read"
    assert basic.json()["expires_in"] == 300
    assert post.json()["scope"] == "orders:read orders:write"


async def test_token_requests_are_refused_as_rfc_6749_says(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> None:
    lab = await create_laboratory(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, laboratory_codes=[lab])

    wrong_secret = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, "x" * 43)
    )
    unknown_grant = await client.post(
        "/oauth/token", data={"grant_type": "password"}, auth=(client_id, secret)
    )
    scope_not_held = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "results:write"},
        auth=(client_id, secret),
    )

    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"
    assert wrong_secret.headers["www-authenticate"].startswith("Basic")
    assert (unknown_grant.status_code, unknown_grant.json()["error"]) == (
        400,
        "unsupported_grant_type",
    )
    assert (scope_not_held.status_code, scope_not_held.json()["error"]) == (400, "invalid_scope")


async def test_call_without_valid_token_is_401_with_bearer_challenge(
    client: httpx.AsyncClient,
) -> None:
    none = await client.get("/api/integration/v1/orders")
    forged = await client.get(
        "/api/integration/v1/orders", headers=bearer("eyJhbGciOiJub25lIn0.e30.")
    )

    assert none.status_code == 401
    assert none.headers["www-authenticate"] == 'Bearer realm="pep-integration"'
    assert none.json()["type"] == "/problems/invalid-token"
    assert forged.status_code == 401
    assert 'error="invalid_token"' in forged.headers["www-authenticate"]


async def test_call_needing_a_scope_the_token_lacks_is_403_insufficient_scope(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> None:
    lab = await create_laboratory(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, laboratory_codes=[lab])
    token = await get_token(client, client_id, secret, scope="orders:read")

    answer = await client.post(
        f"/api/integration/v1/orders/{uuid.uuid4()}/status",
        json={"status": "handled"},
        headers=bearer(token, **key()),
    )

    assert answer.status_code == 403
    assert answer.json()["type"] == "/problems/insufficient-scope"
    assert answer.json()["required_scopes"] == ["orders:write"]
    assert 'error="insufficient_scope"' in answer.headers["www-authenticate"]


# --- organisation isolation -----------------------------------------------------------------


async def test_a_client_of_lab_a_never_sees_lab_b_orders(
    regional_admin: StaffClient, client: httpx.AsyncClient, services: Services
) -> None:
    lab_a, lab_b = await create_laboratory(regional_admin), await create_laboratory(regional_admin)
    a_id, a_secret, _ = await create_integration_client(regional_admin, laboratory_codes=[lab_a])
    token_a = await get_token(client, a_id, a_secret)
    orders_a = await seed_orders(services, laboratory_code=lab_a, count=2)
    orders_b = await seed_orders(services, laboratory_code=lab_b, count=2)

    listed = await client.get("/api/integration/v1/orders", headers=bearer(token_a))
    claimed = await client.post(
        "/api/integration/v1/orders/claim", json={"limit": 50}, headers=bearer(token_a, **key())
    )
    one_of_b = await client.get(
        f"/api/integration/v1/orders/{orders_b[0]}", headers=bearer(token_a)
    )
    set_on_b = await client.post(
        f"/api/integration/v1/orders/{orders_b[0]}/status",
        json={"status": "rejected", "reason": "fel labb"},
        headers=bearer(token_a, **key()),
    )

    assert {o["id"] for o in listed.json()["orders"]} == {str(i) for i in orders_a}
    assert {o["id"] for o in claimed.json()["orders"]} == {str(i) for i in orders_a}
    assert one_of_b.status_code == 404
    assert set_on_b.status_code == 404
    assert one_of_b.json()["type"] == set_on_b.json()["type"] == "/problems/order-not-found"


async def test_listed_order_carries_citizen_lab_codes_tube_codes_and_recipient(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, _, token = lab_client
    (order_id,) = await seed_orders(services, laboratory_code=lab, count=1)

    order = (
        await client.get(f"/api/integration/v1/orders/{order_id}", headers=bearer(token))
    ).json()

    assert order["personnummer"] == PERSONNUMMER
    assert order["status"] == "sampled"
    assert order["laboratory"]["code"] == lab
    assert order["lines"] == [
        {
            "line_no": 1,
            "product_code": "PEP-CT",
            "product_name": order["lines"][0]["product_name"],
            "lab_code": "PEP-CT-L",
            "tube_code": "T1",
            "material": "Urin",
        }
    ]
    assert order["result_recipient"]["hsa_id"] == "SE2321000016-A001"


async def test_listing_pages_by_cursor_through_every_order_once(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, _, token = lab_client
    ids = await seed_orders(services, laboratory_code=lab, count=7)

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get("/api/integration/v1/orders", params=params, headers=bearer(token))
        ).json()
        seen += [o["id"] for o in page["orders"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == 3
    assert sorted(seen) == sorted(str(i) for i in ids)


async def test_an_order_seen_two_ways_is_listed_once_in_change_order_across_ways(
    regional_admin: StaffClient, client: httpx.AsyncClient, services: Services
) -> None:
    """The list merges the client's ways of seeing an order (its laboratory, its sampling
    unit): each visible order of the statuses asked for exactly once, oldest change first,
    across pages; the laboratory filter keeps only that laboratory's."""
    unit, lab = await own_sampling_unit(regional_admin)
    other_lab = await create_laboratory(regional_admin)
    client_id, secret, _ = await create_integration_client(
        regional_admin, laboratory_codes=[lab], sampling_unit_ids=[unit]
    )
    token = await get_token(client, client_id, secret)
    both_ways = await seed_orders(services, laboratory_code=lab, sampling_unit_id=unit, count=3)
    by_unit = await seed_orders(services, laboratory_code=other_lab, sampling_unit_id=unit, count=2)
    by_lab = await seed_orders(services, laboratory_code=lab, count=2, status="handled")
    await seed_orders(
        services, laboratory_code=lab, sampling_unit_id=unit, count=1, status="answered"
    )
    await seed_orders(services, laboratory_code=other_lab, count=1)

    async def every_page(**filters: str) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {
                "limit": 2,
                **filters,
                **({"cursor": cursor} if cursor else {}),
            }
            answer = await client.get(
                "/api/integration/v1/orders", params=params, headers=bearer(token)
            )
            assert answer.status_code == 200, answer.text
            listed += answer.json()["orders"]
            cursor = answer.json()["next_cursor"]
            if cursor is None:
                return listed

    everything = await every_page()
    of_lab = await every_page(laboratory=lab)

    def list_position(order: dict[str, Any]) -> tuple[datetime, uuid.UUID]:
        return datetime.fromisoformat(order["updated_at"]), uuid.UUID(order["id"])

    assert [o["id"] for o in everything] == [o["id"] for o in sorted(everything, key=list_position)]
    assert sorted(o["id"] for o in everything) == sorted(
        str(i) for i in both_ways + by_unit + by_lab
    )
    assert sorted(o["id"] for o in of_lab) == sorted(str(i) for i in both_ways + by_lab)


# --- the leased hand-out --------------------------------------------------------------------


async def test_concurrent_pollers_get_every_order_once_and_none_twice_within_a_lease(
    regional_admin: StaffClient, app: Any, services: Services
) -> None:
    lab = await create_laboratory(regional_admin)
    pollers, orders, batch = 6, 240, 17
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as http:
        client_id, secret, _ = await create_integration_client(
            regional_admin, laboratory_codes=[lab]
        )
        token = await get_token(http, client_id, secret)
        ids = await seed_orders(services, laboratory_code=lab, count=orders)
        handed_out: list[tuple[int, str]] = []

        async def poll(poller: int) -> None:
            while True:
                claimed = await http.post(
                    "/api/integration/v1/orders/claim",
                    json={"limit": batch, "lease_seconds": 600},
                    headers=bearer(token, **key()),
                )
                assert claimed.status_code == 200, claimed.text
                got = claimed.json()["orders"]
                ClaimOut.model_validate(claimed.json())  # the contract, as documented
                if not got:
                    return
                handed_out.extend((poller, o["id"]) for o in got)
                acked = await http.post(
                    "/api/integration/v1/orders/ack",
                    json={"lease_ids": [o["lease"]["lease_id"] for o in got]},
                    headers=bearer(token, **key()),
                )
                assert acked.json()["acknowledged"] == len(got)

        await asyncio.gather(*(poll(p) for p in range(pollers)))

    delivered = [order for _, order in handed_out]
    assert sorted(delivered) == sorted(str(i) for i in ids)  # every order, none twice
    assert len({poller for poller, _ in handed_out}) > 1


async def test_an_unacknowledged_order_is_handed_out_again_when_its_lease_runs_out(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, _, token = lab_client
    ids = await seed_orders(services, laboratory_code=lab, count=3)
    url = "/api/integration/v1/orders/claim"

    first = (
        await client.post(url, json={"lease_seconds": 30}, headers=bearer(token, **key()))
    ).json()
    during = (await client.post(url, json={}, headers=bearer(token, **key()))).json()
    services.now_override = datetime.now(UTC) + timedelta(seconds=31)
    after = (await client.post(url, json={}, headers=bearer(token, **key()))).json()
    stale_ack = await client.post(
        "/api/integration/v1/orders/ack",
        json={"lease_ids": [first["orders"][0]["lease"]["lease_id"]]},
        headers=bearer(token, **key()),
    )

    assert sorted(o["id"] for o in first["orders"]) == sorted(str(i) for i in ids)
    assert during["orders"] == []
    assert sorted(o["id"] for o in after["orders"]) == sorted(str(i) for i in ids)
    assert stale_ack.json()["results"][0]["acknowledged"] is False


async def test_a_claim_retried_with_its_idempotency_key_gets_the_same_orders(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, client_id, token = lab_client
    await seed_orders(services, laboratory_code=lab, count=4)
    headers = bearer(token, **key())

    first = await client.post(
        "/api/integration/v1/orders/claim", json={"limit": 2}, headers=headers
    )
    retry = await client.post(
        "/api/integration/v1/orders/claim", json={"limit": 2}, headers=headers
    )
    other = await client.post(
        "/api/integration/v1/orders/claim", json={"limit": 3}, headers=headers
    )

    assert len(first.json()["orders"]) == 2
    assert retry.json() == first.json()
    assert other.status_code == 409
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    # The retry handed the orders out again: audited again, one entry per order and patient.
    async with services.uow() as uow:
        replayed = await uow.session.execute(
            text(
                "SELECT patient_hash, details->>'order_id' AS order_id FROM audit_log"
                " WHERE actor_id = :c AND action = 'integration:claim_orders_replayed'"
                " ORDER BY id"
            ),
            {"c": client_id},
        )
        audited = [(r.patient_hash, r.order_id) for r in replayed]
    patient = services.protector.lookup_hash(PERSONNUMMER)
    assert audited == [(patient, o["id"]) for o in first.json()["orders"]]


# --- status updates -------------------------------------------------------------------------


async def test_handled_starts_the_validity_and_a_second_handled_is_409_with_the_state(
    lab_client: tuple[str, str, str],
    regional_admin: StaffClient,
    client: httpx.AsyncClient,
    services: Services,
) -> None:
    unit, _ = await own_sampling_unit(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, sampling_unit_ids=[unit])
    token = await get_token(client, client_id, secret)
    (order_id,) = await seed_orders(
        services, laboratory_code=None, count=1, status="ordered", sampling_unit_id=unit
    )
    url = f"/api/integration/v1/orders/{order_id}/status"

    handled = await client.post(url, json={"status": "handled"}, headers=bearer(token, **key()))
    again = await client.post(url, json={"status": "handled"}, headers=bearer(token, **key()))

    assert handled.status_code == 200, handled.text
    body = handled.json()
    assert body["status"] == "handled"
    expires = datetime.fromisoformat(body["expires_at"])
    handled_at = datetime.fromisoformat(body["handled_at"])
    assert expires - handled_at == timedelta(days=30)
    assert again.status_code == 409
    assert again.json()["order_status"] == "handled"
    assert again.json()["version"] == 2


async def test_sampled_with_the_sampling_systems_time_locks_the_laboratory(
    regional_admin: StaffClient, client: httpx.AsyncClient, services: Services
) -> None:
    unit, lab = await own_sampling_unit(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, sampling_unit_ids=[unit])
    token = await get_token(client, client_id, secret)
    (order_id,) = await seed_orders(
        services, laboratory_code=None, count=1, status="handled", sampling_unit_id=unit
    )
    when = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0)

    sampled = await client.post(
        f"/api/integration/v1/orders/{order_id}/status",
        json={"status": "sampled", "sampled_at": when.isoformat(), "laboratory_code": lab},
        headers=bearer(token, **key()),
    )
    resampled = await client.post(
        f"/api/integration/v1/orders/{order_id}/status",
        json={"status": "sampled", "sampled_at": when.isoformat(), "laboratory_code": lab},
        headers=bearer(token, **key()),
    )

    assert sampled.status_code == 200, sampled.text
    assert datetime.fromisoformat(sampled.json()["sampled_at"]) == when
    assert sampled.json()["laboratory"]["code"] == lab
    assert sampled.json()["lines"][0]["lab_code"] == "PEP-CT-L"
    assert resampled.status_code == 409
    assert resampled.json()["type"] == "/problems/order-already-sampled"


async def test_rejection_with_a_reason_is_terminal_and_replayed_by_its_key(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, _, token = lab_client
    (order_id,) = await seed_orders(services, laboratory_code=lab, count=1)
    url = f"/api/integration/v1/orders/{order_id}/status"
    headers = bearer(token, **key())

    rejected = await client.post(
        url, json={"status": "rejected", "reason": "Provet hemolyserat"}, headers=headers
    )
    replayed = await client.post(
        url, json={"status": "rejected", "reason": "Provet hemolyserat"}, headers=headers
    )
    again = await client.post(
        url, json={"status": "rejected", "reason": "igen"}, headers=bearer(token, **key())
    )

    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Provet hemolyserat"
    assert replayed.json() == rejected.json()
    assert again.status_code == 409
    assert again.json()["order_status"] == "rejected"


async def test_every_call_is_audited_with_the_client(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, client_id, token = lab_client
    (order_id,) = await seed_orders(services, laboratory_code=lab, count=1)

    await client.get(f"/api/integration/v1/orders/{order_id}", headers=bearer(token))

    async with services.engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT actor_kind, action, patient_hash FROM audit_log"
                    " WHERE actor_id = :client ORDER BY id"
                ),
                {"client": client_id},
            )
        ).all()
    assert [(r.actor_kind, r.action) for r in rows] == [
        ("integration", "integration:token"),
        ("integration", "integration:get_order"),
    ]
    assert rows[1].patient_hash == services.protector.lookup_hash(PERSONNUMMER)


# --- administration -------------------------------------------------------------------------


async def test_rotating_the_secret_shows_it_once_and_the_old_one_stops_working(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> None:
    lab = await create_laboratory(regional_admin)
    client_id, old_secret, etag = await create_integration_client(
        regional_admin, laboratory_codes=[lab]
    )

    without_version = await regional_admin.post(
        f"/api/admin/integration-clients/{client_id}/rotate-secret"
    )
    rotated = await regional_admin.post(
        f"/api/admin/integration-clients/{client_id}/rotate-secret", **{"If-Match": etag}
    )
    read = await regional_admin.get(f"/api/admin/integration-clients/{client_id}")
    old = await client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, old_secret)
    )

    assert without_version.status_code == 428
    assert rotated.status_code == 200
    new_secret = rotated.json()["client_secret"]
    assert len(base64.urlsafe_b64decode(new_secret + "=")) == 32
    assert read.json()["client_secret"] is None
    assert old.status_code == 401
    assert await get_token(client, client_id, new_secret)


async def test_a_retired_clients_token_stops_working_at_once(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> None:
    lab = await create_laboratory(regional_admin)
    client_id, secret, etag = await create_integration_client(
        regional_admin, laboratory_codes=[lab]
    )
    token = await get_token(client, client_id, secret)

    retired = await regional_admin.post(
        f"/api/admin/integration-clients/{client_id}/retire", **{"If-Match": etag}
    )
    call = await client.get("/api/integration/v1/orders", headers=bearer(token))

    assert retired.json()["retired"] is True
    assert call.status_code == 401


async def test_organisation_outside_the_administrators_region_is_refused(
    regional_admin: StaffClient,
) -> None:
    answer = await regional_admin.post(
        "/api/admin/integration-clients",
        {
            "name": "Skånes labbsystem",
            "region_code": "01",
            "scopes": ["orders:read"],
            "laboratory_codes": ["LMS"],  # Region Skåne's
        },
    )

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "laboratory_codes"


# --- bad input is refused, never a 500 -----------------------------------------------------


async def test_a_control_character_in_the_token_request_is_invalid_request(
    regional_admin: StaffClient, client: httpx.AsyncClient
) -> None:
    lab = await create_laboratory(regional_admin)
    client_id, secret, _ = await create_integration_client(regional_admin, laboratory_codes=[lab])
    basic_nul = base64.b64encode(f"{client_id}%00:{secret}".encode()).decode()

    in_form = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "a\x00b", "client_secret": "x"},
    )
    in_basic = await client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic_nul}"},
    )

    for answer in (in_form, in_basic):
        assert answer.status_code == 400, answer.text
        assert answer.json() == {
            "error": "invalid_request",
            "error_description": "client_id must not contain control characters",
        }


async def test_an_instant_beyond_utc_in_updated_since_or_a_cursor_is_422_naming_it(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient
) -> None:
    _, _, token = lab_client
    url = "/api/integration/v1/orders"
    for value in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        since = await client.get(url, params={"updated_since": value}, headers=bearer(token))
        raw = f"{value}|{uuid.uuid4()}".encode()
        cursor = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        after = await client.get(url, params={"cursor": cursor}, headers=bearer(token))

        assert since.status_code == 422, since.text
        assert [e["field"] for e in since.json()["errors"]] == ["updated_since"]
        assert after.status_code == 422, after.text
        assert [e["field"] for e in after.json()["errors"]] == ["cursor"]


async def test_a_control_character_in_a_rejection_reason_is_422(
    lab_client: tuple[str, str, str], client: httpx.AsyncClient, services: Services
) -> None:
    lab, _, token = lab_client
    (order_id,) = await seed_orders(services, laboratory_code=lab, count=1)

    answer = await client.post(
        f"/api/integration/v1/orders/{order_id}/status",
        json={"status": "rejected", "reason": "a\x00b"},
        headers=bearer(token, **key()),
    )

    assert answer.status_code == 422, answer.text
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [
        ("rejected.reason", "control_character")
    ]
