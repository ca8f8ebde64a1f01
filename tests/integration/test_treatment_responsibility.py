"""Behandlingsansvar (manual 1.4, 4.1, 4.7) through the HTTP API on the real database: who may
use it (any assignment, no permission, no care purpose), which results it finds (positive,
of contact-tracing products, of the patient named), taking over once per result and care
unit, audit, and the /rba deep link."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from adapters.db.models import AuditEntry
from domain.identity_numbers import PersonalIdentityNumber
from tests.support.results_world import client_token, create_lab
from tests.support.worklist_world import (
    Laboratory,
    create_followed_unit,
    laboratory,
    line_of,
    new_citizen,
    place_order,
    post_result,
    scalar,
    staff_at,
)

BASE = "/api/staff/treatment-responsibility"
ADMINISTRATION = "Administration"


@pytest.fixture
async def world(services, new_client):
    """The STD clinic following positives, a laboratory, and a doctor at a health centre
    whose only assignment is administrative and who holds no permission at all."""
    clinic = await create_followed_unit(services, insights=("positive",), name="STD-kliniken")
    lab = await laboratory(services)
    doctor = await staff_at(
        services,
        None,
        new_client,
        unit="SE2321000016-A001",
        permissions=(),
        purpose=ADMINISTRATION,
    )
    return clinic, lab, doctor


async def _positive_chlamydia(services, client, lab, clinic, citizen: PersonalIdentityNumber):
    order = await place_order(services, lab, citizen=citizen.value, result_unit=clinic.id)
    await post_result(client, lab, order, product="PEP-CT", insight="positive")
    await post_result(client, lab, order, product="PEP-NG", insight="negative")
    return order


async def test_behandlingsansvar_needs_only_an_assignment_while_other_modules_refuse(
    world, services, client
):
    clinic, lab, doctor = world
    citizen = new_citizen(services)
    order = await _positive_chlamydia(services, client, lab, clinic, citizen)

    me = (await doctor.client.get("/api/staff/me")).json()
    search = await doctor.client.post(f"{BASE}/search", {"personnummer": citizen.formatted})
    taken = await doctor.client.post(
        f"{BASE}/takeovers",
        {"personnummer": citizen.value, "result_id": str(await line_of(services, order))},
    )
    worklist = await doctor.client.get("/api/staff/worklist")
    tracing = await doctor.client.post(
        "/api/staff/contact-tracing/search", {"personnummer": citizen.value}
    )

    assert [m["module"] for m in me["modules"]] == ["treatment_responsibility"]
    assert search.status_code == 200, search.text
    assert taken.status_code == 201, taken.text
    assert worklist.status_code == 403
    assert tracing.status_code == 403
    assert {worklist.json()["type"], tracing.json()["type"]} == {
        "/problems/care-and-treatment-purpose-required"
    }


async def test_staff_without_an_assignment_cannot_take_over(client, services):
    from tests.support.browserless_login import login

    csrf = await login(client, kind="staff", key="no-assignment")

    refused = await client.post(
        f"{BASE}/search",
        json={"personnummer": "19121212-1212"},
        headers={"X-CSRF-Token": csrf},
    )

    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/assignment-required"


async def test_search_finds_only_the_patients_positive_contact_tracing_results(
    world, services, client
):
    clinic, _lab, doctor = world
    lab = Laboratory(
        lab=(created := await create_lab(services, products=("PEP-CT", "PEP-NG", "PEP-HBA1C"))),
        writer=await client_token(
            services, scopes=("results:write",), laboratory_ids=(created.id,)
        ),
    )
    citizen = new_citizen(services, given_name="Siri")
    positive = await _positive_chlamydia(services, client, lab, clinic, citizen)
    corrected = await _positive_chlamydia(services, client, lab, clinic, citizen)
    await post_result(client, lab, corrected, product="PEP-CT", insight="negative", lab_version=2)
    gonorrhoea = await place_order(services, lab, citizen=citizen.value, result_unit=clinic.id)
    await post_result(client, lab, gonorrhoea, product="PEP-NG", insight="positive")
    # HbA1c is no infection followed up by contact tracing, whatever its insight.
    diabetes = await place_order(
        services, lab, citizen=citizen.value, result_unit=clinic.id, catalog_id="1002"
    )
    await post_result(client, lab, diabetes, product="PEP-HBA1C", insight="positive")
    someone_else = new_citizen(services)
    await _positive_chlamydia(services, client, lab, clinic, someone_else)

    found = await doctor.client.post(f"{BASE}/search", {"personnummer": citizen.formatted})

    assert found.status_code == 200, found.text
    body = found.json()
    assert body["patient"] == {"personnummer": citizen.formatted, "name": "Siri Testsson"}
    assert {(r["id"], r["product_name"]) for r in body["results"]} == {
        (
            str(await line_of(services, positive, "PEP-CT")),
            "Klamydia (Chlamydia trachomatis), NAAT",
        ),
        (
            str(await line_of(services, gonorrhoea, "PEP-NG")),
            "Gonorré (Neisseria gonorrhoeae), NAAT",
        ),
    }
    chlamydia = next(r for r in body["results"] if r["product_name"].startswith("Klamydia"))
    assert chlamydia["offer_name"] == "Klamydia- och gonorrétest hemma"
    assert chlamydia["result_care_unit_hsa_id"] == clinic.hsa_id
    assert chlamydia["result_care_unit_name"] == "STD-kliniken"
    assert chlamydia["takeovers"] == []


async def test_taking_over_twice_at_one_unit_is_one_record_and_says_so(
    world, services, client, new_client
):
    clinic, lab, doctor = world
    citizen = new_citizen(services)
    line = await line_of(
        services, await _positive_chlamydia(services, client, lab, clinic, citizen)
    )
    body = {"personnummer": citizen.formatted, "result_id": str(line)}

    first = await doctor.client.post(f"{BASE}/takeovers", body)
    again = await doctor.client.post(f"{BASE}/takeovers", body)
    colleague = await staff_at(services, None, new_client, unit="SE2321000016-A001", permissions=())
    by_colleague = await colleague.client.post(f"{BASE}/takeovers", body)
    elsewhere = await staff_at(services, None, new_client, unit="SE2321000016-A003", permissions=())
    other_unit = await elsewhere.client.post(f"{BASE}/takeovers", body)

    assert first.status_code == 201
    assert first.json()["already_taken_over"] is False
    assert first.json()["takeover"]["taken_by_hsa_id"] == doctor.hsa_id
    assert first.json()["takeover"]["care_unit_hsa_id"] == "SE2321000016-A001"
    assert again.status_code == 200
    assert again.json()["already_taken_over"] is True
    assert again.json()["takeover"] == first.json()["takeover"]
    # A colleague at the same unit finds the unit's record: it is the unit that took over.
    assert by_colleague.status_code == 200
    assert by_colleague.json()["takeover"]["taken_by_hsa_id"] == doctor.hsa_id
    assert other_unit.status_code == 201
    assert [t["care_unit_hsa_id"] for t in other_unit.json()["result"]["takeovers"]] == [
        "SE2321000016-A001",
        "SE2321000016-A003",
    ]
    assert (
        await scalar(
            services, "SELECT count(*) FROM treatment_takeovers WHERE order_line_id = :l", l=line
        )
        == 2
    )


async def test_a_takeover_needs_a_positive_result_of_the_patient_named(world, services, client):
    clinic, lab, doctor = world
    citizen = new_citizen(services)
    order = await _positive_chlamydia(services, client, lab, clinic, citizen)
    positive = await line_of(services, order, "PEP-CT")
    negative = await line_of(services, order, "PEP-NG")
    other = new_citizen(services)

    attempts = [
        await doctor.client.post(
            f"{BASE}/takeovers", {"personnummer": other.value, "result_id": str(positive)}
        ),
        await doctor.client.post(
            f"{BASE}/takeovers", {"personnummer": citizen.value, "result_id": str(negative)}
        ),
        await doctor.client.post(
            f"{BASE}/takeovers", {"personnummer": citizen.value, "result_id": str(uuid.uuid4())}
        ),
    ]

    assert [a.status_code for a in attempts] == [404, 404, 404]
    assert {a.json()["type"] for a in attempts} == {"/problems/positive-result-not-found"}
    assert (
        await scalar(
            services,
            "SELECT count(*) FROM treatment_takeovers"
            " WHERE order_line_id = ANY(CAST(:l AS uuid[]))",
            l=[positive, negative],
        )
        == 0
    )


async def test_searches_and_takeovers_are_audited_with_the_patient(world, services, client):
    clinic, lab, doctor = world
    citizen = new_citizen(services)
    line = await line_of(
        services, await _positive_chlamydia(services, client, lab, clinic, citizen)
    )
    unknown = PersonalIdentityNumber.parse("19121212-1212")

    await doctor.client.post(f"{BASE}/search", {"personnummer": citizen.value})
    missing = await doctor.client.post(f"{BASE}/search", {"personnummer": unknown.value})
    await doctor.client.post(
        f"{BASE}/takeovers", {"personnummer": citizen.value, "result_id": str(line)}
    )

    assert missing.status_code == 404
    async with services.uow() as uow:
        rows = (
            await uow.session.execute(
                select(
                    AuditEntry.action,
                    AuditEntry.patient_hash,
                    AuditEntry.care_unit_hsa_id,
                    AuditEntry.assignment_purpose,
                )
                .where(
                    AuditEntry.actor_id == doctor.hsa_id,
                    AuditEntry.action.like("treatment_responsibility%"),
                )
                .order_by(AuditEntry.id)
            )
        ).all()
    hashed = services.protector.lookup_hash
    assert [(r.action, r.patient_hash) for r in rows] == [
        ("treatment_responsibility_search", hashed(citizen.value)),
        ("treatment_responsibility_search", hashed(unknown.value)),
        ("treatment_responsibility_taken_over", hashed(citizen.value)),
    ]
    assert {(r.care_unit_hsa_id, r.assignment_purpose) for r in rows} == {
        ("SE2321000016-A001", ADMINISTRATION)
    }


async def test_rba_opens_the_module_in_the_professional_app(client):
    answer = await client.get("/rba")

    assert answer.status_code == 302
    assert answer.headers["location"] == "/pro/rba"


async def test_central_administrators_flag_products_for_contact_tracing(new_client):
    from tests.support.factories import log_in_staff, unique

    admin = await log_in_staff(new_client(), key="central-admin", unit="SE2321000016-A001")
    code = unique("PEP-T")
    created = await admin.post(
        "/api/admin/products",
        {
            "code": code,
            "name": "Mycoplasma genitalium, NAAT",
            "material": "Urin",
            "contact_tracing": True,
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["contact_tracing"] is True

    renamed = await admin.call(
        "PUT",
        f"/api/admin/products/{code}",
        {"name": "Mycoplasma genitalium (NAAT)", "material": "Urin"},
        **{"If-Match": '"1"'},
    )
    unflagged = await admin.call(
        "PUT",
        f"/api/admin/products/{code}",
        {"name": "Mycoplasma genitalium (NAAT)", "material": "Urin", "contact_tracing": False},
        **{"If-Match": '"2"'},
    )

    # Left out, the flag stays as it was; sent, it changes.
    assert renamed.json()["contact_tracing"] is True
    assert unflagged.json()["contact_tracing"] is False
    listed = (await admin.get("/api/admin/products")).json()
    assert {p["code"]: p["contact_tracing"] for p in listed}[code] is False
    assert {p["code"]: p["contact_tracing"] for p in listed}["PEP-CT"] is True
