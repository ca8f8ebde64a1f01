"""examples/integration_client.py runs against the service (in-process ASGI transport):
it gets a token, claims, samples handled orders, and acknowledges what it holds."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import httpx

from api.services import Services
from tests.integration.test_integration_api import (
    create_integration_client,
    own_sampling_unit,
    seed_orders,
)
from tests.support.factories import StaffClient

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "integration_client.py"


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
    assert counts == {"claimed": 6, "sampled": 3, "results": 0, "acknowledged": 3}, lines
    assert again == {"claimed": 0, "sampled": 0, "results": 0, "acknowledged": 0}
