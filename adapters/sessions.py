"""Server-side web sessions in Redis. The browser holds only a random token in an HttpOnly
cookie; Redis holds the session under a hash of that token, so a Redis dump cannot be
replayed as cookies. Idle expiry is the key's TTL, renewed on use; the absolute limit is
checked against the creation time."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

import orjson
from redis.asyncio import Redis

SessionKind = Literal["citizen", "staff"]
# Activity renews the session at most once a minute: the idle timeout is exact to within a
# minute, and a busy client costs one Redis read per request instead of a read and a write.
RENEW_AFTER = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class WebSession:
    kind: SessionKind
    subject: str  # personnummer (citizen) or HSA-id (staff)
    given_name: str
    family_name: str
    created_at: datetime
    last_seen_at: datetime
    csrf_token: str
    selected_assignment_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["last_seen_at"] = self.last_seen_at.isoformat()
        return orjson.dumps(data).decode()

    @classmethod
    def from_json(cls, raw: str | bytes) -> WebSession:
        data = orjson.loads(raw)
        data["created_at"] = datetime.fromisoformat(data["created_at"])
        data["last_seen_at"] = datetime.fromisoformat(data["last_seen_at"])
        return cls(**data)


def _token_key(prefix: str, token: str) -> str:
    return f"{prefix}:session:{hashlib.sha256(token.encode()).hexdigest()}"


class SessionStore:
    def __init__(
        self, redis: Redis, *, prefix: str, idle_timeout: timedelta, absolute_timeout: timedelta
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self.idle_timeout = idle_timeout
        self.absolute_timeout = absolute_timeout

    async def create(
        self,
        *,
        kind: SessionKind,
        subject: str,
        given_name: str,
        family_name: str,
        now: datetime,
    ) -> tuple[str, WebSession]:
        token = secrets.token_urlsafe(32)
        session = WebSession(
            kind=kind,
            subject=subject,
            given_name=given_name,
            family_name=family_name,
            created_at=now,
            last_seen_at=now,
            csrf_token=secrets.token_urlsafe(32),
        )
        await self._write(token, session)
        return token, session

    async def get(self, token: str, *, now: datetime) -> WebSession | None:
        """The live session for the token, renewed; None when absent, idle too long or past
        the absolute limit (then it is also removed)."""
        key = _token_key(self._prefix, token)
        raw = await self._redis.get(key)
        if raw is None:
            return None
        session = WebSession.from_json(raw)
        if (
            now - session.created_at >= self.absolute_timeout
            or now - session.last_seen_at >= self.idle_timeout
        ):
            await self._redis.delete(key)
            return None
        if now - session.last_seen_at >= RENEW_AFTER:
            session = replace(session, last_seen_at=now)
            await self._write(token, session)
        return session

    async def update(self, token: str, session: WebSession) -> None:
        await self._write(token, session)

    async def delete(self, token: str) -> None:
        await self._redis.delete(_token_key(self._prefix, token))

    async def _write(self, token: str, session: WebSession) -> None:
        remaining_absolute = self.absolute_timeout - (session.last_seen_at - session.created_at)
        ttl = max(1, int(min(self.idle_timeout, remaining_absolute).total_seconds()))
        await self._redis.set(_token_key(self._prefix, token), session.to_json(), ex=ttl)
