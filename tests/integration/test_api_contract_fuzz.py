"""Schemathesis over the whole OpenAPI document (openapi/openapi.json), once as a logged-in
citizen, once as a central administrator and once as an integration client holding all four
scopes (a bearer token from `/oauth/token` for a client the fuzz creates, of the demo data's
laboratories, sampling units and care units): whatever it sends, the answer is never a server
error, and its status code, content type and body are the ones the document promises.

Bounded and repeatable, with a fixed seed and no deadline. On the role's own operations:
schemathesis' valid coverage cases (each field at its boundaries, the others valid, which is
what reaches the use cases and the database) and a few generated ones, valid and invalid;
elsewhere a few generated ones show that the refusal (401/403) is within the contract too.

The fuzz creates what it manages to create, so it runs on a database of its own (created,
migrated and loaded with the demo data here, dropped at the end) with an application of its
own: the exact assertions of the other tests never see its rows. Hypothesis drives the
examples synchronously; the application runs on an event loop in a thread of its own, where its
connection pools live."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from adapters.db.engine import create_engine, create_session_factory
from adapters.demo_data import load_demo_data
from adapters.protection import DataProtector
from adapters.settings import Settings
from api.app import create_app
from api.services import build_services
from tests.support import environment
from tests.support.browserless_login import login
from tests.support.doubles import TestHsaDirectory, TestPersonRegister

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "https://testserver"
SCHEMA = schemathesis.openapi.from_path(ROOT / "openapi" / "openapi.json")
OPERATIONS: list[APIOperation] = [result.ok() for result in SCHEMA.get_all_operations()]
# Within the time a test run has (~1,200 requests): the invalid coverage cases only meet
# request validation, and methods the document does not name only meet the router.
SCHEMA.config.phases.coverage.generation.update(modes=[GenerationMode.POSITIVE])
SCHEMA.config.phases.coverage.unexpected_methods = set()

# Who the fuzz is, and which part of the document is that role's own.
ROLES = {
    "citizen": ("citizen", "tolvan", ("/api/citizen/", "/api/session", "/auth/")),
    "central_admin": ("staff", "central-admin", ("/api/admin/", "/api/staff/", "/api/session")),
    "integration": ("integration", "", ("/api/integration/", "/fhir", "/oauth/token")),
}
OWN_EXAMPLES = 5
OTHER_EXAMPLES = 2
# What the integration role's client may reach: a few of the demo data's organisations.
ORGANISATION_SIZE = 3
ALL_SCOPES = ["orders:read", "orders:write", "results:read", "results:write"]
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _load_demo_data(url: str) -> None:
    async def load() -> None:
        settings = Settings(environment="test", database_url=url)
        engine = create_engine(settings)
        protector = DataProtector(
            hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
        )
        async with create_session_factory(engine)() as session:
            await load_demo_data(session, protector=protector)
            await session.commit()
        await engine.dispose()

    environment.migrate(url)
    asyncio.run(load())


class FuzzedService:
    """The application on an event loop of its own, with one logged-in browser per role."""

    def __init__(self, database_url: str, tmp: Path) -> None:
        self.settings = Settings(
            environment="test",
            database_url=database_url,
            redis_url=environment.REDIS_URL,
            redis_prefix=f"pep-fuzz-{uuid.uuid4().hex[:10]}",
            public_base_url=BASE_URL,
            idp_key_file=str(tmp / "key.json"),
            citizen_app_dist="/nonexistent",
            professional_app_dist="/nonexistent",
        )
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.browsers: dict[str, tuple[httpx.AsyncClient, str]] = {}
        # The integration client's credentials and its current token (renewed when old).
        self.credentials: tuple[str, str] = ("", "")
        self.token: tuple[str, float] = ("", 0.0)
        self.run(self._start())

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    async def _start(self) -> None:
        self.services = build_services(self.settings)
        self.services.person_register = TestPersonRegister()
        self.services.hsa = TestHsaDirectory(spare_staff=0)
        self.app = create_app(self.settings, services=self.services)
        for client in self.services.oidc.values():
            client.transport = httpx.ASGITransport(app=self.app)
        for role in ROLES:
            await self._log_in(role)
        await self._create_integration_client()

    async def _create_integration_client(self) -> None:
        """A client of the demo data's first laboratories, sampling units and care units,
        with every scope, made as the central administrator makes one."""
        admin, csrf = self.browsers["central_admin"]
        listed = {
            path: (await admin.get(f"/api/admin/{path}")).json()
            for path in ("laboratories", "sampling-units", "care-units")
        }
        created = await admin.post(
            "/api/admin/integration-clients",
            json={
                "name": "Fuzzsystemet",
                "region_code": "01",
                "scopes": ALL_SCOPES,
                "laboratory_codes": [
                    lab["code"] for lab in listed["laboratories"][:ORGANISATION_SIZE]
                ],
                "sampling_unit_ids": [
                    unit["id"] for unit in listed["sampling-units"][:ORGANISATION_SIZE]
                ],
                "care_unit_hsa_ids": [
                    unit["hsa_id"] for unit in listed["care-units"][:ORGANISATION_SIZE]
                ],
            },
            headers={"X-CSRF-Token": csrf},
        )
        assert created.status_code == 201, created.text
        self.credentials = (created.json()["client_id"], created.json()["client_secret"])

    async def _bearer(self) -> str:
        token, issued = self.token
        if time.monotonic() - issued > 120:  # well within the token's lifetime
            browser, _ = self.browsers["integration"]
            answer = await browser.post(
                "/oauth/token",
                data={"grant_type": "client_credentials", "scope": " ".join(ALL_SCOPES)},
                auth=self.credentials,
            )
            assert answer.status_code == 200, answer.text
            token = answer.json()["access_token"]
            self.token = (token, time.monotonic())
        return token

    async def _log_in(self, role: str) -> None:
        kind, key, _ = ROLES[role]
        if kind == "integration":
            # A machine: no session, no CSRF token; a bearer token on every request.
            if role not in self.browsers:
                self.browsers[role] = (
                    httpx.AsyncClient(
                        transport=httpx.ASGITransport(app=self.app, raise_app_exceptions=False),
                        base_url=BASE_URL,
                    ),
                    "",
                )
            return
        if role in self.browsers:
            await self.browsers[role][0].aclose()
        browser = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, raise_app_exceptions=False),
            base_url=BASE_URL,
        )
        csrf = await login(browser, kind=kind, key=key)
        if kind == "staff":
            me = (await browser.get("/api/staff/me")).json()
            chosen = await browser.put(
                "/api/staff/context",
                json={"assignment_id": me["assignments"][0]["assignment_id"]},
                headers={"X-CSRF-Token": csrf},
            )
            assert chosen.status_code == 200, chosen.text
        self.browsers[role] = (browser, csrf)

    async def _send(self, role: str, case: schemathesis.Case) -> httpx.Response:
        browser, csrf = self.browsers[role]
        if ROLES[role][0] == "integration":
            extra = {"Authorization": f"Bearer {await self._bearer()}"}
        else:
            extra = {"X-CSRF-Token": csrf}
        sent = case.as_transport_kwargs(base_url=BASE_URL, headers=extra)
        body: dict[str, Any] = {}
        if "json" in sent:
            body["json"] = sent["json"]
        elif "data" in sent:
            data = sent["data"]
            body["content" if isinstance(data, bytes | str) else "data"] = data
        # As a browser sends them: a header value that is not ASCII goes as its UTF-8 bytes.
        headers = {
            name: value if value.isascii() else value.encode()
            for name, value in sent["headers"].items()
        }
        response = await browser.request(
            sent["method"], sent["url"], params=sent.get("params") or None, headers=headers, **body
        )
        if case.operation.path == "/auth/logout" and response.status_code < 400:
            await self._log_in(role)  # the next example needs a session again
        return response

    def send(self, role: str, case: schemathesis.Case) -> httpx.Response:
        response: httpx.Response = self.run(self._send(role, case))
        return response

    def close(self) -> None:
        async def stop() -> None:
            for browser, _ in self.browsers.values():
                await browser.aclose()
            await self.services.aclose()

        self.run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzedService]:
    name, url = environment.create_database("pep_fuzz")
    try:
        with ThreadPoolExecutor(max_workers=1) as executor:
            executor.submit(_load_demo_data, url).result()
        service = FuzzedService(url, tmp_path_factory.mktemp("fuzz-idp"))
        try:
            yield service
        finally:
            service.close()
    finally:
        environment.drop_database(name)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_every_answer_is_within_the_contract_and_never_a_server_error(
    fuzzed: FuzzedService, role: str, operation: APIOperation
) -> None:
    own = operation.path.startswith(ROLES[role][2])

    def answers_within_contract(case: schemathesis.Case) -> None:
        response = fuzzed.send(role, case)
        case.validate_response(response, checks=CHECKS)

    run = create_test(
        operation=operation,
        test_func=answers_within_contract,
        config=HypothesisTestConfig(
            project=SCHEMA.config,
            modes=list(HypothesisTestMode) if own else [HypothesisTestMode.FUZZING],
            settings=settings(
                max_examples=OWN_EXAMPLES if own else OTHER_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            ),
        ),
    )
    run()
