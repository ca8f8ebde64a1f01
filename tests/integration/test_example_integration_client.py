"""examples/integration_client.py runs against the service (in-process ASGI transport):
it gets a token, claims, samples handled orders, answers sampled ones (natively and as a
FHIR transaction Bundle) and acknowledges what it holds; what it stored is read back from the
database and through the citizen's own API."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from api.services import Services
from tests.integration.test_integration_api import (
    ALL_SCOPES,
    create_integration_client,
    own_sampling_unit,
    seed_orders,
)
from tests.support.browserless_login import login
from tests.support.factories import StaffClient, create_laboratory, create_sampling_unit

TOLVAN = "199012129897"  # a test person who can log in to the citizen app
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "integration_client.py"
VALUE = {"value": "Ej påvisad", "unit": None, "reference_range": "Ej påvisad", "flag": None}
NOTHING = {"claimed": 0, "sampled": 0, "native_results": 0, "fhir_results": 0, "acknowledged": 0}


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("integration_client_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_example_client_claims_samples_and_acknowledges_every_waiting_order(
    regional_admin: StaffClient, app: Any, services: Services
) -> None:
    unit, _ = await own_sampling_unit(regional_admin)  # serving one laboratory
    client_id, secret, _ = await create_integration_client(regional_admin, sampling_unit_ids=[unit])
    await seed_orders(
        services, laboratory_code=None, count=3, status="handled", sampling_unit_id=unit
    )
    lines: list[str] = []

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as http:
        counts = await _example().run(http, client_id, secret, log=lines.append)
        again = await _example().run(http, client_id, secret, log=lines.append)

    # Handled orders are claimed and sampled; the change of status queues each again (as
    # sampled), which ends the first lease (its acknowledgement answers false); the second
    # hand-out is acknowledged, and then nothing waits.
    assert counts == {
        "claimed": 6,
        "sampled": 3,
        "native_results": 0,
        "fhir_results": 0,
        "acknowledged": 3,
    }, lines
    assert again == NOTHING


async def test_example_client_answers_sampled_orders_natively_and_as_fhir(
    regional_admin: StaffClient,
    app: Any,
    services: Services,
    new_client: Callable[[], httpx.AsyncClient],
) -> None:
    # The client's own laboratory (both products mapped) and a sampling unit serving it.
    lab = await create_laboratory(
        regional_admin,
        products=("PEP-CT", "PEP-NG"),
        customers=("SE2321000016-A001", "SE2321000016-A002", "SE2321000016-A003"),
    )
    unit = await create_sampling_unit(regional_admin, laboratory_codes=[lab])
    client_id, secret, _ = await create_integration_client(
        regional_admin, laboratory_codes=[lab], sampling_unit_ids=[unit], scopes=ALL_SCOPES
    )
    # Two orders of Tolvan sampled for the laboratory (two lines each), one handled at the
    # sampling unit (one line): the example samples it, then answers it.
    sampled = await seed_orders(
        services,
        laboratory_code=lab,
        count=2,
        status="sampled",
        personnummer=TOLVAN,
        products=("PEP-CT", "PEP-NG"),
    )
    (handled,) = await seed_orders(
        services,
        laboratory_code=None,
        count=1,
        status="handled",
        sampling_unit_id=unit,
        personnummer=TOLVAN,
    )
    lines: list[str] = []

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://testserver"
    ) as http:
        counts = await _example().run(http, client_id, secret, results=True, log=lines.append)
        again = await _example().run(http, client_id, secret, results=True, log=lines.append)

    # Claimed: the two sampled orders and the handled one, which is sampled, queued again and
    # claimed once more (its first lease ends unacknowledged); each sampled order's first
    # line is answered natively, its second through FHIR: 3 native results, 2 FHIR.
    assert counts == {
        "claimed": 4,
        "sampled": 1,
        "native_results": 3,
        "fhir_results": 2,
        "acknowledged": 3,
    }, lines
    assert again == NOTHING
    order_ids = [*sampled, handled]
    async with services.uow() as uow:
        rows = (
            await uow.session.execute(
                text(
                    "SELECT o.id, o.rid, o.status, l.line_no, r.version, r.lab_result_id,"
                    " r.lab_version, r.source, r.insight FROM orders o"
                    " JOIN order_lines l ON l.order_id = o.id"
                    " LEFT JOIN results r ON r.order_line_id = l.id"
                    " WHERE o.id = ANY(:ids) ORDER BY o.id, l.line_no"
                ),
                {"ids": order_ids},
            )
        ).all()
        waiting = (
            await uow.session.execute(
                text(
                    "SELECT count(*) FROM integration_deliveries d"
                    " JOIN integration_clients c ON c.id = d.client_id"
                    " WHERE c.client_id = :client"
                ),
                {"client": client_id},
            )
        ).scalar_one()
    lines_of = {order_id: 2 if order_id in sampled else 1 for order_id in order_ids}
    assert sorted((r.id, r.line_no) for r in rows) == sorted(
        (order_id, n) for order_id, count in lines_of.items() for n in range(1, count + 1)
    )
    # Every line has exactly one result (version 1 of the example's result id), and every
    # order is Besvarad.
    assert {
        (r.status, r.version, r.lab_result_id, r.lab_version, r.source, r.insight) for r in rows
    } == {("answered", 1, f"EX-{r.rid}-{r.line_no}", 1, "electronic", "negative") for r in rows}
    # Every hand-out acknowledged: nothing of the client's waits or is leased.
    assert waiting == 0

    # Tolvan sees her orders answered, every line with its result.
    citizen = new_client()
    await login(citizen, kind="citizen", key="tolvan")
    for order_id in order_ids:
        shown = await citizen.get(f"/api/citizen/orders/{order_id}")
        assert shown.status_code == 200, shown.text
        assert shown.json()["status"] == "answered"
        assert shown.json()["results"] == lines_of[order_id]
        assert [
            (line["line_no"], line["result"]["insight"], line["result"]["values"])
            for line in shown.json()["lines"]
        ] == [
            (n, "negative", [{**VALUE, "analysis": line["product_name"]}])
            for n, line in enumerate(shown.json()["lines"], start=1)
        ]
