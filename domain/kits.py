"""Anonymous kits (Opersonligt provtagningskit): registering one turns it into the citizen's
order. Guessing is limited: a few wrong attempts lock registration for a while."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from domain.errors import Conflict, DomainError, NotFound

KIT_ATTEMPTS_ALLOWED = 5
KIT_LOCKOUT = timedelta(minutes=15)


class KitAttempts(Protocol):
    """Wrong kit registrations per citizen (by the citizen's keyed hash), forgotten
    KIT_LOCKOUT after the last one."""

    async def failures(self, citizen_hash: bytes) -> int: ...

    async def record_failure(self, citizen_hash: bytes) -> None: ...


class KitNotFound(NotFound):
    """No kit with that kit number and RID: one answer for both, so a guess learns nothing."""


class KitAlreadyRegistered(Conflict):
    pass


class TooManyKitAttempts(DomainError):
    pass
