"""Exceptions of the API layer itself (authentication, CSRF, field validation after
parsing); domain errors live beside the domain code that raises them."""

from __future__ import annotations


class NotAuthenticated(Exception):
    """No live session (never logged in, logged out, or expired)."""


class CsrfRejected(Exception):
    pass


class PreconditionFailed(Exception):
    """If-Match named a version that is no longer current."""


class InvalidField(Exception):
    """A field valid in shape but not in content; raised by the api layer after parsing."""

    def __init__(self, field: str, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.code = code


class PreconditionRequired(Exception):
    """An update without If-Match: we refuse to overwrite blindly."""
