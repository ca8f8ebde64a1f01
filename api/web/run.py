"""How a route runs a use case: the route never opens a unit of work itself. One use case,
one transaction; the use case commits when it has written (a use case that only reads
simply returns, and the unit of work rolls back on exit)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.db.uow import UnitOfWork
from api.services import Services

T = TypeVar("T")


async def in_transaction(services: Services, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    async with services.uow() as uow:
        return await work(uow)
