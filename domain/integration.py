"""Integration clients (machines: integration platforms, laboratory systems, the result
receivers' systems) and their rules (SPEC §6, issue 9): scopes, organisation, the leased
hand-out of orders, and the status updates they may make."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from domain.actors import IntegrationActor, IntegrationOrganisation
from domain.errors import InvalidInput, NotFound, NotPermitted


class Scope(StrEnum):
    ORDERS_READ = "orders:read"  # poll, claim and acknowledge orders
    ORDERS_WRITE = "orders:write"  # set an order's status (Hanterad, Provtagen, rejected)
    RESULTS_WRITE = "results:write"  # post results (laboratory systems)
    RESULTS_READ = "results:read"  # fetch the unit's results (the receiving care unit)


ALL_SCOPES = frozenset(s.value for s in Scope)


class InsufficientScope(NotPermitted):
    """The token lacks a scope the call needs (RFC 6750 §3.1 insufficient_scope)."""

    def __init__(self, needed: Iterable[str]) -> None:
        self.needed = tuple(sorted(needed))
        super().__init__("the access token lacks the scope " + " ".join(self.needed))

    @property
    def www_authenticate(self) -> str:
        return f'Bearer error="insufficient_scope", scope="{" ".join(self.needed)}"'

    @property
    def problem_extensions(self) -> dict[str, object]:
        return {"required_scopes": list(self.needed)}


def require_scopes(actor: IntegrationActor, needed: Iterable[str]) -> None:
    missing = [scope for scope in needed if not actor.may(scope)]
    if missing:
        raise InsufficientScope(missing)


def granted_scopes(requested: str | None, *, allowed: frozenset[str]) -> frozenset[str]:
    """RFC 6749 §3.3: no scope asked → every scope the client holds; asking for one it does
    not hold is invalid_scope (raised as InvalidScope)."""
    if requested is None or not requested.strip():
        return allowed
    asked = frozenset(requested.split())
    if not asked <= allowed:
        raise InvalidScope("the client may not have " + " ".join(sorted(asked - allowed)))
    return asked


def utc_instant(value: datetime, *, field: str) -> datetime:
    """An aware instant a client sent, in UTC — refused (naming `field`) when it has no time
    zone or lies outside what an instant in UTC can be (9999-12-31T23:59:59-14:00 is after
    the last representable UTC instant, 0001-01-01T00:00:00+14:00 before the first)."""
    if value.tzinfo is None:
        raise InvalidInput(field, "give a time zone", code="timezone_required")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput(field, "out of range", code="out_of_range") from None


class OAuthError(Exception):
    """A refused token request, answered in OAuth's own format (RFC 6749 §5.2:
    `{"error": ..., "error_description": ...}`), not as a problem: OAuth client libraries
    read that shape."""

    error = "invalid_request"
    status = 400

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    """Unknown client, wrong secret, retired client, or an unbound certificate."""

    error = "invalid_client"
    status = 401


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class InvalidScope(OAuthError):
    error = "invalid_scope"


# --- the client's organisation, as an administrator sets it -----------------------------


@dataclass(frozen=True, slots=True)
class ClientOrganisationIds:
    laboratory_ids: tuple[uuid.UUID, ...] = ()
    sampling_unit_ids: tuple[uuid.UUID, ...] = ()
    care_unit_ids: tuple[uuid.UUID, ...] = ()

    def is_empty(self) -> bool:
        return not (self.laboratory_ids or self.sampling_unit_ids or self.care_unit_ids)


def check_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(sorted(set(scopes)))
    unknown = [s for s in chosen if s not in ALL_SCOPES]
    if unknown:
        raise InvalidInput("scopes", "unknown scope " + ", ".join(unknown), code="unknown_scope")
    if not chosen:
        raise InvalidInput("scopes", "give the client at least one scope", code="required")
    return chosen


def check_organisation(organisation: ClientOrganisationIds) -> None:
    if organisation.is_empty():
        raise InvalidInput(
            "organisation",
            "name at least one laboratory, sampling unit or care unit",
            code="required",
        )


class IntegrationClientNotFound(NotFound):
    """No such integration client, or not one of the administrator's regions."""


class UnknownOrganisationUnit(InvalidInput):
    """A laboratory code, sampling unit or care unit that does not exist (or lies outside
    the administrator's regions)."""


# --- leased hand-out ---------------------------------------------------------------------


def lease_length(requested: int | None, *, default: int, maximum: int) -> timedelta:
    """The lease a claim asks for, within what the service allows."""
    seconds = default if requested is None else requested
    if seconds < 5 or seconds > maximum:
        raise InvalidInput(
            "lease_seconds", f"give between 5 and {maximum} seconds", code="out_of_range"
        )
    return timedelta(seconds=seconds)


def batch_size(requested: int | None, *, maximum: int) -> int:
    size = 100 if requested is None else requested
    if size < 1 or size > maximum:
        raise InvalidInput("limit", f"claim between 1 and {maximum} orders", code="out_of_range")
    return size


# --- status updates ------------------------------------------------------------------------


def sees(organisation: IntegrationOrganisation, order: OrderPlacement) -> bool:
    """The client's organisation may see the order: one of its laboratories will analyse
    it, one of its sampling units samples it, or one of its care units receives the
    results. (The same rule, in SQL, scopes every query of adapters/db/repositories/
    integration_deliveries.py.)"""
    return (
        (order.laboratory_id is not None and order.laboratory_id in organisation.laboratory_ids)
        or (
            order.sampling_unit_id is not None
            and order.sampling_unit_id in organisation.sampling_unit_ids
        )
        or (
            order.sampled_at_unit_id is not None
            and order.sampled_at_unit_id in organisation.sampling_unit_ids
        )
        or (
            order.result_care_unit_id is not None
            and order.result_care_unit_id in organisation.care_unit_ids
        )
    )


@dataclass(frozen=True, slots=True)
class OrderPlacement:
    laboratory_id: uuid.UUID | None
    sampling_unit_id: uuid.UUID | None
    sampled_at_unit_id: uuid.UUID | None
    result_care_unit_id: uuid.UUID | None
