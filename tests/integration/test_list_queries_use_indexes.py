"""Every citizen and staff list and search plans no sequential scan of a large table
(issue 12: flat latency at national volume).

**Which statements.** Exactly those the service sends: each scenario of the national-volume
bench (`bench.national_lists.SCENARIOS`, the single list of "every list and search") is
requested through the real HTTP stack as its user, and every statement it sends — through
SQLAlchemy on both engines, and as prepared queries on the driver — is recorded with its
parameters, then planned with `EXPLAIN (FORMAT JSON)` (not run) with those same
parameters. A plan with a `Seq Scan` of one of LARGE_TABLES fails the test, naming the
scenario, the statement and the plan. A new list gets this guard by being a bench scenario.

**Why the planner is honest here.** It is not told to avoid sequential scans (no
`enable_seqscan = off`, which would only prove that an index path exists): the database is
the test module's own, filled by the national-volume generator itself
(`bench.national_volume` at scale SCALE: ~50,000 orders, ~75,000 order lines, ~60,000
results, 30,000 cached persons (the generator's floor), ~5,000 assignments across 840 care
units, and the audit log, label prints, integration queues, inbox and worklist rows that go
with them), then VACUUM ANALYZEd. At that size a list of one care unit, one citizen or one
laboratory reads a few per cent of a table or less (a page of 200 names: 0.7 % of the
cache), so the cheapest plan is an index path when one exists and a sequential scan when
none does — the same choice PostgreSQL makes at national volume, where the tables are a
hundred times larger. (Generating also proves the generator still fits the schema at
head.)
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from adapters.db.repositories import PreparedQuery
from adapters.settings import Settings
from api.app import create_app
from api.services import Services, build_services
from bench import national_lists, national_volume
from tests.support import environment
from tests.support.browserless_login import login
from tests.support.doubles import TestHsaDirectory, TestPersonRegister

SCALE = 0.01
BASE_URL = "https://testserver"
LARGE_TABLES = frozenset(
    {
        "orders",
        "order_lines",
        "results",
        "assigned_offers",
        "person_cache",
        "audit_log",
        "integration_deliveries",
        "label_prints",
        "care_unit_result_deliveries",
        "inbox_messages",
        "worklist_entries",
    }
)
# Not here: tables of a row per followed-up positive result or per notification sent
# (worklist_comments, treatment_takeovers, notification_deliveries) — small at any volume,
# and empty in this database, where scanning an empty table is the right plan.


@pytest.fixture(scope="module")
def national_database() -> Iterator[str]:
    name, url = environment.create_database("pep_list_plans")
    try:
        # In a thread: the generator runs its own event loop (migrations, demo data), and
        # in this process (jobs=0): no fork inside the test run.
        with ThreadPoolExecutor(max_workers=1) as executor:
            executor.submit(national_volume.generate, url, scale=SCALE, jobs=0).result()
        yield url
    finally:
        environment.drop_database(name)


@pytest.fixture(scope="module")
async def national_app(national_database: str, redis_prefix: str) -> AsyncIterator[FastAPI]:
    settings = Settings(
        environment="test",
        database_url=national_database,
        redis_url=environment.REDIS_URL,
        redis_prefix=f"{redis_prefix}-plans",
        public_base_url=BASE_URL,
        idp_key_file=f"{tempfile.mkdtemp(prefix='pep-plans-')}/key.json",
        citizen_app_dist="/nonexistent",
        professional_app_dist="/nonexistent",
    )
    services = build_services(settings)
    services.person_register = TestPersonRegister()
    services.hsa = TestHsaDirectory()
    application = create_app(settings, services=services)
    for client in services.oidc.values():
        client.transport = httpx.ASGITransport(app=application)
    yield application
    await services.aclose()


@dataclass(frozen=True, slots=True)
class Sent:
    sql: str
    args: tuple[Any, ...]


class Recorder:
    """The statements the service sends while recording (both engines, prepared queries)."""

    def __init__(self, services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[Sent] = []
        self.recording = False
        self._engines = [services.engine.sync_engine, services.read_engine.sync_engine]
        for engine in self._engines:
            event.listen(engine, "before_cursor_execute", self._on_execute)
        original = PreparedQuery.fetch
        recorder = self

        async def fetch(query: PreparedQuery, executor: Any, **params: Any) -> list[Any]:
            if recorder.recording:
                recorder.sent.append(Sent(query.sql, tuple(params[n] for n in query.names)))
            return await original(query, executor, **params)

        monkeypatch.setattr(PreparedQuery, "fetch", fetch)

    def _on_execute(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any
    ) -> None:
        if self.recording:
            self.sent.append(Sent(statement, tuple(parameters or ())))

    def close(self) -> None:
        for engine in self._engines:
            event.remove(engine, "before_cursor_execute", self._on_execute)


@pytest.fixture(scope="module")
async def sessions(national_app: FastAPI) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A browser per bench user, logged in (staff with the scenario's care unit chosen)."""
    clients: dict[str, httpx.AsyncClient] = {}
    for scenario in national_lists.SCENARIOS:
        actor = national_lists._actors(scenario)[0]
        if actor in clients or actor.startswith("client:"):
            continue
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=national_app, raise_app_exceptions=False),
            base_url=BASE_URL,
        )
        kind, _, who = actor.partition(":")
        key, _, unit = who.partition("@")
        csrf = await login(http, kind=kind, key=key)
        http.headers["X-CSRF-Token"] = csrf
        if unit:
            me = (await http.get("/api/staff/me")).json()
            chosen = next(a for a in me["assignments"] if a["care_unit_hsa_id"] == unit)
            await http.put("/api/staff/context", json={"assignment_id": chosen["assignment_id"]})
        clients[actor] = http
    yield clients
    for http in clients.values():
        await http.aclose()


async def _client_token(app: FastAPI, client_id: str) -> str:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        response = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(client_id, national_lists._secrets()[client_id]),
        )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _sequential_scans(plan: dict[str, Any]) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in LARGE_TABLES:
        found.append(f"Seq Scan on {plan['Relation Name']} (rows≈{plan.get('Plan Rows')})")
    for child in plan.get("Plans", []):
        found += _sequential_scans(child)
    return found


async def _explain(services: Services, sent: Sent) -> dict[str, Any]:
    async with services.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        document = await driver.fetchval("EXPLAIN (FORMAT JSON) " + sent.sql, *sent.args)
    plan: dict[str, Any] = (json.loads(document) if isinstance(document, str) else document)[0]
    return plan


_PLANNED = ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")


async def _operations(app: FastAPI) -> set[str]:
    return {
        operation["operationId"]
        for path in app.openapi()["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


@pytest.mark.parametrize("scenario", national_lists.SCENARIOS, ids=lambda s: s.name)
async def test_list_plans_no_sequential_scan_of_a_large_table(
    scenario, national_app, sessions, monkeypatch
):
    if scenario.operation is not None and scenario.operation not in await _operations(national_app):
        pytest.skip(f"the app has no {scenario.operation} yet")
    services: Services = national_app.state.services
    actor = national_lists._actors(scenario)[0]
    headers = {k: v for k, v in scenario.headers.items() if "{csrf}" not in v}
    headers = {k: v.replace("{run}-{n}", f"plans-{scenario.name}") for k, v in headers.items()}
    if actor.startswith("client:"):
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=national_app, raise_app_exceptions=False),
            base_url=BASE_URL,
        )
        headers["Authorization"] = f"Bearer {await _client_token(national_app, actor[7:])}"
    else:
        http = sessions[actor]
    path = scenario.path
    if scenario.cursor_of:
        first = (await http.get(scenario.cursor_of, headers=headers)).json()
        path = path.replace("{cursor}", first["next_cursor"])
    recorder = Recorder(services, monkeypatch)
    recorder.recording = True
    try:
        response = await http.request(scenario.method, path, headers=headers, content=scenario.body)
    finally:
        recorder.recording = False
        recorder.close()
        if actor.startswith("client:"):
            await http.aclose()
    assert response.status_code == 200, response.text
    planned = [s for s in recorder.sent if s.sql.lstrip().upper().startswith(_PLANNED)]
    assert planned, "the scenario sent no statement at all: is it recorded?"
    scans = []
    for sent in planned:
        plan = await _explain(services, sent)
        found = _sequential_scans(plan["Plan"])
        if found:
            scans.append(
                f"{'; '.join(found)}\n  in: {' '.join(sent.sql.split())[:600]}\n"
                f"  plan: {json.dumps(plan['Plan'])[:1500]}"
            )
    assert not scans, f"{scenario.name} ({scenario.description}):\n" + "\n".join(scans)


async def test_the_guard_sees_a_sequential_scan_where_no_index_serves_the_filter(national_app):
    """The planner here does scan a large table when no index helps (a rejection reason is
    not indexed), and the walk of the plan finds it: the test above can fail."""
    services: Services = national_app.state.services
    plan = await _explain(
        services, Sent("SELECT id FROM orders WHERE rejection_reason = $1", ("bench",))
    )
    assert _sequential_scans(plan["Plan"]) != []
