from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from adapters.db.engine import create_engine, create_session_factory
from adapters.demo_data import load_demo_data
from adapters.protection import DataProtector
from adapters.settings import Settings
from api.app import create_app
from api.services import Services, build_services
from tests.support import environment
from tests.support.browserless_login import login
from tests.support.doubles import TestHsaDirectory, TestPersonRegister

BASE_URL = "https://testserver"
# Staff identities tests claim for themselves (tests/support/factories.py); one per claim.
SPARE_STAFF = 400
# Citizens tests claim for themselves (services.person_register.new_citizen()).
SPARE_CITIZENS = 150


def _prepare_database(url: str) -> None:
    environment.migrate(url)

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

    asyncio.run(load())


@pytest.fixture(scope="session")
def database() -> Iterator[str]:
    """A migrated database with the demo region, for this test run only."""
    name, url = environment.create_database()
    try:
        # In a thread of its own: alembic and the loader run their own event loops, and the
        # fixture may be set up while another loop (pytest-asyncio's, Playwright's) runs.
        with ThreadPoolExecutor(max_workers=1) as executor:
            executor.submit(_prepare_database, url).result()
        yield url
    finally:
        environment.drop_database(name)


@pytest.fixture(scope="session")
def redis_prefix() -> str:
    return f"pep-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def settings(
    database: str, redis_prefix: str, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return Settings(
        environment="test",
        database_url=database,
        redis_url=environment.REDIS_URL,
        redis_prefix=redis_prefix,
        public_base_url=BASE_URL,
        idp_key_file=str(tmp_path_factory.mktemp("idp") / "key.json"),
        citizen_app_dist="/nonexistent",
        professional_app_dist="/nonexistent",
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    # The registers are test doubles (outages, call counts, staff a test makes for itself);
    # everything else is what production builds.
    services = build_services(settings)
    services.person_register = TestPersonRegister(spare_citizens=SPARE_CITIZENS)
    services.hsa = TestHsaDirectory(spare_staff=SPARE_STAFF)
    application = create_app(settings, services=services)
    # Our OIDC client reaches the embedded IdP in-process, through the same HTTP interface.
    for client in services.oidc.values():
        client.transport = httpx.ASGITransport(app=application)
    yield application
    await services.aclose()
    redis = Redis.from_url(environment.REDIS_URL)
    async for key in redis.scan_iter(match=f"{settings.redis_prefix}:*"):
        await redis.delete(key)
    await redis.aclose()


@pytest.fixture
def services(app: FastAPI) -> Iterator[Services]:
    svc: Services = app.state.services
    yield svc
    svc.now_override = None


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url=BASE_URL
    ) as http:
        yield http


class LoggedIn:
    def __init__(self, client: httpx.AsyncClient, csrf: str) -> None:
        self.client = client
        self.csrf = csrf

    @property
    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}


@pytest.fixture
def login_as(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    async def _login(kind: str, key: str) -> LoggedIn:
        return LoggedIn(client, await login(client, kind=kind, key=key))

    return _login


@pytest.fixture
async def new_client(app: FastAPI) -> AsyncIterator[object]:
    """A factory of further independent browsers (own cookie jars)."""
    clients: list[httpx.AsyncClient] = []

    def make() -> httpx.AsyncClient:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
            base_url=BASE_URL,
        )
        clients.append(http)
        return http

    yield make
    for http in clients:
        await http.aclose()


ROOT = Path(__file__).resolve().parents[1]
