"""Results from laboratory systems (issue 9): the native endpoints against the real stack,
each test with its own laboratory, orders and clients (tests/support/results_world.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import text

from adapters.notifications.local import local_consumers
from api.notifications.consumers import ResultMessages
from api.outbox.usecases import deliver_outbox
from domain.outbox import RetryPolicy
from tests.support.results_world import (
    CITIZEN,
    client_token,
    create_care_unit,
    create_lab,
    create_sampled_order,
    result_body,
    scalar,
)
from tests.support.statements import statements_sent

URL = "/api/integration/v1/results"


async def _world(services, *, care_unit: bool = True):
    lab = await create_lab(services)
    unit = await create_care_unit(services) if care_unit else None
    order = await create_sampled_order(services, lab, care_unit_id=unit)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    return lab, unit, order, writer


def _key() -> dict[str, str]:
    return {"Idempotency-Key": f"poll-{uuid.uuid4().hex}"}


async def _results(services, order) -> int:
    return await scalar(
        services,
        "SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id"
        " WHERE l.order_id = :id",
        id=order.id,
    )


async def _events(services, order, kind: str) -> int:
    return await scalar(
        services,
        "SELECT count(*) FROM outbox_events WHERE kind = :kind AND payload->>'order_id' = :id",
        kind=kind,
        id=str(order.id),
    )


async def _drain(services) -> int:
    report = await deliver_outbox(
        uow_factory=services.uow,
        consumers=[
            *local_consumers(services.session_factory),
            ResultMessages(services.uow),
        ],
        clock=services.now,
        worker=f"test-{uuid.uuid4().hex[:6]}",
        batch_size=500,
        lease=timedelta(seconds=30),
        policy=RetryPolicy(),
        deadline=timedelta(seconds=30),
    )
    return report.delivered


async def test_a_result_is_stored_and_the_order_answered_when_every_line_has_one(client, services):
    lab, _unit, order, writer = await _world(services)
    first = await client.post(URL, json=result_body(lab, order), headers=writer)
    assert first.status_code == 201, first.text
    assert first.json()["outcome"] == "created"
    assert first.json()["line_no"] == 1
    assert first.json()["version"] == 1
    assert first.json()["order_status"] == "sampled"
    second = await client.post(
        URL,
        json=result_body(
            lab,
            order,
            analysis_code=lab.analysis_code("PEP-NG"),
            lab_result_id=f"{order.rid}-NG",
            value="Ej påvisad",
            insight="negative",
        ),
        headers=writer,
    )
    assert second.status_code == 201, second.text
    assert second.json()["line_no"] == 2
    assert second.json()["order_status"] == "answered"
    assert await _results(services, order) == 2
    assert await scalar(services, "SELECT status FROM orders WHERE id = :id", id=order.id) == (
        "answered"
    )
    # One notification per call that stored results, one delivery per result.
    assert await _events(services, order, "result_available") == 2
    assert await _events(services, order, "result_to_care_unit") == 2


async def test_the_citizen_sees_the_stored_result_with_its_values(client, services):
    lab, _unit, order, writer = await _world(services)
    posted = await client.post(URL, json=result_body(lab, order, unit="IE/L"), headers=writer)
    assert posted.status_code == 201
    async with services.uow() as uow:
        lines = await uow.orders.lines_with_latest_results(order.id)
    assert lines[0].result_id == uuid.UUID(posted.json()["result_id"])
    assert lines[0].insight == "positive"
    assert lines[0].payload == {
        "values": [
            {
                "analysis": "Klamydia (Chlamydia trachomatis), NAAT",
                "analysis_code": lab.analysis_code("PEP-CT"),
                "value": "Påvisad",
                "unit": "IE/L",
                "reference_range": "Ej påvisad",
                "flag": "abnormal",
            }
        ],
        "comment": "Kontakta din vårdgivare.",
    }
    assert lines[1].result_id is None


async def test_the_same_result_again_is_a_no_op_success(client, services):
    lab, _unit, order, writer = await _world(services)
    first = await client.post(URL, json=result_body(lab, order), headers=writer)
    again = await client.post(URL, json=result_body(lab, order), headers=writer)
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    assert again.json()["result_id"] == first.json()["result_id"]
    assert await _results(services, order) == 1
    assert await _events(services, order, "result_available") == 1


async def test_the_same_version_with_other_content_is_a_conflict(client, services):
    lab, _unit, order, writer = await _world(services)
    await client.post(URL, json=result_body(lab, order), headers=writer)
    changed = await client.post(
        URL, json=result_body(lab, order, value="Ej påvisad"), headers=writer
    )
    assert changed.status_code == 409
    assert changed.json()["type"] == "/problems/result-version-conflict"
    assert await _results(services, order) == 1


async def test_an_older_version_arriving_after_a_newer_one_never_overwrites_it(client, services):
    lab, _unit, order, writer = await _world(services)
    outcomes = []
    for lab_version, value in ((1, "Påvisad"), (3, "Ej påvisad"), (2, "Oklart")):
        answer = await client.post(
            URL, json=result_body(lab, order, lab_version=lab_version, value=value), headers=writer
        )
        outcomes.append((answer.status_code, answer.json()["outcome"], answer.json()["version"]))
    assert outcomes == [(201, "created", 1), (201, "corrected", 2), (200, "superseded", 2)]
    async with services.uow() as uow:
        lines = await uow.orders.lines_with_latest_results(order.id)
    assert lines[0].version == 2
    assert lines[0].payload["values"][0]["value"] == "Ej påvisad"
    assert await _results(services, order) == 2
    # The correction re-notifies the citizen (SPEC §7); the late old version does not.
    assert await _events(services, order, "result_available") == 2


async def test_another_result_id_for_a_line_and_sampling_date_is_refused(client, services):
    lab, _unit, order, writer = await _world(services)
    await client.post(URL, json=result_body(lab, order), headers=writer)
    other = await client.post(
        URL, json=result_body(lab, order, lab_result_id="SOMETHING-ELSE"), headers=writer
    )
    assert other.status_code == 409
    assert other.json()["type"] == "/problems/result-key-taken"
    assert await _results(services, order) == 1


async def test_an_unknown_rid_is_404(client, services):
    lab, _unit, order, writer = await _world(services)
    answer = await client.post(URL, json=result_body(lab, order, rid="NOSUCHRID0"), headers=writer)
    assert answer.status_code == 404
    assert answer.json()["type"] == "/problems/order-not-found"


async def test_an_unknown_line_is_404(client, services):
    lab, _unit, order, writer = await _world(services)
    answer = await client.post(URL, json=result_body(lab, order, line_no=9), headers=writer)
    assert answer.status_code == 404
    assert answer.json()["type"] == "/problems/order-line-not-found"


async def test_an_analysis_code_the_lab_has_not_mapped_is_422_naming_it(client, services):
    lab, _unit, order, writer = await _world(services)
    answer = await client.post(
        URL, json=result_body(lab, order, analysis_code="XYZ-9"), headers=writer
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "analysis_code",
            "message": "the laboratory has not mapped the analysis code 'XYZ-9'",
            "code": "unmapped_analysis_code",
        }
    ]


async def test_a_control_character_in_a_result_is_422_naming_the_field(client, services):
    lab, _unit, order, writer = await _world(services)
    for field in ("lab_result_id", "rid", "value", "comment"):
        answer = await client.post(
            URL, json=result_body(lab, order, **{field: "A\x00B"}), headers=writer
        )
        assert answer.status_code == 422, (field, answer.text)
        assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [
            (field, "control_character")
        ]
    assert await _results(services, order) == 0


async def test_a_sampling_date_before_the_order_was_placed_is_422(client, services):
    """The order was placed two days ago (results_world): a sample cannot be older."""
    lab, _unit, order, writer = await _world(services)
    placed = await scalar(
        services,
        "SELECT (created_at AT TIME ZONE 'Europe/Stockholm')::date FROM orders WHERE id = :id",
        id=order.id,
    )
    for day in ("0001-01-01", (placed - timedelta(days=1)).isoformat()):
        answer = await client.post(
            URL, json=result_body(lab, order, sampling_date=day), headers=writer
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"] == [
            {
                "field": "sampling_date",
                "message": f"must not be before the order was placed ({placed.isoformat()})",
                "code": "before_order",
            }
        ]
    assert await _results(services, order) == 0
    on_the_day = await client.post(
        URL, json=result_body(lab, order, sampling_date=placed.isoformat()), headers=writer
    )
    assert on_the_day.status_code == 201, on_the_day.text


async def test_a_client_of_lab_a_cannot_post_for_lab_bs_order(client, services):
    lab_a, _unit, _order_a, writer_a = await _world(services)
    lab_b = await create_lab(services)
    order_b = await create_sampled_order(services, lab_b, care_unit_id=None)
    answer = await client.post(
        URL,
        json=result_body(lab_b, order_b, analysis_code=lab_a.analysis_code("PEP-CT")),
        headers=writer_a,
    )
    assert answer.status_code == 404
    assert answer.json()["type"] == "/problems/order-not-found"
    assert await _results(services, order_b) == 0


async def test_an_order_not_yet_sampled_for_the_lab_is_not_found(client, services):
    lab = await create_lab(services)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    handled = await create_sampled_order(services, lab, care_unit_id=None, status="cancelled")
    answer = await client.post(URL, json=result_body(lab, handled), headers=writer)
    assert answer.status_code == 409
    assert answer.json()["type"] == "/problems/order-not-awaiting-results"


async def test_posting_results_needs_the_results_write_scope(client, services):
    lab, _unit, order, _writer = await _world(services)
    reader = await client_token(services, scopes=("results:read",), laboratory_ids=(lab.id,))
    refused = await client.post(URL, json=result_body(lab, order), headers=reader)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/insufficient-scope"
    anonymous = await client.post(URL, json=result_body(lab, order))
    assert anonymous.status_code == 401
    assert await _results(services, order) == 0


async def test_a_batch_decides_each_item_on_its_own(client, services):
    lab, _unit, order, writer = await _world(services)
    batch = {
        "results": [
            result_body(lab, order),
            result_body(lab, order, rid="NOSUCHRID0"),
            result_body(lab, order, analysis_code="XYZ-9", lab_result_id="X"),
            result_body(lab, order),
            result_body(
                lab,
                order,
                analysis_code=lab.analysis_code("PEP-NG"),
                lab_result_id=f"{order.rid}-NG",
            ),
        ]
    }
    answer = await client.post(f"{URL}/batch", json=batch, headers=writer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [i["outcome"] for i in body["items"]] == [
        "created",
        "refused",
        "refused",
        "duplicate",
        "created",
    ]
    assert [i["problem"]["type"] if i["problem"] else None for i in body["items"]] == [
        None,
        "/problems/order-not-found",
        "/problems/validation",
        None,
        None,
    ]
    assert body["items"][3]["result_id"] == body["items"][0]["result_id"]
    assert (body["created"], body["duplicate"], body["refused"]) == (2, 1, 2)
    assert body["items"][4]["order_status"] == "answered"
    assert await _results(services, order) == 2
    assert await _events(services, order, "result_available") == 1
    assert await _events(services, order, "result_to_care_unit") == 2


async def test_a_batch_of_more_than_1000_is_refused_whole(client, services):
    lab, _unit, order, writer = await _world(services)
    answer = await client.post(
        f"{URL}/batch", json={"results": [result_body(lab, order)] * 1001}, headers=writer
    )
    assert answer.status_code == 422
    assert await _results(services, order) == 0


async def test_an_idempotency_key_replays_without_writing_and_refuses_another_body(
    client, services
):
    lab, _unit, order, writer = await _world(services)
    key = {"Idempotency-Key": f"results-{uuid.uuid4().hex}"}
    first = await client.post(URL, json=result_body(lab, order), headers={**writer, **key})
    assert first.status_code == 201
    again = await client.post(URL, json=result_body(lab, order), headers={**writer, **key})
    assert again.status_code == 200
    assert again.json()["outcome"] == "duplicate"
    assert again.json()["result_id"] == first.json()["result_id"]
    other = await client.post(
        URL, json=result_body(lab, order, lab_version=2), headers={**writer, **key}
    )
    assert other.status_code == 409
    assert other.json()["type"] == "/problems/idempotency-key-reused"
    assert await _results(services, order) == 1


async def test_results_reach_the_care_units_system_once_and_are_polled_with_a_lease(
    client, services
):
    lab, unit, order, writer = await _world(services)
    reader = await client_token(services, scopes=("results:read",), care_unit_ids=(unit,))
    other_unit = await create_care_unit(services)
    stranger = await client_token(services, scopes=("results:read",), care_unit_ids=(other_unit,))
    posted = await client.post(URL, json=result_body(lab, order), headers=writer)
    assert posted.status_code == 201
    assert await _drain(services) >= 2
    # Delivered once, whatever the drain repeats.
    assert (
        await scalar(
            services,
            "SELECT count(*) FROM care_unit_result_deliveries WHERE care_unit_id = :unit",
            unit=unit,
        )
        == 1
    )
    assert (
        await scalar(
            services, "SELECT count(*) FROM inbox_messages WHERE order_id = :id", id=order.id
        )
        == 1
    )
    claim = await client.post(f"{URL}/claims", json={"limit": 10}, headers={**reader, **_key()})
    assert claim.status_code == 200, claim.text
    [handed] = claim.json()["results"]
    assert handed["result_id"] == posted.json()["result_id"]
    assert handed["personnummer"] == "199001012385"
    assert handed["values"][0]["value"] == "Påvisad"
    assert handed["handed_out"] == 1
    # Held by the lease: neither the same system's other poller nor another unit gets it.
    assert (await client.post(f"{URL}/claims", json={}, headers={**reader, **_key()})).json()[
        "results"
    ] == []
    assert (await client.post(f"{URL}/claims", json={}, headers={**stranger, **_key()})).json()[
        "results"
    ] == []
    # The lease runs out unacknowledged: handed out again, and the old lease cannot settle it.
    services.now_override = services.now() + timedelta(seconds=121)
    again = (await client.post(f"{URL}/claims", json={}, headers={**reader, **_key()})).json()
    assert [r["handed_out"] for r in again["results"]] == [2]
    late = await client.post(
        f"{URL}/acknowledgements",
        json={"lease_id": claim.json()["lease_id"], "delivery_ids": [handed["delivery_id"]]},
        headers={**reader, **_key()},
    )
    assert late.json() == {"acknowledged": [], "not_acknowledged": [handed["delivery_id"]]}
    ack = await client.post(
        f"{URL}/acknowledgements",
        json={"lease_id": again["lease_id"], "delivery_ids": [handed["delivery_id"]]},
        headers={**reader, **_key()},
    )
    assert ack.json() == {"acknowledged": [handed["delivery_id"]], "not_acknowledged": []}
    # Settled: never handed out again (still within the tokens' lifetime).
    services.now_override = services.now() + timedelta(seconds=150)
    assert (await client.post(f"{URL}/claims", json={}, headers={**reader, **_key()})).json()[
        "results"
    ] == []


async def _audited(services, client_id: str, action: str) -> list[tuple[bytes | None, str]]:
    async with services.uow() as uow:
        rows = await uow.session.execute(
            text(
                "SELECT patient_hash, details->>'result_id' AS result_id FROM audit_log"
                " WHERE actor_id = :c AND action = :a ORDER BY id"
            ),
            {"c": client_id, "a": action},
        )
        return [(r.patient_hash, r.result_id) for r in rows]


async def test_result_claims_take_an_idempotency_key_and_audit_each_patient_handed_out(
    client, services
):
    """As order claims: the key is required; a retry with it hands out the results still
    held under the first lease (audited again, with the patient); another body is 409. An
    acknowledgement retried with its key answers as things are now."""
    lab, unit, order, writer = await _world(services)
    reader = await client_token(services, scopes=("results:read",), care_unit_ids=(unit,))
    client_id = services.integration_tokens.verify(
        reader["Authorization"].removeprefix("Bearer "), now=services.now()
    ).client_id
    posted = await client.post(URL, json=result_body(lab, order), headers=writer)
    assert posted.status_code == 201
    await _drain(services)
    without_key = await client.post(f"{URL}/claims", json={}, headers=reader)
    assert without_key.status_code == 422
    assert [e["field"] for e in without_key.json()["errors"]] == ["header.Idempotency-Key"]

    key = _key()
    first = await client.post(f"{URL}/claims", json={"limit": 5}, headers={**reader, **key})
    retry = await client.post(f"{URL}/claims", json={"limit": 5}, headers={**reader, **key})
    other = await client.post(f"{URL}/claims", json={"limit": 6}, headers={**reader, **key})

    assert first.status_code == 200, first.text
    assert retry.json() == first.json()
    [handed] = first.json()["results"]
    assert handed["result_id"] == posted.json()["result_id"]
    assert (other.status_code, other.json()["type"]) == (409, "/problems/idempotency-key-reused")
    patient = services.protector.lookup_hash(CITIZEN)
    result_id = posted.json()["result_id"]
    assert await _audited(services, client_id, "results_claimed") == [(patient, result_id)]
    assert await _audited(services, client_id, "results_claim_replayed") == [(patient, result_id)]

    ack_key = _key()
    ack_body = {"lease_id": first.json()["lease_id"], "delivery_ids": [handed["delivery_id"]]}
    ack = await client.post(f"{URL}/acknowledgements", json=ack_body, headers={**reader, **ack_key})
    ack_again = await client.post(
        f"{URL}/acknowledgements", json=ack_body, headers={**reader, **ack_key}
    )
    assert ack.json() == {"acknowledged": [handed["delivery_id"]], "not_acknowledged": []}
    assert ack_again.json() == ack.json()
    # Acknowledged: the claim's key now answers with nothing held.
    settled = await client.post(f"{URL}/claims", json={"limit": 5}, headers={**reader, **key})
    assert settled.json()["results"] == []


async def test_a_batch_costs_the_same_statements_whatever_its_size(client, services):
    """Set-based intake (ADR 8): a batch of 100 results sends exactly as many statements as
    a batch of 10 — reads, the insert, the Besvarad update, the outbox and the audit are each
    one statement over the whole batch."""
    lab = await create_lab(services)
    unit = await create_care_unit(services)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))

    async def batch_of(results: int) -> int:
        orders = [
            await create_sampled_order(services, lab, care_unit_id=unit)
            for _ in range(results // 2)
        ]
        body = {
            "results": [
                result_body(
                    lab,
                    order,
                    analysis_code=lab.analysis_code(product),
                    lab_result_id=f"{order.rid}-{product}",
                )
                for order in orders
                for product in ("PEP-CT", "PEP-NG")
            ]
        }

        async def post():  # type: ignore[no-untyped-def]
            answer = await client.post(f"{URL}/batch", json=body, headers=writer)
            assert answer.json()["created"] == results, answer.text
            return answer

        return await statements_sent(services, post)

    ten, hundred = await batch_of(10), await batch_of(100)
    assert ten == hundred, (ten, hundred)
