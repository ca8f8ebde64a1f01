"""The Redis connection whose writes are bounded by asyncio.timeout
(adapters/redis_connection.py): a Redis that takes the connection but never answers fails
each command within the socket timeout, as redis-py's own bound does — and a live Redis
answers as ever."""

from __future__ import annotations

import asyncio
import os
import time

import pytest
from redis.asyncio import ConnectionPool, Redis
from redis.exceptions import TimeoutError as RedisTimeoutError

from adapters.redis_connection import BoundedWriteConnection
from tests.support import environment


async def test_a_redis_that_never_answers_fails_a_command_within_the_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)  # takes the connection, reads nothing, answers nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    redis = Redis(
        connection_pool=ConnectionPool(
            host="127.0.0.1",
            port=port,
            socket_timeout=0.5,
            socket_connect_timeout=0.5,
            connection_class=BoundedWriteConnection,
            # No handshake (CLIENT SETINFO): the first thing sent is the write itself.
            lib_name=None,
            lib_version=None,
        )
    )
    try:
        started = time.monotonic()
        with pytest.raises(RedisTimeoutError):
            # Several megabytes: more than the socket buffers hold, so the write blocks.
            await redis.set("never-answered", b"x" * 8_000_000)
        assert time.monotonic() - started < 2.5
    finally:
        await redis.aclose()
        server.close()


async def test_commands_through_the_bounded_connection_answer_as_ever() -> None:
    redis = Redis.from_url(
        environment.REDIS_URL,
        socket_timeout=2,
        connection_class=BoundedWriteConnection,
    )
    key = f"bounded-write-test:{os.getpid()}"
    try:
        assert await redis.set(key, b"value", ex=30)
        assert await redis.get(key) == b"value"
        assert redis.connection_pool.connection_class is BoundedWriteConnection
    finally:
        await redis.delete(key)
        await redis.aclose()
