"""The baseline: GET /baseline/profile does the work of GET /api/citizen/profile with no
framework layers — a bare ASGI callable, redis-py asyncio and a raw asyncpg pool.

Same round trips as the real path's data work, nothing cached that the real one does not
cache:

1. Redis GET of the session (same key scheme as adapters/sessions.py), idle and absolute
   timeouts checked, Redis SET back with the same TTL rule (the session is renewed);
2. one PostgreSQL query, the one the ORM runs for the person cache
   (SELECT payload_encrypted, fetched_at FROM person_cache WHERE personnummer_hash = $1),
   the payload decrypted with adapters.protection.DataProtector (same keys as the server);
3. the same JSON shape as the real endpoint.

Like the real code it answers only from a fresh cache entry; a missing or stale entry (where
the real code would ask the person register) is a 503 here, so it shows up as errors.

Run with the same uvicorn options as the server:

    python -m uvicorn bench.baseline_app:app --workers 2 --loop uvloop --http httptools

GET /baseline/profile?orm_round_trips=1 additionally makes the PostgreSQL round trips the
SQLAlchemy path makes around its query (pool pre-ping: BEGIN, ';', ROLLBACK; then BEGIN,
the query, COMMIT) — a diagnostic to separate round-trip cost from framework cost.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
from redis.asyncio import Redis

from adapters.protection import DataProtector
from adapters.sessions import RENEW_AFTER
from adapters.settings import Settings
from domain.identity_numbers import PersonalIdentityNumber
from domain.regions import REGIONS

PERSON_CACHE_QUERY = (
    "SELECT payload_encrypted, fetched_at FROM person_cache WHERE personnummer_hash = $1"
)
JSON_HEADERS = [(b"content-type", b"application/json")]

Scope = dict[str, Any]


async def _no_reset(connection: asyncpg.Connection) -> None:
    """asyncpg's pool runs a reset query (RESET ALL, UNLISTEN *, ...) on every release by
    default; the SQLAlchemy pool does not, and these connections never change session state."""


def _asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


class BaselineApp:
    def __init__(self) -> None:
        settings = Settings()
        self.settings = settings
        self.cookie_name = settings.session_cookie_name.encode()
        self.prefix = settings.redis_prefix
        self.idle_timeout = timedelta(seconds=settings.session_idle_timeout_seconds)
        self.absolute_timeout = timedelta(seconds=settings.session_absolute_timeout_seconds)
        self.max_age = timedelta(days=settings.person_cache_max_age_days)
        self.protector = DataProtector(
            hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
        )
        self.pool: asyncpg.Pool | None = None
        self.redis: Redis | None = None

    async def startup(self) -> None:
        if not self.settings.database_url or not self.settings.redis_url:
            raise RuntimeError("DATABASE_URL and REDIS_URL must be set")
        # The same pool size the server's engine has (pool_size + max_overflow).
        self.pool = await asyncpg.create_pool(
            _asyncpg_dsn(self.settings.database_url),
            min_size=1,
            max_size=self.settings.db_pool_size + self.settings.db_max_overflow,
            reset=_no_reset,
        )
        self.redis = Redis.from_url(self.settings.redis_url, decode_responses=False)

    async def shutdown(self) -> None:
        if self.pool is not None:
            await self.pool.close()
        if self.redis is not None:
            await self.redis.aclose()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        if path == "/baseline/profile" and scope["method"] == "GET":
            orm_trips = scope["query_string"] == b"orm_round_trips=1"
            status, body = await self.profile(scope, orm_round_trips=orm_trips)
        elif path == "/baseline/health":
            status, body = 200, b'{"status":"ok"}'
        else:
            status, body = 404, b'{"title":"not found"}'
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*JSON_HEADERS, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as error:  # noqa: BLE001 - reported to uvicorn
                    await send({"type": "lifespan.startup.failed", "message": repr(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _token(self, scope: Scope) -> str | None:
        for name, value in scope["headers"]:
            if name == b"cookie":
                for part in value.split(b";"):
                    key, _, token = part.strip().partition(b"=")
                    if key == self.cookie_name and token:
                        return token.decode("latin-1")
        return None

    async def _session(self, token: str, now: datetime) -> dict[str, Any] | None:
        """SessionStore.get: GET, check the timeouts, SET back renewed with the TTL when the
        last renewal is older than RENEW_AFTER (as the real store does)."""
        assert self.redis is not None
        key = f"{self.prefix}:session:{hashlib.sha256(token.encode()).hexdigest()}"
        raw = await self.redis.get(key)
        if raw is None:
            return None
        data: dict[str, Any] = json.loads(raw)
        created_at = datetime.fromisoformat(data["created_at"])
        last_seen_at = datetime.fromisoformat(data["last_seen_at"])
        if now - created_at >= self.absolute_timeout or now - last_seen_at >= self.idle_timeout:
            await self.redis.delete(key)
            return None
        if now - last_seen_at < RENEW_AFTER:
            return data
        data["last_seen_at"] = now.isoformat()
        remaining_absolute = self.absolute_timeout - (now - created_at)
        ttl = max(1, int(min(self.idle_timeout, remaining_absolute).total_seconds()))
        await self.redis.set(key, json.dumps(data), ex=ttl)
        return data

    async def _person_row(self, lookup: bytes, *, orm_round_trips: bool) -> Any:
        assert self.pool is not None
        if not orm_round_trips:
            return await self.pool.fetchrow(PERSON_CACHE_QUERY, lookup)
        async with self.pool.acquire() as connection:
            ping = connection.transaction()
            await ping.start()
            await connection.fetchrow(";")
            await ping.rollback()
            async with connection.transaction():
                return await connection.fetchrow(PERSON_CACHE_QUERY, lookup)

    async def profile(self, scope: Scope, *, orm_round_trips: bool) -> tuple[int, bytes]:
        token = self._token(scope)
        now = datetime.now(UTC)
        session = await self._session(token, now) if token else None
        if session is None or session["kind"] != "citizen":
            return 401, b'{"title":"not authenticated"}'
        lookup = self.protector.lookup_hash(session["subject"])
        row = await self._person_row(lookup, orm_round_trips=orm_round_trips)
        if row is None or now - row["fetched_at"] >= self.max_age:
            return 503, b'{"title":"no fresh cached person (baseline does not ask the register)"}'
        data = orjson.loads(self.protector.decrypt(row["payload_encrypted"], context=lookup))
        number = PersonalIdentityNumber(data["personnummer"])
        address = data["address"]
        protected = data["protected_identity"]
        region_code = data["region_code"]
        profile = {
            "personnummer": number.formatted,
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "age": number.age(now.date()),
            "legal_sex": number.legal_sex,
            "address": None
            if address is None or protected
            else {
                "care_of": address["care_of"],
                "street": address["street"],
                "postal_code": address["postal_code"],
                "city": address["city"],
            },
            "region": {"code": region_code, "name": REGIONS[region_code]}
            if region_code in REGIONS
            else None,
            "municipality_code": data["municipality_code"],
            "protected_identity": protected,
        }
        return 200, orjson.dumps(profile)


app = BaselineApp()
