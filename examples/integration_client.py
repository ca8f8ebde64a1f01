"""An example integration client: a laboratory system that takes orders and answers them.

Against `make run` (development) with the demo laboratory client (Karolinska
Universitetslaboratoriet, KUL, every scope):

    .venv/bin/python -m adapters.demo_data --integration   # prints the demo client id and secret
    .venv/bin/python examples/integration_client.py --base-url http://localhost:8000 \\
        --client-id pep-demo-kul \\
        --client-secret demo-kul-secret-development-only-not-for-production --results

What it does, the way a real poller would (examples/README.md):
1. gets an access token (OAuth2 client credentials, HTTP Basic) and renews it before it
   runs out;
2. claims waiting orders under a lease (several copies of this program may run at once:
   each order goes to one of them), processes them, and acknowledges them;
3. sets an order's status (here: a `handled` order whose sample arrives becomes `sampled`,
   with the sampling time from the sampling system);
4. with `--results`, answers every line of a `sampled` order: the first line with the
   native results API (`POST /api/integration/v1/results`), the other lines as one FHIR R4
   transaction Bundle of a DiagnosticReport and its Observations (`POST /fhir`,
   `application/fhir+json`). The order becomes Besvarad when every line has a result.
Every unsafe call of the native API carries an Idempotency-Key, kept for its retries. The
FHIR transaction takes none: a result is idempotent by the laboratory's result id and version
(sent again, it is answered `200 OK` with the outcome `duplicate` and nothing changes).

Only httpx is needed."""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

# The FHIR systems the server reads (GET /fhir/metadata describes the view).
FHIR_BASE = "https://egenprovhantering.se/fhir"
FHIR_RID = f"{FHIR_BASE}/sid/rid"  # the order's RID
FHIR_INSIGHT = f"{FHIR_BASE}/CodeSystem/insight"  # positive, negative, technical_error, answer
FHIR_LAB_CODES = f"{FHIR_BASE}/CodeSystem/laboratory-analysis/"  # + the laboratory's code
FHIR_LAB_RESULTS = f"{FHIR_BASE}/sid/laboratory-result/"  # + the laboratory's code
FHIR_JSON = "application/fhir+json"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
STORED = ("created", "corrected")


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
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        idempotent: bool = False,
        content_type: str | None = None,
        **params: Any,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {await self.token()}"}
        if idempotent:
            # One key per intended change, reused for its retries.
            headers["Idempotency-Key"] = uuid.uuid4().hex
        if content_type is not None:
            headers["Content-Type"] = content_type
            headers["Accept"] = content_type
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

    async def post_result(self, order: dict[str, Any], line: dict[str, Any]) -> httpx.Response:
        """One result for one order line in the laboratory's codes (`postResult`): 201 with
        the outcome `created` or `corrected`, 200 `duplicate` or `superseded`, otherwise a
        problem+json."""
        return await self.call(
            "POST",
            "/api/integration/v1/results",
            body={
                "rid": order["rid"],
                "line_no": line["line_no"],
                "analysis_code": line["lab_code"],
                "value": "Ej påvisad",
                "reference_range": "Ej påvisad",
                "comment": "Inga tecken på infektion.",
                "sampling_date": sampling_date(order),
                "lab_result_id": lab_result_id(order, line),
                "lab_version": 1,
                "insight": "negative",
            },
            idempotent=True,
        )

    async def post_fhir_results(
        self, order: dict[str, Any], lines: list[dict[str, Any]]
    ) -> httpx.Response:
        """Results for `lines` as a FHIR transaction Bundle (`fhirTransaction`): all stored or
        none; 200 with a transaction-response Bundle (one entry per Observation), otherwise an
        OperationOutcome."""
        return await self.call(
            "POST", "/fhir", body=fhir_transaction(order, lines), content_type=FHIR_JSON
        )


def sampling_date(order: dict[str, Any]) -> str:
    """The sampling date in Swedish time (the order's `sampled_at` is an instant)."""
    sampled = datetime.fromisoformat(order["sampled_at"])
    return sampled.astimezone(STOCKHOLM).date().isoformat()


def lab_result_id(order: dict[str, Any], line: dict[str, Any]) -> str:
    # The laboratory's own id of the result: here made from the RID and the line.
    return f"EX-{order['rid']}-{line['line_no']}"


def fhir_transaction(order: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    """A FHIR R4 transaction Bundle: one DiagnosticReport naming the order (its RID in
    `basedOn`) and the sampling date (`effectiveDateTime`), and one Observation per line —
    the analysis in the laboratory's code system, the laboratory's result id (`identifier`)
    and version (`meta.versionId`), the value, reference range and a note."""
    laboratory = order["laboratory"]["code"]
    observations = [
        {
            "fullUrl": f"urn:uuid:{uuid.uuid4()}",
            "resource": {
                "resourceType": "Observation",
                "meta": {"versionId": "1"},
                "status": "final",
                "identifier": [
                    {"system": FHIR_LAB_RESULTS + laboratory, "value": lab_result_id(order, line)}
                ],
                "code": {
                    "coding": [{"system": FHIR_LAB_CODES + laboratory, "code": line["lab_code"]}],
                    "text": line["product_name"],
                },
                "valueString": "Ej påvisad",
                "referenceRange": [{"text": "Ej påvisad"}],
                "note": [{"text": "Inga tecken på infektion."}],
            },
            "request": {"method": "POST", "url": "Observation"},
        }
        for line in lines
    ]
    report = {
        "fullUrl": f"urn:uuid:{uuid.uuid4()}",
        "resource": {
            "resourceType": "DiagnosticReport",
            "status": "final",
            "code": {"text": ", ".join(line["product_name"] for line in lines)},
            "basedOn": [{"identifier": {"system": FHIR_RID, "value": order["rid"]}}],
            "effectiveDateTime": sampling_date(order),
            "conclusionCode": [{"coding": [{"system": FHIR_INSIGHT, "code": "negative"}]}],
            "result": [{"reference": o["fullUrl"]} for o in observations],
        },
        "request": {"method": "POST", "url": "DiagnosticReport"},
    }
    return {"resourceType": "Bundle", "type": "transaction", "entry": [report, *observations]}


def _refusal(answer: httpx.Response) -> str:
    body = answer.json()
    if body.get("resourceType") == "OperationOutcome":
        return "; ".join(str(issue.get("diagnostics")) for issue in body["issue"])
    return " — ".join(str(part) for part in (body.get("title"), body.get("detail")) if part)


async def answer_order(
    client: IntegrationClient, order: dict[str, Any], log: Callable[[str], None]
) -> tuple[int, int]:
    """Posts a result for every line of a sampled order: the first natively, the others as
    one FHIR transaction. Returns how many results each stored (created or corrected)."""
    lines = [line for line in order["lines"] if line["lab_code"]]
    if not lines:
        return 0, 0
    native = fhir = 0
    answer = await client.post_result(order, lines[0])
    if answer.status_code in (200, 201):
        outcome, status = answer.json()["outcome"], answer.json()["order_status"]
        native += outcome in STORED
        log(f"  line {lines[0]['line_no']}: {outcome} (native), order {status}")
    else:
        log(f"  line {lines[0]['line_no']} refused ({answer.status_code}): {_refusal(answer)}")
    if len(lines) > 1:
        answer = await client.post_fhir_results(order, lines[1:])
        if answer.status_code == 200:
            for line, entry in zip(lines[1:], answer.json()["entry"], strict=True):
                outcome = entry["response"]["outcome"]["issue"][0]["diagnostics"]
                fhir += outcome in STORED
                log(f"  line {line['line_no']}: {outcome} (FHIR {entry['response']['status']})")
        else:
            log(f"  FHIR transaction refused ({answer.status_code}): {_refusal(answer)}")
    return native, fhir


async def run(
    http: httpx.AsyncClient,
    client_id: str,
    client_secret: str,
    *,
    results: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, int]:
    """Claims until nothing waits: samples what is only handled, answers what is sampled
    (with `results`), acknowledges every order claimed. Returns counts of what was done:
    orders claimed, sampled and acknowledged, results stored natively and through FHIR."""
    client = IntegrationClient(http, client_id, client_secret)
    counts = {"claimed": 0, "sampled": 0, "native_results": 0, "fhir_results": 0, "acknowledged": 0}
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
                    log(f"  could not sample: {_refusal(answer)}")
            elif results and order["status"] == "sampled":
                native, fhir = await answer_order(client, order, log)
                counts["native_results"] += native
                counts["fhir_results"] += fhir
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
    parser.add_argument(
        "--results", action="store_true", help="also answer sampled orders (native and FHIR)"
    )
    args = parser.parse_args()

    async def go() -> None:
        async with httpx.AsyncClient(base_url=args.base_url, timeout=30) as http:
            await run(http, args.client_id, args.client_secret, results=args.results)

    asyncio.run(go())


if __name__ == "__main__":
    main()
