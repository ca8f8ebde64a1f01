"""Citizen endpoint of kit registration (SPEC §4.4)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from adapters.kit_attempts import RedisKitAttempts
from api.kits import usecases
from api.kits.schemas import KitIn
from api.ordering.schemas import IdempotencyKey, OrderDetails, stored_order_details
from api.ordering.usecases import get_order
from api.web.deps import CitizenSession, ServicesDep
from api.web.idempotency import run_idempotent
from api.web.problems import PROBLEM_RESPONSES, Problem

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


@router.post(
    "/kits",
    operation_id="registerKit",
    status_code=201,
    responses={
        429: {
            "model": Problem,
            "content": {"application/problem+json": {}},
            "description": "too-many-attempts: locked out after 5 attempts; try again after "
            "Retry-After seconds",
            "headers": {
                "Retry-After": {
                    "description": "Seconds left of the lockout",
                    "schema": {"type": "integer"},
                }
            },
        }
    },
)
async def register_kit(
    body: KitIn,
    citizen: CitizenSession,
    services: ServicesDep,
    idempotency_key: IdempotencyKey,
    response: Response,
) -> OrderDetails:
    """Registrera provtagningskit: binds a pre-labelled kit to the citizen (once)."""
    now = services.now()
    answer = await run_idempotent(
        services,
        actor=citizen,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.register_kit(
            uow=uow,
            actor=citizen,
            now=now,
            protector=services.protector,
            attempts=RedisKitAttempts(services.redis, prefix=services.settings.redis_prefix),
            idempotency=idempotency,
            kit_number=body.kit_number,
            rid=body.rid,
        ),
        order_of=lambda view: view.order.id,
        replay=lambda uow, order_id: get_order(
            uow=uow, actor=citizen, now=now, protector=services.protector, order_id=order_id
        ),
        render=stored_order_details,
        status_code=201,
    )
    response.status_code = answer.status_code
    return OrderDetails.model_validate(answer.body)
