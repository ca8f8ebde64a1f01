"""Citizen endpoints for results: mark read, delete the order with its results (SPEC §4.6,
§4.8)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from api.results import usecases
from api.results.schemas import DeleteIn
from api.web.deps import CitizenSession, ServicesDep
from api.web.problems import PROBLEM_RESPONSES, Problem
from api.web.run import in_transaction

router = APIRouter(prefix="/api/citizen", tags=["citizen"], responses=PROBLEM_RESPONSES)


@router.post("/orders/{order_id}/results/read", operation_id="markResultsRead", status_code=204)
async def mark_results_read(
    order_id: uuid.UUID, citizen: CitizenSession, services: ServicesDep
) -> Response:
    """The citizen has seen the results (care sees this in the worklist)."""
    await in_transaction(
        services,
        lambda uow: usecases.mark_results_read(
            uow=uow,
            actor=citizen,
            now=services.now(),
            protector=services.protector,
            order_id=order_id,
        ),
    )
    return Response(status_code=204)


@router.post(
    "/orders/{order_id}/delete",
    operation_id="deleteOrder",
    status_code=204,
    responses={
        409: {
            "model": Problem,
            "content": {"application/problem+json": {}},
            "description": "order-not-deletable: an ongoing order without a result is "
            "cancelled (cancelOrder), not deleted",
        }
    },
)
async def delete_order(
    order_id: uuid.UUID, body: DeleteIn, citizen: CitizenSession, services: ServicesDep
) -> Response:
    """Deletes a result and its order for good (manual 3.7); confirmed by typing one's
    personnummer. The order's use still counts against the offer's usage limit."""
    await in_transaction(
        services,
        lambda uow: usecases.delete_order(
            uow=uow,
            actor=citizen,
            now=services.now(),
            protector=services.protector,
            order_id=order_id,
            confirm_personnummer=body.confirm_personnummer,
        ),
    )
    return Response(status_code=204)
