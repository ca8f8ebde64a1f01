"""Every exception that may leave a handler, mapped to a problem+json answer in ONE table.
Business errors are defined in domain/ and carry no HTTP; this is the only place that knows
their status codes. The two errors of the web edge itself (no session, no CSRF token) are
defined here."""

from __future__ import annotations

import logging
import socket
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
import httpx
import redis.exceptions
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from adapters.db.engine import database_error_summary
from adapters.db.repositories import DroppedConnection
from api.web.problems import problem_response
from api.web.request_context import current_request_id
from domain.access import AssignmentRequired, CareAndTreatmentPurposeRequired
from domain.administration import (
    AlreadyRetired,
    LastCentralAdministrator,
    OwnPermissionChange,
    StillInUse,
)
from domain.assignment import (
    LaunchAlreadyUsed,
    LaunchExpiredRefused,
    LaunchForOtherUser,
    LaunchRefused,
    NoAssignmentAtLaunchUnit,
    OfferNotForPatient,
)
from domain.dispatch import (
    DispatchOrdersNotFound,
    ManualHandlingRequired,
    NoLaboratoryForOrder,
    OrdersNotReceivable,
)
from domain.errors import (
    Conflict,
    DomainError,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    NotPermitted,
    ServiceUnavailable,
    StaleVersion,
    VersionRequired,
)
from domain.identity_numbers import InvalidPersonalIdentityNumber
from domain.integration import InsufficientScope, IntegrationClientNotFound
from domain.kits import KitAlreadyRegistered, KitNotFound, TooManyKitAttempts
from domain.notifications import InboxMessageNotFound
from domain.offers import OfferNotAvailable, OfferNotFound
from domain.orders import (
    OrderAlreadySampled,
    OrderCannotBeCancelled,
    OrderNotDeletable,
    OrderNotFound,
    OrderStatusConflict,
    SlotNotAvailable,
)
from domain.outbox import NotAnOperator, OutboxEventNotFound
from domain.result_registration import CareUnitNotInService, SamplingDateLocked
from domain.results import (
    OrderLineNotFound,
    OrderNotAwaitingResults,
    ResultKeyTaken,
    ResultVersionConflict,
)
from domain.sampling import (
    OrderNotSampled,
    ProductNotPerformed,
    RecipientNotCustomer,
    SamplingUnitNotConfigured,
)
from domain.treatment_responsibility import PositiveResultNotFound
from domain.worklist import WorklistItemNotFound, WorklistUnitNotFound

log = logging.getLogger(__name__)


class NotAuthenticated(Exception):
    """No live session (never logged in, logged out, or expired)."""


class CsrfRejected(Exception):
    """An unsafe method without the session's CSRF token."""


class IntegrationTokenRejected(Exception):
    """An integration call without a valid bearer token (missing, expired, tampered with,
    or its client retired): RFC 6750 §3 asks for WWW-Authenticate on the 401."""

    def __init__(self, error: str | None = "invalid_token") -> None:
        super().__init__(error or "no token")
        # No error code when no token was sent at all (RFC 6750 §3.1).
        self.www_authenticate = (
            f'Bearer realm="pep-integration", error="{error}"'
            if error
            else 'Bearer realm="pep-integration"'
        )


@dataclass(frozen=True, slots=True)
class ProblemKind:
    status: int
    slug: str
    title: str
    # A fixed detail for errors whose own text says nothing more useful.
    detail: str | None = None
    # Seconds after which a retry may succeed (sent as Retry-After).
    retry_after: int | None = None


# Most specific first: the first matching class wins. Field errors (422) are below.
PROBLEM_TABLE: list[tuple[type[Exception], ProblemKind]] = [
    (
        NotAuthenticated,
        ProblemKind(401, "not-authenticated", "Not logged in or the session has ended"),
    ),
    (
        CsrfRejected,
        ProblemKind(
            403,
            "csrf",
            "Missing or wrong CSRF token",
            "Send the session's csrf_token in the X-CSRF-Token header.",
        ),
    ),
    (
        IntegrationTokenRejected,
        ProblemKind(
            401,
            "invalid-token",
            "No valid access token",
            "Get an access token at POST /oauth/token (client credentials) and send it as "
            "Authorization: Bearer <token>.",
        ),
    ),
    (
        InsufficientScope,
        ProblemKind(403, "insufficient-scope", "The access token lacks a scope this call needs"),
    ),
    (
        IntegrationClientNotFound,
        ProblemKind(404, "integration-client-not-found", "No such integration client"),
    ),
    (OrderLineNotFound, ProblemKind(404, "order-line-not-found", "The order has no such line")),
    (
        OrderNotAwaitingResults,
        ProblemKind(409, "order-not-awaiting-results", "The order receives no results now"),
    ),
    (
        ResultVersionConflict,
        ProblemKind(
            409, "result-version-conflict", "This result version was received with other content"
        ),
    ),
    (
        ResultKeyTaken,
        ProblemKind(409, "result-key-taken", "The line and sampling date have another result"),
    ),
    (
        SamplingDateLocked,
        ProblemKind(
            409, "sampling-date-locked", "The sampling date of the order's results cannot change"
        ),
    ),
    (
        CareUnitNotInService,
        ProblemKind(404, "care-unit-not-in-service", "The care unit is not in this service"),
    ),
    (OutboxEventNotFound, ProblemKind(404, "outbox-event-not-found", "No such dead event")),
    (NotAnOperator, ProblemKind(403, "operator-required", "Operators only")),
    (OfferNotFound, ProblemKind(404, "offer-not-found", "No such offer")),
    (
        InboxMessageNotFound,
        ProblemKind(404, "inbox-message-not-found", "No such message in your inbox"),
    ),
    (
        OfferNotAvailable,
        ProblemKind(403, "offer-not-available", "The offer is not available to you"),
    ),
    (OrderNotFound, ProblemKind(404, "order-not-found", "No such order")),
    (
        WorklistItemNotFound,
        ProblemKind(404, "worklist-item-not-found", "No such result on this unit's worklist"),
    ),
    (
        WorklistUnitNotFound,
        ProblemKind(404, "worklist-unit-not-found", "The care unit has no worklist here"),
    ),
    (
        PositiveResultNotFound,
        ProblemKind(404, "positive-result-not-found", "The patient has no such positive result"),
    ),
    (SlotNotAvailable, ProblemKind(409, "slot-not-available", "The chosen time is no longer free")),
    (
        OrderCannotBeCancelled,
        ProblemKind(409, "order-cannot-be-cancelled", "The order cannot be cancelled"),
    ),
    (
        OrderNotDeletable,
        ProblemKind(409, "order-not-deletable", "An ongoing order is cancelled, not deleted"),
    ),
    (
        OrderAlreadySampled,
        ProblemKind(
            409, "order-already-sampled", "The order is already sampled: lab and time are locked"
        ),
    ),
    (
        OrderStatusConflict,
        ProblemKind(409, "order-status", "The order's status does not allow this"),
    ),
    (OrderNotSampled, ProblemKind(409, "order-not-sampled", "The order is not sampled yet")),
    (
        ProductNotPerformed,
        ProblemKind(409, "product-not-performed", "The laboratory does not perform every product"),
    ),
    (
        RecipientNotCustomer,
        ProblemKind(
            409, "recipient-not-customer", "The result recipient is no customer of the laboratory"
        ),
    ),
    (
        SamplingUnitNotConfigured,
        ProblemKind(404, "sampling-unit-not-configured", "The care unit is no sampling unit"),
    ),
    (StaleVersion, ProblemKind(412, "stale-version", "Somebody else changed this first")),
    (
        VersionRequired,
        ProblemKind(428, "if-match-required", "Send If-Match with the version you are changing"),
    ),
    (IdempotencyKeyReused, ProblemKind(409, "idempotency-key-reused", "Idempotency-Key reused")),
    (
        DispatchOrdersNotFound,
        ProblemKind(404, "kit-orders-not-found", "Not every selected order is one of this unit's"),
    ),
    (
        OrdersNotReceivable,
        ProblemKind(409, "kit-orders-not-waiting", "Not every selected order is waiting"),
    ),
    (
        ManualHandlingRequired,
        ProblemKind(409, "manual-handling-required", "Protected identity: no address is printed"),
    ),
    (
        NoLaboratoryForOrder,
        ProblemKind(409, "no-laboratory", "No laboratory performs the order's products"),
    ),
    (KitNotFound, ProblemKind(404, "kit-not-found", "No kit matches")),
    (
        KitAlreadyRegistered,
        ProblemKind(409, "kit-already-registered", "The kit is already registered"),
    ),
    (TooManyKitAttempts, ProblemKind(429, "too-many-attempts", "Too many attempts")),
    (StillInUse, ProblemKind(409, "still-in-use", "Still in use")),
    (AlreadyRetired, ProblemKind(409, "retired", "Retired configuration cannot be changed")),
    (
        OwnPermissionChange,
        ProblemKind(403, "own-permission", "Nobody grants or revokes their own permissions"),
    ),
    (
        LastCentralAdministrator,
        ProblemKind(
            409, "last-central-administrator", "The last central administrator cannot be removed"
        ),
    ),
    (
        OfferNotForPatient,
        ProblemKind(409, "offer-not-for-patient", "The offer is not for this patient"),
    ),
    (LaunchExpiredRefused, ProblemKind(403, "launch-expired", "The link has expired")),
    (LaunchAlreadyUsed, ProblemKind(403, "launch-used", "The link has been used already")),
    (
        LaunchForOtherUser,
        ProblemKind(403, "launch-other-user", "The link was made for another staff member"),
    ),
    (LaunchRefused, ProblemKind(403, "launch-invalid", "The link cannot be trusted")),
    (
        NoAssignmentAtLaunchUnit,
        ProblemKind(
            403, "no-assignment-at-unit", "No employee assignment at the care unit of the link"
        ),
    ),
    (
        AssignmentRequired,
        ProblemKind(403, "assignment-required", "An employee assignment is required"),
    ),
    (
        CareAndTreatmentPurposeRequired,
        ProblemKind(
            403,
            "care-and-treatment-purpose-required",
            "The assignment must have the purpose 'Vård och behandling'",
        ),
    ),
    (NotPermitted, ProblemKind(403, "forbidden", "Not permitted")),
    (NotFound, ProblemKind(404, "not-found", "Not found")),
    (Conflict, ProblemKind(409, "conflict", "Conflict with the current state")),
    (
        ServiceUnavailable,
        ProblemKind(503, "service-unavailable", "A service we depend on did not answer"),
    ),
    (DomainError, ProblemKind(400, "domain-rule", "The request breaks a rule of the service")),
]


# The infrastructure down or full: no rule of the service said no, and the same request
# may well succeed in a few seconds. Never a 500 (issue 12, part 4).
OVERLOADED = ProblemKind(
    503,
    "overloaded",
    "The service is busy",
    "The database is busy. Try again in a few seconds.",
    retry_after=2,
)
DEPENDENCY_DOWN = ProblemKind(
    503,
    "service-unavailable",
    "A service we depend on did not answer",
    "Try again in a few seconds.",
    retry_after=5,
)
# No free pooled connection within PEP_DB_POOL_TIMEOUT_SECONDS, or PostgreSQL's own limit.
_FULL = (sqlalchemy.exc.TimeoutError, asyncpg.exceptions.TooManyConnectionsError)
# PostgreSQL or Redis unreachable, restarting, or gone in the middle of a request.
_DOWN = (
    asyncpg.exceptions.PostgresConnectionError,  # SQLSTATE class 08, a closed connection
    asyncpg.exceptions.CannotConnectNowError,  # starting up, shutting down
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    DroppedConnection,
    redis.exceptions.ConnectionError,  # also BusyLoadingError (a Redis starting up)
    redis.exceptions.TimeoutError,
    ConnectionError,  # refused, reset, broken pipe (a connect the driver did not wrap)
    TimeoutError,  # a connect that got no answer
    socket.gaierror,
    httpx.NetworkError,  # an identity provider or a national service unreachable
    httpx.TimeoutException,
)
# Exceptions that may be an outage: handled where the router is (with the request id and
# security headers, and without Starlette re-raising them to the server's log); any of them
# that is not an outage goes on to the 500 below, as before.
_MAYBE_OUTAGE: tuple[type[Exception], ...] = (
    sqlalchemy.exc.SQLAlchemyError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    DroppedConnection,
    redis.exceptions.RedisError,
    OSError,
    httpx.TransportError,
)


def outage_kind(error: BaseException) -> ProblemKind | None:
    """OVERLOADED or DEPENDENCY_DOWN when the error (or what caused it) is the database or
    Redis full or unreachable; None otherwise."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, _FULL):
            return OVERLOADED
        if (
            isinstance(seen, _DOWN)
            or (isinstance(seen, sqlalchemy.exc.DBAPIError) and seen.connection_invalidated)
            # A bare OSError is a network failure (unreachable, or every address of a host
            # refused); its subclasses that are not above are files, permissions and such.
            or type(seen) is OSError
        ):
            return DEPENDENCY_DOWN
        seen = seen.__cause__ or seen.__context__
    return None


class _OutageLog:
    """One warning line per kind of outage per second (with how many were answered the
    same way since): an outage answers hundreds of requests a second, and each line says
    only what failed — the error's kind and SQLSTATE, never a statement or its values."""

    def __init__(self, interval: float = 1.0) -> None:
        self._interval = interval
        self._last: dict[str, float] = {}
        self._since: Counter[str] = Counter()

    def record(self, kind: ProblemKind, error: BaseException) -> None:
        now = time.monotonic()
        if now - self._last.get(kind.slug, -self._interval) < self._interval:
            self._since[kind.slug] += 1
            return
        self._last[kind.slug] = now
        more = self._since.pop(kind.slug, 0)
        log.warning(
            "answered %d %s: %s%s",
            kind.status,
            kind.slug,
            database_error_summary(error) or _describe(error),
            f" ({more} more since the last line)" if more else "",
        )


def _describe(error: BaseException) -> str:
    errno = getattr(error, "errno", None)
    cause = error.__cause__ or error.__context__
    text = type(error).__name__ + (f" errno {errno}" if errno else "")
    return text if cause is None else f"{text} from {type(cause).__name__}"


_outage_log = _OutageLog()


def problem_kind(error: Exception) -> ProblemKind | None:
    for cls, kind in PROBLEM_TABLE:
        if isinstance(error, cls):
            return kind
    return None


# Errors answered as 422 with the fields they name: each gives (field, message, code) rows.
FieldErrors = list[dict[str, str]]
FIELD_ERRORS: list[tuple[type[Exception], Callable[[Exception], FieldErrors]]] = [
    (
        InvalidInput,
        lambda e: [
            {"field": e.field, "message": e.detail, "code": e.code}  # type: ignore[attr-defined]
        ],
    ),
    (
        InvalidPersonalIdentityNumber,
        lambda e: [{"field": "personnummer", "message": str(e), "code": "invalid_personnummer"}],
    ),
    (
        RequestValidationError,
        lambda e: [
            {
                # "body.personnummer" → "personnummer"; query and path keep their prefix.
                "field": ".".join(str(p) for p in x["loc"][1:] if p != "body")
                if x["loc"] and x["loc"][0] == "body"
                else ".".join(str(p) for p in x["loc"]),
                "message": x["msg"],
                # pydantic's own error type: missing, string_too_long, string_pattern_mismatch…
                "code": x["type"],
            }
            for x in e.errors()  # type: ignore[attr-defined]
        ],
    ),
]


def _retry_after(error: Exception) -> dict[str, str] | None:
    """A refusal that ends after a while (a lockout) says when: `retry_after` seconds; a
    refused bearer token says how to authenticate (`www_authenticate`, RFC 6750 §3)."""
    headers: dict[str, str] = {}
    seconds = getattr(error, "retry_after", None)
    if seconds is not None:
        headers["Retry-After"] = str(int(seconds))
    challenge = getattr(error, "www_authenticate", None)
    if challenge is not None:
        headers["WWW-Authenticate"] = challenge
    return headers or None


def problem_for(error: Exception) -> Response:
    """The answer for any exception: a field error, a row of the table, an HTTP error of the
    framework (404 route, 405), or — for anything unforeseen — a 500 that saved nothing."""
    for cls, fields in FIELD_ERRORS:
        if isinstance(error, cls):
            return problem_response(
                status=422,
                slug="validation",
                title="The request has invalid fields",
                errors=fields(error),
                request_id=current_request_id(),
            )
    kind = problem_kind(error)
    if kind is not None:
        detail = error.detail if isinstance(error, DomainError) else None
        return problem_response(
            status=kind.status,
            slug=kind.slug,
            title=kind.title,
            detail=kind.detail or detail,
            request_id=current_request_id(),
            headers=_retry_after(error),
            extensions=getattr(error, "problem_extensions", None),
        )
    if isinstance(error, StarletteHTTPException):
        slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        return problem_response(
            status=error.status_code,
            slug=slug,
            title=str(error.detail),
            request_id=current_request_id(),
            headers=getattr(error, "headers", None),
        )
    outage = outage_kind(error)
    if outage is not None:
        _outage_log.record(outage, error)
        return problem_response(
            status=outage.status,
            slug=outage.slug,
            title=outage.title,
            detail=outage.detail,
            request_id=current_request_id(),
            headers={"Retry-After": str(outage.retry_after)},
        )
    # The request id ties this answer to the log line; the exception text stays in the log —
    # except a database error's, whose text carries the statement's values (personal and
    # health data): of those only the kind and where it happened (issue 11 item 3).
    database_error = database_error_summary(error)
    if database_error is None:
        log.exception("unhandled error", exc_info=error)
    else:
        log.error(
            "unhandled database error: %s\n%s",
            database_error,
            "".join(traceback.format_tb(error.__traceback__)),
        )
    return problem_response(
        status=500,
        slug="internal",
        title="Something went wrong on our side",
        detail="Nothing was saved. Try again later.",
        request_id=current_request_id(),
    )


def install_error_handlers(app: FastAPI) -> None:
    async def handle(_request: Request, error: Exception) -> Response:
        return problem_for(error)

    async def handle_outage(_request: Request, error: Exception) -> Response:
        if outage_kind(error) is None:
            raise error  # unforeseen: the 500 of the last handler, logged as before
        return problem_for(error)

    for cls in _MAYBE_OUTAGE:
        app.add_exception_handler(cls, handle_outage)

    for cls in (
        *(cls for cls, _ in PROBLEM_TABLE),
        *(cls for cls, _ in FIELD_ERRORS),
        StarletteHTTPException,
        Exception,
    ):
        app.add_exception_handler(cls, handle)
