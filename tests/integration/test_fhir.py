"""The FHIR R4 view (api/fhir): what it produces validates with fhir.resources, it shows an
organisation only its own orders, and a transaction Bundle of results goes through the same
rules as the native endpoint."""

from __future__ import annotations

from datetime import timedelta

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from sqlalchemy import text

from api.fhir.resources import INSIGHT, LAB_CODES, LAB_RESULTS, RID
from tests.support.results_world import (
    CITIZEN,
    client_token,
    create_care_unit,
    create_lab,
    create_sampled_order,
    create_sampling_site,
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


async def test_results_are_shown_to_the_receiving_care_unit_only(client, services):
    """DiagnosticReport and Observation follow the native results API: the care unit that
    receives the order's results reads them; the laboratory that posted them and the
    sampling unit where the order was sampled do not (they see the order itself)."""
    lab = await create_lab(services)
    unit = await create_care_unit(services)
    site = await create_sampling_site(services, lab)
    order = await create_sampled_order(services, lab, care_unit_id=unit, sampled_at_unit_id=site)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    posted = await client.post(
        "/api/integration/v1/results", json=result_body(lab, order), headers=writer
    )
    assert posted.status_code == 201, posted.text
    both = ("orders:read", "results:read")
    receiver = await client_token(services, scopes=both, care_unit_ids=(unit,))
    sampler = await client_token(services, scopes=both, sampling_unit_ids=(site,))
    laboratory = await client_token(services, scopes=both, laboratory_ids=(lab.id,))
    result_id = posted.json()["result_id"]
    for kind in ("DiagnosticReport", "Observation"):
        received = await client.get(f"/fhir/{kind}", headers=receiver)
        assert [e["resource"]["id"] for e in received.json()["entry"]] == [result_id], kind
        for other in (sampler, laboratory):
            answer = await client.get(f"/fhir/{kind}", headers=other)
            assert answer.status_code == 200
            assert answer.json() == {"resourceType": "Bundle", "type": "searchset", "total": 0}
    for other in (receiver, sampler, laboratory):
        tasks = await client.get("/fhir/Task", headers=other)
        assert [e["resource"]["id"] for e in tasks.json()["entry"]] == [str(order.id)]


async def _audited_patients(services, headers) -> list[tuple[str, str]]:
    token = headers["Authorization"].removeprefix("Bearer ")
    client_id = services.integration_tokens.verify(token, now=services.now()).client_id
    async with services.uow() as uow:
        rows = await uow.session.execute(
            text(
                "SELECT patient_hash, details->>'order_id' AS order_id FROM audit_log"
                " WHERE actor_id = :c AND action = 'fhir_search' ORDER BY details->>'order_id'"
            ),
            {"c": client_id},
        )
        return [(r.patient_hash, r.order_id) for r in rows]


async def test_searches_page_in_a_stable_order_with_a_next_link(client, services):
    """Five orders, pages of two: the next links lead through all five exactly once, in
    last-updated order; `gt` leaves out what changed at the instant itself, `ge` keeps it;
    every order shown is audited with its patient."""
    lab = await create_lab(services)
    orders = [
        await create_sampled_order(services, lab, care_unit_id=None, products=("PEP-CT",))
        for _ in range(5)
    ]
    base = services.now() - timedelta(hours=1)
    async with services.uow() as uow:
        for i, order in enumerate(orders):
            # Two share an instant: the order id breaks the tie.
            at = base + timedelta(minutes=min(i, 3))
            await uow.session.execute(
                text(
                    "UPDATE orders SET created_at = CAST(:at AS timestamptz) - interval '1 day',"
                    " handled_at = :at,"
                    " sampled_at = :at WHERE id = :id"
                ),
                {"at": at, "id": order.id},
            )
        await uow.commit()
    platform = await client_token(services, scopes=("orders:read",), laboratory_ids=(lab.id,))
    since = base.isoformat().replace("+00:00", "Z")
    url, params = "/fhir/Task", {"_lastUpdated": f"ge{since}", "_count": 2}
    seen, pages = [], 0
    while url is not None:
        answer = await client.get(url, params=params, headers=platform)
        assert answer.status_code == 200, answer.text
        bundle = Bundle.model_validate(answer.json())
        seen += [e.resource.id for e in bundle.entry or []]
        pages += 1
        following = [link.url for link in bundle.link or [] if link.relation == "next"]
        url, params = (following[0], None) if following else (None, None)
        if url is not None:
            assert answer.json().get("total") is None
            assert url.startswith(services.settings.public_base_url + "/fhir/Task?")
            url = url.removeprefix(services.settings.public_base_url)
    tied = sorted(str(o.id) for o in orders[3:])
    assert seen == [str(o.id) for o in orders[:3]] + tied
    assert pages == 3
    strictly = await client.get(
        "/fhir/Task", params={"_lastUpdated": f"gt{since}"}, headers=platform
    )
    assert [e["resource"]["id"] for e in strictly.json()["entry"]] == seen[1:]
    audited = await _audited_patients(services, platform)
    patient = services.protector.lookup_hash(CITIZEN)
    assert sorted(audited) == sorted(
        [(patient, i) for i in seen] + [(patient, i) for i in seen[1:]]
    )


async def test_a_cursor_or_instant_out_of_range_is_refused_naming_the_parameter(client, services):
    lab = await create_lab(services)
    platform = await client_token(
        services, scopes=("orders:read", "results:read"), laboratory_ids=(lab.id,)
    )
    for kind in ("ServiceRequest", "Observation"):
        for value in ("ge9999-12-31T23:59:59-14:00", "ge0001-01-01T00:00:00+14:00", "gt9999-12-31"):
            answer = await client.get(
                f"/fhir/{kind}", params={"_lastUpdated": value}, headers=platform
            )
            assert answer.status_code == 422, (kind, value, answer.text)
            assert answer.json()["issue"][0]["expression"] == ["_lastUpdated"]
        for cursor in (
            "bm9wZQ",
            "OTk5OS0xMi0zMVQyMzo1OTo1OS0xNDowMHwwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDB8MQ",
        ):
            answer = await client.get(f"/fhir/{kind}", params={"_cursor": cursor}, headers=platform)
            assert answer.status_code == 422, (kind, cursor, answer.text)
            assert answer.json()["issue"][0]["expression"] == ["_cursor"]


async def test_a_transaction_with_values_the_native_api_refuses_is_422_never_500(client, services):
    """A partial date names no sampling day; the result id, RID and version have the native
    endpoint's limits; control characters are refused. Each an OperationOutcome naming
    where, nothing stored."""
    lab = await create_lab(services)
    order = await create_sampled_order(services, lab, care_unit_id=None)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))

    def changed(change):
        bundle = _transaction(lab, order)
        change(bundle["entry"][0]["resource"], bundle["entry"][1]["resource"])
        return bundle

    cases = {
        "DiagnosticReport.effectiveDateTime": [
            lambda report, _: report.update(effectiveDateTime="2026"),
            lambda report, _: report.update(effectiveDateTime="2026-11"),
        ],
        "Observation.identifier": [
            lambda _, obs: obs["identifier"][0].update(value="X" * 65),
            lambda _, obs: obs["identifier"][0].update(value="A\x00B"),
        ],
        "DiagnosticReport.basedOn": [
            lambda report, _: report["basedOn"][0]["identifier"].update(value="AB\x00CD"),
        ],
        "Observation.meta.versionId": [
            lambda _, obs: obs["meta"].update(versionId="99999999999999"),
            lambda _, obs: obs["meta"].update(versionId="0"),
        ],
        "Observation.value[x]": [lambda _, obs: obs.update(valueString="A\x00B")],
    }
    for expression, changes in cases.items():
        for change in changes:
            answer = await client.post("/fhir", json=changed(change), headers=writer)
            assert answer.status_code == 422, (expression, answer.text)
            assert answer.headers["content-type"] == FHIR
            [issue] = answer.json()["issue"]
            assert (issue["code"], issue["expression"]) == ("invalid", [expression])
    assert await _line_results(services, order) == 0
