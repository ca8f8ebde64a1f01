"""Base classes of domain errors, and the errors every capability shares. Concrete errors live
in domain/ beside the rules that raise them; api/web/errors.py maps each class to an HTTP
status and a stable problem type, in one table."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule said no. Never surfaces as a 500."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know that it exists."""


class NotPermitted(DomainError):
    """The actor is known but lacks the permission for this action."""


class Conflict(DomainError):
    """The action contradicts the current state (e.g. a stale version)."""


class ServiceUnavailable(DomainError):
    """An external service the action depends on did not answer."""


class InvalidInput(DomainError):
    """A value breaks a rule of the service (answered as 422): `field` names the input,
    `code` is a stable name of the rule for clients to choose their own wording by."""

    def __init__(self, field: str, detail: str, *, code: str = "invalid") -> None:
        super().__init__(detail)
        self.field = field
        self.code = code


class StaleVersion(Conflict):
    """An edit named a version (If-Match) that is no longer current: somebody else changed
    the thing first."""


class VersionRequired(DomainError):
    """An edit without the version it changes: we refuse to overwrite blindly."""

    def __init__(self, detail: str = "send If-Match with the version you are changing") -> None:
        super().__init__(detail)


class IdempotencyKeyReused(Conflict):
    """The Idempotency-Key was used before for a different request."""
