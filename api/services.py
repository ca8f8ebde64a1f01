"""The composition root: builds every adapter once per process from the settings. Nothing
here connects eagerly (the engine and Redis connect on first use), so building is cheap and
tests can build one per test module."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
from redis.asyncio import Redis
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.db.engine import create_engine, create_session_factory
from adapters.db.repositories import DroppedConnection
from adapters.db.uow import Reader, UnitOfWork
from adapters.hsa.local import LocalHsaDirectory
from adapters.hsa.soap import SoapHsaDirectory
from adapters.identity.oidc import OidcClient
from adapters.integration_tokens import IntegrationTokens
from adapters.person_register.local import LocalPersonRegister
from adapters.person_register.soap import SoapPersonRegister
from adapters.protection import DataProtector
from adapters.redis_connection import BoundedWriteConnection
from adapters.sessions import SessionKind, SessionStore
from adapters.settings import Settings
from domain.persons import PersonRegister
from domain.staff import HsaDirectory

log = logging.getLogger(__name__)
T = TypeVar("T")
# Every command the API sends to Redis is a single-key read or write.
REDIS_CONNECT_TIMEOUT_SECONDS = 2.0
REDIS_TIMEOUT_SECONDS = 5.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: AsyncEngine
    read_engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    redis: Redis
    protector: DataProtector
    sessions: SessionStore
    person_register: PersonRegister
    hsa: HsaDirectory
    oidc: dict[SessionKind, OidcClient]
    # Access tokens and client secrets of integration clients (ADR 7).
    integration_tokens: IntegrationTokens
    # The mutual-TLS client for the national services; None with the local registers.
    national_client: httpx.AsyncClient | None = None
    now_override: datetime | None = None

    def now(self) -> datetime:
        # Tests move time by setting now_override; production reads the system clock.
        return self.now_override or utc_now()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self.session_factory, self.protector)

    def reader(self) -> Reader:
        return Reader(self.read_engine, self.protector)

    async def read(self, work: Callable[[Reader], Awaitable[T]]) -> T:
        """Runs single-statement reads on the autocommit engine. Its pool does not ping
        before each use (a round trip per request); instead a connection the server has
        dropped (restart, failover) fails the read, the pool is renewed and the read runs
        once more: reads are safe to repeat."""
        for attempt in (1, 2):
            try:
                async with self.reader() as reader:
                    return await work(reader)
            except (DroppedConnection, DBAPIError) as error:
                dropped = isinstance(error, DroppedConnection) or error.connection_invalidated
                if not dropped or attempt == 2:
                    raise
                log.warning("database connection dropped; renewing the read pool")
                await self.read_engine.dispose(close=False)
        raise AssertionError("unreachable")

    async def aclose(self) -> None:
        await self.engine.dispose()
        await self.read_engine.dispose()
        await self.redis.aclose()
        if self.national_client is not None:
            await self.national_client.aclose()


def _national_registers(
    settings: Settings,
) -> tuple[httpx.AsyncClient | None, PersonRegister, HsaDirectory]:
    """The person register and HSA: the national services over mutual TLS when configured
    (required in production), otherwise the local ones with test persons and staff."""
    client = None
    if settings.person_register_url or settings.hsa_url:
        cert = (
            (settings.tls_client_cert, settings.tls_client_key)
            if settings.tls_client_cert and settings.tls_client_key
            else None
        )
        client = httpx.AsyncClient(cert=cert, verify=settings.tls_ca_bundle or True)
    person_register: PersonRegister
    if settings.person_register_url and client is not None:
        person_register = SoapPersonRegister(
            client=client,
            endpoint_url=settings.person_register_url,
            logical_address=settings.service_platform_logical_address,
        )
    elif settings.person_register_data_file:
        person_register = LocalPersonRegister(path=Path(settings.person_register_data_file))
    else:
        person_register = LocalPersonRegister()
    hsa: HsaDirectory
    if settings.hsa_url and client is not None:
        hsa = SoapHsaDirectory(
            client=client,
            endpoint_url=settings.hsa_url,
            logical_address=settings.service_platform_logical_address,
        )
    elif settings.hsa_data_file:
        hsa = LocalHsaDirectory(path=Path(settings.hsa_data_file))
    else:
        hsa = LocalHsaDirectory()
    return client, person_register, hsa


def build_services(
    settings: Settings, *, oidc_transport: httpx.AsyncBaseTransport | None = None
) -> Services:
    if settings.redis_url is None:
        raise RuntimeError("REDIS_URL is not set")
    engine = create_engine(settings)
    # A Redis that does not answer (a partition, a stopped process) fails the request in
    # seconds (503) instead of holding it for as long as TCP keeps trying.
    redis = Redis.from_url(
        settings.redis_url,
        decode_responses=False,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        connection_class=BoundedWriteConnection,
    )
    base = settings.public_base_url
    oidc: dict[SessionKind, OidcClient] = {
        "citizen": OidcClient(
            issuer=settings.citizen_issuer,
            client_id=settings.citizen_oidc_client_id,
            client_secret=settings.citizen_oidc_client_secret,
            redirect_uri=f"{base}/auth/citizen/callback",
            transport=oidc_transport,
        ),
        "staff": OidcClient(
            issuer=settings.staff_issuer,
            client_id=settings.staff_oidc_client_id,
            client_secret=settings.staff_oidc_client_secret,
            redirect_uri=f"{base}/auth/staff/callback",
            transport=oidc_transport,
        ),
    }
    national_client, person_register, hsa = _national_registers(settings)
    return Services(
        settings=settings,
        engine=engine,
        read_engine=create_engine(settings, autocommit=True),
        session_factory=create_session_factory(engine),
        redis=redis,
        protector=DataProtector(
            hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
        ),
        sessions=SessionStore(
            redis,
            prefix=settings.redis_prefix,
            idle_timeout=timedelta(seconds=settings.session_idle_timeout_seconds),
            absolute_timeout=timedelta(seconds=settings.session_absolute_timeout_seconds),
        ),
        person_register=person_register,
        hsa=hsa,
        national_client=national_client,
        oidc=oidc,
        integration_tokens=IntegrationTokens(
            secret_key=settings.secret_key,
            issuer=f"{base}/oauth",
            ttl=timedelta(seconds=settings.integration_token_ttl_seconds),
        ),
    )
