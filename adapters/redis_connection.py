"""redis-py's asyncio connection with its writes bounded by `asyncio.timeout` instead of
`asyncio.wait_for`.

With a socket timeout set (api/services.py: a Redis that does not answer fails the request
in seconds), redis-py 5 sends every command through `asyncio.wait_for`, which on Python 3.11
runs the write as a task of its own: a task made and a turn of the event loop more per
command, on every request that reads the session (issue 12, part 3). Its reads are bounded
with `asyncio.timeout` already; this bounds the write the same way, with the same outcome
when the time runs out (the connection dropped, redis.exceptions.TimeoutError). A `rediss://`
or `unix://` URL keeps redis-py's own class for its scheme (`from_url` chooses it)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from redis.asyncio.connection import Connection
from redis.exceptions import TimeoutError as RedisTimeoutError


class BoundedWriteConnection(Connection):
    async def send_packed_command(
        self, command: bytes | str | Iterable[bytes], check_health: bool = True
    ) -> None:
        limit = self.socket_timeout
        if not limit:
            await super().send_packed_command(command, check_health)
            return
        # One command at a time per connection (the pool hands it to one caller): without
        # the attribute for the duration, redis-py writes without wait_for, and the
        # timeout below bounds the write. Health checks are off (health_check_interval 0),
        # so nothing in between reads with the attribute unset.
        self.socket_timeout = None
        try:
            async with asyncio.timeout(limit):
                await super().send_packed_command(command, check_health)
        except TimeoutError:
            await self.disconnect(nowait=True)
            raise RedisTimeoutError("Timeout writing to socket") from None
        finally:
            self.socket_timeout = limit
