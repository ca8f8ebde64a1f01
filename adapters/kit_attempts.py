"""Wrong kit registrations counted in Redis: a counter per citizen that expires
KIT_LOCKOUT after the last wrong attempt (domain.kits.KitAttempts)."""

from __future__ import annotations

from redis.asyncio import Redis

from domain.kits import KIT_LOCKOUT


class RedisKitAttempts:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, citizen_hash: bytes) -> str:
        return f"{self._prefix}:kit-attempts:{citizen_hash.hex()}"

    async def failures(self, citizen_hash: bytes) -> int:
        return int(await self._redis.get(self._key(citizen_hash)) or 0)

    async def record_failure(self, citizen_hash: bytes) -> None:
        key = self._key(citizen_hash)
        pipeline = self._redis.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, int(KIT_LOCKOUT.total_seconds()))
        await pipeline.execute()
