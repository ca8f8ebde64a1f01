"""An example integration client: a laboratory system that takes orders and answers them.

Against `make run` (development) with the demo laboratory client:

    python -m adapters.demo_data --integration     # prints the demo client id and secret
    python examples/integration_client.py --base-url http://localhost:8000 \\
        --client-id pep-demo-kul --client-secret demo-kul-secret-development-only-not-for-production

What it does, the way a real poller would:
1. gets an access token (OAuth2 client credentials, HTTP Basic) and renews it before it
   runs out;
2. claims waiting orders under a lease (several copies of this program may run at once:
   each order goes to one of them), processes them, and acknowledges them;
3. sets an order's status (here: a `handled` order whose sample arrives becomes `sampled`,
   with the sampling time from the sampling system);
4. posts results, natively and as a FHIR transaction Bundle, where the server offers the
   result endpoints (`--results`).
Every unsafe call carries an Idempotency-Key, kept for its retries.

Only httpx is needed."""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx


class IntegrationClient:
    def __init__(self, http: httpx.AsyncClient, client_id: str, client_secret: str) -> None:
        self.http = http
        self.client_id = client_id
        self.client_secret = client_secret
        self._token: str | None = None
        self._token_expires = 0.0

    async def token(self) -> str:
        # Renew a little before expiry: tokens are short-lived and there is no refresh token.
        if self._token is None or time.monotonic() > self._token_expires - 30:
            answer = await self.http.post(
                "/oauth/token",
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self.client_secret),
            )
            answer.raise_for_status()
            body = answer.json()
            self._token = body["access_token"]
            self._token_expires = time.monotonic() + body["expires_in"]
        assert self._token is not None
        return self._token

    async def call(
        self, method: str, path: str, *, body: Any = None, idempotent: bool = False, **params: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {await self.token()}"}
        if idempotent:
            # One key per intended change, reused for its retries.
            headers["Idempotency-Key"] = uuid.uuid4().hex
        for attempt in range(3):
            try:
                return await self.http.request(
                    method, path, json=body, headers=headers, params=params or None
                )
            except httpx.TransportError:
                if attempt == 2:
                    raise
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    async def claim(self, limit: int = 50, lease_seconds: int = 120) -> list[dict[str, Any]]:
        answer = await self.call(
            "POST",
            "/api/integration/v1/orders/claim",
            body={"limit": limit, "lease_seconds": lease_seconds},
            idempotent=True,
        )
        answer.raise_for_status()
        orders: list[dict[str, Any]] = answer.json()["orders"]
        return orders

    async def acknowledge(self, orders: list[dict[str, Any]]) -> int:
        if not orders:
            return 0
        answer = await self.call(
            "POST",
            "/api/integration/v1/orders/ack",
            body={"lease_ids": [o["lease"]["lease_id"] for o in orders]},
            idempotent=True,
        )
        answer.raise_for_status()
        acknowledged: int = answer.json()["acknowledged"]
        return acknowledged

    async def set_status(self, order_id: str, change: dict[str, Any]) -> httpx.Response:
        return await self.call(
            "POST", f"/api/integration/v1/orders/{order_id}/status", body=change, idempotent=True
        )

    async def post_result_native(self, order: dict[str, Any]) -> httpx.Response | None:
        """One result per order line in the laboratory's codes (the results API)."""
        line = order["lines"][0]
        answer = await self.call(
            "POST",
            "/api/integration/v1/results",
            body={
                "rid": order["rid"],
                "line_no": line["line_no"],
                "analysis_code": line["lab_code"],
                "value": "Ej påvisad",
                "unit": None,
                "reference_range": "Ej påvisad",
                "sampling_date": (order["sampled_at"] or date.today().isoformat())[:10],
                "lab_result_id": f"EX-{order['rid']}-{line['line_no']}",
                "lab_version": 1,
                "insight": "negative",
            },
            idempotent=True,
        )
        return None if answer.status_code == 404 and _no_route(answer) else answer

    async def post_result_fhir(self, order: dict[str, Any]) -> httpx.Response | None:
        """The same result as a FHIR R4 transaction Bundle (DiagnosticReport + Observation)."""
        line = order["lines"][0]
        observation_id = f"urn:uuid:{uuid.uuid4()}"
        bundle = {
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [
                {
                    "fullUrl": observation_id,
                    "resource": {
                        "resourceType": "Observation",
                        "status": "final",
                        "identifier": [{"value": f"EXF-{order['rid']}-{line['line_no']}"}],
                        "code": {"coding": [{"code": line["lab_code"]}]},
                        "valueString": "Ej påvisad",
                        "effectiveDateTime": order["sampled_at"],
                    },
                    "request": {"method": "POST", "url": "Observation"},
                },
                {
                    "resource": {
                        "resourceType": "DiagnosticReport",
                        "status": "final",
                        "identifier": [{"value": order["rid"]}],
                        "code": {"coding": [{"code": line["lab_code"]}]},
                        "result": [{"reference": observation_id}],
                    },
                    "request": {"method": "POST", "url": "DiagnosticReport"},
                },
            ],
        }
        answer = await self.call("POST", "/api/integration/v1/fhir", body=bundle, idempotent=True)
        return None if answer.status_code == 404 and _no_route(answer) else answer


def _no_route(answer: httpx.Response) -> bool:
    # A 404 for a path the server does not have (results API not there yet), not for an
    # unknown RID.
    problem_type: object = answer.json().get("type")
    return problem_type == "/problems/not-found"


async def run(
    http: httpx.AsyncClient,
    client_id: str,
    client_secret: str,
    *,
    results: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """One round: claim everything waiting, sample what is only handled, post results where
    asked, acknowledge. Returns counts of what was done."""
    client = IntegrationClient(http, client_id, client_secret)
    counts = {"claimed": 0, "sampled": 0, "results": 0, "acknowledged": 0}
    while orders := await client.claim():
        counts["claimed"] += len(orders)
        for order in orders:
            log(f"order {order['rid']} {order['status']} {order['personnummer'][:8]}…")
            if order["status"] == "handled":
                answer = await client.set_status(
                    order["id"],
                    {"status": "sampled", "sampled_at": datetime.now(UTC).isoformat()},
                )
                if answer.status_code == 200:
                    counts["sampled"] += 1
                else:
                    log(f"  could not sample: {answer.json().get('title')}")
            if results and order["status"] == "sampled":
                for post in (client.post_result_native, client.post_result_fhir):
                    posted = await post(order)
                    if posted is not None and posted.status_code < 300:
                        counts["results"] += 1
        counts["acknowledged"] += await client.acknowledge(orders)
    log(f"done: {counts}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://localhost:8000")
    parser.add_argument("--client-id", default="pep-demo-kul")
    parser.add_argument(
        "--client-secret", default="demo-kul-secret-development-only-not-for-production"
    )
    parser.add_argument("--results", action="store_true", help="also post results")
    args = parser.parse_args()

    async def go() -> None:
        async with httpx.AsyncClient(base_url=args.base_url, timeout=30) as http:
            await run(http, args.client_id, args.client_secret, results=args.results)

    asyncio.run(go())


if __name__ == "__main__":
    main()
