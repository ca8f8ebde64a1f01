"""Anonymous kits (Opersonligt provtagningskit): registering one turns it into the citizen's
order. Guessing is limited: a few wrong attempts lock registration for a while."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from domain.errors import Conflict, DomainError, NotFound

KIT_ATTEMPTS_ALLOWED = 5
KIT_LOCKOUT = timedelta(minutes=15)


class KitAttempts(Protocol):
    """Attempts at registering a kit per citizen (by the citizen's keyed hash), counted
    before each guess is evaluated, so that parallel guesses cannot all be evaluated before
    one is counted; forgotten KIT_LOCKOUT after the last one evaluated."""

    async def locked_for(self, citizen_hash: bytes) -> int | None:
        """Seconds left of the lockout, or None when the citizen may try."""
        ...

    async def count_attempt(self, citizen_hash: bytes) -> KitAttempt:
        """Counts one attempt, atomically, before it is evaluated."""
        ...

    async def forgive(self, citizen_hash: bytes) -> None:
        """The attempt counted last was right: it is not a wrong guess."""
        ...


@dataclass(frozen=True, slots=True)
class KitAttempt:
    number: int  # this attempt's number among those counted, itself included
    seconds_left: int  # until the count is forgotten

    @property
    def allowed(self) -> bool:
        return self.number <= KIT_ATTEMPTS_ALLOWED


class KitNotFound(NotFound):
    """No kit with that kit number and RID: one answer for both, so a guess learns nothing."""


class KitAlreadyRegistered(Conflict):
    pass


class TooManyKitAttempts(DomainError):
    """Locked out after KIT_ATTEMPTS_ALLOWED attempts; `retry_after` seconds are left."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(f"too many wrong attempts: try again in {minutes} minutes")
        self.retry_after = retry_after
