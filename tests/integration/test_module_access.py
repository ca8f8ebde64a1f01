"""Staff reach patients' data only under an assignment with the purpose "Vård och behandling"
(manual 4.1): every module but Behandlingsansvar (and Administration, which shows no
patients) refuses another purpose — and says why."""

from __future__ import annotations

from tests.support.browserless_login import login

OPERATOR_ADMINISTRATIVE_ASSIGNMENT = "SE2321000016-1005-MU1"


async def test_person_lookup_needs_the_care_and_treatment_purpose(client):
    csrf = await login(client, kind="staff", key="operator")
    chosen = await client.put(
        "/api/staff/context",
        json={"assignment_id": OPERATOR_ADMINISTRATIVE_ASSIGNMENT},
        headers={"X-CSRF-Token": csrf},
    )
    assert chosen.status_code == 200
    modules = [m["module"] for m in chosen.json()["modules"]]
    assert "assign_offer" not in modules

    lookup = await client.post(
        "/api/staff/person-lookup",
        json={"personnummer": "19121212-1212"},
        headers={"X-CSRF-Token": csrf},
    )
    assert lookup.status_code == 403
    assert lookup.json()["type"] == "/problems/care-and-treatment-purpose-required"
    offers = await client.get("/api/staff/assignable-offers")
    assert offers.status_code == 403
    assert offers.json()["type"] == "/problems/care-and-treatment-purpose-required"
