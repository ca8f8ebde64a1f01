"""Every protected endpoint tried with every kind of user. A refusal is 401/403 with a
problem document and never the data."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.db.models import AuditEntry
from adapters.demo_data import demo_id
from tests.support.browserless_login import login

# (kind, key, care unit to select or None)
ACTORS = {
    "anonymous": None,
    "citizen": ("citizen", "tolvan", None),
    "staff-without-assignment": ("staff", "no-assignment", None),
    "nurse-solna": ("staff", "nurse-solna", "SE2321000016-A001"),
    "unit-admin-solna": ("staff", "unit-admin-solna", "SE2321000016-A001"),
    "regional-admin-stockholm": ("staff", "regional-admin-stockholm", "SE2321000016-A001"),
    "operator": ("staff", "operator", "SE2321000016-A003"),
    "central-admin": ("staff", "central-admin", "SE2321000016-A001"),
    "doctor-lund": ("staff", "doctor-lund", "SE2321000255-B001"),
}

LOOKUP = {"personnummer": "19850412-9829"}
SOMEONES_ORDER = "4d1c4a40-51a6-4c6b-9d0b-8f3a0d0c2d11"
HUDDINGE = str(demo_id("SE2321000016-P001"))

# How each endpoint is called: (url, json body)
REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("GET", "/api/citizen/profile"): ("/api/citizen/profile", None),
    ("GET", "/api/staff/me"): ("/api/staff/me", None),
    ("POST", "/api/staff/person-lookup"): ("/api/staff/person-lookup", LOOKUP),
    ("GET", "/api/admin/care-units"): ("/api/admin/care-units", None),
    ("GET", "/api/citizen/offers"): ("/api/citizen/offers", None),
    ("GET", "/api/citizen/offers/{catalog_id}"): ("/api/citizen/offers/1001", None),
    ("GET", "/api/citizen/offers/{catalog_id}/slots"): (
        f"/api/citizen/offers/1004/slots?sampling_unit_id={HUDDINGE}",
        None,
    ),
    ("POST", "/api/citizen/orders"): ("/api/citizen/orders", {"catalog_id": "no-such-offer"}),
    ("GET", "/api/citizen/orders"): ("/api/citizen/orders", None),
    ("GET", "/api/citizen/orders/{order_id}"): (f"/api/citizen/orders/{SOMEONES_ORDER}", None),
    ("POST", "/api/citizen/orders/{order_id}/cancel"): (
        f"/api/citizen/orders/{SOMEONES_ORDER}/cancel",
        None,
    ),
    ("POST", "/api/citizen/orders/{order_id}/results/read"): (
        f"/api/citizen/orders/{SOMEONES_ORDER}/results/read",
        None,
    ),
    ("POST", "/api/citizen/orders/{order_id}/delete"): (
        f"/api/citizen/orders/{SOMEONES_ORDER}/delete",
        {"confirm_personnummer": "19901212-9897"},
    ),
    ("POST", "/api/citizen/kits"): (
        "/api/citizen/kits",
        {"kit_number": "no-such-kit", "rid": "no-such-rid"},
    ),
    # The inbox and the contact details (issue 10): a message id of nobody's is 404, and a
    # change without If-Match is refused (428) before anything is written.
    ("GET", "/api/citizen/inbox"): ("/api/citizen/inbox", None),
    ("GET", "/api/citizen/inbox/summary"): ("/api/citizen/inbox/summary", None),
    ("POST", "/api/citizen/inbox/{message_id}/read"): (
        f"/api/citizen/inbox/{SOMEONES_ORDER}/read",
        None,
    ),
    ("GET", "/api/citizen/contact-details"): ("/api/citizen/contact-details", None),
    ("PUT", "/api/citizen/contact-details"): (
        "/api/citizen/contact-details",
        {"email": "matris@example.se", "mobile": None},
    ),
}


def _citizen_only(citizen_status: int) -> dict[str, int]:
    return {actor: (citizen_status if actor == "citizen" else 401) for actor in ACTORS}


ADMINS = ("unit-admin-solna", "regional-admin-stockholm", "operator", "central-admin")
REGISTRARS = ("nurse-solna", "doctor-lund")
REGIONAL = ("regional-admin-stockholm", "operator", "central-admin")
# Staff whose chosen assignment has the purpose "Vård och behandling": the operator's only
# assignment is administrative, so patient data (names in assignment and look-up) is closed
# to them (manual 4.1).
WITH_CARE_ASSIGNMENT = (
    "nurse-solna",
    "unit-admin-solna",
    "regional-admin-stockholm",
    "central-admin",
    "doctor-lund",
)


def _staff(
    allowed: tuple[str, ...], status: int, refused: int = 403, **exceptions: int
) -> dict[str, int]:
    """401 for the anonymous and citizens; `status` for the allowed staff, `refused` for the
    other staff; keyword exceptions (actor names with _ for -) override."""
    row = {
        actor: 401
        if actor in ("anonymous", "citizen")
        else (status if actor in allowed else refused)
        for actor in ACTORS
    }
    row.update({name.replace("_", "-"): value for name, value in exceptions.items()})
    return row


NOPE_UUID = "00000000-0000-4000-8000-000000000000"
WORKLIST_FOLLOWERS = ("nurse-solna", "doctor-lund")
WITH_ANY_ASSIGNMENT = (*WITH_CARE_ASSIGNMENT, "operator")
FUTURE = (date.today() + timedelta(days=400)).isoformat()
CARE_UNIT_BODY = {
    "hsa_id": "SE2321000016-Z999",
    "name": "Matrisenheten",
    "region_code": "99",
    "care_giver_hsa_id": "SE2321000016-0001",
    "care_giver_name": "Region X",
}
SAMPLING_UNIT_BODY = {
    "hsa_id": "SE2321000016-Z998",
    "name": "Matrisprovtagning",
    "region_code": "99",
    "street": "Gatan 1",
    "postal_code": "12345",
    "city": "Staden",
    "laboratory_codes": ["KUL"],
}
SLOT_RULE = {
    "first_day": FUTURE,
    "last_day": FUTURE,
    "weekdays": [0, 1, 2, 3, 4, 5, 6],
    "start": "08:00",
    "end": "09:00",
    "minutes": 15,
    "capacity": 1,
}
OFFER_BODY = {
    "name": "Matriserbjudande",
    "instructions": "<p>x</p>",
    "region_code": "99",
    "sampling_method": "home_kit",
    "visibility": "general",
    "products": ["PEP-CT"],
    "validity_days": 30,
    "result_care_unit_hsa_id": "SE2321000016-A002",
    "asks": {"delivery_address": True},
}
ADMIN_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("GET", "/api/admin/regions"): ("/api/admin/regions", None),
    ("GET", "/api/admin/care-units/{hsa_id}"): ("/api/admin/care-units/SE2321000016-A001", None),
    ("POST", "/api/admin/care-units"): ("/api/admin/care-units", CARE_UNIT_BODY),
    ("PUT", "/api/admin/care-units/{hsa_id}"): (
        "/api/admin/care-units/SE2321000016-NOPE",
        {"name": "Xx", "care_giver_name": "Yy"},
    ),
    ("POST", "/api/admin/care-units/{hsa_id}/retire"): (
        "/api/admin/care-units/SE2321000016-NOPE/retire",
        None,
    ),
    ("GET", "/api/admin/sampling-units"): ("/api/admin/sampling-units", None),
    ("POST", "/api/admin/sampling-units"): ("/api/admin/sampling-units", SAMPLING_UNIT_BODY),
    ("GET", "/api/admin/sampling-units/{unit_id}"): (
        f"/api/admin/sampling-units/{demo_id('SE2321000016-P001')}",
        None,
    ),
    ("PUT", "/api/admin/sampling-units/{unit_id}"): (
        f"/api/admin/sampling-units/{NOPE_UUID}",
        {**SAMPLING_UNIT_BODY, "region_code": "01"},
    ),
    ("POST", "/api/admin/sampling-units/{unit_id}/slots"): (
        f"/api/admin/sampling-units/{NOPE_UUID}/slots",
        SLOT_RULE,
    ),
    ("GET", "/api/admin/sampling-units/{unit_id}/slots"): (
        f"/api/admin/sampling-units/{NOPE_UUID}/slots?first_day={FUTURE}",
        None,
    ),
    ("POST", "/api/admin/sampling-units/{unit_id}/closed-days"): (
        f"/api/admin/sampling-units/{NOPE_UUID}/closed-days",
        {"day": FUTURE},
    ),
    ("GET", "/api/admin/laboratories"): ("/api/admin/laboratories", None),
    ("POST", "/api/admin/laboratories"): (
        "/api/admin/laboratories",
        {"code": "MATRIX", "name": "Matrislab", "region_code": "99"},
    ),
    ("GET", "/api/admin/laboratories/{code}"): ("/api/admin/laboratories/KUL", None),
    ("PUT", "/api/admin/laboratories/{code}"): (
        "/api/admin/laboratories/NOPE",
        {"name": "Xx"},
    ),
    ("GET", "/api/admin/laboratories/{code}/result-templates"): (
        "/api/admin/laboratories/KUL/result-templates",
        None,
    ),
    ("POST", "/api/admin/laboratories/{code}/result-templates"): (
        "/api/admin/laboratories/NOPE/result-templates",
        {"name": "Mall", "analyses": [{"analysis": "X"}]},
    ),
    ("GET", "/api/admin/products"): ("/api/admin/products", None),
    ("PUT", "/api/admin/products/{code}"): (
        "/api/admin/products/NOPE",
        {"name": "Xx", "material": "Yy"},
    ),
    ("POST", "/api/admin/products/{code}/retire"): ("/api/admin/products/NOPE/retire", None),
    ("POST", "/api/admin/laboratories/{code}/retire"): (
        "/api/admin/laboratories/NOPE/retire",
        None,
    ),
    ("GET", "/api/admin/integration-clients"): ("/api/admin/integration-clients", None),
    ("POST", "/api/admin/integration-clients"): (
        "/api/admin/integration-clients",
        {"name": "Matrisklient"},
    ),
    ("GET", "/api/admin/integration-clients/{client_id}"): (
        "/api/admin/integration-clients/pep-demo-kul",
        None,
    ),
    ("PUT", "/api/admin/integration-clients/{client_id}"): (
        "/api/admin/integration-clients/NOPE",
        {"name": "Matrisklient", "scopes": ["orders:read"], "laboratory_codes": ["KUL"]},
    ),
    ("POST", "/api/admin/integration-clients/{client_id}/rotate-secret"): (
        "/api/admin/integration-clients/NOPE/rotate-secret",
        None,
    ),
    ("POST", "/api/admin/integration-clients/{client_id}/retire"): (
        "/api/admin/integration-clients/NOPE/retire",
        None,
    ),
    # The integration API takes bearer tokens only: no session of any kind opens it (the
    # kinds of integration client are tried in test_integration_api.py).
    ("GET", "/api/integration/v1/orders"): ("/api/integration/v1/orders", None),
    ("GET", "/api/integration/v1/orders/{order_id}"): (
        f"/api/integration/v1/orders/{SOMEONES_ORDER}",
        None,
    ),
    ("POST", "/api/integration/v1/orders/claim"): ("/api/integration/v1/orders/claim", {}),
    ("POST", "/api/integration/v1/orders/ack"): (
        "/api/integration/v1/orders/ack",
        {"lease_ids": ["x"]},
    ),
    ("POST", "/api/integration/v1/orders/{order_id}/status"): (
        f"/api/integration/v1/orders/{SOMEONES_ORDER}/status",
        {"status": "handled"},
    ),
    ("POST", "/api/admin/sampling-units/{unit_id}/retire"): (
        f"/api/admin/sampling-units/{NOPE_UUID}/retire",
        None,
    ),
    ("PUT", "/api/admin/result-templates/{template_id}"): (
        f"/api/admin/result-templates/{NOPE_UUID}",
        {"name": "Mall", "analyses": [{"analysis": "X"}]},
    ),
    ("POST", "/api/admin/products"): (
        "/api/admin/products",
        {"code": "PEP-CT", "name": "Finns redan", "material": "Urin"},
    ),
    ("GET", "/api/admin/offers"): ("/api/admin/offers", None),
    ("POST", "/api/admin/offers"): ("/api/admin/offers", OFFER_BODY),
    ("GET", "/api/admin/offers/{catalog_id}"): ("/api/admin/offers/1001", None),
    ("PUT", "/api/admin/offers/{catalog_id}"): ("/api/admin/offers/NOPE", OFFER_BODY),
    ("POST", "/api/admin/offers/{catalog_id}/retire"): ("/api/admin/offers/NOPE/retire", None),
    ("GET", "/api/admin/permissions"): ("/api/admin/permissions", None),
    ("POST", "/api/admin/permissions"): (
        "/api/admin/permissions",
        {"staff_hsa_id": "SE2321000016-1001", "permission": "nonsense"},
    ),
    ("POST", "/api/admin/permissions/{permission_id}/revoke"): (
        f"/api/admin/permissions/{NOPE_UUID}/revoke",
        None,
    ),
    ("PUT", "/api/admin/help-texts/{key}"): (
        "/api/admin/help-texts/matrix.test",
        {"text_sv": "Hjälp", "text_en": "Help"},
    ),
    ("GET", "/api/staff/help-texts"): ("/api/staff/help-texts", None),
    ("GET", "/api/staff/assignable-offers"): ("/api/staff/assignable-offers", None),
    ("POST", "/api/staff/patient-offers"): ("/api/staff/patient-offers", LOOKUP),
    ("POST", "/api/staff/assignments"): (
        "/api/staff/assignments",
        {"personnummer": "19850412-9829", "catalog_id": "1002"},
    ),
    ("POST", "/api/staff/assignments/{assignment_id}/remove"): (
        f"/api/staff/assignments/{NOPE_UUID}/remove",
        None,
    ),
    ("GET", "/api/staff/assigned-offers"): ("/api/staff/assigned-offers", None),
    ("POST", "/api/staff/launch"): ("/api/staff/launch", {"token": "x" * 40}),
}
REQUESTS.update(ADMIN_REQUESTS)
SAMPLING_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("GET", "/api/staff/sampling/printers"): ("/api/staff/sampling/printers", None),
    ("POST", "/api/staff/sampling/search"): ("/api/staff/sampling/search", LOOKUP),
    ("GET", "/api/staff/sampling/bookings"): ("/api/staff/sampling/bookings", None),
    ("GET", "/api/staff/sampling/sampled"): ("/api/staff/sampling/sampled", None),
    ("GET", "/api/staff/sampling/print-log"): ("/api/staff/sampling/print-log", None),
    ("GET", "/api/staff/sampling/orders/{order_id}"): (
        f"/api/staff/sampling/orders/{NOPE_UUID}",
        None,
    ),
    ("POST", "/api/staff/sampling/orders/{order_id}/sample"): (
        f"/api/staff/sampling/orders/{NOPE_UUID}/sample",
        {"sampled_at": "2026-01-01T08:00:00+01:00"},
    ),
    ("POST", "/api/staff/sampling/orders/{order_id}/reprint"): (
        f"/api/staff/sampling/orders/{NOPE_UUID}/reprint",
        {},
    ),
}
REQUESTS.update(SAMPLING_REQUESTS)
NOPE_SELECTION = {"order_ids": [NOPE_UUID]}
DISPATCH_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("GET", "/api/staff/labels/orders"): ("/api/staff/labels/orders", None),
    ("POST", "/api/staff/labels/print"): ("/api/staff/labels/print", NOPE_SELECTION),
    ("POST", "/api/staff/labels/export"): (
        "/api/staff/labels/export",
        {**NOPE_SELECTION, "format": "csv"},
    ),
    ("POST", "/api/staff/labels/batch-receipt"): (
        "/api/staff/labels/batch-receipt",
        NOPE_SELECTION,
    ),
    ("GET", "/api/staff/order-receipt/orders"): ("/api/staff/order-receipt/orders", None),
    ("POST", "/api/staff/order-receipt/print"): (
        "/api/staff/order-receipt/print",
        NOPE_SELECTION,
    ),
    ("POST", "/api/staff/order-receipt/export"): (
        "/api/staff/order-receipt/export",
        {**NOPE_SELECTION, "format": "xlsx"},
    ),
    ("POST", "/api/staff/order-receipt/batch-receipt"): (
        "/api/staff/order-receipt/batch-receipt",
        NOPE_SELECTION,
    ),
    # 1001 is a home kit: kits are made for anonymous-kit offers only (nothing is written).
    ("POST", "/api/admin/kit-batches"): (
        "/api/admin/kit-batches",
        {"catalog_id": "1001", "count": 1},
    ),
    ("GET", "/api/admin/kit-batches"): ("/api/admin/kit-batches?catalog_id=1005", None),
}
REQUESTS.update(DISPATCH_REQUESTS)
# Results from laboratory systems, results polling and the FHIR view: bearer tokens only (the
# kinds of integration client, and lab A never reaching lab B's orders, are tried in
# test_results_intake.py and test_fhir.py); the outbox's dead letters are for operators.
RESULT_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("POST", "/api/integration/v1/results"): ("/api/integration/v1/results", {}),
    ("POST", "/api/integration/v1/results/batch"): ("/api/integration/v1/results/batch", {}),
    ("POST", "/api/integration/v1/results/claims"): ("/api/integration/v1/results/claims", {}),
    ("POST", "/api/integration/v1/results/acknowledgements"): (
        "/api/integration/v1/results/acknowledgements",
        {},
    ),
    ("POST", "/fhir"): ("/fhir", {"resourceType": "Bundle"}),
    ("GET", "/fhir/ServiceRequest"): ("/fhir/ServiceRequest", None),
    ("GET", "/fhir/Specimen"): ("/fhir/Specimen", None),
    ("GET", "/fhir/Task"): ("/fhir/Task", None),
    ("GET", "/fhir/DiagnosticReport"): ("/fhir/DiagnosticReport", None),
    ("GET", "/fhir/Observation"): ("/fhir/Observation", None),
    ("GET", "/api/operator/outbox/dead-letters"): ("/api/operator/outbox/dead-letters", None),
    ("POST", "/api/operator/outbox/dead-letters/{event_id}/requeue"): (
        f"/api/operator/outbox/dead-letters/{NOPE_UUID}/requeue",
        None,
    ),
}
REQUESTS.update(RESULT_REQUESTS)
# Svarsregistrering and Svarslogg (issue 10); the default insight texts (administration).
REGISTRATION_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("POST", "/api/staff/result-registration/search"): (
        "/api/staff/result-registration/search",
        LOOKUP,
    ),
    ("GET", "/api/staff/result-registration/orders/{order_id}"): (
        f"/api/staff/result-registration/orders/{NOPE_UUID}",
        None,
    ),
    ("POST", "/api/staff/result-registration/orders/{order_id}/results"): (
        f"/api/staff/result-registration/orders/{NOPE_UUID}/results",
        {},
    ),
    ("GET", "/api/staff/result-registration/log"): ("/api/staff/result-registration/log", None),
    ("POST", "/api/staff/result-registration/log/search"): (
        "/api/staff/result-registration/log/search",
        LOOKUP,
    ),
    ("GET", "/api/admin/insight-texts"): ("/api/admin/insight-texts", None),
    ("PUT", "/api/admin/insight-texts/{insight}"): (
        "/api/admin/insight-texts/answer",
        {"text": "Svar"},
    ),
}
REQUESTS.update(REGISTRATION_REQUESTS)
# Arbetslista, Behandlingsansvar and Smittspårning (issue 10, slice C).
WORKLIST_ITEM = f"/api/staff/worklist/items/{NOPE_UUID}"
FOLLOW_UP_REQUESTS: dict[tuple[str, str], tuple[str, dict[str, object] | None]] = {
    ("GET", "/api/staff/worklist"): ("/api/staff/worklist", None),
    ("GET", "/api/staff/worklist/changes"): ("/api/staff/worklist/changes", None),
    ("POST", "/api/staff/worklist/items/{item_id}/archive"): (f"{WORKLIST_ITEM}/archive", None),
    ("POST", "/api/staff/worklist/items/{item_id}/unarchive"): (
        f"{WORKLIST_ITEM}/unarchive",
        None,
    ),
    ("GET", "/api/staff/worklist/items/{item_id}/comments"): (f"{WORKLIST_ITEM}/comments", None),
    ("POST", "/api/staff/worklist/items/{item_id}/comments"): (
        f"{WORKLIST_ITEM}/comments",
        {"text": "Matriskommentar"},
    ),
    ("POST", "/api/staff/treatment-responsibility/search"): (
        "/api/staff/treatment-responsibility/search",
        LOOKUP,
    ),
    ("POST", "/api/staff/treatment-responsibility/takeovers"): (
        "/api/staff/treatment-responsibility/takeovers",
        {**LOOKUP, "result_id": NOPE_UUID},
    ),
    ("POST", "/api/staff/contact-tracing/search"): ("/api/staff/contact-tracing/search", LOOKUP),
}
REQUESTS.update(FOLLOW_UP_REQUESTS)

# endpoint → expected status per actor
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/api/citizen/profile"): {
        "anonymous": 401,
        "citizen": 200,
        "staff-without-assignment": 401,
        "nurse-solna": 401,
        "unit-admin-solna": 401,
        "regional-admin-stockholm": 401,
        "operator": 401,
        "central-admin": 401,
        "doctor-lund": 401,
    },
    ("GET", "/api/staff/me"): {
        "anonymous": 401,
        "citizen": 401,
        "staff-without-assignment": 200,
        "nurse-solna": 200,
        "unit-admin-solna": 200,
        "regional-admin-stockholm": 200,
        "operator": 200,
        "central-admin": 200,
        "doctor-lund": 200,
    },
    ("POST", "/api/staff/person-lookup"): {
        "anonymous": 401,
        "citizen": 401,
        "staff-without-assignment": 403,
        "nurse-solna": 200,
        "unit-admin-solna": 200,
        "regional-admin-stockholm": 200,
        "operator": 403,
        "central-admin": 200,
        "doctor-lund": 200,
    },
    ("GET", "/api/admin/care-units"): {
        "anonymous": 401,
        "citizen": 401,
        "staff-without-assignment": 403,
        "nurse-solna": 403,
        "unit-admin-solna": 200,
        "regional-admin-stockholm": 200,
        "operator": 200,
        "central-admin": 200,
        "doctor-lund": 403,
    },
    ("GET", "/api/citizen/offers"): _citizen_only(200),
    ("GET", "/api/citizen/offers/{catalog_id}"): _citizen_only(200),
    ("GET", "/api/citizen/offers/{catalog_id}/slots"): _citizen_only(200),
    # Reaching the rules proves the door opened: no such offer, order or kit.
    ("POST", "/api/citizen/orders"): _citizen_only(404),
    ("GET", "/api/citizen/orders"): _citizen_only(200),
    ("GET", "/api/citizen/orders/{order_id}"): _citizen_only(404),
    ("POST", "/api/citizen/orders/{order_id}/cancel"): _citizen_only(404),
    ("POST", "/api/citizen/orders/{order_id}/results/read"): _citizen_only(404),
    ("POST", "/api/citizen/orders/{order_id}/delete"): _citizen_only(404),
    ("POST", "/api/citizen/kits"): _citizen_only(422),
    ("GET", "/api/citizen/inbox"): _citizen_only(200),
    ("GET", "/api/citizen/inbox/summary"): _citizen_only(200),
    ("POST", "/api/citizen/inbox/{message_id}/read"): _citizen_only(404),
    ("GET", "/api/citizen/contact-details"): _citizen_only(200),
    ("PUT", "/api/citizen/contact-details"): _citizen_only(428),
    ("GET", "/api/admin/regions"): _staff(ADMINS, 200),
    ("GET", "/api/admin/care-units/{hsa_id}"): _staff(ADMINS, 200),
    ("POST", "/api/admin/care-units"): _staff(ADMINS, 422),
    ("PUT", "/api/admin/care-units/{hsa_id}"): _staff(ADMINS, 404),
    ("POST", "/api/admin/care-units/{hsa_id}/retire"): _staff(ADMINS, 404),
    ("GET", "/api/admin/sampling-units"): _staff(ADMINS, 200),
    ("POST", "/api/admin/sampling-units"): _staff(ADMINS, 422),
    ("GET", "/api/admin/sampling-units/{unit_id}"): _staff(REGIONAL, 200),
    ("PUT", "/api/admin/sampling-units/{unit_id}"): _staff(ADMINS, 404),
    ("POST", "/api/admin/sampling-units/{unit_id}/slots"): _staff(ADMINS, 404),
    ("GET", "/api/admin/sampling-units/{unit_id}/slots"): _staff(ADMINS, 404),
    ("POST", "/api/admin/sampling-units/{unit_id}/closed-days"): _staff(ADMINS, 404),
    ("GET", "/api/admin/laboratories"): _staff(ADMINS, 200),
    ("POST", "/api/admin/laboratories"): _staff(ADMINS, 422),
    # A unit administrator administers units, not the region's laboratories or offers.
    ("GET", "/api/admin/laboratories/{code}"): _staff(REGIONAL, 200),
    ("PUT", "/api/admin/laboratories/{code}"): _staff(ADMINS, 404),
    ("GET", "/api/admin/laboratories/{code}/result-templates"): _staff(REGIONAL, 200),
    ("POST", "/api/admin/laboratories/{code}/result-templates"): _staff(ADMINS, 404),
    ("GET", "/api/admin/products"): _staff(ADMINS, 200),
    # Central administrators only; for them the code does not exist.
    ("PUT", "/api/admin/products/{code}"): _staff(("central-admin",), 404),
    ("POST", "/api/admin/products/{code}/retire"): _staff(("central-admin",), 404),
    ("POST", "/api/admin/laboratories/{code}/retire"): _staff(ADMINS, 404),
    ("GET", "/api/admin/integration-clients"): _staff(ADMINS, 200),
    ("POST", "/api/admin/integration-clients"): _staff(ADMINS, 422),
    ("GET", "/api/admin/integration-clients/{client_id}"): _staff(
        REGIONAL, 200, unit_admin_solna=404
    ),
    ("PUT", "/api/admin/integration-clients/{client_id}"): _staff(ADMINS, 404),
    ("POST", "/api/admin/integration-clients/{client_id}/rotate-secret"): _staff(ADMINS, 404),
    ("POST", "/api/admin/integration-clients/{client_id}/retire"): _staff(ADMINS, 404),
    ("GET", "/api/integration/v1/orders"): dict.fromkeys(ACTORS, 401),
    ("GET", "/api/integration/v1/orders/{order_id}"): dict.fromkeys(ACTORS, 401),
    ("POST", "/api/integration/v1/orders/claim"): dict.fromkeys(ACTORS, 401),
    ("POST", "/api/integration/v1/orders/ack"): dict.fromkeys(ACTORS, 401),
    ("POST", "/api/integration/v1/orders/{order_id}/status"): dict.fromkeys(ACTORS, 401),
    ("POST", "/api/admin/sampling-units/{unit_id}/retire"): _staff(ADMINS, 404),
    ("PUT", "/api/admin/result-templates/{template_id}"): _staff(ADMINS, 404),
    # National product codes: central administrators only (the code exists: 422).
    ("POST", "/api/admin/products"): _staff(("central-admin",), 422),
    ("GET", "/api/admin/offers"): _staff(ADMINS, 200),
    # Region 99 does not exist: outside a regional administrator's scope, invalid for others.
    ("POST", "/api/admin/offers"): _staff(("operator", "central-admin"), 422),
    ("GET", "/api/admin/offers/{catalog_id}"): _staff(REGIONAL, 200),
    ("PUT", "/api/admin/offers/{catalog_id}"): _staff(ADMINS, 404),
    ("POST", "/api/admin/offers/{catalog_id}/retire"): _staff(ADMINS, 404),
    ("GET", "/api/admin/permissions"): _staff(ADMINS, 200),
    ("POST", "/api/admin/permissions"): _staff(ADMINS, 422),
    ("POST", "/api/admin/permissions/{permission_id}/revoke"): _staff(ADMINS, 404),
    ("PUT", "/api/admin/help-texts/{key}"): _staff(("central-admin",), 200),
    ("GET", "/api/staff/help-texts"): _staff(tuple(ACTORS), 200),
    ("GET", "/api/staff/assignable-offers"): _staff(WITH_CARE_ASSIGNMENT, 200),
    ("POST", "/api/staff/patient-offers"): _staff(WITH_CARE_ASSIGNMENT, 200),
    # Offer 1002 is assignable at Solna (A001) and Anna has it already; elsewhere not assignable.
    ("POST", "/api/staff/assignments"): _staff(
        ("nurse-solna", "unit-admin-solna", "regional-admin-stockholm", "central-admin"),
        409,
        operator=403,
        doctor_lund=403,
    ),
    ("POST", "/api/staff/assignments/{assignment_id}/remove"): _staff(WITH_CARE_ASSIGNMENT, 404),
    ("GET", "/api/staff/assigned-offers"): _staff(("nurse-solna",), 200),
    ("POST", "/api/staff/launch"): _staff((), 403),
    # Provtagning: only the nurse holds the permission at her unit (Solna, a sampling unit).
    ("GET", "/api/staff/sampling/printers"): _staff(("nurse-solna",), 200),
    ("POST", "/api/staff/sampling/search"): _staff(("nurse-solna",), 200),
    ("GET", "/api/staff/sampling/bookings"): _staff(("nurse-solna",), 200),
    ("GET", "/api/staff/sampling/sampled"): _staff(("nurse-solna",), 200),
    ("GET", "/api/staff/sampling/print-log"): _staff(("nurse-solna",), 200),
    ("GET", "/api/staff/sampling/orders/{order_id}"): _staff(("nurse-solna",), 404),
    # The door opened: sampling without If-Match is refused (428) before anything else.
    ("POST", "/api/staff/sampling/orders/{order_id}/sample"): _staff(("nurse-solna",), 428),
    ("POST", "/api/staff/sampling/orders/{order_id}/reprint"): _staff(("nurse-solna",), 404),
    # Etiketter: the nurse holds `labels` at Solna (no export, no Ordermottagning); an order
    # id that is none of the unit's kit orders is 404.
    ("GET", "/api/staff/labels/orders"): _staff(("nurse-solna",), 200),
    ("POST", "/api/staff/labels/print"): _staff(("nurse-solna",), 404),
    ("POST", "/api/staff/labels/export"): _staff((), 403),
    ("POST", "/api/staff/labels/batch-receipt"): _staff(("nurse-solna",), 404),
    ("GET", "/api/staff/order-receipt/orders"): _staff((), 403),
    ("POST", "/api/staff/order-receipt/print"): _staff((), 403),
    ("POST", "/api/staff/order-receipt/export"): _staff((), 403),
    ("POST", "/api/staff/order-receipt/batch-receipt"): _staff((), 403),
    # Offers are regional: a unit administrator makes no kits.
    ("POST", "/api/admin/kit-batches"): _staff(REGIONAL, 422),
    ("GET", "/api/admin/kit-batches"): _staff(REGIONAL, 200),
    **{
        endpoint: dict.fromkeys(ACTORS, 401)
        for endpoint in RESULT_REQUESTS
        if endpoint[1].startswith(("/api/integration/", "/fhir"))
    },
    # Svarsregistrering: the nurse at Solna and the doctor at Lund hold it at their units.
    ("POST", "/api/staff/result-registration/search"): _staff(REGISTRARS, 200),
    ("GET", "/api/staff/result-registration/orders/{order_id}"): _staff(REGISTRARS, 404),
    # The door opened: no Idempotency-Key, no body (422) before anything else.
    ("POST", "/api/staff/result-registration/orders/{order_id}/results"): _staff(REGISTRARS, 422),
    ("GET", "/api/staff/result-registration/log"): _staff(REGISTRARS, 200),
    ("POST", "/api/staff/result-registration/log/search"): _staff(REGISTRARS, 200),
    ("GET", "/api/admin/insight-texts"): _staff(ADMINS, 200),
    # Central administrators only; without If-Match (428) nothing is changed.
    ("PUT", "/api/admin/insight-texts/{insight}"): _staff(ADMINS, 403, central_admin=428),
    ("GET", "/api/operator/outbox/dead-letters"): _staff(("operator", "central-admin"), 200),
    ("POST", "/api/operator/outbox/dead-letters/{event_id}/requeue"): _staff(
        ("operator", "central-admin"), 404
    ),
    # Arbetslista: the nurse at Solna and the doctor at Lund hold it at their units. Archiving
    # without If-Match is refused (428) before anything else; no such result is 404.
    ("GET", "/api/staff/worklist"): _staff(WORKLIST_FOLLOWERS, 200),
    ("GET", "/api/staff/worklist/changes"): _staff(WORKLIST_FOLLOWERS, 200),
    ("POST", "/api/staff/worklist/items/{item_id}/archive"): _staff(WORKLIST_FOLLOWERS, 428),
    ("POST", "/api/staff/worklist/items/{item_id}/unarchive"): _staff(WORKLIST_FOLLOWERS, 428),
    ("GET", "/api/staff/worklist/items/{item_id}/comments"): _staff(WORKLIST_FOLLOWERS, 404),
    ("POST", "/api/staff/worklist/items/{item_id}/comments"): _staff(WORKLIST_FOLLOWERS, 404),
    # Behandlingsansvar: every staff member with an assignment — also the operator, whose
    # only assignment is administrative (manual 4.1) — and no permission needed.
    ("POST", "/api/staff/treatment-responsibility/search"): _staff(WITH_ANY_ASSIGNMENT, 200),
    ("POST", "/api/staff/treatment-responsibility/takeovers"): _staff(WITH_ANY_ASSIGNMENT, 404),
    # Smittspårning: nobody here holds it.
    ("POST", "/api/staff/contact-tracing/search"): _staff((), 403),
}

CELLS = [
    (method, path, actor, status)
    for (method, path), row in MATRIX.items()
    for actor, status in row.items()
]


def test_matrix_covers_every_protected_endpoint(app):
    public = {
        "/api/health",
        "/api/session",
        "/auth/{kind}/login",
        "/auth/{kind}/callback",
        # The OAuth2 token endpoint authenticates the client itself (test_integration_api.py).
        "/oauth/token",
        # FHIR asks for an open CapabilityStatement (test_fhir.py).
        "/fhir/metadata",
    }
    documented = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if path not in public
    }
    # Logout and context selection are covered by the login tests.
    documented -= {("POST", "/auth/logout"), ("PUT", "/api/staff/context")}
    assert documented == set(MATRIX)
    assert all(set(row) == set(ACTORS) for row in MATRIX.values())
    assert set(REQUESTS) == set(MATRIX)


_MATRIX_CITIZENS: dict[int, Any] = {}


def _matrix_citizen(services: Any) -> Any:
    """One citizen of the matrix's own for all its cells (per app): none of them changes
    what another answers (no cell places an order or uses up an offer)."""
    if id(services) not in _MATRIX_CITIZENS:
        _MATRIX_CITIZENS[id(services)] = services.person_register.new_citizen()
    return _MATRIX_CITIZENS[id(services)]


@pytest.mark.parametrize(("method", "path", "actor", "expected"), CELLS)
async def test_endpoint_answers_each_actor_as_the_matrix_says(
    client, services, method, path, actor, expected
):
    headers: dict[str, str] = {}
    if ACTORS[actor] is not None:
        kind, key, unit = ACTORS[actor]
        if kind == "citizen":
            # A citizen of the test's own (Region Stockholm, like Tolvan): what other tests
            # ordered as Tolvan (offer 1001 has a usage limit) must not change the answers.
            spare = _matrix_citizen(services)
            key, own_number = spare.key, spare.person.personnummer.value
        csrf = await login(client, kind=kind, key=key)
        headers["X-CSRF-Token"] = csrf
        if unit is not None:
            me = (await client.get("/api/staff/me")).json()
            assignment = next(
                a["assignment_id"] for a in me["assignments"] if a["care_unit_hsa_id"] == unit
            )
            chosen = await client.put(
                "/api/staff/context", json={"assignment_id": assignment}, headers=headers
            )
            assert chosen.status_code == 200
    url, body = REQUESTS[(method, path)]
    if actor == "citizen" and body is not None and "confirm_personnummer" in body:
        body = {**body, "confirm_personnummer": own_number}  # deleting asks for one's own
    headers["Idempotency-Key"] = f"matrix-{uuid.uuid4().hex}"
    response = await client.request(method, url, headers=headers, json=body)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert set(body) <= {"type", "title", "status", "detail", "request_id", "errors"}
        assert "Andersson" not in response.text


async def _login_at(client, key: str, unit: str) -> dict[str, str]:
    headers = {"X-CSRF-Token": await login(client, kind="staff", key=key)}
    me = (await client.get("/api/staff/me")).json()
    assignment = next(a for a in me["assignments"] if a["care_unit_hsa_id"] == unit)
    await client.put(
        "/api/staff/context",
        json={"assignment_id": assignment["assignment_id"]},
        headers=headers,
    )
    return headers


async def test_unit_administrator_sees_only_own_units(client):
    await _login_at(client, "unit-admin-solna", "SE2321000016-A001")
    units = (await client.get("/api/admin/care-units")).json()
    assert [u["hsa_id"] for u in units] == ["SE2321000016-A001"]


async def test_regional_administrator_sees_only_own_region(client):
    await _login_at(client, "regional-admin-stockholm", "SE2321000016-A001")
    units = (await client.get("/api/admin/care-units")).json()
    assert units
    assert {u["region_code"] for u in units} == {"01"}


async def test_central_administrator_sees_every_region(client):
    await _login_at(client, "central-admin", "SE2321000016-A001")
    units = (await client.get("/api/admin/care-units")).json()
    assert {"01", "12"} <= {u["region_code"] for u in units}


async def test_staff_cannot_select_an_assignment_that_is_not_theirs(client, services):
    headers = {"X-CSRF-Token": await login(client, kind="staff", key="nurse-solna")}
    response = await client.put(
        "/api/staff/context",
        json={"assignment_id": "someone-elses-assignment"},
        headers=headers,
    )
    assert response.status_code == 403
    assert (await client.get("/api/staff/me")).json()["selected_assignment_id"] is None


async def test_patient_lookup_is_audited_with_who_unit_assignment_and_patient(client, services):
    await _login_at(client, "nurse-solna", "SE2321000016-A001")
    headers = {"X-CSRF-Token": (await client.get("/api/session")).json()["csrf_token"]}
    response = await client.post(
        "/api/staff/person-lookup",
        json={"personnummer": "198504129829"},
        headers={**headers, "X-Request-ID": "audit-test-request-0001"},
    )
    assert response.status_code == 200
    assert response.json()["given_name"] == "Anna"
    patient_hash = services.protector.lookup_hash("198504129829")
    async with services.uow() as uow:
        entry = (
            await uow.session.execute(
                select(AuditEntry).where(AuditEntry.request_id == "audit-test-request-0001")
            )
        ).scalar_one()
        assert entry.action == "person_lookup"
        assert entry.actor_id == "SE2321000016-1001"
        assert entry.care_unit_hsa_id == "SE2321000016-A001"
        assert entry.assignment_purpose == "Vård och behandling"
        assert entry.assignment_id
        assert entry.patient_hash == patient_hash
        encrypted = entry.patient_encrypted
    # The patient is not stored in clear, but an auditor can read it back.
    assert b"198504129829" not in encrypted
    decrypted = services.protector.decrypt(encrypted, context=patient_hash)
    assert decrypted == b"198504129829"


async def test_refused_module_access_is_audited(client, services):
    headers = {"X-CSRF-Token": await login(client, kind="staff", key="no-assignment")}
    async with services.uow() as uow:
        before = (
            await uow.session.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.actor_id == "SE2321000016-1008", AuditEntry.outcome == "refused")
            )
        ).scalar_one()
    response = await client.post("/api/staff/person-lookup", json=LOOKUP, headers=headers)
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/assignment-required"
    async with services.uow() as uow:
        after = (
            await uow.session.execute(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.actor_id == "SE2321000016-1008", AuditEntry.outcome == "refused")
            )
        ).scalar_one()
    assert after == before + 1


async def test_invalid_personnummer_gets_a_422_naming_the_field(client):
    await _login_at(client, "nurse-solna", "SE2321000016-A001")
    headers = {"X-CSRF-Token": (await client.get("/api/session")).json()["csrf_token"]}
    response = await client.post(
        "/api/staff/person-lookup", json={"personnummer": "19850412-9820"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "personnummer"
    missing = await client.post("/api/staff/person-lookup", json={}, headers=headers)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "personnummer"
