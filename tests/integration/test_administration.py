"""Administration rules through the API: scopes, validation, optimistic concurrency,
versioned offers, permissions, and the audit trail."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from adapters.db.models import AuditEntry
from tests.support.browserless_login import login
from tests.support.factories import StaffClient, create_staff_member, grant_permission
from tests.support.statements import statements_sent

GOOD_ZPL = "^XA^CI28^FO30,30^A0N,30,30^FD{rid}^FS^FO30,70^A0N,24,24^FD{tube_code}^FS^XZ"


Admin = StaffClient


@pytest.fixture
def as_staff(client, new_client):
    async def _login(key: str, unit: str, *, fresh: bool = False) -> Admin:
        http = new_client() if fresh else client
        csrf = await login(http, kind="staff", key=key)
        me = (await http.get("/api/staff/me")).json()
        assignment = next(a for a in me["assignments"] if a["care_unit_hsa_id"] == unit)
        chosen = await http.put(
            "/api/staff/context",
            json={"assignment_id": assignment["assignment_id"]},
            headers={"X-CSRF-Token": csrf},
        )
        assert chosen.status_code == 200
        return Admin(http, csrf)

    return _login


def regional(as_staff):
    return as_staff("regional-admin-stockholm", "SE2321000016-A001")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6].upper()}"


async def _new_lab(admin: Admin, *, products=("PEP-CT",), customers=("SE2321000016-A001",)):
    code = unique("LAB")
    created = await admin.call(
        "POST", "/api/admin/laboratories", {"code": code, "name": "Testlab", "region_code": "01"}
    )
    assert created.status_code == 201, created.text
    updated = await admin.call(
        "PUT",
        f"/api/admin/laboratories/{code}",
        {
            "name": "Testlab",
            "label_template_zpl": GOOD_ZPL,
            "customers": list(customers),
            "mappings": [
                {"product_code": p, "lab_code": p + "-L", "tube_code": "T1", "material": "Urin"}
                for p in products
            ],
        },
        **{"If-Match": created.headers["ETag"]},
    )
    assert updated.status_code == 200, updated.text
    return code


async def test_regional_administrator_creates_a_laboratory_with_mapping_and_template(as_staff):
    admin = await regional(as_staff)
    code = await _new_lab(admin)
    lab = await admin.call("GET", f"/api/admin/laboratories/{code}")
    assert lab.status_code == 200
    assert lab.headers["ETag"] == '"2"'
    assert lab.json()["mappings"][0]["lab_code"] == "PEP-CT-L"
    assert lab.json()["customers"] == ["SE2321000016-A001"]


async def test_laboratory_of_another_region_is_refused_and_the_refusal_audited(as_staff, services):
    admin = await regional(as_staff)
    request = {"X-Request-ID": f"test-{uuid.uuid4().hex}"}
    response = await admin.call(
        "POST",
        "/api/admin/laboratories",
        {"code": unique("SK"), "name": "Lab", "region_code": "12"},
        **request,
    )
    assert response.status_code == 403
    async with services.uow() as uow:
        audited = (
            await uow.session.execute(
                select(AuditEntry.actor_id, AuditEntry.action, AuditEntry.outcome).where(
                    AuditEntry.request_id == request["X-Request-ID"]
                )
            )
        ).all()
    assert [tuple(row) for row in audited] == [
        ("SE2321000016-1004", "admin:create_laboratory", "refused")
    ]


async def test_unit_administrator_cannot_create_laboratories(as_staff):
    unit_admin = await as_staff("unit-admin-solna", "SE2321000016-A001")
    response = await unit_admin.call(
        "POST", "/api/admin/laboratories", {"code": unique("U"), "name": "Lab", "region_code": "01"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("template", "complaint"),
    [
        ("^XA^FO30,30^FD{rid}^FS^XZ", "^CI28"),
        ("^XA^CI28^FD{patient_name}^FS^XZ", "unknown placeholder"),
        ("^XA^CI28^FD{tube_code}^FS^XZ", "{rid}"),
        ("^CI28^FD{rid}^FS", "^XA"),
        ("^XA^CI28^FD{rid^FS^XZ", "unbalanced"),
    ],
)
async def test_invalid_label_templates_are_refused_naming_the_problem(
    as_staff, template, complaint
):
    admin = await regional(as_staff)
    response = await admin.call(
        "POST",
        "/api/admin/laboratories",
        {"code": unique("Z"), "name": "Lab", "region_code": "01", "label_template_zpl": template},
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "label_template_zpl"
    assert complaint in error["message"]


async def test_mapping_of_a_product_code_that_does_not_exist_is_refused(as_staff):
    admin = await regional(as_staff)
    code = await _new_lab(admin)
    lab = await admin.call("GET", f"/api/admin/laboratories/{code}")
    response = await admin.call(
        "PUT",
        f"/api/admin/laboratories/{code}",
        {
            "name": "Testlab",
            "mappings": [
                {"product_code": "NO-SUCH", "lab_code": "X", "tube_code": "T", "material": "M"}
            ],
        },
        **{"If-Match": lab.headers["ETag"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "mappings"


async def test_updates_need_if_match_and_a_stale_version_is_refused(as_staff):
    admin = await regional(as_staff)
    code = await _new_lab(admin)
    body = {"name": "Nytt namn"}
    blind = await admin.call("PUT", f"/api/admin/laboratories/{code}", body)
    assert blind.status_code == 428
    stale = await admin.call("PUT", f"/api/admin/laboratories/{code}", body, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["type"] == "/problems/stale-version"
    fresh = await admin.call("PUT", f"/api/admin/laboratories/{code}", body, **{"If-Match": '"2"'})
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] == '"3"'


async def _new_sampling_unit(admin: Admin, lab: str) -> str:
    response = await admin.call(
        "POST",
        "/api/admin/sampling-units",
        {
            "hsa_id": unique("SE2321000016-S"),
            "name": "Testprovtagningen",
            "region_code": "01",
            "street": "Testgatan 1",
            "postal_code": "11122",
            "city": "Stockholm",
            "laboratory_codes": [lab],
        },
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_slots_are_added_by_rule_and_overlaps_are_refused(as_staff):
    admin = await regional(as_staff)
    unit = await _new_sampling_unit(admin, await _new_lab(admin))
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    rule = {
        "first_day": monday.isoformat(),
        "last_day": (monday + timedelta(days=6)).isoformat(),
        "weekdays": [0, 2, 4],
        "start": "08:00",
        "end": "10:00",
        "minutes": 20,
        "capacity": 2,
        "closed_days": [(monday + timedelta(days=2)).isoformat()],
    }
    created = await admin.call("POST", f"/api/admin/sampling-units/{unit}/slots", rule)
    assert created.status_code == 201, created.text
    assert created.json() == {"created": 12}  # Mon and Fri, 6 times each; Wed closed
    overlapping = await admin.call(
        "POST",
        f"/api/admin/sampling-units/{unit}/slots",
        {**rule, "start": "09:30", "end": "11:00", "closed_days": []},
    )
    assert overlapping.status_code == 422
    assert overlapping.json()["errors"][0]["field"] == "start"
    slots = await admin.call(
        "GET", f"/api/admin/sampling-units/{unit}/slots?first_day={monday.isoformat()}&days=7"
    )
    assert len(slots.json()) == 12
    closed = await admin.call(
        "POST", f"/api/admin/sampling-units/{unit}/closed-days", {"day": monday.isoformat()}
    )
    assert closed.status_code == 204
    slots = await admin.call(
        "GET", f"/api/admin/sampling-units/{unit}/slots?first_day={monday.isoformat()}&days=7"
    )
    assert len(slots.json()) == 6


def offer_body(**overrides):
    return {
        "name": "Testerbjudande",
        "instructions": "<p>Gör så här.</p><script>alert(1)</script>",
        "region_code": "01",
        "sampling_method": "home_kit",
        "visibility": "general",
        "products": ["PEP-CT"],
        "validity_days": 30,
        "result_care_unit_hsa_id": "SE2321000016-A002",
        "asks": {"contact_details": True, "delivery_address": True, "questions": []},
        **overrides,
    }


async def test_offer_whose_products_the_result_units_labs_cannot_perform_is_refused(as_staff):
    admin = await regional(as_staff)
    # A002 is a customer of KUL (performs HbA1c, not SARS-CoV-2) and Synlab (the reverse):
    # each product alone is possible, both in one offer are not.
    response = await admin.call(
        "POST", "/api/admin/offers", offer_body(products=["PEP-COV", "PEP-HBA1C"])
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "products"


async def test_editing_an_offer_makes_a_new_version_and_existing_orders_keep_theirs(
    as_staff, new_client
):
    admin = await regional(as_staff)
    created = await admin.call("POST", "/api/admin/offers", offer_body(name="Version ett"))
    assert created.status_code == 201, created.text
    catalog_id = created.json()["catalog_id"]
    assert "<script" not in created.json()["instructions"]
    citizen = new_client()
    csrf = await login(citizen, kind="citizen", key="anna-stockholm")
    order = await citizen.post(
        "/api/citizen/orders",
        json={
            "catalog_id": catalog_id,
            "contact": {"phone": "0701234567"},
            "delivery_address": {"street": "Sveavägen 44", "postal_code": "11134", "city": "Sthlm"},
        },
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert order.status_code == 201, order.text
    updated = await admin.call(
        "PUT",
        f"/api/admin/offers/{catalog_id}",
        offer_body(name="Version två"),
        **{"If-Match": created.headers["ETag"]},
    )
    assert updated.status_code == 200
    assert updated.json()["version"] == 2
    mine = await citizen.get(f"/api/citizen/orders/{order.json()['order_id']}")
    assert mine.json()["offer_name"] == "Version ett"
    offers = (await citizen.get("/api/citizen/offers")).json()
    assert {o["name"] for o in offers if o["catalog_id"] == catalog_id} == {"Version två"}


async def test_only_central_administrators_manage_national_product_codes(as_staff, new_client):
    admin = await regional(as_staff)
    body = {"code": unique("PEP-T"), "name": "Testanalys", "material": "Serum"}
    assert (await admin.call("POST", "/api/admin/products", body)).status_code == 403
    central = await as_staff("central-admin", "SE2321000016-A001", fresh=True)
    assert (await central.call("POST", "/api/admin/products", body)).status_code == 201


async def test_permission_granted_and_revoked_takes_effect_at_once_and_is_audited(
    as_staff, services
):
    region_admin = await regional(as_staff)
    # A nurse of Solna whose permissions are this test's alone, working in an open session.
    staff = create_staff_member(services.hsa, care_units=["SE2321000016-A001"])
    nurse = await as_staff(staff.key, "SE2321000016-A001", fresh=True)
    nurse_hsa_id = staff.staff.hsa_id

    async def nurse_modules() -> set[str]:
        me = await nurse.client.get("/api/staff/me")
        assert me.status_code == 200
        return {m["module"] for m in me.json()["modules"]}

    employed_only = {"assign_offer", "treatment_responsibility"}
    assert await nurse_modules() == employed_only
    grant = {"X-Request-ID": f"test-{uuid.uuid4().hex}"}
    granted = await region_admin.call(
        "POST",
        "/api/admin/permissions",
        {
            "staff_hsa_id": nurse_hsa_id,
            "permission": "worklist",
            "care_unit_hsa_id": "SE2321000016-A001",
        },
        **grant,
    )
    assert granted.status_code == 201, granted.text
    assert granted.json()["granted_by_hsa_id"] == "SE2321000016-1004"
    assert await nurse_modules() == employed_only | {"worklist"}
    elsewhere = await region_admin.call(
        "POST",
        "/api/admin/permissions",
        {
            "staff_hsa_id": nurse_hsa_id,
            "permission": "worklist",
            "care_unit_hsa_id": "SE2321000255-B001",
        },
    )
    assert elsewhere.status_code == 403
    promote = await region_admin.call(
        "POST",
        "/api/admin/permissions",
        {"staff_hsa_id": nurse_hsa_id, "permission": "region_admin", "region_code": "01"},
    )
    assert promote.status_code == 403
    assert await nurse_modules() == employed_only | {"worklist"}
    revoke = {"X-Request-ID": f"test-{uuid.uuid4().hex}"}
    revoked = await region_admin.call(
        "POST", f"/api/admin/permissions/{granted.json()['id']}/revoke", **revoke
    )
    assert revoked.status_code == 204
    assert await nurse_modules() == employed_only
    async with services.uow() as uow:
        audited = (
            await uow.session.execute(
                select(AuditEntry.request_id, AuditEntry.action, AuditEntry.outcome)
                .where(AuditEntry.actor_id == "SE2321000016-1004")
                .where(AuditEntry.request_id.in_([grant["X-Request-ID"], revoke["X-Request-ID"]]))
                .order_by(AuditEntry.id)
            )
        ).all()
    assert [tuple(row) for row in audited] == [
        (grant["X-Request-ID"], "admin:grant_permission", "success"),
        (revoke["X-Request-ID"], "admin:revoke_permission", "success"),
    ]


def _permission(staff_hsa_id: str, permission: str, unit: str = "SE2321000016-A001") -> dict:
    return {"staff_hsa_id": staff_hsa_id, "permission": permission, "care_unit_hsa_id": unit}


@pytest.mark.parametrize("permission", ["sampling", "export"])
async def test_a_unit_administrator_cannot_grant_or_revoke_patient_data_permissions(
    as_staff, services, permission
):
    unit_admin = await as_staff("unit-admin-solna", "SE2321000016-A001")
    staff = create_staff_member(services.hsa, care_units=["SE2321000016-A001"])
    refused = await unit_admin.call(
        "POST", "/api/admin/permissions", _permission(staff.staff.hsa_id, permission)
    )
    assert refused.status_code == 403
    assert "regional administrators of region 01" in refused.json()["detail"]
    # Granted by the region, it is still not the unit administrator's to revoke.
    central = await as_staff("central-admin", "SE2321000016-A001", fresh=True)
    granted = await grant_permission(
        central,
        staff_hsa_id=staff.staff.hsa_id,
        permission=permission,
        care_unit_hsa_id="SE2321000016-A001",
    )
    listed = (await unit_admin.call("GET", "/api/admin/permissions")).json()
    assert [p["revocable"] for p in listed if p["id"] == granted] == [False]
    revoke = await unit_admin.call("POST", f"/api/admin/permissions/{granted}/revoke")
    assert revoke.status_code == 403


@pytest.mark.parametrize(
    ("key", "permission"),
    [
        ("unit-admin-solna", "sampling"),
        ("unit-admin-solna", "unit_admin"),
        ("regional-admin-stockholm", "export"),
        ("central-admin", "sampling"),
    ],
)
async def test_nobody_grants_themself_a_permission(as_staff, key, permission):
    admin = await as_staff(key, "SE2321000016-A001")
    me = (await admin.client.get("/api/staff/me")).json()["hsa_id"]
    refused = await admin.call("POST", "/api/admin/permissions", _permission(me, permission))
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/own-permission"


async def test_a_central_administrator_cannot_revoke_their_own_central_administration(
    as_staff,
):
    central = await as_staff("central-admin", "SE2321000016-A001")
    listed = (await central.call("GET", "/api/admin/permissions")).json()
    [own] = [
        p
        for p in listed
        if p["staff_hsa_id"] == "SE2321000016-1006" and p["permission"] == "central_admin"
    ]
    assert own["revocable"] is False
    refused = await central.call("POST", f"/api/admin/permissions/{own['id']}/revoke")
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/own-permission"


async def test_a_permission_is_granted_only_to_staff_known_to_hsa_and_employed_at_the_unit(
    as_staff, services
):
    admin = await regional(as_staff)
    unknown = await admin.call(
        "POST", "/api/admin/permissions", _permission("SE2321000016-NOSUCH9", "sampling")
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {
            "field": "staff_hsa_id",
            "message": "the HSA directory has no such staff member",
            "code": "unknown_hsa_id",
        }
    ]
    elsewhere = create_staff_member(services.hsa, care_units=["SE2321000016-A002"])
    not_employed = await admin.call(
        "POST", "/api/admin/permissions", _permission(elsewhere.staff.hsa_id, "sampling")
    )
    assert not_employed.status_code == 422
    assert not_employed.json()["errors"] == [
        {
            "field": "staff_hsa_id",
            "message": "the staff member has no employee assignment at SE2321000016-A001",
            "code": "no_assignment_at_unit",
        }
    ]


async def test_the_permission_list_shows_the_holders_and_the_grantors_names(as_staff, services):
    admin = await regional(as_staff)
    staff = create_staff_member(services.hsa, care_units=["SE2321000016-A001"])
    granted = await grant_permission(
        admin,
        staff_hsa_id=staff.staff.hsa_id,
        permission="labels",
        care_unit_hsa_id="SE2321000016-A001",
    )
    listed = (await admin.call("GET", "/api/admin/permissions")).json()
    [row] = [p for p in listed if p["id"] == granted]
    assert (row["holder_name"], row["granted_by_name"], row["revocable"]) == (
        staff.staff.full_name,
        "Peter Wallin",
        True,
    )
    [demo] = [
        p
        for p in listed
        if p["staff_hsa_id"] == "SE2321000016-1001" and p["permission"] == "sampling"
    ]
    assert (demo["holder_name"], demo["granted_by_name"]) == ("Karin Holm", None)


async def test_revoked_permission_removes_the_module_immediately(as_staff, services):
    central = await as_staff("central-admin", "SE2321000016-A001")
    staff = create_staff_member(services.hsa, care_units=["SE2321000016-A001"])
    sampling = await grant_permission(
        central,
        staff_hsa_id=staff.staff.hsa_id,
        permission="sampling",
        care_unit_hsa_id="SE2321000016-A001",
    )
    nurse = await as_staff(staff.key, "SE2321000016-A001", fresh=True)
    modules = {m["module"] for m in (await nurse.client.get("/api/staff/me")).json()["modules"]}
    assert modules == {"sampling", "assign_offer", "treatment_responsibility"}
    assert (
        await central.call("POST", f"/api/admin/permissions/{sampling}/revoke")
    ).status_code == 204
    modules = {m["module"] for m in (await nurse.client.get("/api/staff/me")).json()["modules"]}
    assert modules == {"assign_offer", "treatment_responsibility"}


async def test_care_unit_receiving_results_cannot_be_retired(as_staff):
    admin = await regional(as_staff)
    unit = await admin.call("GET", "/api/admin/care-units/SE2321000016-A002")
    response = await admin.call(
        "POST",
        "/api/admin/care-units/SE2321000016-A002/retire",
        **{"If-Match": unit.headers["ETag"]},
    )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/still-in-use"


async def test_unit_administrator_edits_own_unit_only(as_staff):
    unit_admin = await as_staff("unit-admin-solna", "SE2321000016-A001")
    own = await unit_admin.call("GET", "/api/admin/care-units/SE2321000016-A001")
    assert own.status_code == 200
    updated = await unit_admin.call(
        "PUT",
        "/api/admin/care-units/SE2321000016-A001",
        {
            "name": "Vårdcentralen Solna",
            "care_giver_name": "Region Stockholm",
            "worklist_insights": ["positive"],
            "assignable_offers": own.json()["assignable_offers"],
        },
        **{"If-Match": own.headers["ETag"]},
    )
    assert updated.status_code == 200, updated.text
    other = await unit_admin.call("GET", "/api/admin/care-units/SE2321000016-A002")
    assert other.status_code == 403


async def test_help_texts_are_edited_by_central_administrators_and_read_by_all_staff(
    as_staff, new_client
):
    central = await as_staff("central-admin", "SE2321000016-A001")
    key = f"offer.validity_days.{uuid.uuid4().hex[:6]}"
    created = await central.call(
        "PUT", f"/api/admin/help-texts/{key}", {"text_sv": "Antal dagar", "text_en": "Days"}
    )
    assert created.status_code == 200
    nurse = await as_staff("nurse-solna", "SE2321000016-A001", fresh=True)
    texts = {t["key"]: t for t in (await nurse.client.get("/api/staff/help-texts")).json()}
    assert texts[key]["text_sv"] == "Antal dagar"
    refused = await nurse.call(
        "PUT", f"/api/admin/help-texts/{key}", {"text_sv": "x", "text_en": "y"}
    )
    assert refused.status_code == 403


async def test_a_help_text_needs_only_swedish(as_staff):
    central = await as_staff("central-admin", "SE2321000016-A001")
    key = f"offer.name.{uuid.uuid4().hex[:6]}"
    created = await central.call(
        "PUT", f"/api/admin/help-texts/{key}", {"text_sv": "Namnet invånaren ser"}
    )
    assert created.status_code == 200, created.text
    assert (created.json()["text_sv"], created.json()["text_en"]) == ("Namnet invånaren ser", None)
    # A blank English text from a form is no English text.
    changed = await central.call(
        "PUT",
        f"/api/admin/help-texts/{key}",
        {"text_sv": "Erbjudandets namn", "text_en": "  "},
        **{"If-Match": created.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["text_sv"], changed.json()["text_en"]) == ("Erbjudandets namn", None)


# The input fields the professional app offers help for (sections.ts, helpKey=…): the demo
# region writes each of them, in Swedish.
HELP_KEYS = (
    "assign.personnummer care_unit.hsa_id care_unit.name care_unit.care_giver_hsa_id"
    " care_unit.care_giver_name care_unit.result_recipient_hsa_id care_unit.worklist_insights"
    " care_unit.assignable_offers sampling_unit.hsa_id sampling_unit.name"
    " sampling_unit.opening_hours sampling_unit.laboratory_codes slots.first_day slots.weekdays"
    " slots.minutes slots.capacity slots.closed_days laboratory.code laboratory.name"
    " laboratory.label_template_zpl laboratory.customers laboratory.mappings"
    " result_template.analyses result_template.insight product.code product.npu_code offer.name"
    " offer.instructions offer.sampling_method offer.visibility offer.products"
    " offer.validity_days offer.result_care_unit_hsa_id offer.age offer.sex offer.usage_limit"
    " offer.active_from offer.asks offer.questions offer.assigning_units"
    " permission.staff_hsa_id permission.permission"
).split()


async def test_the_demo_region_has_a_swedish_help_text_for_every_input_field(as_staff):
    nurse = await as_staff("nurse-solna", "SE2321000016-A001")
    texts = {t["key"]: t for t in (await nurse.client.get("/api/staff/help-texts")).json()}
    missing = [key for key in HELP_KEYS if len(texts.get(key, {}).get("text_sv", "")) < 20]
    assert missing == []


async def test_retired_laboratory_no_longer_makes_a_sampling_place(as_staff, new_client):
    admin = await regional(as_staff)
    lab = await _new_lab(admin, products=("PEP-HIV", "PEP-SYF"))
    unit = await _new_sampling_unit(admin, lab)
    citizen = new_client()
    await login(citizen, kind="citizen", key="anna-stockholm")
    places = (await citizen.get("/api/citizen/offers/1004")).json()["sampling_places"]
    assert unit in [p["id"] for p in places]
    current = await admin.call("GET", f"/api/admin/laboratories/{lab}")
    retired = await admin.call(
        "POST", f"/api/admin/laboratories/{lab}/retire", **{"If-Match": current.headers["ETag"]}
    )
    assert retired.status_code == 200
    assert retired.json()["retired"] is True
    places = (await citizen.get("/api/citizen/offers/1004")).json()["sampling_places"]
    assert unit not in [p["id"] for p in places]
    # Retired is kept, not changed: no edits, no new templates, no second retiring.
    edit = await admin.call(
        "PUT",
        f"/api/admin/laboratories/{lab}",
        {"name": "Ändrat"},
        **{"If-Match": retired.headers["ETag"]},
    )
    assert edit.status_code == 409
    assert edit.json()["type"] == "/problems/retired"
    template = await admin.call(
        "POST",
        f"/api/admin/laboratories/{lab}/result-templates",
        {"name": "Mall", "analyses": [{"analysis": "X"}]},
    )
    assert template.status_code == 409


async def test_sampling_unit_with_booked_future_times_cannot_be_retired(as_staff, new_client):
    admin = await regional(as_staff)
    lab = await _new_lab(admin, products=("PEP-HIV", "PEP-SYF"))
    unit = await _new_sampling_unit(admin, lab)
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    rule = {
        "first_day": monday.isoformat(),
        "last_day": monday.isoformat(),
        "weekdays": [0],
        "start": "08:00",
        "end": "09:00",
        "minutes": 30,
        "capacity": 1,
    }
    assert (
        await admin.call("POST", f"/api/admin/sampling-units/{unit}/slots", rule)
    ).status_code == 201
    citizen = new_client()
    csrf = await login(citizen, kind="citizen", key="anna-stockholm")
    slots = (
        await citizen.get("/api/citizen/offers/1004/slots", params={"sampling_unit_id": unit})
    ).json()
    booked = await citizen.post(
        "/api/citizen/orders",
        json={
            "catalog_id": "1004",
            "contact": {"phone": "0701234567"},
            "answers": {"symptoms": False},
            "booking": {"sampling_unit_id": unit, "slot_id": slots[0]["slot_id"]},
        },
        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
    )
    assert booked.status_code == 201, booked.text
    current = await admin.call("GET", f"/api/admin/sampling-units/{unit}")
    refused = await admin.call(
        "POST",
        f"/api/admin/sampling-units/{unit}/retire",
        **{"If-Match": current.headers["ETag"]},
    )
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/still-in-use"


async def test_product_in_a_current_offer_cannot_be_retired(as_staff):
    central = await as_staff("central-admin", "SE2321000016-A001")
    products = {p["code"]: p for p in (await central.call("GET", "/api/admin/products")).json()}
    refused = await central.call(
        "POST",
        "/api/admin/products/PEP-CT/retire",
        **{"If-Match": f'"{products["PEP-CT"]["version"]}"'},
    )
    assert refused.status_code == 409
    code = unique("PEP-R")
    created = await central.call(
        "POST", "/api/admin/products", {"code": code, "name": "Oanvänd", "material": "Serum"}
    )
    assert created.status_code == 201
    renamed = await central.call(
        "PUT",
        f"/api/admin/products/{code}",
        {"name": "Omdöpt", "material": "Serum"},
        **{"If-Match": '"1"'},
    )
    assert renamed.status_code == 200
    retired = await central.call(
        "POST", f"/api/admin/products/{code}/retire", **{"If-Match": renamed.headers["ETag"]}
    )
    assert retired.status_code == 200
    assert retired.json()["retired"] is True


async def test_result_templates_are_changed_with_if_match(as_staff):
    admin = await regional(as_staff)
    lab = await _new_lab(admin)
    created = await admin.call(
        "POST",
        f"/api/admin/laboratories/{lab}/result-templates",
        {"name": "Klamydia", "analyses": [{"analysis": "C. trachomatis DNA"}], "insight": "answer"},
    )
    assert created.status_code == 201
    url = f"/api/admin/result-templates/{created.json()['id']}"
    body = {
        "name": "Klamydia",
        "analyses": [{"analysis": "C. trachomatis DNA", "reference_range": "Ej påvisad"}],
        "insight": "positive",
    }
    assert (await admin.call("PUT", url, body)).status_code == 428
    changed = await admin.call("PUT", url, body, **{"If-Match": '"1"'})
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert (await admin.call("PUT", url, body, **{"If-Match": '"1"'})).status_code == 412


async def test_laboratory_and_offer_lists_use_a_fixed_number_of_statements(as_staff, services):
    admin = await regional(as_staff)
    list_labs = lambda: admin.call("GET", "/api/admin/laboratories")  # noqa: E731
    list_offers = lambda: admin.call("GET", "/api/admin/offers")  # noqa: E731
    labs_before = await statements_sent(services, list_labs)
    offers_before = await statements_sent(services, list_offers)
    for _ in range(3):
        await _new_lab(admin)
        created = await admin.call("POST", "/api/admin/offers", offer_body(name=unique("Lista")))
        assert created.status_code == 201
    assert await statements_sent(services, list_labs) == labs_before
    assert await statements_sent(services, list_offers) == offers_before
