"""The FHIR R4 view (api/fhir): what it produces validates with fhir.resources, it shows an
organisation only its own orders, and a transaction Bundle of results goes through the same
rules as the native endpoint."""

from __future__ import annotations

from datetime import timedelta

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from api.fhir.resources import INSIGHT, LAB_CODES, LAB_RESULTS, RID
from tests.support.results_world import (
    client_token,
    create_care_unit,
    create_lab,
    create_sampled_order,
    result_body,
    scalar,
)

FHIR = "application/fhir+json"


def _transaction(lab, order, *, version: int = 1, rid: str | None = None, value="Påvisad"):
    sampled = result_body(lab, order)["sampling_date"]
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000001",
                "resource": {
                    "resourceType": "DiagnosticReport",
                    "status": "final",
                    "code": {"text": "Klamydia"},
                    "basedOn": [{"identifier": {"system": RID, "value": rid or order.rid}}],
                    "effectiveDateTime": sampled,
                    "conclusionCode": [{"coding": [{"system": INSIGHT, "code": "positive"}]}],
                    "result": [{"reference": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000002"}],
                },
                "request": {"method": "POST", "url": "DiagnosticReport"},
            },
            {
                "fullUrl": "urn:uuid:8d1e7a5e-1111-4c61-9f0e-000000000002",
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "meta": {"versionId": str(version)},
                    "identifier": [{"system": LAB_RESULTS + lab.code, "value": "FHIR-1"}],
                    "code": {
                        "coding": [
                            {"system": LAB_CODES + lab.code, "code": lab.analysis_code("PEP-CT")}
                        ]
                    },
                    "valueString": value,
                    "referenceRange": [{"text": "Ej påvisad"}],
                    "note": [{"text": "Kontakta din vårdgivare."}],
                },
                "request": {"method": "POST", "url": "Observation"},
            },
        ],
    }


async def _line_results(services, order) -> int:
    return await scalar(
        services,
        "SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id"
        " WHERE l.order_id = :id",
        id=order.id,
    )


async def test_the_capability_statement_is_valid_fhir(client):
    answer = await client.get("/fhir/metadata")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == FHIR
    statement = CapabilityStatement.model_validate(answer.json())
    assert statement.fhirVersion == "4.0.1"
    assert sorted(r.type for r in statement.rest[0].resource) == [
        "DiagnosticReport",
        "Observation",
        "ServiceRequest",
        "Specimen",
        "Task",
    ]


async def test_a_transaction_bundle_stores_results_through_the_same_rules(client, services):
    lab = await create_lab(services)
    order = await create_sampled_order(services, lab, care_unit_id=None)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    answer = await client.post("/fhir", json=_transaction(lab, order), headers=writer)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == FHIR
    response = Bundle.model_validate(answer.json())
    assert response.type == "transaction-response"
    assert [e.response.status for e in response.entry] == ["201 Created"]
    again = await client.post("/fhir", json=_transaction(lab, order), headers=writer)
    assert [e["response"]["status"] for e in again.json()["entry"]] == ["200 OK"]
    assert again.json()["entry"][0]["response"]["outcome"]["issue"][0]["diagnostics"] == (
        "duplicate"
    )
    assert await _line_results(services, order) == 1


async def test_a_refused_result_refuses_the_whole_transaction(client, services):
    lab = await create_lab(services)
    order = await create_sampled_order(services, lab, care_unit_id=None)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    answer = await client.post(
        "/fhir", json=_transaction(lab, order, rid="NOSUCHRID0"), headers=writer
    )
    assert answer.status_code == 404
    assert answer.json()["resourceType"] == "OperationOutcome"
    assert answer.json()["issue"][0]["code"] == "not-found"
    assert await _line_results(services, order) == 0


async def test_invalid_fhir_is_422_with_an_operation_outcome_naming_where(client, services):
    lab = await create_lab(services)
    order = await create_sampled_order(services, lab, care_unit_id=None)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    bundle = _transaction(lab, order)
    bundle["entry"][1]["resource"]["valueQuantity"] = {"value": 1}  # two values: invalid
    answer = await client.post("/fhir", json=bundle, headers=writer)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == FHIR
    [issue] = answer.json()["issue"]
    assert issue["code"] == "invalid"
    assert issue["expression"][0].startswith("Bundle.entry")
    no_version = _transaction(lab, order)
    del no_version["entry"][1]["resource"]["meta"]
    refused = await client.post("/fhir", json=no_version, headers=writer)
    assert refused.status_code == 422
    assert refused.json()["issue"][0]["expression"] == ["Observation.meta.versionId"]
    assert await _line_results(services, order) == 0


async def test_searches_show_valid_resources_of_the_clients_own_organisation_only(client, services):
    lab = await create_lab(services)
    unit = await create_care_unit(services)
    order = await create_sampled_order(services, lab, care_unit_id=unit)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    posted = await client.post(
        "/api/integration/v1/results", json=result_body(lab, order), headers=writer
    )
    assert posted.status_code == 201
    receiver = await client_token(services, scopes=("results:read",), care_unit_ids=(unit,))
    platform = await client_token(services, scopes=("orders:read",), laboratory_ids=(lab.id,))
    other_lab = await create_lab(services)
    stranger = await client_token(
        services, scopes=("orders:read", "results:read"), laboratory_ids=(other_lab.id,)
    )
    # The order was sampled a day ago; its result arrived just now.
    since = (services.now() - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    sampled_since = (services.now() - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    expected = {
        "DiagnosticReport": (receiver, since, [posted.json()["result_id"]]),
        "Observation": (receiver, since, [posted.json()["result_id"]]),
        "ServiceRequest": (platform, sampled_since, [f"{order.id}-1", f"{order.id}-2"]),
        "Specimen": (platform, sampled_since, [f"{order.id}-1", f"{order.id}-2"]),
        "Task": (platform, sampled_since, [str(order.id)]),
    }
    for kind, (headers, after, ids) in expected.items():
        search = {"_lastUpdated": f"ge{after}"}
        answer = await client.get(f"/fhir/{kind}", params=search, headers=headers)
        assert answer.status_code == 200, answer.text
        bundle = Bundle.model_validate(answer.json())
        assert [e.resource.id for e in bundle.entry or []] == ids, kind
        assert {e.resource.get_resource_type() for e in bundle.entry or []} == {kind}
        theirs = await client.get(f"/fhir/{kind}", params=search, headers=stranger)
        assert "entry" not in theirs.json()
    later = (services.now() + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    none = await client.get(
        "/fhir/Observation", params={"_lastUpdated": f"ge{later}"}, headers=receiver
    )
    assert none.json() == {"resourceType": "Bundle", "type": "searchset", "total": 0}
    wrong_scope = await client.get("/fhir/Observation", headers=platform)
    assert wrong_scope.status_code == 403
