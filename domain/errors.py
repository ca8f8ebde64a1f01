"""Base classes of domain errors. Concrete errors live beside the code that raises them;
api/errors.py maps each class to an HTTP status and a stable problem type."""

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
