"""Svarsregistrering and Svarslogg through the HTTP API on the real database (SPEC §5, manual
4.5), where an order's result goes (manual 4.9), and the insight texts the citizen reads
(manual 3.5). Each test makes its own care unit, laboratory, offer, result templates and
registering nurse; citizens are the test register's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from domain.sampling import today_in_stockholm
from tests.support.browserless_login import login
from tests.support.factories import (
    StaffClient,
    create_care_unit,
    create_laboratory,
    create_offer,
    create_staff_member,
    grant_permission,
    log_in_staff,
)
from tests.support.statements import statements_sent
from tests.support.worklist_world import staff_at

ANNA = "198504129829"
ERIK = "197809039816"
SOLNA = "SE2321000016-A001"
BASE = "/api/staff/result-registration"
HOME = {"street": "Sveavägen 44", "postal_code": "11134", "city": "Stockholm"}


@dataclass
class Template:
    id: str
    name: str
    insight: str | None


@dataclass
class World:
    unit: str
    unit_id: uuid.UUID
    lab: str
    offer: dict[str, Any]
    negative: Template  # with its own insight text
    positive: Template  # without: the offer's text applies
    technical: Template  # without, and the offer has none: the default applies
    nurse: StaffClient
    nurse_hsa: str


async def add_template(admin: StaffClient, lab: str, **fields: Any) -> Template:
    body = {
        "name": fields.pop("name"),
        "analyses": fields.pop(
            "analyses",
            [
                {"analysis": "Chlamydia trachomatis", "value": "Ej påvisad"},
                {"analysis": "Neisseria gonorrhoeae", "value": "Ej påvisad"},
            ],
        ),
        **fields,
    }
    created = await admin.post(f"/api/admin/laboratories/{lab}/result-templates", body)
    assert created.status_code == 201, created.text
    return Template(id=created.json()["id"], name=body["name"], insight=body.get("insight"))


async def registrar(admin: StaffClient, services: Any, new_client: Any, unit: str) -> StaffClient:
    nurse = create_staff_member(services.hsa, care_units=[unit])
    await grant_permission(
        admin,
        staff_hsa_id=nurse.staff.hsa_id,
        permission="result_registration",
        care_unit_hsa_id=unit,
    )
    client = await log_in_staff(new_client(), key=nurse.key, unit=unit)
    client.hsa_id = nurse.staff.hsa_id  # type: ignore[attr-defined]
    return client


@pytest.fixture
async def world(regional_admin, services, new_client) -> World:
    unit = await create_care_unit(
        regional_admin, name="Testmottagningen STI", worklist_insights=("positive",)
    )
    lab = await create_laboratory(regional_admin, products=("PEP-CT", "PEP-NG"), customers=(unit,))
    offer = await create_offer(
        regional_admin,
        products=("PEP-CT", "PEP-NG"),
        result_care_unit_hsa_id=unit,
        insight_texts={"positive": "Erbjudandets text: kontakta mottagningen."},
    )
    negative = await add_template(
        regional_admin,
        lab,
        name="Klamydia och gonorré negativ",
        insight="negative",
        insight_text="Mallens text: ingen klamydia eller gonorré.",
        default_comment="Inga bakterier påvisades.",
    )
    positive = await add_template(regional_admin, lab, name="Klamydia positiv", insight="positive")
    technical = await add_template(
        regional_admin, lab, name="Tekniskt fel", insight="technical_error"
    )
    nurse = await registrar(regional_admin, services, new_client, unit)
    async with services.uow() as uow:
        unit_id = await uow.assignments.care_unit_id(unit)
    assert unit_id is not None
    return World(
        unit=unit,
        unit_id=unit_id,
        lab=lab,
        offer=offer,
        negative=negative,
        positive=positive,
        technical=technical,
        nurse=nurse,
        nurse_hsa=nurse.hsa_id,  # type: ignore[attr-defined]
    )


class Citizen:
    def __init__(self, client: Any, csrf: str) -> None:
        self.client = client
        self.headers = {"X-CSRF-Token": csrf}

    async def order(self, catalog_id: str) -> dict[str, Any]:
        response = await self.client.post(
            "/api/citizen/orders",
            json={
                "catalog_id": catalog_id,
                "contact": {"phone": "0701234567"},
                "delivery_address": HOME,
            },
            headers={**self.headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def view(self, order_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/api/citizen/orders/{order_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def as_citizen(new_client):
    async def _login(key_name: str) -> Citizen:
        http = new_client()
        return Citizen(http, await login(http, kind="citizen", key=key_name))

    return _login


def today(services: Any):
    return today_in_stockholm(services.now())


async def open_order(nurse: StaffClient, order_id: str) -> Any:
    opened = await nurse.get(f"{BASE}/orders/{order_id}")
    assert opened.status_code == 200, opened.text
    return opened


async def register(
    nurse: StaffClient,
    order_id: str,
    *,
    template: Template,
    sampling_date: Any,
    values: list[dict[str, Any]] | None = None,
    comment: str | None = "Registrerat för hand.",
    version: str | None = None,
    key: str | None = None,
) -> Any:
    """Skicka svar as the form sends it: a line whose insight the test does not give has the
    template's (the form's default for a template whose analyses have none of their own)."""
    if version is None:
        version = (await open_order(nurse, order_id)).headers["ETag"]
    if values is None:
        values = [{"line_no": 1, "value": "Ej påvisad"}, {"line_no": 2, "value": "Ej påvisad"}]
    return await nurse.post(
        f"{BASE}/orders/{order_id}/results",
        {
            "template_id": template.id,
            "sampling_date": str(sampling_date),
            "comment": comment,
            "values": [{"insight": template.insight, **v} for v in values],
        },
        **{"If-Match": version, "Idempotency-Key": key or uuid.uuid4().hex},
    )


async def outbox_of(services: Any, order_id: str) -> list[tuple[str, Any]]:
    async with services.uow() as uow:
        rows = await uow.session.execute(
            text(
                "SELECT kind, payload FROM outbox_events WHERE payload->>'order_id' = :id"
                " ORDER BY created_at, kind"
            ),
            {"id": order_id},
        )
        return [(r.kind, r.payload) for r in rows]


async def audit_actions(services: Any, hsa_id: str) -> list[tuple[str, bool]]:
    """(action, names a patient) of the staff member's audit entries, in order."""
    async with services.uow() as uow:
        rows = await uow.session.execute(
            text(
                "SELECT action, patient_hash IS NOT NULL AS patient FROM audit_log"
                " WHERE actor_id = :hsa ORDER BY occurred_at, id"
            ),
            {"hsa": hsa_id},
        )
        return [(r.action, r.patient) for r in rows if r.action not in ("login", "select_context")]


async def result_unit_of(services: Any, order_id: str) -> str:
    async with services.uow() as uow:
        return str(
            (
                await uow.session.execute(
                    text(
                        "SELECT c.hsa_id FROM orders o JOIN care_units c"
                        " ON c.id = o.result_care_unit_id WHERE o.id = :id"
                    ),
                    {"id": order_id},
                )
            ).scalar_one()
        )


# --- where a result goes ------------------------------------------------------------------


async def test_an_order_has_its_result_unit_from_the_moment_it_is_placed(
    regional_admin, services, new_client, as_citizen
):
    general = await create_offer(regional_admin)
    personal = await create_offer(regional_admin, visibility="personal", assigning_units=[SOLNA])
    assigner = create_staff_member(services.hsa, care_units=[SOLNA])
    nurse = await log_in_staff(new_client(), key=assigner.key, unit=SOLNA)
    assigned = await nurse.post(
        "/api/staff/assignments", {"personnummer": ANNA, "catalog_id": personal["catalog_id"]}
    )
    assert assigned.status_code == 201, assigned.text
    anna = await as_citizen("anna-stockholm")

    general_order = await anna.order(general["catalog_id"])
    personal_order = await anna.order(personal["catalog_id"])

    assert general_order["status"] == personal_order["status"] == "ordered"
    # A general offer's result goes to the offer's result unit; an assigned one's to the
    # unit that assigned it (manual 4.9), not to the offer's result unit.
    assert await result_unit_of(services, general_order["order_id"]) == "SE2321000016-A002"
    assert await result_unit_of(services, personal_order["order_id"]) == SOLNA


# --- searching ----------------------------------------------------------------------------


async def test_a_search_by_personnummer_lists_only_the_orders_whose_results_go_to_the_unit(
    world, regional_admin, services, as_citizen
):
    elsewhere = await create_offer(regional_admin)  # results to another unit
    anna = await as_citizen("anna-stockholm")
    mine = await anna.order(world.offer["catalog_id"])
    await anna.order(elsewhere["catalog_id"])

    found = await world.nurse.post(f"{BASE}/search", {"personnummer": "19850412-9829"})

    assert found.status_code == 200, found.text
    body = found.json()
    assert body["care_unit"]["hsa_id"] == world.unit
    assert body["patient"] == {"personnummer": "19850412-9829", "name": "Anna Maria Andersson"}
    assert [(o["id"], o["status"], o["offer_name"]) for o in body["orders"]] == [
        (mine["order_id"], "ordered", world.offer["name"])
    ]
    assert await audit_actions(services, world.nurse_hsa) == [("result_registration_search", True)]


async def test_a_search_by_rid_finds_the_order_and_another_units_rid_is_not_found(
    world, regional_admin, as_citizen
):
    elsewhere = await create_offer(regional_admin)
    anna = await as_citizen("anna-stockholm")
    mine = await anna.order(world.offer["catalog_id"])
    theirs = await anna.order(elsewhere["catalog_id"])

    found = await world.nurse.post(f"{BASE}/search", {"rid": mine["rid"].lower()})
    other = await world.nurse.post(f"{BASE}/search", {"rid": theirs["rid"]})

    assert found.status_code == 200, found.text
    assert [o["rid"] for o in found.json()["orders"]] == [mine["rid"]]
    assert found.json()["patient"]["personnummer"] == "19850412-9829"
    assert other.status_code == 404
    assert other.json()["type"] == "/problems/order-not-found"


async def test_a_search_needs_exactly_one_of_personnummer_and_rid(world):
    both = await world.nurse.post(
        f"{BASE}/search", {"personnummer": "19850412-9829", "rid": "ABCD-EFGH-JK"}
    )
    neither = await world.nurse.post(f"{BASE}/search", {})

    assert both.status_code == neither.status_code == 422
    assert both.json()["errors"][0]["code"] == "one_of"


async def test_another_units_order_cannot_be_opened_or_answered(
    world, regional_admin, services, new_client, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    other_unit = await create_care_unit(regional_admin)
    other_nurse = await registrar(regional_admin, services, new_client, other_unit)

    opened = await other_nurse.get(f"{BASE}/orders/{order['order_id']}")
    answered = await register(
        other_nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        version='"1"',
    )

    assert opened.status_code == answered.status_code == 404
    assert answered.json()["type"] == "/problems/order-not-found"


# --- opening and registering --------------------------------------------------------------


async def test_an_order_not_yet_sampled_offers_the_templates_of_the_units_laboratories(
    world, regional_admin, as_citizen
):
    # A laboratory that does not have the unit as its customer offers nothing here.
    other_lab = await create_laboratory(regional_admin, products=("PEP-CT",))
    await add_template(regional_admin, other_lab, name="Annat labb", insight="negative")
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])

    opened = (await open_order(world.nurse, order["order_id"])).json()

    assert [t["name"] for t in opened["templates"]] == [
        "Klamydia och gonorré negativ",
        "Klamydia positiv",
        "Tekniskt fel",
    ]
    negative = opened["templates"][0]
    assert (negative["laboratory_code"], negative["insight"], negative["default_comment"]) == (
        world.lab,
        "negative",
        "Inga bakterier påvisades.",
    )
    assert [a["value"] for a in negative["analyses"]] == ["Ej påvisad", "Ej påvisad"]
    assert [
        (line["line_no"], line["product_code"], line["result"]) for line in opened["lines"]
    ] == [
        (1, "PEP-CT", None),
        (2, "PEP-NG", None),
    ]
    assert opened["sampling_date_locked"] is None


async def test_skicka_svar_stores_the_result_answers_the_order_and_tells_the_citizen(
    world, services, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    day = today(services)

    sent = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=day,
        values=[
            {"line_no": 1, "value": "Ej påvisad", "unit": None, "reference_range": "Ej påvisad"},
            {"line_no": 2, "value": "<0,5", "unit": "E/ml"},
        ],
    )

    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["corrected"] is False
    assert len(body["registered"]) == 2
    assert body["order"]["status"] == "answered"
    assert body["order"]["laboratory_code"] == world.lab  # the template's, now locked
    assert body["sampling_date_locked"] == str(day)
    assert sent.headers["ETag"] == f'"{body["order"]["version"]}"'
    first = body["lines"][0]["result"]
    assert (first["version"], first["insight"], first["source"], first["template_name"]) == (
        1,
        "negative",
        "manual",
        "Klamydia och gonorré negativ",
    )
    assert first["registered_by_hsa_id"] == world.nurse_hsa
    assert body["lines"][1]["result"]["values"] == [
        {
            "analysis": "Gonorré (Neisseria gonorrhoeae), NAAT",
            "value": "<0,5",
            "unit": "E/ml",
            "reference_range": None,
        }
    ]
    async with services.uow() as uow:
        stored = (
            await uow.session.execute(
                text(
                    "SELECT r.source, r.registered_by_hsa_id, r.registered_at_care_unit_id,"
                    " CAST(r.result_template_id AS text) AS template, o.sampled_by_hsa_id"
                    " FROM results r JOIN order_lines l ON l.id = r.order_line_id"
                    " JOIN orders o ON o.id = l.order_id WHERE o.id = :id ORDER BY l.line_no"
                ),
                {"id": order["order_id"]},
            )
        ).all()
    assert [tuple(r) for r in stored] == [
        ("manual", world.nurse_hsa, world.unit_id, world.negative.id, world.nurse_hsa)
    ] * 2
    events = await outbox_of(services, order["order_id"])
    assert [kind for kind, _ in events].count("result_available") == 1
    assert [p for kind, p in events if kind == "result_available"][0]["corrected"] is False
    assert sorted(p["line_no"] for kind, p in events if kind == "result_to_care_unit") == [1, 2]
    assert {p["care_unit_id"] for kind, p in events if kind == "result_to_care_unit"} == {
        str(world.unit_id)
    }
    seen = await anna.view(order["order_id"])
    assert seen["status"] == "answered"
    assert (
        seen["lines"][0]["result"]["insight_text"] == "Mallens text: ingen klamydia eller gonorré."
    )
    assert seen["lines"][0]["result"]["comment"] == "Registrerat för hand."


async def test_manual_and_electronic_results_are_received_by_the_same_use_case(
    world, services, as_citizen
):
    """The one intake writes the audit entry and the outbox events of a laboratory system's
    result for a manual one too; the registration adds its own entry naming the patient."""
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])

    sent = await register(
        world.nurse, order["order_id"], template=world.negative, sampling_date=today(services)
    )

    assert sent.status_code == 200, sent.text
    actions = await audit_actions(services, world.nurse_hsa)
    assert actions[-2:] == [("results_received", False), ("result_registered", True)]
    async with services.uow() as uow:
        details = (
            await uow.session.execute(
                text(
                    "SELECT details FROM audit_log WHERE actor_id = :hsa"
                    " AND action = 'results_received'"
                ),
                {"hsa": world.nurse_hsa},
            )
        ).scalar_one()
    assert (details["created"], details["corrected"], details["orders"]) == (
        2,
        0,
        [order["order_id"]],
    )
    assert sorted(kind for kind, _ in await outbox_of(services, order["order_id"])) == [
        "result_available",
        "result_to_care_unit",
        "result_to_care_unit",
    ]


async def test_a_template_of_another_laboratory_is_refused(
    world, regional_admin, services, as_citizen
):
    other_lab = await create_laboratory(
        regional_admin, products=("PEP-CT", "PEP-NG"), customers=(SOLNA,)
    )
    foreign = await add_template(regional_admin, other_lab, name="Främmande", insight="negative")
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])

    refused = await register(
        world.nurse, order["order_id"], template=foreign, sampling_date=today(services)
    )

    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {
            "field": "template_id",
            "message": "choose one of the result templates of the order's laboratory",
            "code": "template_not_for_order",
        }
    ]
    assert await outbox_of(services, order["order_id"]) == []


async def test_once_answered_only_the_order_laboratorys_templates_are_offered(
    world, regional_admin, services, as_citizen
):
    # Another laboratory with the unit as customer: offered before, not after the first answer.
    second_lab = await create_laboratory(
        regional_admin, products=("PEP-CT", "PEP-NG"), customers=(world.unit,)
    )
    second = await add_template(regional_admin, second_lab, name="Andra labbet", insight="answer")
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    before = (await open_order(world.nurse, order["order_id"])).json()

    await register(
        world.nurse, order["order_id"], template=world.negative, sampling_date=today(services)
    )
    after = (await open_order(world.nurse, order["order_id"])).json()
    refused = await register(
        world.nurse, order["order_id"], template=second, sampling_date=today(services)
    )

    assert "Andra labbet" in [t["name"] for t in before["templates"]]
    assert {t["laboratory_code"] for t in after["templates"]} == {world.lab}
    assert refused.status_code == 422


async def test_a_sampling_date_in_the_future_is_refused(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])

    refused = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services) + timedelta(days=1),
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "sampling_date"
    assert refused.json()["errors"][0]["code"] == "in_future"
    assert (await open_order(world.nurse, order["order_id"])).json()["order"]["status"] == "ordered"


async def test_a_sampling_date_before_the_order_was_placed_is_refused(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])

    refused = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services) - timedelta(days=1),
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "before_order"


async def test_a_correction_is_the_next_version_and_tells_the_citizen_again(
    world, services, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    day = today(services)
    first = await register(
        world.nurse, order["order_id"], template=world.negative, sampling_date=day
    )
    assert first.status_code == 200, first.text

    corrected = await register(
        world.nurse,
        order["order_id"],
        template=world.positive,
        sampling_date=day,
        values=[{"line_no": 1, "value": "Påvisad"}],
        comment="Korrigerat svar.",
    )

    assert corrected.status_code == 200, corrected.text
    body = corrected.json()
    assert body["corrected"] is True
    line = body["lines"][0]
    assert [(v["version"], v["insight"], v["values"][0]["value"]) for v in line["versions"]] == [
        (2, "positive", "Påvisad"),
        (1, "negative", "Ej påvisad"),
    ]
    assert line["result"]["corrected"] is True
    assert body["lines"][1]["result"]["version"] == 1  # the other line was not resent
    notices = [
        p for kind, p in await outbox_of(services, order["order_id"]) if kind == "result_available"
    ]
    assert [n["corrected"] for n in notices] == [False, True]
    seen = await anna.view(order["order_id"])
    result = seen["lines"][0]["result"]
    # The positive template has no text of its own: the offer's applies.
    assert (result["version"], result["corrected"], result["insight_text"]) == (
        2,
        True,
        "Erbjudandets text: kontakta mottagningen.",
    )


async def test_the_sampling_date_cannot_be_changed_by_a_correction(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    day = today(services)
    first = await register(
        world.nurse, order["order_id"], template=world.negative, sampling_date=day
    )
    assert first.status_code == 200, first.text

    changed = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=day - timedelta(days=1),
    )

    assert changed.status_code == 409
    problem = changed.json()
    assert problem["type"] == "/problems/sampling-date-locked"
    assert problem["sampling_date"] == str(day)
    versions = (await open_order(world.nurse, order["order_id"])).json()["lines"][0]["versions"]
    assert [v["version"] for v in versions] == [1]


async def test_a_double_click_registers_once(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    version = (await open_order(world.nurse, order["order_id"])).headers["ETag"]
    key = uuid.uuid4().hex

    first = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        version=version,
        key=key,
    )
    again = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        version=version,
        key=key,
    )
    stale = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        version=version,
    )

    assert first.status_code == again.status_code == 200
    assert again.json()["lines"] == first.json()["lines"]
    assert stale.status_code == 412
    versions = (await open_order(world.nurse, order["order_id"])).json()["lines"][0]["versions"]
    assert [v["version"] for v in versions] == [1]
    notices = [
        k for k, _ in await outbox_of(services, order["order_id"]) if k == "result_available"
    ]
    assert notices == ["result_available"]


async def test_registering_needs_if_match_and_an_idempotency_key(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    body = {
        "template_id": world.negative.id,
        "sampling_date": str(today(services)),
        "values": [{"line_no": 1, "value": "Ej påvisad", "insight": "negative"}],
    }

    without_version = await world.nurse.post(
        f"{BASE}/orders/{order['order_id']}/results", body, **{"Idempotency-Key": uuid.uuid4().hex}
    )
    without_key = await world.nurse.post(
        f"{BASE}/orders/{order['order_id']}/results", body, **{"If-Match": '"1"'}
    )

    assert without_version.status_code == 428
    assert without_key.status_code == 422
    assert without_key.json()["errors"][0]["field"] == "header.Idempotency-Key"


async def test_a_cancelled_order_receives_no_result(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    cancelled = await anna.client.post(
        f"/api/citizen/orders/{order['order_id']}/cancel", headers=anna.headers
    )
    assert cancelled.status_code == 200, cancelled.text

    refused = await register(
        world.nurse, order["order_id"], template=world.negative, sampling_date=today(services)
    )

    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/order-not-awaiting-results"


async def test_a_line_the_order_does_not_have_refuses_the_whole_registration(
    world, services, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])

    refused = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        values=[{"line_no": 1, "value": "Ej påvisad"}, {"line_no": 7, "value": "Ej påvisad"}],
    )

    assert refused.status_code == 404
    assert refused.json()["type"] == "/problems/order-line-not-found"
    opened = (await open_order(world.nurse, order["order_id"])).json()
    assert opened["order"]["status"] == "ordered"
    assert [line["result"] for line in opened["lines"]] == [None, None]


# --- each line its own insight ----------------------------------------------------------


async def chlamydia_positive(admin: StaffClient, lab: str) -> Template:
    """Klamydia positiv as the laboratory answers it: chlamydia found, gonorrhoea not — the
    gonorrhoea analysis negative, with a text of its own for the template's insight."""
    return await add_template(
        admin,
        lab,
        name="Klamydia påvisad, gonorré ej påvisad",
        insight="positive",
        insight_text="Mallens text: klamydia påvisad.",
        analyses=[
            {"analysis": "Chlamydia trachomatis", "value": "Påvisad"},
            {"analysis": "Neisseria gonorrhoeae", "value": "Ej påvisad", "insight": "negative"},
        ],
    )


async def insights_stored(services: Any, order_id: str) -> list[tuple[int, int, str | None]]:
    """(line, version, insight) of every result of the order, as results.insight holds it."""
    async with services.uow() as uow:
        rows = await uow.session.execute(
            text(
                "SELECT l.line_no, r.version, r.insight FROM results r"
                " JOIN order_lines l ON l.id = r.order_line_id"
                " WHERE l.order_id = :id ORDER BY l.line_no, r.version"
            ),
            {"id": order_id},
        )
        return [(r.line_no, r.version, r.insight) for r in rows]


async def followed_up(
    services: Any, regional_admin: StaffClient, new_client: Any, world: World, order_id: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """What follows the order up: its (product, insight) in the unit's Arbetslista, and the
    products Behandlingsansvar offers to take over (searched from another unit)."""
    nurse = await staff_at(services, regional_admin, new_client, unit=world.unit)
    doctor = await staff_at(
        services, None, new_client, unit=SOLNA, permissions=(), purpose="Administration"
    )
    listed = await nurse.client.get("/api/staff/worklist", page_size=100)
    assert listed.status_code == 200, listed.text
    found = await doctor.client.post(
        "/api/staff/treatment-responsibility/search", {"personnummer": ANNA}
    )
    assert found.status_code == 200, found.text
    async with services.uow() as uow:
        lines = {
            str(r.id)
            for r in await uow.session.execute(
                text("SELECT id FROM order_lines WHERE order_id = :id"), {"id": order_id}
            )
        }
    return (
        sorted(
            (i["product_code"], i["insight"])
            for i in listed.json()["items"]
            if i["order_id"] == order_id
        ),
        sorted(r["product_name"] for r in found.json()["results"] if r["id"] in lines),
    )


async def test_each_line_is_stored_with_its_own_insight_and_only_the_positive_is_followed_up(
    world, regional_admin, services, new_client, as_citizen
):
    template = await chlamydia_positive(regional_admin, world.lab)
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    opened = (await open_order(world.nurse, order["order_id"])).json()
    offered = next(t for t in opened["templates"] if t["id"] == template.id)
    assert [(a["value"], a["insight"]) for a in offered["analyses"]] == [
        ("Påvisad", None),
        ("Ej påvisad", "negative"),
    ]

    sent = await register(
        world.nurse,
        order["order_id"],
        template=template,
        sampling_date=today(services),
        values=[
            {"line_no": 1, "value": "Påvisad", "insight": "positive"},
            {"line_no": 2, "value": "Ej påvisad", "insight": "negative"},
        ],
    )

    assert sent.status_code == 200, sent.text
    assert [(line["product_code"], line["result"]["insight"]) for line in sent.json()["lines"]] == [
        ("PEP-CT", "positive"),
        ("PEP-NG", "negative"),
    ]
    assert await insights_stored(services, order["order_id"]) == [
        (1, 1, "positive"),
        (2, 1, "negative"),
    ]
    worklist, takeable = await followed_up(
        services, regional_admin, new_client, world, order["order_id"]
    )
    assert worklist == [("PEP-CT", "positive")]
    assert takeable == ["Klamydia (Chlamydia trachomatis), NAAT"]
    defaults = {
        d["insight"]: d["text"]
        for d in (await regional_admin.get("/api/admin/insight-texts")).json()
    }
    seen = await anna.view(order["order_id"])
    # The template's text is for its insight (positive): the negative line reads the
    # default (the offer has a text for positive only), never the positive text.
    assert [
        (line["result"]["insight"], line["result"]["insight_text"]) for line in seen["lines"]
    ] == [
        ("positive", "Mallens text: klamydia påvisad."),
        ("negative", defaults["negative"]),
    ]


async def test_a_correction_may_change_a_lines_insight_and_follow_up_takes_the_newest(
    world, regional_admin, services, new_client, as_citizen
):
    template = await chlamydia_positive(regional_admin, world.lab)
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    day = today(services)
    first = await register(
        world.nurse,
        order["order_id"],
        template=template,
        sampling_date=day,
        values=[
            {"line_no": 1, "value": "Påvisad", "insight": "positive"},
            {"line_no": 2, "value": "Ej påvisad", "insight": "negative"},
        ],
    )
    assert first.status_code == 200, first.text

    # The laboratory's re-analysis: chlamydia not found, gonorrhoea found — same template,
    # both lines changed by hand.
    corrected = await register(
        world.nurse,
        order["order_id"],
        template=template,
        sampling_date=day,
        values=[
            {"line_no": 1, "value": "Ej påvisad", "insight": "negative"},
            {"line_no": 2, "value": "Påvisad", "insight": "positive"},
        ],
        comment="Rättat efter omanalys.",
    )
    moved = await register(
        world.nurse,
        order["order_id"],
        template=template,
        sampling_date=day - timedelta(days=1),
        values=[{"line_no": 1, "value": "Påvisad", "insight": "positive"}],
    )

    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["corrected"] is True
    assert moved.status_code == 409
    assert moved.json()["type"] == "/problems/sampling-date-locked"
    assert await insights_stored(services, order["order_id"]) == [
        (1, 1, "positive"),
        (1, 2, "negative"),
        (2, 1, "negative"),
        (2, 2, "positive"),
    ]
    worklist, takeable = await followed_up(
        services, regional_admin, new_client, world, order["order_id"]
    )
    assert worklist == [("PEP-NG", "positive")]
    assert takeable == ["Gonorré (Neisseria gonorrhoeae), NAAT"]
    seen = await anna.view(order["order_id"])
    assert [(line["result"]["version"], line["result"]["insight_text"]) for line in seen["lines"]][
        1
    ] == (2, "Mallens text: klamydia påvisad.")


async def test_a_line_needs_a_known_insight_or_none(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    version = (await open_order(world.nurse, order["order_id"])).headers["ETag"]

    async def send(line: dict[str, Any]) -> Any:
        return await world.nurse.post(
            f"{BASE}/orders/{order['order_id']}/results",
            {
                "template_id": world.positive.id,
                "sampling_date": str(today(services)),
                "values": [line],
            },
            **{"If-Match": version, "Idempotency-Key": uuid.uuid4().hex},
        )

    unknown = await send({"line_no": 1, "value": "Påvisad", "insight": "sometimes"})
    missing = await send({"line_no": 1, "value": "Påvisad"})
    none = await send({"line_no": 1, "value": "Se kommentar", "insight": None})

    assert unknown.status_code == 422
    assert [(e["field"], e["code"]) for e in unknown.json()["errors"]] == [
        ("values.0.insight", "literal_error")
    ]
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["values.0.insight"]
    assert none.status_code == 200, none.text
    assert await insights_stored(services, order["order_id"]) == [(1, 1, None)]


async def test_a_templates_analysis_takes_one_of_the_four_insights(world, regional_admin):
    refused = await regional_admin.post(
        f"/api/admin/laboratories/{world.lab}/result-templates",
        {
            "name": "Okänd insikt",
            "insight": "positive",
            "analyses": [{"analysis": "Neisseria gonorrhoeae", "insight": "sometimes"}],
        },
    )

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["analyses.0.insight"]
    listed = await regional_admin.get(f"/api/admin/laboratories/{world.lab}/result-templates")
    assert "Okänd insikt" not in [t["name"] for t in listed.json()]


# --- insight texts ------------------------------------------------------------------------


async def test_the_citizen_reads_the_templates_then_the_offers_then_the_default_insight_text(
    world, regional_admin, services, as_citizen
):
    defaults = await regional_admin.get("/api/admin/insight-texts")
    assert defaults.status_code == 200, defaults.text
    default_of = {d["insight"]: d["text"] for d in defaults.json()}
    anna = await as_citizen("anna-stockholm")
    texts = []
    for template in (world.negative, world.positive, world.technical):
        order = await anna.order(world.offer["catalog_id"])
        sent = await register(
            world.nurse, order["order_id"], template=template, sampling_date=today(services)
        )
        assert sent.status_code == 200, sent.text
        texts.append((await anna.view(order["order_id"]))["lines"][0]["result"]["insight_text"])

    assert texts == [
        "Mallens text: ingen klamydia eller gonorré.",
        "Erbjudandets text: kontakta mottagningen.",
        default_of["technical_error"],
    ]
    assert set(default_of) == {"positive", "negative", "technical_error", "answer"}


async def test_a_central_administrator_changes_a_default_insight_text_and_others_may_not(
    regional_admin, new_client
):
    central = await log_in_staff(new_client(), key="central-admin", unit=SOLNA)
    listed = {d["insight"]: d for d in (await central.get("/api/admin/insight-texts")).json()}
    answer = listed["answer"]

    refused = await regional_admin.call(
        "PUT", "/api/admin/insight-texts/answer", {"text": "Nej"}, **{"If-Match": '"1"'}
    )
    changed = await central.call(
        "PUT",
        "/api/admin/insight-texts/answer",
        {"text": "Svar. Läs ditt provsvar nedan."},
        **{"If-Match": f'"{answer["version"]}"'},
    )
    stale = await central.call(
        "PUT",
        "/api/admin/insight-texts/answer",
        {"text": "Svar igen."},
        **{"If-Match": f'"{answer["version"]}"'},
    )
    restored = await central.call(
        "PUT",
        "/api/admin/insight-texts/answer",
        {"text": answer["text"]},
        **{"If-Match": changed.headers["ETag"]},
    )

    assert refused.status_code == 403
    assert changed.status_code == 200, changed.text
    assert changed.json()["text"] == "Svar. Läs ditt provsvar nedan."
    assert changed.json()["version"] == answer["version"] + 1
    assert stale.status_code == 412
    assert restored.status_code == 200


async def test_offer_and_template_insight_texts_are_configured_through_administration(
    world, regional_admin
):
    offer = await regional_admin.get(f"/api/admin/offers/{world.offer['catalog_id']}")
    templates = await regional_admin.get(f"/api/admin/laboratories/{world.lab}/result-templates")
    unknown = await regional_admin.post(
        "/api/admin/offers",
        {
            **{
                k: v
                for k, v in world.offer.items()
                if k not in ("catalog_id", "version", "retired")
            },
            "insight_texts": {"sometimes": "x"},
        },
    )
    textless = await regional_admin.post(
        f"/api/admin/laboratories/{world.lab}/result-templates",
        {"name": "Utan insikt", "analyses": [{"analysis": "X"}], "insight_text": "En text"},
    )

    assert offer.json()["insight_texts"] == {
        "positive": "Erbjudandets text: kontakta mottagningen."
    }
    by_name = {t["name"]: t for t in templates.json()}
    assert by_name["Klamydia och gonorré negativ"]["insight_text"] == (
        "Mallens text: ingen klamydia eller gonorré."
    )
    assert by_name["Klamydia positiv"]["insight_text"] is None
    assert unknown.status_code == 422
    assert textless.status_code == 422
    assert textless.json()["errors"][0]["field"] == "insight_text"


# --- Svarslogg ----------------------------------------------------------------------------


async def test_the_svarslogg_pages_newest_first_within_the_unit(
    world, regional_admin, services, new_client, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    erik = await as_citizen("erik-stockholm")
    first = await anna.order(world.offer["catalog_id"])
    second = await erik.order(world.offer["catalog_id"])
    day = today(services)
    one = [{"line_no": 1, "value": "Ej påvisad"}]
    for order, template in (
        (first, world.negative),
        (second, world.negative),
        (first, world.positive),
    ):
        sent = await register(
            world.nurse, order["order_id"], template=template, sampling_date=day, values=one
        )
        assert sent.status_code == 200, sent.text
    # Another unit's registration is not in this unit's log.
    other_unit = await create_care_unit(regional_admin)
    await registrar(regional_admin, services, new_client, other_unit)

    page_one = await world.nurse.get(f"{BASE}/log", page_size=2)
    page_two = await world.nurse.get(f"{BASE}/log", page_size=2, page=2)
    by_rid = await world.nurse.post(f"{BASE}/log/search", {"rid": second["rid"]})
    by_person = await world.nurse.post(f"{BASE}/log/search", {"personnummer": ANNA})

    assert page_one.status_code == 200, page_one.text
    rows = page_one.json()["items"] + page_two.json()["items"]
    assert page_one.json()["total"] == 3
    assert [(r["rid"], r["version"], r["insight"], r["corrected"]) for r in rows] == [
        (first["rid"], 2, "positive", True),
        (second["rid"], 1, "negative", False),
        (first["rid"], 1, "negative", False),
    ]
    assert rows[0]["patient"]["personnummer"] == "19850412-9829"
    assert rows[0]["registered_by_hsa_id"] == world.nurse_hsa
    assert rows[0]["template_name"] == "Klamydia positiv"
    assert [r["rid"] for r in by_rid.json()["items"]] == [second["rid"]]
    assert [r["version"] for r in by_person.json()["items"]] == [2, 1]
    audited = [
        a for a in await audit_actions(services, world.nurse_hsa) if a[0] == "result_log_listed"
    ]
    # One entry per order shown on each page: 2 + 1 + 1 + 1.
    assert audited == [("result_log_listed", True)] * 5


async def test_the_svarslogg_keeps_to_its_dates(world, services, as_citizen):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    sent = await register(
        world.nurse, order["order_id"], template=world.negative, sampling_date=today(services)
    )
    assert sent.status_code == 200, sent.text
    day = today(services)
    # As if registered four days ago (the log lists by when it was registered).
    async with services.uow() as uow:
        await uow.session.execute(
            text(
                "UPDATE results SET received_at = received_at - interval '4 days'"
                " WHERE registered_at_care_unit_id = :unit"
            ),
            {"unit": world.unit_id},
        )
        await uow.commit()

    recent = await world.nurse.get(f"{BASE}/log", from_date=str(day - timedelta(days=2)))
    then = await world.nurse.get(
        f"{BASE}/log", from_date=str(day - timedelta(days=4)), to_date=str(day - timedelta(days=4))
    )
    backwards = await world.nurse.get(
        f"{BASE}/log", from_date=str(day), to_date=str(day - timedelta(days=1))
    )

    assert recent.json()["total"] == 0
    assert then.json()["total"] == 2
    assert backwards.status_code == 422


# --- who may -----------------------------------------------------------------------------


async def test_registration_needs_a_login_and_the_permission_at_the_unit(
    world, client, services, new_client
):
    unpermitted_staff = create_staff_member(services.hsa, care_units=[world.unit])
    unpermitted = await log_in_staff(new_client(), key=unpermitted_staff.key, unit=world.unit)

    anonymous = await client.post(f"{BASE}/search", json={"personnummer": ANNA})
    refused = await unpermitted.post(f"{BASE}/search", {"personnummer": ANNA})
    log = await unpermitted.get(f"{BASE}/log")

    assert anonymous.status_code == 401
    assert refused.status_code == log.status_code == 403


async def test_the_svarslogg_costs_the_same_statements_for_one_row_as_for_many(
    world, services, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    one = [{"line_no": 1, "value": "Ej påvisad"}]
    order = await anna.order(world.offer["catalog_id"])
    first = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        values=one,
    )
    assert first.status_code == 200, first.text
    few = await statements_sent(services, lambda: world.nurse.get(f"{BASE}/log"))
    for _ in range(3):
        more = await anna.order(world.offer["catalog_id"])
        sent = await register(
            world.nurse, more["order_id"], template=world.negative, sampling_date=today(services)
        )
        assert sent.status_code == 200, sent.text

    many = await statements_sent(services, lambda: world.nurse.get(f"{BASE}/log"))

    assert (await world.nurse.get(f"{BASE}/log")).json()["total"] == 7
    assert many == few


async def test_the_svarslogg_counts_up_to_a_thousand_and_says_there_are_more(
    world, services, as_citizen
):
    anna = await as_citizen("anna-stockholm")
    order = await anna.order(world.offer["catalog_id"])
    sent = await register(
        world.nurse,
        order["order_id"],
        template=world.negative,
        sampling_date=today(services),
        values=[{"line_no": 1, "value": "Ej påvisad"}],
    )
    assert sent.status_code == 200, sent.text
    # 1,000 more manual results of the unit, one per earlier sampling date of the same line
    # (the result key is line + sampling date + version), written directly: registering them
    # one by one through the API would take minutes.
    async with services.uow() as uow:
        registered_today = (
            await uow.session.execute(
                text(
                    "SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id"
                    " WHERE l.order_id = :order"
                ),
                {"order": order["order_id"]},
            )
        ).scalar_one()
        await uow.session.execute(
            text(
                """
                INSERT INTO results (id, order_line_id, sampling_date, version, insight,
                                     payload_encrypted, received_at, source,
                                     registered_by_hsa_id, registered_by_name,
                                     registered_at_care_unit_id, result_template_id)
                SELECT gen_random_uuid(), r.order_line_id, r.sampling_date - n, 1, r.insight,
                       r.payload_encrypted, r.received_at - make_interval(days => n), r.source,
                       r.registered_by_hsa_id, r.registered_by_name,
                       r.registered_at_care_unit_id, r.result_template_id
                  FROM results r
                  JOIN order_lines l ON l.id = r.order_line_id
                  CROSS JOIN generate_series(1, 1000) AS n
                 WHERE l.order_id = :order AND l.line_no = 1
                """
            ),
            {"order": order["order_id"]},
        )
        await uow.commit()

    full = (await world.nurse.get(f"{BASE}/log?page_size=200")).json()
    ten_days = (
        await world.nurse.get(f"{BASE}/log?from_date={today(services) - timedelta(days=9)}")
    ).json()

    assert (full["total"], full["total_capped"], len(full["items"])) == (1000, True, 200)
    assert (ten_days["total"], ten_days["total_capped"]) == (registered_today + 9, False)
