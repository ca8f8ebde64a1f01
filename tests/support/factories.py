"""Rows a test makes for itself, so that what it asserts on is its own and assertions can be
exact. Configuration is made through the administration API, as an administrator would;
staff members through the test HSA directory (tests/support/doubles.py). Every code and
HSA-id is generated, so tests do not depend on each other or on their order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import httpx

from adapters.hsa.local import TestStaffEntry
from domain.staff import CARE_AND_TREATMENT, EmployeeAssignment
from tests.support.browserless_login import login
from tests.support.doubles import TestHsaDirectory

STOCKHOLM = "01"
STOCKHOLM_CARE_GIVER = ("SE2321000016-0001", "Region Stockholm")
# A customer of laboratories that perform PEP-CT (demo data), so offers of it are performable.
RESULT_UNIT = "SE2321000016-A002"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


class StaffClient:
    """A browser logged in as staff, working in one care unit."""

    def __init__(self, client: httpx.AsyncClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    @property
    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}

    async def call(self, method: str, url: str, body: Any = None, **headers: str) -> httpx.Response:
        return await self.client.request(
            method, url, json=body, headers={**self.headers, **headers}
        )

    async def post(self, url: str, body: Any = None, **headers: str) -> httpx.Response:
        return await self.call("POST", url, body, **headers)

    async def get(self, url: str, **params: Any) -> httpx.Response:
        return await self.client.get(url, params=params or None)


async def log_in_staff(client: httpx.AsyncClient, *, key: str, unit: str) -> StaffClient:
    """Logs in as the staff identity `key` and chooses the assignment at `unit`."""
    csrf = await login(client, kind="staff", key=key)
    me = (await client.get("/api/staff/me")).json()
    assignment = next(a for a in me["assignments"] if a["care_unit_hsa_id"] == unit)
    chosen = await client.put(
        "/api/staff/context",
        json={"assignment_id": assignment["assignment_id"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert chosen.status_code == 200, chosen.text
    return StaffClient(client, csrf)


async def create_care_unit(
    admin: StaffClient,
    *,
    region_code: str = STOCKHOLM,
    name: str = "Testmottagningen",
    worklist_insights: Sequence[str] = (),
) -> str:
    """A new care unit of the region (its worklist following `worklist_insights`); returns
    its HSA-id."""
    hsa_id = unique("SE2321000016-X")
    care_giver_hsa_id, care_giver_name = STOCKHOLM_CARE_GIVER
    created = await admin.post(
        "/api/admin/care-units",
        {
            "hsa_id": hsa_id,
            "name": name,
            "region_code": region_code,
            "care_giver_hsa_id": care_giver_hsa_id,
            "care_giver_name": care_giver_name,
            "worklist_insights": list(worklist_insights),
        },
    )
    assert created.status_code == 201, created.text
    return hsa_id


def offer_body(
    *,
    region_code: str = STOCKHOLM,
    visibility: str = "general",
    sampling_method: str = "home_kit",
    products: Sequence[str] = ("PEP-CT",),
    result_care_unit_hsa_id: str = RESULT_UNIT,
    assigning_units: Sequence[str] = (),
    **overrides: Any,
) -> dict[str, Any]:
    home_kit = sampling_method == "home_kit"
    return {
        "name": unique("Testerbjudande "),
        "instructions": "<p>Gör så här.</p>",
        "region_code": region_code,
        "sampling_method": sampling_method,
        "visibility": visibility,
        "products": list(products),
        "validity_days": 30,
        "result_care_unit_hsa_id": result_care_unit_hsa_id,
        "asks": {"contact_details": True, "delivery_address": home_kit, "questions": []},
        "assigning_units": list(assigning_units),
        **overrides,
    }


async def create_offer(admin: StaffClient, **fields: Any) -> dict[str, Any]:
    """A new offer (a home kit for PEP-CT in Region Stockholm unless told otherwise); returns
    the offer as the API answers it (`catalog_id`, `name`, …)."""
    created = await admin.post("/api/admin/offers", offer_body(**fields))
    assert created.status_code == 201, created.text
    offer: dict[str, Any] = created.json()
    return offer


async def create_laboratory(
    admin: StaffClient,
    *,
    region_code: str = STOCKHOLM,
    products: Sequence[str] = ("PEP-CT",),
    customers: Sequence[str] = ("SE2321000016-A001",),
    label_template_zpl: str = "^XA^CI28^FO30,30^A0N,30,30^FD{rid}^FS^XZ",
) -> str:
    """A new laboratory performing `products` for `customers`; returns its code."""
    code = unique("LAB")
    created = await admin.post(
        "/api/admin/laboratories", {"code": code, "name": "Testlab", "region_code": region_code}
    )
    assert created.status_code == 201, created.text
    updated = await admin.call(
        "PUT",
        f"/api/admin/laboratories/{code}",
        {
            "name": "Testlab",
            "label_template_zpl": label_template_zpl,
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


async def create_sampling_unit(
    admin: StaffClient, *, laboratory_codes: Sequence[str], region_code: str = STOCKHOLM
) -> str:
    """A new sampling unit sending to `laboratory_codes`; returns its id."""
    created = await admin.post(
        "/api/admin/sampling-units",
        {
            "hsa_id": unique("SE2321000016-S"),
            "name": "Testprovtagningen",
            "region_code": region_code,
            "street": "Testgatan 1",
            "postal_code": "11122",
            "city": "Stockholm",
            "laboratory_codes": list(laboratory_codes),
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def create_staff_member(
    hsa: TestHsaDirectory, *, care_units: Sequence[str], purpose: str = CARE_AND_TREATMENT
) -> TestStaffEntry:
    """A staff member nobody else uses, employed at `care_units`; log in with its `key`."""
    return hsa.new_staff(
        assignments=[
            EmployeeAssignment(
                assignment_id=unique("UPPDRAG-"),
                care_unit_hsa_id=unit,
                care_unit_name="Testmottagningen",
                care_giver_hsa_id=STOCKHOLM_CARE_GIVER[0],
                care_giver_name=STOCKHOLM_CARE_GIVER[1],
                purpose=purpose,
            )
            for unit in care_units
        ]
    )


async def grant_permission(
    admin: StaffClient, *, staff_hsa_id: str, permission: str, care_unit_hsa_id: str
) -> str:
    """Grants a unit-scoped permission; returns the permission's id."""
    granted = await admin.post(
        "/api/admin/permissions",
        {
            "staff_hsa_id": staff_hsa_id,
            "permission": permission,
            "care_unit_hsa_id": care_unit_hsa_id,
        },
    )
    assert granted.status_code == 201, granted.text
    return str(granted.json()["id"])
