"""Kit registration attempts counted in Redis (domain.kits.KitAttempts): a counter per
citizen, incremented by one atomic script before the guess is evaluated, so a burst of
parallel guesses is cut at KIT_ATTEMPTS_ALLOWED evaluated (issue 11 item 1). The counter
expires KIT_LOCKOUT after the last attempt that was let through; attempts refused by the
lockout do not prolong it."""

from __future__ import annotations

from redis.asyncio import Redis

from domain.kits import KIT_ATTEMPTS_ALLOWED, KIT_LOCKOUT, KitAttempt

# INCR and the expiry in one script: no attempt can slip between counting and expiry, and a
# counter never lives without an expiry (which would lock the citizen out for good).
_COUNT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if n <= tonumber(ARGV[2]) or ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""
_FORGIVE = """
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
    return redis.call('DECR', KEYS[1])
end
return 0
"""
_LOCKOUT_SECONDS = int(KIT_LOCKOUT.total_seconds())


class RedisKitAttempts:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._count = redis.register_script(_COUNT)
        self._forgive = redis.register_script(_FORGIVE)

    def _key(self, citizen_hash: bytes) -> str:
        return f"{self._prefix}:kit-attempts:{citizen_hash.hex()}"

    async def locked_for(self, citizen_hash: bytes) -> int | None:
        key = self._key(citizen_hash)
        pipeline = self._redis.pipeline(transaction=True)
        pipeline.get(key)
        pipeline.ttl(key)
        count, ttl = await pipeline.execute()
        if int(count or 0) < KIT_ATTEMPTS_ALLOWED:
            return None
        return max(1, int(ttl)) if int(ttl) > 0 else _LOCKOUT_SECONDS

    async def count_attempt(self, citizen_hash: bytes) -> KitAttempt:
        number, ttl = await self._count(
            keys=[self._key(citizen_hash)], args=[_LOCKOUT_SECONDS, KIT_ATTEMPTS_ALLOWED]
        )
        return KitAttempt(number=int(number), seconds_left=max(1, int(ttl)))

    async def forgive(self, citizen_hash: bytes) -> None:
        await self._forgive(keys=[self._key(citizen_hash)])
