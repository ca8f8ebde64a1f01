"""Anonymous kits (Opersonligt provtagningskit): registering one turns it into the citizen's
order. Guessing is limited: a few wrong attempts lock registration for a while."""

from __future__ import annotations

from datetime import timedelta

from domain.errors import Conflict, DomainError, NotFound

KIT_ATTEMPTS_ALLOWED = 5
KIT_LOCKOUT = timedelta(minutes=15)


class KitNotFound(NotFound):
    """No kit with that kit number and RID: one answer for both, so a guess learns nothing."""


class KitAlreadyRegistered(Conflict):
    pass


class TooManyKitAttempts(DomainError):
    pass
