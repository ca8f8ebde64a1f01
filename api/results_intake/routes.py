from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse

from adapters.db.uow import UnitOfWork
from api.results_intake import usecases
from api.results_intake.schemas import (
    AcknowledgementOut,
    AcknowledgeResultsIn,
    ClaimResultsIn,
    ResultBatchIn,
    ResultBatchOut,
    ResultClaimOut,
    ResultIn,
    ResultOutcomeOut,
)
from api.services import Services
from api.web.deps import IntegrationClient, ServicesDep, integration_client
from api.web.idempotency import IdempotentCall, run_idempotent
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.actors import IntegrationActor
from domain.results import IncomingResult, Outcome

router = APIRouter(
    prefix="/api/integration/v1/results",
    tags=["integration: results"],
    responses={**PROBLEM_RESPONSES, 429: PROBLEM_RESPONSES[409]},
)
Writer = Annotated[IntegrationClient, Depends(integration_client("results:write"))]
Reader = Annotated[IntegrationClient, Depends(integration_client("results:read"))]
OptionalIdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Optional (results are idempotent by your result id and version anyway): "
        "a retry with the same key and body is answered as things are now and writes "
        "nothing; the same key with another body is 409 idempotency-key-reused.",
    ),
]


async def _intake(
    services: Services,
    client: IntegrationActor,
    items: list[IncomingResult],
    key: str | None,
    render: Any,
) -> JSONResponse:
    """Runs the intake in one transaction; with a key through the idempotency runner, whose
    replay decides the same items again without writing (a retry changes nothing)."""
    now = services.now()

    def status_of(report: usecases.IntakeReport) -> int:
        stored = report.count(Outcome.CREATED, Outcome.CORRECTED)
        return 201 if len(items) == 1 and stored else 200

    if key is None:
        report = await in_transaction(
            services,
            lambda uow: usecases.receive_results(uow=uow, actor=client, now=now, items=items),
        )
        return JSONResponse(render(report), status_code=status_of(report))

    async def work(uow: UnitOfWork, call: IdempotentCall) -> usecases.IntakeReport:
        return await usecases.receive_results(
            uow=uow, actor=client, now=now, items=items, idempotency=call
        )

    async def replay(uow: UnitOfWork, _call_id: uuid.UUID) -> usecases.IntakeReport:
        return await usecases.receive_results(
            uow=uow, actor=client, now=now, items=items, commit=False
        )

    holder: dict[str, int] = {}

    def rendered(report: usecases.IntakeReport) -> dict[str, Any]:
        holder.setdefault("status", status_of(report))
        return render(report)  # type: ignore[no-any-return]

    answer = await run_idempotent(
        services,
        actor=client,
        key=key,
        now=now,
        work=work,
        # The call's own id: what the key made is the items' results, found again by
        # deciding the same items (replay).
        order_of=lambda _report: uuid.uuid4(),
        replay=replay,
        render=rendered,
        status_code=200,
    )
    return JSONResponse(answer.body, status_code=holder.get("status", answer.status_code))


def _single(report: usecases.IntakeReport) -> dict[str, Any]:
    item = report.items[0]
    if item.error is not None:
        raise item.error
    return ResultOutcomeOut.of(item).model_dump(mode="json")


@router.post(
    "",
    operation_id="postResult",
    status_code=201,
    response_model=ResultOutcomeOut,
    responses={200: {"model": ResultOutcomeOut, "description": "duplicate or superseded"}},
)
async def post_result(
    body: ResultIn,
    client: Writer,
    services: ServicesDep,
    idempotency_key: OptionalIdempotencyKey = None,
) -> JSONResponse:
    """One result for one order line (scope `results:write`), for an order sampled for one
    of your laboratories. **201** `created` (the first version) or `corrected` (a newer
    version of your result id: shown instead); **200** `duplicate` (the same result id,
    version and content again: nothing changed) or `superseded` (an older version than the
    one shown, arriving late: nothing stored). The order becomes Besvarad when every line
    has a result. Errors: 404 `order-not-found` (unknown RID, or not one of your
    laboratories' orders), 404 `order-line-not-found`, 422 `validation` with
    `unmapped_analysis_code` (the code is not mapped by your laboratory: named in the
    detail), 409 `result-version-conflict` (the same version with other content),
    409 `result-key-taken` (the line and sampling date have another result id),
    409 `order-not-awaiting-results`."""
    return await _intake(services, client, [body.incoming()], idempotency_key, _single)


@router.post("/batch", operation_id="postResultBatch", response_model=ResultBatchOut)
async def post_result_batch(
    body: ResultBatchIn,
    client: Writer,
    services: ServicesDep,
    idempotency_key: OptionalIdempotencyKey = None,
) -> JSONResponse:
    """Up to 1,000 results (scope `results:write`), each decided on its own: `items[i]`
    tells what became of `results[i]` — stored (`created`, `corrected`), a no-op
    (`duplicate`, `superseded`) or `refused` with the `problem` the single endpoint would
    have answered. A refused item writes nothing; the others are stored in one transaction
    (the whole request is answered 200 once they are committed). A malformed body (e.g. a
    missing field) is 422 for the whole request."""
    return await _intake(
        services,
        client,
        [r.incoming() for r in body.results],
        idempotency_key,
        lambda report: ResultBatchOut.of(report).model_dump(mode="json"),
    )


@router.post("/claims", operation_id="claimResults")
async def claim_results(
    body: ClaimResultsIn, client: Reader, services: ServicesDep
) -> ResultClaimOut:
    """Results polling for the receiving care unit's system (scope `results:read`): hands
    out up to `limit` new results of your care units under a new lease. Nobody else gets
    them while the lease holds; acknowledge them (`POST …/results/acknowledgements`) before
    it runs out, or they are handed out again. Every result is handed out until it is
    acknowledged (at least once): deduplicate by `delivery_id`."""
    settings = services.settings
    claim = await in_transaction(
        services,
        lambda uow: usecases.claim_results(
            uow=uow,
            actor=client,
            now=services.now(),
            limit=body.limit,
            lease_seconds=body.lease_seconds,
            default_lease_seconds=settings.integration_lease_default_seconds,
            max_lease_seconds=settings.integration_lease_max_seconds,
        ),
    )
    return ResultClaimOut.of(claim)


@router.post("/acknowledgements", operation_id="acknowledgeResults")
async def acknowledge_results(
    body: AcknowledgeResultsIn, client: Reader, services: ServicesDep
) -> AcknowledgementOut:
    """Settles results handed out under `lease_id` (scope `results:read`). Those the lease
    no longer holds (it ran out) are listed in `not_acknowledged`: fetch them again.
    Repeating an acknowledgement is harmless."""
    ack = await in_transaction(
        services,
        lambda uow: usecases.acknowledge_results(
            uow=uow,
            actor=client,
            now=services.now(),
            lease_id=body.lease_id,
            delivery_ids=body.delivery_ids,
        ),
    )
    return AcknowledgementOut.of(ack)
