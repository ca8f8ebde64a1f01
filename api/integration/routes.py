"""The integration API (SPEC §6): OAuth2 client credentials at /oauth/token, and under
/api/integration/v1 the client's orders — listing, the leased hand-out (claim, acknowledge)
and status updates. ADR 7 says why it works the way it does."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Body, Depends, Form, Query, Request, Response
from fastapi.responses import JSONResponse

from api.integration import usecases
from api.integration.schemas import (
    STATUS_EXAMPLES,
    AckIn,
    AckItemOut,
    AckOut,
    ClaimIn,
    ClaimOut,
    IntegrationIdempotencyKey,
    IntegrationOrderOut,
    OAuthErrorOut,
    OrderPageOut,
    StatusIn,
    TokenOut,
    order_document,
)
from api.metrics import TOKEN_REFUSALS
from api.web.deps import IntegrationClient, ServicesDep, integration_client
from api.web.idempotency import run_idempotent
from api.web.problems import PROBLEM_RESPONSES, Problem
from api.web.run import in_transaction
from api.web.schemas import text_problem
from domain.integration import InvalidRequest, OAuthError, Scope

TAG_AUTH = "integration: authentication"
TAG_ORDERS = "integration: orders"

# Descriptions of the integration API's tags in the OpenAPI document (api/app.py).
OPENAPI_TAGS = [
    {
        "name": TAG_AUTH,
        "description": "OAuth2 client credentials (RFC 6749 §4.4). Get a token at "
        "`POST /oauth/token` with your client id and secret (HTTP Basic), send it as "
        "`Authorization: Bearer …`; renew it when `expires_in` runs out. Scopes: "
        "`orders:read`, `orders:write`, `results:write`, `results:read`. In production over "
        "mutual TLS with the organisation's function certificate. Errors of the token "
        "endpoint are RFC 6749 JSON; every other error is RFC 9457 problem+json.",
    },
    {
        "name": TAG_ORDERS,
        "description": "The orders of the client's organisation (its laboratories, sampling "
        "units and result-receiving care units). Poll with `POST /orders/claim` — safe with "
        "several pollers: each order is handed to one of them under a lease until "
        "acknowledged (`POST /orders/ack`) or until the lease runs out — then set status "
        "with `POST /orders/{order_id}/status`. Every unsafe call needs an "
        "`Idempotency-Key`. Versioned in the path (`/v1`): additions only within a version.",
    },
]

token_router = APIRouter(tags=[TAG_AUTH])
router = APIRouter(prefix="/api/integration/v1", tags=[TAG_ORDERS], responses=PROBLEM_RESPONSES)

_PROBLEM = {"model": Problem, "content": {"application/problem+json": {}}}
_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        **_PROBLEM,
        "description": "No valid access token (problem type /problems/invalid-token); the "
        "answer carries `WWW-Authenticate: Bearer`",
    },
    403: {
        **_PROBLEM,
        "description": "The token lacks a scope the call needs (/problems/insufficient-scope, "
        "with `required_scopes`)",
    },
}


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    """client_secret_basic (RFC 6749 §2.3.1): both parts form-urlencoded, then Base64."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


def _oauth_error(error: OAuthError, *, basic: bool) -> JSONResponse:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if error.status == 401:
        headers["WWW-Authenticate"] = (
            'Basic realm="pep-integration"' if basic else 'Bearer realm="pep-integration"'
        )
    return JSONResponse(
        {"error": error.error, "error_description": error.description},
        status_code=error.status,
        headers=headers,
    )


@token_router.post(
    "/oauth/token",
    operation_id="issueIntegrationToken",
    summary="Get an access token (OAuth2 client credentials)",
    responses={
        400: {"model": OAuthErrorOut, "description": "RFC 6749 §5.2 error"},
        401: {"model": OAuthErrorOut, "description": "invalid_client"},
    },
)
async def issue_token(
    request: Request,
    services: ServicesDep,
    response: Response,
    grant_type: Annotated[str | None, Form(examples=["client_credentials"])] = None,
    scope: Annotated[
        str | None,
        Form(
            description="Space-separated; omitted: every scope the client holds",
            examples=["orders:read orders:write"],
        ),
    ] = None,
    client_id: Annotated[
        str | None, Form(description="client_secret_post; or use HTTP Basic")
    ] = None,
    client_secret: Annotated[str | None, Form()] = None,
) -> TokenOut:
    """RFC 6749 §4.4. Authenticate with HTTP Basic (client_secret_basic, preferred) or
    with `client_id`/`client_secret` in the form (client_secret_post). The token is a
    short-lived JWT (`expires_in` seconds): get a new one when it runs out; there is no
    refresh token. In production the endpoint sits behind mutual TLS and a client with a
    registered certificate must present it (the token is bound to it, RFC 8705)."""
    basic = _basic_credentials(request)
    header = services.settings.integration_client_cert_header
    token_request = usecases.TokenRequest(
        grant_type=grant_type,
        client_id=basic[0] if basic else client_id,
        client_secret=basic[1] if basic else client_secret,
        scope=scope,
        certificate_thumbprint=request.headers.get(header) if header else None,
    )
    for name in ("grant_type", "client_id", "client_secret", "scope"):
        # RFC 6749 §5.2: a malformed parameter is invalid_request (NUL never reaches the
        # database or the audit log).
        value = getattr(token_request, name)
        if value is not None and text_problem(value) is not None:
            malformed = InvalidRequest(f"{name} must not contain control characters")
            return _oauth_error(malformed, basic=basic is not None)  # type: ignore[return-value]
    try:
        issued = await in_transaction(
            services,
            lambda uow: usecases.issue_token(
                uow=uow,
                tokens=services.integration_tokens,
                now=services.now(),
                request=token_request,
            ),
        )
    except OAuthError as error:
        TOKEN_REFUSALS.inc()
        return _oauth_error(error, basic=basic is not None)  # type: ignore[return-value]
    # RFC 6749 §5.1: the answer carries a credential.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return TokenOut.of(issued)


OrdersReader = Annotated[IntegrationClient, Depends(integration_client(Scope.ORDERS_READ))]
OrdersWriter = Annotated[IntegrationClient, Depends(integration_client(Scope.ORDERS_WRITE))]


@router.get(
    "/orders",
    operation_id="listIntegrationOrders",
    summary="List the client's orders",
    responses=_AUTH_RESPONSES,
)
async def list_orders(
    client: OrdersReader,
    services: ServicesDep,
    status: Annotated[
        list[str] | None,
        Query(
            description="Repeat for several; default handled and sampled. One of ordered, "
            "handled, sampled, answered, cancelled, expired, rejected",
        ),
    ] = None,
    laboratory: Annotated[
        str | None, Query(max_length=32, description="One of the client's laboratory codes")
    ] = None,
    updated_since: Annotated[
        datetime | None, Query(description="Only orders whose status changed since then")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OrderPageOut:
    """Orders of the client's organisation — those its laboratories analyse, its sampling
    units sample, or its care units receive results for — by status change, oldest first.
    Reading a page hands nothing out: for processing with several pollers use
    `POST /orders/claim`. Scope `orders:read`."""
    page = await in_transaction(
        services,
        lambda uow: usecases.list_orders(
            uow=uow,
            actor=client,
            now=services.now(),
            statuses=status or [],
            laboratory_code=laboratory,
            updated_since=updated_since,
            cursor=cursor,
            limit=limit,
        ),
    )
    return OrderPageOut(
        orders=[IntegrationOrderOut.of(o) for o in page.orders], next_cursor=page.next_cursor
    )


@router.get(
    "/orders/{order_id}",
    operation_id="getIntegrationOrder",
    summary="One order of the client's organisation",
    responses=_AUTH_RESPONSES,
)
async def get_order(
    order_id: uuid.UUID, client: OrdersReader, services: ServicesDep
) -> IntegrationOrderOut:
    """404 order-not-found also for an order of another organisation. Scope `orders:read`."""
    order = await in_transaction(
        services,
        lambda uow: usecases.get_order(
            uow=uow, actor=client, now=services.now(), order_id=order_id
        ),
    )
    return IntegrationOrderOut.of(order)


def _claim_out(claim: usecases.Claim) -> dict[str, Any]:
    return {
        "leased_until": claim.leased_until.isoformat(),
        "orders": [
            order_document(o, lease_id=usecases.lease_token(claim.lease_id, o.id))
            for o in claim.orders
        ],
    }


@router.post(
    "/orders/claim",
    operation_id="claimIntegrationOrders",
    summary="Claim waiting orders under a lease",
    response_model=ClaimOut,
    responses=_AUTH_RESPONSES,
)
async def claim_orders(
    client: OrdersReader,
    services: ServicesDep,
    idempotency_key: IntegrationIdempotencyKey,
    body: ClaimIn | None = None,
) -> JSONResponse:
    """Hands the oldest waiting orders (handled or sampled, of the client's organisation)
    to this caller, each under a lease: no other poller gets them until they are
    acknowledged (`POST /orders/ack`) or the lease runs out — then they are handed out
    again. Safe with any number of parallel pollers. An order comes back into the queue
    when its status changes (e.g. handled → sampled). Scope `orders:read`."""
    settings = services.settings
    bounds = usecases.LeaseBounds(
        default_seconds=settings.integration_lease_default_seconds,
        max_seconds=settings.integration_lease_max_seconds,
        max_batch=settings.integration_claim_max_batch,
    )
    request = body or ClaimIn()
    now = services.now()
    answer = await run_idempotent(
        services,
        actor=client,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.claim_orders(
            uow=uow,
            actor=client,
            now=now,
            idempotency=idempotency,
            limit=request.limit,
            lease_seconds=request.lease_seconds,
            bounds=bounds,
            new_lease_id=uuid.uuid4(),
        ),
        order_of=lambda claim: claim.lease_id,
        replay=lambda uow, lease_id: usecases.replay_claim(
            uow=uow, actor=client, now=now, lease_id=lease_id
        ),
        render=_claim_out,
        status_code=200,
    )
    # Rendered by _claim_out as ClaimOut's JSON (up to hundreds of orders): not again.
    return JSONResponse(answer.body, status_code=answer.status_code)


@router.post(
    "/orders/ack",
    operation_id="acknowledgeIntegrationOrders",
    summary="Acknowledge claimed orders",
    responses=_AUTH_RESPONSES,
)
async def acknowledge_orders(
    body: AckIn,
    client: OrdersReader,
    services: ServicesDep,
    idempotency_key: IntegrationIdempotencyKey,
) -> AckOut:
    """Ends the hand-out of each order named by its lease id: it is not handed out again
    (until its status changes). Per lease id, `acknowledged: false` when the lease ran out
    and another poller holds the order now. Scope `orders:read`."""
    now = services.now()

    def render(items: list[usecases.Acknowledgement]) -> dict[str, Any]:
        return AckOut(
            acknowledged=sum(1 for i in items if i.acknowledged),
            results=[
                AckItemOut(lease_id=i.lease_id, order_id=i.order_id, acknowledged=i.acknowledged)
                for i in items
            ],
        ).model_dump(mode="json")

    answer = await run_idempotent(
        services,
        actor=client,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.acknowledge(
            uow=uow, actor=client, now=now, idempotency=idempotency, lease_ids=body.lease_ids
        ),
        # What the key is stored with: the first lease acknowledged (the replay reads the
        # request's own lease ids).
        order_of=lambda items: usecases.parse_lease_token(items[0].lease_id)[0],
        replay=lambda uow, _lease: usecases.replay_acknowledge(
            uow=uow, actor=client, lease_ids=body.lease_ids
        ),
        render=render,
        status_code=200,
    )
    return AckOut.model_validate(answer.body)


@router.post(
    "/orders/{order_id}/status",
    operation_id="setIntegrationOrderStatus",
    summary="Set an order's status: Hanterad, Provtagen or Avvisad",
    responses={
        **_AUTH_RESPONSES,
        409: {
            **_PROBLEM,
            "description": "The order's status does not allow the step (/problems/order-status "
            "or /problems/order-already-sampled, with the current `order_status` and "
            "`version`), or the laboratory fails a check (/problems/product-not-performed, "
            "/problems/recipient-not-customer), or the Idempotency-Key was used for another "
            "request",
        },
    },
)
async def set_status(
    order_id: uuid.UUID,
    body: Annotated[StatusIn, Body(openapi_examples=STATUS_EXAMPLES)],
    client: OrdersWriter,
    services: ServicesDep,
    idempotency_key: IntegrationIdempotencyKey,
) -> IntegrationOrderOut:
    """`handled` (Hanterad, the electronic flow: an ordered order; its validity counts from
    now), `sampled` (Provtagen: the sampling time from the sampling system, the laboratory
    when the order has none yet — it must perform every product and serve the result
    recipient), or `rejected` (Avvisad, terminal, with a reason). Answers the order as it
    is now. Scope `orders:write`."""
    now = services.now()
    change = usecases.StatusChange(
        status=body.status,
        sampled_at=getattr(body, "sampled_at", None),
        laboratory_code=getattr(body, "laboratory_code", None),
        reason=getattr(body, "reason", None),
    )

    answer = await run_idempotent(
        services,
        actor=client,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.change_status(
            uow=uow,
            actor=client,
            now=now,
            idempotency=idempotency,
            order_id=order_id,
            change=change,
        ),
        order_of=lambda order: order.id,
        replay=lambda uow, changed: usecases.order_for_client(
            uow=uow, actor=client, order_id=changed
        ),
        render=lambda order: IntegrationOrderOut.of(order).model_dump(mode="json"),
        status_code=200,
    )
    return IntegrationOrderOut.model_validate(answer.body)
