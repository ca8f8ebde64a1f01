"""Smittspårning (SPEC §7; manual 4.8) through the HTTP API on the real database: whether and
when a person's chlamydia/gonorrhoea home tests were done and answered — and the privacy
rule: no answer of the module ever contains an insight or a value of a result."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from adapters.db.models import AuditEntry
from domain.sampling import today_in_stockholm
from tests.support.worklist_world import (
    create_followed_unit,
    laboratory,
    new_citizen,
    place_order,
    post_result,
    staff_at,
)

URL = "/api/staff/contact-tracing/search"
INSIGHTS = {"positive", "negative", "technical_error", "answer"}
# What the results of these tests hold (values, reference range, comments): none of it may
# reach an answer of the module.
RESULT_CONTENT = ("Påvisad", "Ej påvisad", "Kontrollera provet", "Smittspårningsprov-hemlig")


@pytest.fixture
async def world(services, regional_admin, new_client):
    unit = await create_followed_unit(services, insights=("positive",))
    tracer = await staff_at(
        services, regional_admin, new_client, unit=unit.hsa_id, permissions=("contact_tracing",)
    )
    lab = await laboratory(services)
    return unit, tracer, lab


async def test_contact_tracing_tells_whether_and_when_home_tests_were_done_and_answered(
    world, services, client
):
    unit, tracer, lab = world
    citizen = new_citizen(services, given_name="Tove")
    answered = await place_order(
        services, lab, citizen=citizen.value, result_unit=unit.id, days_ago=6
    )
    await post_result(client, lab, answered, product="PEP-CT", insight="positive")
    kit = await place_order(
        services, lab, citizen=citizen.value, result_unit=unit.id, catalog_id="1005", days_ago=4
    )
    waiting = await place_order(
        services, lab, citizen=citizen.value, result_unit=unit.id, status="ordered", days_ago=2
    )
    # Not home tests of contact-tracing products: a blood test at a site, a PSA test.
    await place_order(services, lab, citizen=citizen.value, result_unit=unit.id, catalog_id="1004")
    await place_order(services, lab, citizen=citizen.value, result_unit=unit.id, catalog_id="1003")
    someone_else = new_citizen(services)
    await place_order(services, lab, citizen=someone_else.value, result_unit=unit.id)

    found = await tracer.client.post(URL, {"personnummer": citizen.formatted})

    assert found.status_code == 200, found.text
    now = services.now()
    today = today_in_stockholm(now)
    yesterday = today_in_stockholm(now - timedelta(days=1))
    assert found.json() == {
        "patient": {"personnummer": citizen.formatted, "name": "Tove Testsson"},
        "home_tests": [
            {
                "order_id": str(waiting.id),
                "offer_name": "Klamydia- och gonorrétest hemma",
                "sampling_method": "home_kit",
                "tested_for": [
                    "Gonorré (Neisseria gonorrhoeae), NAAT",
                    "Klamydia (Chlamydia trachomatis), NAAT",
                ],
                "state": "ordered",
                "ordered_on": today_in_stockholm(now - timedelta(days=2)).isoformat(),
                "sampled_on": None,
                "answered": False,
                "answered_on": None,
            },
            {
                "order_id": str(kit.id),
                "offer_name": "Opersonligt provtagningskit klamydia",
                "sampling_method": "anonymous_kit",
                "tested_for": ["Klamydia (Chlamydia trachomatis), NAAT"],
                "state": "sampled",
                "ordered_on": today_in_stockholm(now - timedelta(days=4)).isoformat(),
                "sampled_on": yesterday.isoformat(),
                "answered": False,
                "answered_on": None,
            },
            {
                "order_id": str(answered.id),
                "offer_name": "Klamydia- och gonorrétest hemma",
                "sampling_method": "home_kit",
                "tested_for": [
                    "Gonorré (Neisseria gonorrhoeae), NAAT",
                    "Klamydia (Chlamydia trachomatis), NAAT",
                ],
                "state": "answered",
                "ordered_on": today_in_stockholm(now - timedelta(days=6)).isoformat(),
                "sampled_on": yesterday.isoformat(),
                "answered": True,
                "answered_on": today.isoformat(),
            },
        ],
    }


def _strings(document: Any) -> list[str]:
    """Every key and every value of a JSON document, as text."""
    if isinstance(document, dict):
        return [s for k, v in document.items() for s in (str(k), *_strings(v))]
    if isinstance(document, list):
        return [s for item in document for s in _strings(item)]
    return [str(document)]


async def test_no_answer_of_contact_tracing_contains_an_insight_or_a_value(
    world, services, client, regional_admin, new_client
):
    unit, tracer, lab = world
    citizen = new_citizen(services)
    for insight, product, value, comment in (
        ("positive", "PEP-CT", "Påvisad", "Smittspårningsprov-hemlig"),
        ("negative", "PEP-NG", "Ej påvisad", "Kontakta din vårdgivare."),
        ("technical_error", "PEP-CT", "Kontrollera provet", "Nytt prov behövs."),
        ("answer", "PEP-NG", "Se kommentar", "Smittspårningsprov-hemlig"),
    ):
        order = await place_order(services, lab, citizen=citizen.value, result_unit=unit.id)
        await post_result(
            client, lab, order, product=product, insight=insight, value=value, comment=comment
        )
    no_permission = await staff_at(
        services, regional_admin, new_client, unit=unit.hsa_id, permissions=("worklist",)
    )

    answers = [
        await tracer.client.post(URL, {"personnummer": citizen.value}),
        await tracer.client.post(URL, {"personnummer": citizen.formatted}),
        await tracer.client.post(URL, {"personnummer": "19121212-1212"}),
        await tracer.client.post(URL, {"personnummer": "19121212-1213"}),
        await tracer.client.post(URL, {}),
        await no_permission.client.post(URL, {"personnummer": citizen.value}),
    ]

    assert [a.status_code for a in answers] == [200, 200, 404, 422, 422, 403]
    assert len(answers[0].json()["home_tests"]) == 4
    assert {t["state"] for t in answers[0].json()["home_tests"]} == {"answered"}
    for answer in answers:
        strings = _strings(answer.json())
        assert not INSIGHTS & set(strings), answer.text
        assert not [s for s in strings if "insight" in s.lower()], answer.text
        assert not [c for c in RESULT_CONTENT if c.lower() in answer.text.lower()], answer.text
        assert "Se kommentar" not in answer.text


async def test_contact_tracing_is_audited_with_who_unit_and_patient(world, services):
    unit, tracer, _lab = world
    citizen = new_citizen(services)

    await tracer.client.post(URL, {"personnummer": citizen.value})

    async with services.uow() as uow:
        entry = (
            await uow.session.execute(
                select(AuditEntry).where(
                    AuditEntry.actor_id == tracer.hsa_id,
                    AuditEntry.action == "contact_tracing_search",
                )
            )
        ).scalar_one()
    assert entry.patient_hash == services.protector.lookup_hash(citizen.value)
    assert entry.care_unit_hsa_id == unit.hsa_id
    assert entry.assignment_purpose == "Vård och behandling"
    assert entry.details == {"found": "True", "home_tests": "0"}


async def test_contact_tracing_needs_its_permission(world, services, regional_admin, new_client):
    unit, _tracer, _lab = world
    nurse = await staff_at(
        services, regional_admin, new_client, unit=unit.hsa_id, permissions=("worklist",)
    )

    refused = await nurse.client.post(URL, {"personnummer": "19121212-1212"})

    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/forbidden"
