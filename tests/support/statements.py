"""Counting the SQL statements a request sends: list endpoints must not grow with rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event

from adapters.db.repositories import PreparedQuery


async def statements_sent(services: Any, call: Callable[[], Awaitable[Any]]) -> int:
    """Runs `call` (an HTTP request answering 200) and returns how many statements it sent:
    through SQLAlchemy on both engines (units of work and reads) and as prepared queries on
    the driver directly."""
    count = 0

    def counter(*_args: object, **_kwargs: object) -> None:
        nonlocal count
        count += 1

    engines = [services.engine.sync_engine, services.read_engine.sync_engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", counter)
    prepared_before = PreparedQuery.sent
    try:
        response = await call()
        assert response.status_code == 200
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", counter)
    return count + PreparedQuery.sent - prepared_before
