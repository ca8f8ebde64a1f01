"""Every exception that may leave a handler, mapped to a problem+json response in one table.
Domain errors carry no HTTP; this is the only place that knows their status codes."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.exceptions import (
    CsrfRejected,
    InvalidField,
    NotAuthenticated,
    PreconditionFailed,
    PreconditionRequired,
)
from api.ordering import (
    IdempotencyKeyReused,
    KitAlreadyRegistered,
    KitNotFound,
    OfferNotAvailable,
    OfferNotFound,
    OrderNotFound,
    SlotNotAvailable,
    StaleOrderVersion,
    TooManyKitAttempts,
)
from api.problems import problem_response
from api.request_context import current_request_id
from api.routes.assignment import (
    LaunchAlreadyUsed,
    LaunchExpiredRefused,
    LaunchRefused,
    NoAssignmentAtLaunchUnit,
)
from domain.access import AssignmentRequired, CareAndTreatmentPurposeRequired
from domain.administration import AlreadyRetired, StillInUse
from domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    NotPermitted,
    ServiceUnavailable,
)
from domain.identity_numbers import InvalidPersonalIdentityNumber
from domain.orders import OrderCannotBeCancelled

log = logging.getLogger(__name__)


# Most specific first: the first matching class wins.
DOMAIN_ERROR_MAP: list[tuple[type[Exception], int, str, str]] = [
    (OfferNotFound, 404, "offer-not-found", "No such offer"),
    (OfferNotAvailable, 403, "offer-not-available", "The offer is not available to you"),
    (OrderNotFound, 404, "order-not-found", "No such order"),
    (SlotNotAvailable, 409, "slot-not-available", "The chosen time is no longer free"),
    (OrderCannotBeCancelled, 409, "order-cannot-be-cancelled", "The order cannot be cancelled"),
    (StaleOrderVersion, 412, "stale-version", "Somebody else changed this first"),
    (IdempotencyKeyReused, 409, "idempotency-key-reused", "Idempotency-Key reused"),
    (KitNotFound, 404, "kit-not-found", "No kit matches"),
    (KitAlreadyRegistered, 409, "kit-already-registered", "The kit is already registered"),
    (TooManyKitAttempts, 429, "too-many-attempts", "Too many attempts"),
    (StillInUse, 409, "still-in-use", "Still in use"),
    (AlreadyRetired, 409, "retired", "Retired configuration cannot be changed"),
    (LaunchExpiredRefused, 403, "launch-expired", "The link has expired"),
    (LaunchAlreadyUsed, 403, "launch-used", "The link has been used already"),
    (LaunchRefused, 403, "launch-invalid", "The link cannot be trusted"),
    (
        NoAssignmentAtLaunchUnit,
        403,
        "no-assignment-at-unit",
        "No employee assignment at the care unit of the link",
    ),
    (AssignmentRequired, 403, "assignment-required", "An employee assignment is required"),
    (
        CareAndTreatmentPurposeRequired,
        403,
        "care-and-treatment-purpose-required",
        "The assignment must have the purpose 'Vård och behandling'",
    ),
    (NotPermitted, 403, "forbidden", "Not permitted"),
    (NotFound, 404, "not-found", "Not found"),
    (Conflict, 409, "conflict", "Conflict with the current state"),
    (ServiceUnavailable, 503, "service-unavailable", "A service we depend on did not answer"),
]


def _map_domain_error(error: DomainError) -> tuple[int, str, str]:
    for cls, status, slug, title in DOMAIN_ERROR_MAP:
        if isinstance(error, cls):
            return status, slug, title
    return 400, "domain-rule", "The request breaks a rule of the service"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError) -> Response:
        status, slug, title = _map_domain_error(error)
        return problem_response(
            status=status,
            slug=slug,
            title=title,
            detail=error.detail,
            request_id=current_request_id(),
        )

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(_request: Request, _error: NotAuthenticated) -> Response:
        return problem_response(
            status=401,
            slug="not-authenticated",
            title="Not logged in or the session has ended",
            request_id=current_request_id(),
        )

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(_request: Request, _error: CsrfRejected) -> Response:
        return problem_response(
            status=403,
            slug="csrf",
            title="Missing or wrong CSRF token",
            detail="Send the session's csrf_token in the X-CSRF-Token header.",
            request_id=current_request_id(),
        )

    @app.exception_handler(PreconditionFailed)
    async def precondition_failed(_request: Request, error: PreconditionFailed) -> Response:
        return problem_response(
            status=412,
            slug="stale-version",
            title="Somebody else changed this first",
            detail=str(error) or None,
            request_id=current_request_id(),
        )

    @app.exception_handler(PreconditionRequired)
    async def precondition_required(_request: Request, _error: PreconditionRequired) -> Response:
        return problem_response(
            status=428,
            slug="if-match-required",
            title="Send If-Match with the version you are changing",
            request_id=current_request_id(),
        )

    @app.exception_handler(InvalidInput)
    async def invalid_input(_request: Request, error: InvalidInput) -> Response:
        return _validation_problem(
            [{"field": error.field, "message": error.detail, "code": error.code}]
        )

    @app.exception_handler(InvalidPersonalIdentityNumber)
    async def invalid_pnr(_request: Request, error: InvalidPersonalIdentityNumber) -> Response:
        return _validation_problem(
            [{"field": "personnummer", "message": str(error), "code": "invalid_personnummer"}]
        )

    @app.exception_handler(InvalidField)
    async def invalid_field(_request: Request, error: InvalidField) -> Response:
        return _validation_problem(
            [{"field": error.field, "message": error.message, "code": error.code}]
        )

    @app.exception_handler(RequestValidationError)
    async def validation(_request: Request, error: RequestValidationError) -> Response:
        errors = [
            {
                # "body.personnummer" → "personnummer"; query and path keep their prefix.
                "field": ".".join(str(p) for p in e["loc"][1:] if p != "body")
                if e["loc"] and e["loc"][0] == "body"
                else ".".join(str(p) for p in e["loc"]),
                "message": e["msg"],
                # pydantic's own error type: missing, string_too_long, string_pattern_mismatch…
                "code": e["type"],
            }
            for e in error.errors()
        ]
        return _validation_problem(errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_exception(_request: Request, error: StarletteHTTPException) -> Response:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
        return problem_response(
            status=error.status_code,
            slug=slug,
            title=str(error.detail),
            request_id=current_request_id(),
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _error: Exception) -> Response:
        # The request id ties this answer to the log line; the exception text stays in the log.
        log.exception("unhandled error")
        return problem_response(
            status=500,
            slug="internal",
            title="Something went wrong on our side",
            detail="Nothing was saved. Try again later.",
            request_id=current_request_id(),
        )


def _validation_problem(errors: list[dict[str, str]]) -> Response:
    return problem_response(
        status=422,
        slug="validation",
        title="The request has invalid fields",
        errors=errors,
        request_id=current_request_id(),
    )
