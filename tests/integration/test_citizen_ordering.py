"""The citizen journey's rules through the HTTP API, on the real database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from adapters.db.models import AuditEntry, Order
from adapters.demo_data import OFFERS, demo_id, demo_kits
from tests.support.browserless_login import login
from tests.support.factories import create_offer, create_staff_member, log_in_staff
from tests.support.statements import statements_sent

HUDDINGE = str(demo_id("SE2321000016-P001"))
LUND = str(demo_id("SE2321000255-P001"))
SOLNA = "SE2321000016-A001"
DEMO_OFFERS = {o["catalog_id"] for o in OFFERS}
HOME_ADDRESS = {"street": "Landsvägen 12", "postal_code": "172 63", "city": "Sundbyberg"}


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


class Citizen:
    def __init__(self, client, csrf: str) -> None:
        self.client = client
        self.headers = {"X-CSRF-Token": csrf}

    async def offers(self, scope: str = "home") -> list[str]:
        response = await self.client.get("/api/citizen/offers", params={"scope": scope})
        assert response.status_code == 200, response.text
        return [o["catalog_id"] for o in response.json()]

    async def order(self, body: dict, *, idempotency_key: str | None = None):
        headers = {**self.headers, "Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        return await self.client.post("/api/citizen/orders", json=body, headers=headers)

    async def free_slots(self, catalog_id: str = "1004", unit: str = HUDDINGE) -> list[dict]:
        response = await self.client.get(
            f"/api/citizen/offers/{catalog_id}/slots", params={"sampling_unit_id": unit}
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def book(self, slot: dict, **extra):
        return await self.order(
            {
                "catalog_id": "1004",
                "contact": {"phone": "070-123 45 67"},
                "answers": {"symptoms": False},
                "booking": {
                    "sampling_unit_id": slot["sampling_unit_id"],
                    "slot_id": slot["slot_id"],
                },
                **extra,
            }
        )


@pytest.fixture
def as_citizen(client, new_client):
    async def _login(key_name: str, *, fresh_browser: bool = False) -> Citizen:
        http = new_client() if fresh_browser else client
        return Citizen(http, await login(http, kind="citizen", key=key_name))

    return _login


def nationwide_order(**extra) -> dict:
    return {
        "catalog_id": "2001",
        "contact": {"phone": "0701234567"},
        "delivery_address": {"street": "Storgatan 2", "postal_code": "21122", "city": "Malmö"},
        "answers": {"symptoms": False},
        **extra,
    }


def home_kit_order(**extra) -> dict:
    return {
        "catalog_id": "1001",
        "contact": {"email": "test@example.se"},
        "delivery_address": HOME_ADDRESS,
        "answers": {"symptoms": True},
        **extra,
    }


# --- which offers a citizen sees -------------------------------------------------------


async def test_general_offers_follow_region_age_and_sex_and_personal_need_assignment(as_citizen):
    tolvan = await as_citizen("tolvan")  # man, 35, Region Stockholm, assigned 1002
    # Other tests add offers to the region; of the demo offers he sees exactly these.
    # 1005: an anonymous kit that can be ordered home (manual 3.2).
    assert set(await tolvan.offers()) & DEMO_OFFERS == {"1001", "1002", "1004", "1005"}
    # PSA (1003) is personal, for men 40+, and not assigned to him.
    assert (await tolvan.client.get("/api/citizen/offers/1003")).status_code == 403


async def test_children_do_not_see_offers_with_an_age_floor(as_citizen):
    child = await as_citizen("ella-child")  # 10 years old
    assert "1001" not in await child.offers()
    response = await child.client.get("/api/citizen/offers/1001")
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/offer-not-available"


async def test_an_unknown_offer_scope_is_a_422_naming_the_parameter(as_citizen, new_client):
    johan = await as_citizen("johan-goteborg")
    for wrong in ("elsewhere", "", "HOME"):
        refused = await johan.client.get("/api/citizen/offers", params={"scope": wrong})
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert problem["type"] == "/problems/validation"
        assert problem["errors"] == [
            {
                "field": "query.scope",
                "message": "Input should be 'home' or 'other_regions'",
                "code": "literal_error",
            }
        ]
    # Without a session the answer is 401, whatever the scope: the session is looked at first.
    anonymous = await new_client().get("/api/citizen/offers", params={"scope": "elsewhere"})
    assert anonymous.status_code == 401


async def test_offers_of_another_region_are_not_shown_but_nationwide_ones_are(as_citizen):
    johan = await as_citizen("johan-goteborg")  # Västra Götaland: no general offers there
    assert set(await johan.offers()) & DEMO_OFFERS == set()
    assert set(await johan.offers("other_regions")) & DEMO_OFFERS == {"2001"}
    assert (await johan.client.get("/api/citizen/offers/2002")).status_code == 403


async def test_unknown_offer_is_404(as_citizen):
    tolvan = await as_citizen("tolvan")
    response = await tolvan.client.get("/api/citizen/offers/999999")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/offer-not-found"


async def test_offer_instructions_are_sanitized(as_citizen, services):
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "UPDATE offers SET instructions = instructions ||"
                ' \'<script>alert(1)</script><a href="javascript:x()" onclick="y()">x</a>\''
                " WHERE catalog_id = '2002'"
            )
        )
        await uow.commit()
    lars = await as_citizen("lars-malmo")
    html = (await lars.client.get("/api/citizen/offers/2002")).json()["instructions_html"]
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "<p>" in html


async def test_usage_limit_hides_the_offer_once_reached(as_citizen):
    maja = await as_citizen("maja-teen")  # offer 1001: at most 4 orders a year
    for _ in range(4):
        assert (await maja.order(home_kit_order())).status_code == 201
    assert "1001" not in await maja.offers()
    refused = await maja.order(home_kit_order())
    assert refused.status_code == 403
    assert "usage_limit" in refused.json()["detail"]


# --- ordering --------------------------------------------------------------------------


async def test_home_kit_order_gets_a_rid_and_one_line_per_product(as_citizen):
    tolvan = await as_citizen("tolvan")
    response = await tolvan.order(home_kit_order())
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "ordered"
    assert len(order["rid"]) == 12
    assert order["rid"].count("-") == 2
    assert [line["product_code"] for line in order["lines"]] == ["PEP-CT", "PEP-NG"]
    assert order["delivery_address"]["city"] == "Sundbyberg"
    assert order["can_cancel"] is True
    listed = (await tolvan.client.get("/api/citizen/orders")).json()["items"]
    assert order["order_id"] in [o["order_id"] for o in listed]


async def test_retried_order_with_same_idempotency_key_creates_nothing_new(as_citizen, services):
    anna = await as_citizen("anna-stockholm")
    idempotency_key = uuid.uuid4().hex
    first = await anna.order(home_kit_order(), idempotency_key=idempotency_key)
    again = await anna.order(home_kit_order(), idempotency_key=idempotency_key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    async with services.uow() as uow:
        count = (
            await uow.session.execute(
                select(func.count())
                .select_from(Order)
                .where(Order.rid == first.json()["rid"].replace("-", ""))
            )
        ).scalar_one()
    assert count == 1


async def test_idempotency_key_reused_for_another_request_is_refused(as_citizen):
    anna = await as_citizen("anna-stockholm")
    idempotency_key = uuid.uuid4().hex
    assert (await anna.order(home_kit_order(), idempotency_key=idempotency_key)).status_code == 201
    other = await anna.order(
        home_kit_order(answers={"symptoms": False}), idempotency_key=idempotency_key
    )
    assert other.status_code == 409
    assert other.json()["type"] == "/problems/idempotency-key-reused"


async def test_order_without_idempotency_key_is_a_422(as_citizen):
    anna = await as_citizen("anna-stockholm")
    response = await anna.client.post(
        "/api/citizen/orders", json=home_kit_order(), headers=anna.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "header.Idempotency-Key"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (home_kit_order(answers={}), "answers.symptoms"),
        (home_kit_order(answers={"symptoms": "kanske"}), "answers.symptoms"),
        (home_kit_order(answers={"symptoms": True, "unknown": "x"}), "answers.unknown"),
        (home_kit_order(contact=None), "contact"),
        (home_kit_order(delivery_address=None), "delivery_address"),
        (
            home_kit_order(delivery_address={**HOME_ADDRESS, "street": "<b>Gatan</b> 1"}),
            "delivery_address.street",
        ),
        (
            home_kit_order(delivery_address={**HOME_ADDRESS, "postal_code": "1"}),
            "delivery_address.postal_code",
        ),
        (home_kit_order(order_key="x" * 51), "order_key"),
        (home_kit_order(sampling_datetime="2020-01-01T10:00:00+01:00"), "sampling_datetime"),
        (home_kit_order(contact={"email": "not-an-address"}), "contact.email"),
    ],
)
async def test_bad_order_input_is_a_422_naming_the_field_and_stores_nothing(
    as_citizen, body, field
):
    oscar = await as_citizen("oscar-teen")
    before = (await oscar.client.get("/api/citizen/orders")).json()
    response = await oscar.order(body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert (await oscar.client.get("/api/citizen/orders")).json() == before


async def test_order_of_an_unknown_offer_is_404(as_citizen):
    tolvan = await as_citizen("tolvan")
    response = await tolvan.order({"catalog_id": "does-not-exist"})
    assert response.status_code == 404


async def test_personal_offer_of_someone_else_cannot_be_ordered(as_citizen):
    gunnar = await as_citizen("gunnar-elder")  # 1002 is assigned to others, not him
    response = await gunnar.order({"catalog_id": "1002", "contact": {"phone": "0701234567"}})
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/offer-not-available"


async def test_ordering_a_personal_offer_counts_the_use(
    as_citizen, regional_admin, new_client, services
):
    offer = await create_offer(regional_admin, visibility="personal", assigning_units=[SOLNA])
    staff = create_staff_member(services.hsa, care_units=[SOLNA])
    nurse = await log_in_staff(new_client(), key=staff.key, unit=SOLNA)
    assigned = await nurse.post(
        "/api/staff/assignments",
        {"personnummer": "19850412-9829", "catalog_id": offer["catalog_id"]},
    )
    assert assigned.status_code == 201, assigned.text
    anna = await as_citizen("anna-stockholm")
    response = await anna.order(
        {
            "catalog_id": offer["catalog_id"],
            "contact": {"phone": "0701234567"},
            "delivery_address": HOME_ADDRESS,
        }
    )
    assert response.status_code == 201, response.text
    digest = services.protector.lookup_hash("198504129829")
    async with services.uow() as uow:
        used = (
            await uow.session.execute(
                text(
                    "SELECT times_used, last_used_at FROM assigned_offers"
                    " WHERE personnummer_hash = :h AND catalog_id = :catalog_id"
                ),
                {"h": digest, "catalog_id": offer["catalog_id"]},
            )
        ).one()
    assert used.times_used == 1
    assert used.last_used_at is not None


async def test_home_kit_for_a_protected_identity_is_flagged_for_manual_handling(
    as_citizen, services
):
    hidden = await as_citizen("protected-person")
    response = await hidden.order(
        home_kit_order(delivery_address={"street": "Box 1", "postal_code": "10005", "city": "X"})
    )
    assert response.status_code == 201, response.text
    async with services.uow() as uow:
        answers = await uow.orders.answers(uuid.UUID(response.json()["order_id"]))
    assert answers["manual_handling"] == "protected_identity"


# --- time booking ----------------------------------------------------------------------


async def test_booking_takes_a_place_and_cancelling_gives_it_back(as_citizen):
    gunnar = await as_citizen("gunnar-elder")
    slot = (await gunnar.free_slots())[1]
    booked = await gunnar.book(slot)
    assert booked.status_code == 201, booked.text
    assert booked.json()["booking"]["starts_at"] == slot["starts_at"]
    after = {s["slot_id"]: s["free"] for s in await gunnar.free_slots()}
    assert after.get(slot["slot_id"], 0) == slot["free"] - 1
    cancelled = await gunnar.client.post(
        f"/api/citizen/orders/{booked.json()['order_id']}/cancel", headers=gunnar.headers
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    restored = {s["slot_id"]: s["free"] for s in await gunnar.free_slots()}
    assert restored[slot["slot_id"]] == slot["free"]


async def test_parallel_bookings_never_exceed_slot_capacity(as_citizen, services):
    gunnar = await as_citizen("gunnar-elder")
    slot = (await gunnar.free_slots())[-1]
    attempts = 3 * slot["free"] + 4
    responses = await asyncio.gather(*(gunnar.book(slot) for _ in range(attempts)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == slot["free"]
    assert set(statuses) == {201, 409}
    assert all(
        r.json()["type"] == "/problems/slot-not-available"
        for r in responses
        if r.status_code == 409
    )
    async with services.uow() as uow:
        booked, capacity = (
            await uow.session.execute(
                text("SELECT booked, capacity FROM sampling_slots WHERE id = :id"),
                {"id": slot["slot_id"]},
            )
        ).one()
    assert booked == capacity


async def test_booking_offer_needs_a_slot_and_a_place_of_the_offer(as_citizen):
    gunnar = await as_citizen("gunnar-elder")
    no_slot = await gunnar.order(
        {"catalog_id": "1004", "contact": {"phone": "0701234567"}, "answers": {"symptoms": False}}
    )
    assert no_slot.status_code == 422
    assert no_slot.json()["errors"][0]["field"] == "booking"
    lund_slot = (await (await as_citizen("lars-malmo")).free_slots("2002", LUND))[0]
    gunnar = await as_citizen("gunnar-elder")
    elsewhere = await gunnar.book(lund_slot)
    assert elsewhere.status_code == 422
    assert elsewhere.json()["errors"][0]["field"] == "booking.sampling_unit_id"


# --- cancelling ------------------------------------------------------------------------


async def test_order_cannot_be_cancelled_after_booked_time_passed(as_citizen, services):
    gunnar = await as_citizen("gunnar-elder")
    slot = (await gunnar.free_slots())[2]
    order = (await gunnar.book(slot)).json()
    from datetime import datetime

    services.now_override = datetime.fromisoformat(slot["starts_at"]) + timedelta(minutes=1)
    gunnar = await as_citizen("gunnar-elder")  # a new session at that later time
    details = (await gunnar.client.get(f"/api/citizen/orders/{order['order_id']}")).json()
    assert details["can_cancel"] is False
    assert details["cancel_refusal"] == "booked_time_passed"
    refused = await gunnar.client.post(
        f"/api/citizen/orders/{order['order_id']}/cancel", headers=gunnar.headers
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/order-cannot-be-cancelled"
    assert "booked sampling time has passed" in refused.json()["detail"]


async def test_home_kit_cannot_be_cancelled_once_delivery_started(as_citizen, services):
    tolvan = await as_citizen("tolvan")
    order = (await tolvan.order(home_kit_order())).json()
    async with services.uow() as uow:
        await uow.session.execute(
            text("UPDATE orders SET status = 'handled', handled_at = now() WHERE id = :id"),
            {"id": order["order_id"]},
        )
        await uow.commit()
    refused = await tolvan.client.post(
        f"/api/citizen/orders/{order['order_id']}/cancel", headers=tolvan.headers
    )
    assert refused.status_code == 409
    assert "already been sent" in refused.json()["detail"]


async def test_a_stale_version_is_refused_and_cancelling_twice_is_a_success(as_citizen):
    tolvan = await as_citizen("tolvan")
    slot = (await tolvan.free_slots())[4]
    order = (await tolvan.book(slot)).json()
    url = f"/api/citizen/orders/{order['order_id']}/cancel"
    stale = await tolvan.client.post(url, headers={**tolvan.headers, "If-Match": '"99"'})
    assert stale.status_code == 412
    ok = await tolvan.client.post(
        url, headers={**tolvan.headers, "If-Match": f'"{order["version"]}"'}
    )
    assert ok.status_code == 200
    # A double click or a retry: the order as it is now, unchanged (issue 11 item 15).
    again = await tolvan.client.post(url, headers=tolvan.headers)
    assert again.status_code == 200
    assert (again.json()["status"], again.json()["version"]) == ("cancelled", order["version"] + 1)
    assert again.json()["cancel_refusal"] == "already_cancelled"
    previous = (
        await tolvan.client.get("/api/citizen/orders", params={"state": "previous"})
    ).json()["items"]
    assert order["order_id"] in [o["order_id"] for o in previous]


# --- other citizens' data ----------------------------------------------------------------


async def test_a_citizen_cannot_see_or_act_on_another_citizens_order(as_citizen):
    tolvan = await as_citizen("tolvan")
    order = (await tolvan.order(home_kit_order())).json()
    other = await as_citizen("fatima-lund", fresh_browser=True)
    base = f"/api/citizen/orders/{order['order_id']}"
    assert (await other.client.get(base)).status_code == 404
    assert (await other.client.post(f"{base}/cancel", headers=other.headers)).status_code == 404
    assert (
        await other.client.post(f"{base}/results/read", headers=other.headers)
    ).status_code == 404
    deleted = await other.client.post(
        f"{base}/delete", json={"confirm_personnummer": "19960808-9901"}, headers=other.headers
    )
    assert deleted.status_code == 404
    assert order["order_id"] not in [
        o["order_id"] for o in (await other.client.get("/api/citizen/orders")).json()["items"]
    ]
    assert (await tolvan.client.get(base)).json()["status"] == "ordered"


# --- results ----------------------------------------------------------------------------


async def test_result_is_shown_with_insight_and_reading_marks_it_read(as_citizen, services):
    tolvan = await as_citizen("tolvan")
    order = (await tolvan.order(home_kit_order())).json()
    async with services.uow() as uow:
        for line_no in (1, 2):
            await uow.orders.add_result(
                order_id=uuid.UUID(order["order_id"]),
                line_no=line_no,
                sampling_date=date.today(),
                insight="negative",
                payload={
                    "values": [{"analysis": "DNA", "value": "Ej påvisad", "unit": None}],
                    "comment": "Inga tecken på infektion.",
                },
                now=services.now(),
            )
        await uow.commit()
    listed = (await tolvan.client.get("/api/citizen/orders", params={"state": "previous"})).json()[
        "items"
    ]
    summary = next(o for o in listed if o["order_id"] == order["order_id"])
    assert summary["status"] == "answered"
    assert summary["unread_results"] == 2
    details = (await tolvan.client.get(f"/api/citizen/orders/{order['order_id']}")).json()
    result = details["lines"][0]["result"]
    assert result["insight"] == "negative"
    assert result["values"][0]["value"] == "Ej påvisad"
    assert result["comment"] == "Inga tecken på infektion."
    assert result["read"] is False
    read = await tolvan.client.post(
        f"/api/citizen/orders/{order['order_id']}/results/read", headers=tolvan.headers
    )
    assert read.status_code == 204
    details = (await tolvan.client.get(f"/api/citizen/orders/{order['order_id']}")).json()
    assert all(line["result"]["read"] for line in details["lines"])


async def test_a_correction_is_shown_as_the_newest_version(as_citizen, services):
    tolvan = await as_citizen("johan-goteborg")
    order = (await tolvan.order(nationwide_order())).json()
    order_id = uuid.UUID(order["order_id"])
    async with services.uow() as uow:
        for insight in ("technical_error", "positive"):
            await uow.orders.add_result(
                order_id=order_id,
                line_no=1,
                sampling_date=date.today(),
                insight=insight,
                payload={"values": [], "comment": None},
                now=services.now(),
            )
        await uow.commit()
    line = (await tolvan.client.get(f"/api/citizen/orders/{order_id}")).json()["lines"][0]
    assert line["result"]["insight"] == "positive"
    assert line["result"]["version"] == 2
    assert line["result"]["corrected"] is True


# --- deleting ---------------------------------------------------------------------------


async def test_delete_needs_own_personnummer_and_keeps_only_the_fact_in_the_audit(
    as_citizen, services
):
    lisa = await as_citizen("lisa-teen-goteborg")
    order = (
        await lisa.order(
            {
                "catalog_id": "2001",
                "contact": {"phone": "0701234567"},
                "delivery_address": {
                    "street": "Kungsgatan 1",
                    "postal_code": "41119",
                    "city": "Göteborg",
                },
                "answers": {"symptoms": False},
            }
        )
    ).json()
    # Deleting is for a result and its order (manual 3.7).
    async with services.uow() as uow:
        await uow.orders.add_result(
            order_id=uuid.UUID(order["order_id"]),
            line_no=1,
            sampling_date=date.today(),
            insight="negative",
            payload={"values": [], "comment": None},
            now=services.now(),
        )
        await uow.commit()
    url = f"/api/citizen/orders/{order['order_id']}/delete"
    wrong = await lisa.client.post(
        url, json={"confirm_personnummer": "19901212-9897"}, headers=lisa.headers
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "confirm_personnummer"
    malformed = await lisa.client.post(
        url, json={"confirm_personnummer": "20081010-9920"}, headers=lisa.headers
    )
    assert malformed.status_code == 422
    deleted = await lisa.client.post(
        url, json={"confirm_personnummer": "200810109926"}, headers=lisa.headers
    )
    assert deleted.status_code == 204
    assert (await lisa.client.get(f"/api/citizen/orders/{order['order_id']}")).status_code == 404
    async with services.uow() as uow:
        assert (
            await uow.session.execute(
                select(Order.id).where(Order.id == uuid.UUID(order["order_id"]))
            )
        ).first() is None
        details = (
            (
                await uow.session.execute(
                    select(AuditEntry.details).where(
                        AuditEntry.action == "order_deleted",
                        AuditEntry.patient_hash == services.protector.lookup_hash("200810109926"),
                    )
                )
            )
            .scalars()
            .all()
        )
    assert details == [{}]


# --- anonymous kits ---------------------------------------------------------------------


async def test_kit_is_bound_to_one_citizen_once(as_citizen):
    kit_number, rid = demo_kits()[0]
    tolvan = await as_citizen("tolvan")
    registered = await tolvan.client.post(
        "/api/citizen/kits",
        json={"kit_number": kit_number.lower(), "rid": rid},
        headers={**tolvan.headers, **key()},
    )
    assert registered.status_code == 201, registered.text
    assert registered.json()["rid"].replace("-", "") == rid
    assert registered.json()["sampling_method"] == "anonymous_kit"
    other = await as_citizen("johan-goteborg", fresh_browser=True)
    again = await other.client.post(
        "/api/citizen/kits",
        json={"kit_number": kit_number, "rid": rid},
        headers={**other.headers, **key()},
    )
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/kit-already-registered"


async def test_wrong_kit_number_reveals_nothing_and_repeated_attempts_lock_out(as_citizen):
    kit_number, rid = demo_kits()[1]
    _, other_rid = demo_kits()[2]
    ingrid = await as_citizen("ingrid-uppsala")

    async def attempt(number: str, the_rid: str):
        return await ingrid.client.post(
            "/api/citizen/kits",
            json={"kit_number": number, "rid": the_rid},
            headers={**ingrid.headers, **key()},
        )

    wrong_rid = await attempt(kit_number, other_rid)
    unknown = await attempt(_valid_unknown_kit(), rid)
    assert wrong_rid.status_code == unknown.status_code == 404
    assert wrong_rid.json()["detail"] == unknown.json()["detail"]
    for _ in range(3):
        assert (await attempt(kit_number, other_rid)).status_code == 404
    locked = await attempt(kit_number, rid)  # even the right numbers wait now
    assert locked.status_code == 429
    assert locked.json()["type"] == "/problems/too-many-attempts"


def _valid_unknown_kit() -> str:
    from domain.codes import KIT_BODY_LENGTH, check_character

    body = "Z" * KIT_BODY_LENGTH
    return body + check_character(body)


async def test_mistyped_kit_number_is_a_422(as_citizen):
    kit_number, rid = demo_kits()[4]
    typo = kit_number[:-1] + ("0" if kit_number[-1] != "0" else "1")
    fatima = await as_citizen("fatima-lund")
    response = await fatima.client.post(
        "/api/citizen/kits",
        json={"kit_number": typo, "rid": rid},
        headers={**fatima.headers, **key()},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kit_number"


# --- expiry -----------------------------------------------------------------------------


async def test_handled_order_expires_when_validity_passes(as_citizen, services):
    from api.worker import expire_orders
    from domain.orders import expires_at

    tolvan = await as_citizen("lars-malmo")
    order = (await tolvan.order(nationwide_order())).json()
    await expire_orders({"services": services})  # whatever else was due: not this test's
    handled_at = services.now() - timedelta(days=31)
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "UPDATE orders SET status = 'handled', handled_at = :handled,"
                " expires_at = :expires WHERE id = :id"
            ),
            {
                "id": order["order_id"],
                "handled": handled_at,
                "expires": expires_at(handled_at=handled_at, validity_days=30),
            },
        )
        await uow.commit()
    assert await expire_orders({"services": services}) == 1
    details = (await tolvan.client.get(f"/api/citizen/orders/{order['order_id']}")).json()
    assert details["status"] == "expired"


# --- query counts -------------------------------------------------------------------------


async def test_listing_orders_and_offers_uses_a_fixed_number_of_statements(as_citizen, services):
    oscar = await as_citizen("oscar-teen")
    list_orders = lambda: oscar.client.get("/api/citizen/orders", params={"limit": 100})  # noqa: E731
    list_offers = lambda: oscar.client.get("/api/citizen/offers")  # noqa: E731
    few_orders = await statements_sent(services, list_orders)
    few_offers = await statements_sent(services, list_offers)
    listed_before = len((await list_orders()).json()["items"])
    slots = await oscar.free_slots()
    for slot in slots[10:16]:
        assert (await oscar.book(slot)).status_code == 201
    assert len((await list_orders()).json()["items"]) == listed_before + 6
    assert await statements_sent(services, list_orders) == few_orders
    assert await statements_sent(services, list_offers) == few_offers
    # Counting must see the statements at all (one each: the listing query).
    assert 1 <= few_offers <= 2
    assert 1 <= few_orders <= 2


async def test_an_order_never_takes_a_rid_printed_on_a_kit_or_used_by_another_order(services):
    _, kit_rid = demo_kits()[10]
    base = {
        "citizen_value": "199012129897",
        "offer_id": demo_id("offer:1001:1"),
        "catalog_id": "1001",
        "sampling_method": "home_kit",
        "answers": {},
        "slot_id": None,
        "sampling_unit_id": None,
        "booked_start": None,
        "anonymous_kit_id": None,
        "product_codes": ["PEP-CT"],
        "result_care_unit_id": demo_id("SE2321000016-A002"),
        "now": services.now(),
    }
    async with services.uow() as uow:
        assert await uow.orders.insert(order_id=uuid.uuid4(), rid=kit_rid, **base) is False
        assert await uow.orders.insert(order_id=uuid.uuid4(), rid="TESTRID001", **base) is True
        assert await uow.orders.insert(order_id=uuid.uuid4(), rid="TESTRID001", **base) is False
        # Nothing was written by the refused attempts (the first order's one line only).
        lines = (
            await uow.session.execute(
                text(
                    "SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id"
                    " WHERE o.rid = 'TESTRID001'"
                )
            )
        ).scalar_one()
        assert lines == 1


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (
            home_kit_order(sampling_datetime="2020-01-01T10:00:00+01:00"),
            "sampling_datetime",
            "in_past",
        ),
        (
            home_kit_order(delivery_address={**HOME_ADDRESS, "city": "<b>X</b>"}),
            "delivery_address.city",
            "markup",
        ),
        (home_kit_order(answers={}), "answers.symptoms", "required"),
        (home_kit_order(answers={"symptoms": "kanske"}), "answers.symptoms", "yes_no"),
        (
            home_kit_order(delivery_address={**HOME_ADDRESS, "postal_code": "1"}),
            "delivery_address.postal_code",
            "string_pattern_mismatch",
        ),
    ],
)
async def test_field_errors_carry_a_stable_code_for_clients_to_word(as_citizen, body, field, code):
    oscar = await as_citizen("oscar-teen")
    response = await oscar.order(body)
    assert response.status_code == 422
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in response.json()["errors"]
    ]


async def test_mistyped_kit_check_character_and_someone_elses_personnummer_have_codes(as_citizen):
    kit_number, rid = demo_kits()[5]
    typo = kit_number[:-1] + ("0" if kit_number[-1] != "0" else "1")
    fatima = await as_citizen("fatima-lund")
    kit = await fatima.client.post(
        "/api/citizen/kits",
        json={"kit_number": typo, "rid": rid},
        headers={**fatima.headers, **key()},
    )
    assert kit.json()["errors"][0]["code"] == "check_character"
    order = (await fatima.order(nationwide_order())).json()
    deleted = await fatima.client.post(
        f"/api/citizen/orders/{order['order_id']}/delete",
        json={"confirm_personnummer": "19901212-9897"},
        headers=fatima.headers,
    )
    assert deleted.json()["errors"][0]["code"] == "not_own_personnummer"
