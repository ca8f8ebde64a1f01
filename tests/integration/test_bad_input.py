"""Bad input is never a 500 (issue 11): every refusal is a 4xx problem+json naming the field.
NUL and other control characters anywhere in the request, a non-ASCII If-Match, dates at the
calendar's edge, a duplicate HSA-id, and markup in names and help texts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from domain.administration import SamplingUnitHsaIdTaken
from tests.support.browserless_login import login
from tests.support.factories import (
    StaffClient,
    create_laboratory,
    create_offer,
    create_sampling_unit,
    log_in_staff,
    offer_body,
    unique,
)

NUL = "\u0000"
CENTRAL = ("central-admin", "SE2321000016-A001")
HOME_ADDRESS = {"street": "Landsvägen 12", "postal_code": "172 63", "city": "Sundbyberg"}


@pytest.fixture
async def central(new_client) -> StaffClient:
    key, unit = CENTRAL
    return await log_in_staff(new_client(), key=key, unit=unit)


def assert_field_error(response: Any, field: str, code: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]


def care_unit(**fields: Any) -> dict[str, Any]:
    return {
        "hsa_id": unique("SE2321000016-X"),
        "name": "Testmottagningen",
        "region_code": "01",
        "care_giver_hsa_id": "SE2321000016-0001",
        "care_giver_name": "Region Stockholm",
        **fields,
    }


def sampling_unit(**fields: Any) -> dict[str, Any]:
    return {
        "hsa_id": unique("SE2321000016-S"),
        "name": "Testprovtagningen",
        "region_code": "01",
        "street": "Testgatan 1",
        "postal_code": "11122",
        "city": "Stockholm",
        "laboratory_codes": ["LAB-NONE"],
        **fields,
    }


def with_question(text: str) -> dict[str, Any]:
    return offer_body(
        asks={
            "contact_details": True,
            "delivery_address": True,
            "questions": [{"id": "q1", "text": text, "type": "text", "required": False}],
        }
    )


def mapping(**fields: str) -> dict[str, Any]:
    return {
        "name": "Testlab",
        "mappings": [
            {"product_code": "PEP-CT", "lab_code": "L1", "tube_code": "T1", "material": "Urin"}
            | fields
        ],
    }


# --- control characters -----------------------------------------------------------------

# (method, url, body, the field the answer names): nine administration fields and more.
NUL_IN_ADMINISTRATION = [
    ("POST", "/api/admin/care-units", care_unit(name=f"Mott{NUL}tagningen"), "name"),
    ("POST", "/api/admin/care-units", care_unit(care_giver_name=f"R{NUL}S"), "care_giver_name"),
    (
        "POST",
        "/api/admin/laboratories",
        {"code": "LABNUL1", "name": f"Lab{NUL}", "region_code": "01"},
        "name",
    ),
    ("PUT", "/api/admin/laboratories/LABNUL1", mapping(material=f"U{NUL}"), "mappings.0.material"),
    (
        "POST",
        "/api/admin/products",
        {"code": "NUL-1", "name": "Test", "material": f"Bl{NUL}od"},
        "material",
    ),
    ("POST", "/api/admin/offers", offer_body(instructions=f"<p>{NUL}</p>"), "instructions"),
    ("POST", "/api/admin/offers", with_question(f"Fr{NUL}ga"), "asks.questions.0.text"),
    ("POST", "/api/admin/sampling-units", sampling_unit(street=f"Gatan{NUL}1"), "street"),
    (
        "POST",
        "/api/admin/sampling-units",
        sampling_unit(laboratory_codes=[f"LAB{NUL}"]),
        "laboratory_codes",
    ),
    ("PUT", "/api/admin/help-texts/nul.test", {"text_sv": f"a{NUL}", "text_en": "b"}, "text_sv"),
    (
        "POST",
        "/api/admin/laboratories/LABNUL1/result-templates",
        {"name": "Mall", "analyses": [{"analysis": f"X{NUL}"}]},
        "analyses.0.analysis",
    ),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), NUL_IN_ADMINISTRATION)
async def test_a_nul_in_any_administration_text_is_a_422_naming_the_field(
    central, method, url, body, field
):
    response = await central.call(method, url, body)
    assert_field_error(response, field, "control_character")


async def test_a_nul_in_the_citizens_delivery_address_is_a_422_naming_the_field(client):
    csrf = await login(client, kind="citizen", key="oscar-teen")
    body = {
        "catalog_id": "1001",
        "contact": {"email": "test@example.se"},
        "delivery_address": {**HOME_ADDRESS, "street": f"Landsvägen{NUL}12"},
        "answers": {"symptoms": True},
    }
    response = await client.post(
        "/api/citizen/orders",
        json=body,
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert_field_error(response, "delivery_address.street", "control_character")


async def test_an_unpaired_surrogate_in_a_text_is_a_422_naming_the_field(central):
    # Only a JSON escape can carry it; UTF-8 cannot encode it for the database.
    response = await central.client.post(
        "/api/admin/laboratories",
        content=b'{"code": "LABSUR1", "name": "Lab \\ud800", "region_code": "01"}',
        headers={**central.headers, "Content-Type": "application/json"},
    )
    assert_field_error(response, "name", "string_unicode")


async def test_a_nul_in_a_path_parameter_is_a_422_naming_the_parameter(central, new_client):
    response = await central.client.get("/api/admin/laboratories/LAB%00X")
    assert_field_error(response, "path.code", "control_character")
    citizen = new_client()
    await login(citizen, kind="citizen", key="oscar-teen")
    response = await citizen.get("/api/citizen/offers/10%0001")
    assert_field_error(response, "path.catalog_id", "control_character")


async def test_a_nul_in_a_query_parameter_is_a_422_naming_the_parameter(client):
    response = await client.get("/auth/citizen/login", params={"return_to": f"/x{NUL}"})
    assert_field_error(response, "query.return_to", "control_character")


# --- If-Match -----------------------------------------------------------------------------

# "١" (U+0661) is a digit to str.isdigit(), not a version; it arrives as its UTF-8 bytes.
ARABIC_ONE = "\u0661".encode()


async def test_an_if_match_with_a_non_ascii_digit_is_a_422_on_an_administration_edit(central):
    lab = await create_laboratory(central)
    response = await central.client.put(
        f"/api/admin/laboratories/{lab}",
        json={"name": "Nytt namn"},
        headers={**central.headers, "If-Match": ARABIC_ONE},
    )
    assert_field_error(response, "If-Match", "if_match")


async def test_an_if_match_with_a_non_ascii_digit_is_a_422_on_a_citizen_cancel(central, client):
    offer = await create_offer(central)
    csrf = await login(client, kind="citizen", key="anna-stockholm")
    placed = await client.post(
        "/api/citizen/orders",
        json={
            "catalog_id": offer["catalog_id"],
            "contact": {"email": "test@example.se"},
            "delivery_address": HOME_ADDRESS,
        },
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert placed.status_code == 201, placed.text
    response = await client.post(
        f"/api/citizen/orders/{placed.json()['order_id']}/cancel",
        headers={"X-CSRF-Token": csrf, "If-Match": b'"' + ARABIC_ONE + b'"'},
    )
    assert_field_error(response, "If-Match", "if_match")
    order = await client.get(f"/api/citizen/orders/{placed.json()['order_id']}")
    assert order.json()["status"] != "cancelled"


# --- dates at the calendar's edge ------------------------------------------------------------


@pytest.fixture
async def unit_id(central) -> str:
    lab = await create_laboratory(central, products=("PEP-HIV", "PEP-SYF"))
    return await create_sampling_unit(central, laboratory_codes=[lab])


def slot_rule(first_day: date, last_day: date) -> dict[str, Any]:
    return {
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "weekdays": list(range(7)),
        "start": "08:00",
        "end": "09:00",
        "minutes": 30,
        "capacity": 1,
    }


@pytest.mark.parametrize(
    ("first_day", "last_day", "field"),
    [
        (date.max, date.max, "first_day"),
        (date.max - timedelta(days=1), date.max, "first_day"),
        (date.today() + timedelta(days=1), date.max, "last_day"),
    ],
)
async def test_a_slot_rule_at_the_end_of_the_calendar_is_a_422(
    central, unit_id, first_day, last_day, field
):
    response = await central.post(
        f"/api/admin/sampling-units/{unit_id}/slots", slot_rule(first_day, last_day)
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("day", [date.max, date.min])
async def test_a_closed_day_at_the_edge_of_the_calendar_is_a_422(central, unit_id, day):
    response = await central.post(
        f"/api/admin/sampling-units/{unit_id}/closed-days", {"day": day.isoformat()}
    )
    assert_field_error(response, "day", "outside_calendar")


@pytest.mark.parametrize("first_day", [date.max, date.min])
async def test_listing_slots_from_the_edge_of_the_calendar_is_a_422(central, unit_id, first_day):
    response = await central.get(
        f"/api/admin/sampling-units/{unit_id}/slots", first_day=first_day.isoformat()
    )
    assert_field_error(response, "first_day", "outside_calendar")


async def test_slots_within_the_calendar_are_still_listed(central, unit_id):
    today = date.today()
    response = await central.get(
        f"/api/admin/sampling-units/{unit_id}/slots", first_day=today.isoformat()
    )
    assert response.status_code == 200
    assert response.json() == []


# --- duplicates ----------------------------------------------------------------------------


async def test_a_second_sampling_unit_with_the_same_hsa_id_is_a_422_naming_hsa_id(central):
    lab = await create_laboratory(central)
    body = sampling_unit(laboratory_codes=[lab])
    assert (await central.post("/api/admin/sampling-units", body)).status_code == 201
    again = await central.post("/api/admin/sampling-units", {**body, "name": "Annan"})
    assert_field_error(again, "hsa_id", "taken")


async def test_a_sampling_unit_hsa_id_taken_in_a_race_is_refused_naming_hsa_id(services):
    # Two administrators both saw the HSA-id free: the unique index decides, as a field error.
    details = {
        "name": "Testprovtagningen",
        "region_code": "01",
        "street": "Testgatan 1",
        "postal_code": "11122",
        "city": "Stockholm",
        "opening_hours": None,
    }
    hsa_id = unique("SE2321000016-S")
    async with services.uow() as uow:
        await uow.sampling_units.add(hsa_id=hsa_id, **details)
        await uow.commit()
    async with services.uow() as uow:
        with pytest.raises(SamplingUnitHsaIdTaken) as refused:
            await uow.sampling_units.add(hsa_id=hsa_id, **details)
    assert (refused.value.field, refused.value.code) == ("hsa_id", "taken")


# --- markup -------------------------------------------------------------------------------

MARKUP = "<script>alert(1)</script>"

MARKUP_IN_NAMES = [
    ("POST", "/api/admin/care-units", care_unit(name=MARKUP), "name"),
    (
        "POST",
        "/api/admin/laboratories",
        {"code": "LABMARK1", "name": MARKUP, "region_code": "01"},
        "name",
    ),
    ("PUT", "/api/admin/laboratories/LABMARK1", mapping(tube_code="<T1>"), "mappings.0.tube_code"),
    ("POST", "/api/admin/products", {"code": "MARK-1", "name": MARKUP, "material": "Xx"}, "name"),
    ("POST", "/api/admin/offers", offer_body(name=MARKUP), "name"),
    ("POST", "/api/admin/offers", with_question(MARKUP), "asks.questions.0.text"),
    ("POST", "/api/admin/sampling-units", sampling_unit(name=MARKUP), "name"),
    ("PUT", "/api/admin/help-texts/markup.test", {"text_sv": "a", "text_en": MARKUP}, "text_en"),
    (
        "POST",
        "/api/admin/laboratories/LABMARK1/result-templates",
        {"name": MARKUP, "analyses": [{"analysis": "X"}]},
        "name",
    ),
]


@pytest.mark.parametrize(("method", "url", "body", "field"), MARKUP_IN_NAMES)
async def test_markup_in_names_and_help_texts_is_a_422_naming_the_field(
    central, method, url, body, field
):
    # Names are shown in both apps and printed on ZPL labels: they are plain text.
    response = await central.call(method, url, body)
    assert_field_error(response, field, "markup")


async def test_a_reference_range_may_still_say_less_than(central):
    lab = await create_laboratory(central)
    created = await central.post(
        f"/api/admin/laboratories/{lab}/result-templates",
        {"name": "HbA1c", "analyses": [{"analysis": "HbA1c", "reference_range": "<42 mmol/mol"}]},
    )
    assert created.status_code == 201, created.text
    assert created.json()["analyses"][0]["reference_range"] == "<42 mmol/mol"
