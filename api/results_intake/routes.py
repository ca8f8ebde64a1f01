from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header
from fastapi.responses import JSONResponse

from adapters.db.uow import UnitOfWork
from api.integration.schemas import IntegrationIdempotencyKey
from api.results_intake import usecases
from api.results_intake.schemas import (
    BATCH_EXAMPLES,
    RESULT_EXAMPLES,
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
from api.web.responses import Document
from api.web.run import in_transaction
from domain.actors import IntegrationActor
from domain.results import IncomingResult, Outcome

TAG_RESULTS = "integration: results"

# The tag's description in the OpenAPI document (api/app.py).
OPENAPI_TAGS = [
    {
        "name": TAG_RESULTS,
        "description": "Results from laboratory systems (scope `results:write`): one result "
        "per order line in your laboratory's analysis codes — `POST /results`, or up to "
        "1,000 at once with a per-item outcome — `POST /results/batch` (the FHIR "
        "alternative is `POST /fhir`). Idempotent on your result id + version: the same "
        "again is `duplicate`, a higher version `corrected`, an older one arriving late "
        "`superseded` (it never overwrites a newer one); one result per order line and "
        "sampling date. An order becomes Besvarad when every line has a result, and the "
        "citizen and the result recipient's system are told. Results polling for the "
        "receiving care unit's system (scope `results:read`): `POST /results/claims` under a "
        "lease, then `POST /results/acknowledgements`. Errors are RFC 9457 problem+json: "
        "401 `invalid-token`, 403 `insufficient-scope`, 404 `order-not-found` / "
        "`order-line-not-found`, 409 `result-version-conflict` / `result-key-taken` / "
        "`order-not-awaiting-results` / `idempotency-key-reused`, 422 `validation` (with "
        "`errors[].code`, e.g. `unmapped_analysis_code`).",
    },
]


def _problem_example(status: int, slug: str, title: str, **members: Any) -> dict[str, Any]:
    return {"value": {"type": f"/problems/{slug}", "title": title, "status": status, **members}}


def _problems(description: str, **examples: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "examples": examples,
            }
        },
    }


# The errors of the result endpoints, each with its problem types (api/web/errors.py).
RESULT_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _problems(
        "No valid access token (`WWW-Authenticate: Bearer`)",
        invalid_token=_problem_example(401, "invalid-token", "No valid access token"),
    ),
    403: _problems(
        "The token lacks `results:write`",
        insufficient_scope=_problem_example(
            403,
            "insufficient-scope",
            "The access token lacks a scope this call needs",
            required_scopes=["results:write"],
        ),
    ),
    404: _problems(
        "Unknown RID (or not an order of your laboratories), or no such line",
        order_not_found=_problem_example(
            404,
            "order-not-found",
            "No such order",
            detail="no order with the RID 7K2M9QX4PB is yours",
        ),
        order_line_not_found=_problem_example(
            404,
            "order-line-not-found",
            "The order has no such line",
            detail="the order 7K2M9QX4PB has no line 3",
        ),
    ),
    409: _problems(
        "The result conflicts with what is stored, the order receives no results, or the "
        "Idempotency-Key was used for another request",
        result_version_conflict=_problem_example(
            409,
            "result-version-conflict",
            "This result version was received with other content",
            detail="version 1 of 'KUL-2026-000123' was received with other content; send a "
            "correction as a new version",
        ),
        result_key_taken=_problem_example(
            409,
            "result-key-taken",
            "The line and sampling date have another result",
            detail="line 1 sampled 2026-12-01 already has a result ('KUL-2026-000099'); "
            "correct that one with a new version",
        ),
        order_not_awaiting_results=_problem_example(
            409,
            "order-not-awaiting-results",
            "The order receives no results now",
            detail="a cancelled order receives no results",
            order_status="cancelled",
        ),
        idempotency_key_reused=_problem_example(
            409, "idempotency-key-reused", "Idempotency-Key reused"
        ),
    ),
    422: _problems(
        "Invalid fields; an analysis code your laboratory has not mapped is named",
        unmapped_analysis_code=_problem_example(
            422,
            "validation",
            "The request has invalid fields",
            errors=[
                {
                    "field": "analysis_code",
                    "message": "the laboratory has not mapped the analysis code 'XYZ'",
                    "code": "unmapped_analysis_code",
                }
            ],
        ),
        missing_field=_problem_example(
            422,
            "validation",
            "The request has invalid fields",
            errors=[{"field": "sampling_date", "message": "Field required", "code": "missing"}],
        ),
    ),
}
# A batch refuses items one by one (`items[i].problem`); the request itself only so.
BATCH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: RESULT_ERRORS[401],
    403: RESULT_ERRORS[403],
    409: _problems(
        "The Idempotency-Key was used for another request (a refused item is not an error "
        "of the request: see `items[i].problem`)",
        idempotency_key_reused=_problem_example(
            409, "idempotency-key-reused", "Idempotency-Key reused"
        ),
    ),
    422: _problems(
        "A malformed body (e.g. a missing field, more than 1,000 results): nothing is stored",
        missing_field=RESULT_ERRORS[422]["content"]["application/problem+json"]["examples"][
            "missing_field"
        ],
    ),
}

router = APIRouter(
    prefix="/api/integration/v1/results",
    tags=[TAG_RESULTS],
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
) -> Document:
    """Runs the intake in one transaction; with a key through the idempotency runner, whose
    replay decides the same items again without writing (a retry changes nothing). The
    answer is a `Document`: orjson writes a batch's 1,000 items in a fraction of
    JSONResponse's time, the same bytes."""
    now = services.now()

    def status_of(report: usecases.IntakeReport) -> int:
        stored = report.count(Outcome.CREATED, Outcome.CORRECTED)
        return 201 if len(items) == 1 and stored else 200

    if key is None:
        report = await in_transaction(
            services,
            lambda uow: usecases.receive_results(uow=uow, actor=client, now=now, items=items),
        )
        return Document(render(report), status_code=status_of(report))

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
    return Document(answer.body, status_code=holder.get("status", answer.status_code))


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
    responses={
        **RESULT_ERRORS,
        200: {"model": ResultOutcomeOut, "description": "duplicate or superseded"},
    },
)
async def post_result(
    body: Annotated[ResultIn, Body(openapi_examples=RESULT_EXAMPLES)],
    client: Writer,
    services: ServicesDep,
    idempotency_key: OptionalIdempotencyKey = None,
) -> Document:
    """One result for one order line (scope `results:write`), for an order sampled for one
    of your laboratories. **201** `created` (the first version) or `corrected` (a newer
    version of your result id: shown instead); **200** `duplicate` (the same result id,
    version and content again: nothing changed) or `superseded` (an older version than the
    one shown, arriving late: nothing stored). The order becomes Besvarad when every line
    has a result. Errors: 404 `order-not-found` (unknown RID, or not one of your
    laboratories' orders), 404 `order-line-not-found`, 422 `validation` with
    `unmapped_analysis_code` (the code is not mapped by your laboratory: named in
    `errors[0].message`), 409 `result-version-conflict` (the same version with other content),
    409 `result-key-taken` (the line and sampling date have another result id),
    409 `order-not-awaiting-results`."""
    return await _intake(services, client, [body.incoming()], idempotency_key, _single)


@router.post(
    "/batch",
    operation_id="postResultBatch",
    response_model=ResultBatchOut,
    responses=BATCH_ERRORS,
)
async def post_result_batch(
    body: Annotated[ResultBatchIn, Body(openapi_examples=BATCH_EXAMPLES)],
    client: Writer,
    services: ServicesDep,
    idempotency_key: OptionalIdempotencyKey = None,
) -> Document:
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
        ResultBatchOut.rendered,
    )


@router.post("/claims", operation_id="claimResults", response_model=ResultClaimOut)
async def claim_results(
    body: ClaimResultsIn,
    client: Reader,
    services: ServicesDep,
    idempotency_key: IntegrationIdempotencyKey,
) -> JSONResponse:
    """Results polling for the receiving care unit's system (scope `results:read`): hands
    out up to `limit` new results of your care units under a new lease. Nobody else gets
    them while the lease holds; acknowledge them (`POST …/results/acknowledgements`) before
    it runs out, or they are handed out again. Every result is handed out until it is
    acknowledged (at least once): deduplicate by `delivery_id`. As `POST /orders/claim`:
    an `Idempotency-Key` is required, and a retry with it gets the results still held under
    the first call's lease."""
    settings = services.settings
    now = services.now()
    answer = await run_idempotent(
        services,
        actor=client,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.claim_results(
            uow=uow,
            actor=client,
            now=now,
            idempotency=idempotency,
            limit=body.limit,
            lease_seconds=body.lease_seconds,
            default_lease_seconds=settings.integration_lease_default_seconds,
            max_lease_seconds=settings.integration_lease_max_seconds,
            new_lease_id=uuid.uuid4(),
        ),
        order_of=lambda claim: claim.lease_id,
        replay=lambda uow, lease_id: usecases.replay_result_claim(
            uow=uow, actor=client, now=now, lease_id=lease_id
        ),
        render=lambda claim: ResultClaimOut.of(claim).model_dump(mode="json"),
        status_code=200,
    )
    # Rendered once (it holds up to a thousand results): not validated again.
    return JSONResponse(answer.body, status_code=answer.status_code)


@router.post("/acknowledgements", operation_id="acknowledgeResults")
async def acknowledge_results(
    body: AcknowledgeResultsIn,
    client: Reader,
    services: ServicesDep,
    idempotency_key: IntegrationIdempotencyKey,
) -> AcknowledgementOut:
    """Settles results handed out under `lease_id` (scope `results:read`). Those the lease
    no longer holds (it ran out) are listed in `not_acknowledged`: fetch them again.
    Repeating an acknowledgement is harmless; as `POST /orders/ack`, an `Idempotency-Key`
    is required, and a retry with it is answered as things are now."""
    now = services.now()
    answer = await run_idempotent(
        services,
        actor=client,
        key=idempotency_key,
        now=now,
        work=lambda uow, idempotency: usecases.acknowledge_results(
            uow=uow,
            actor=client,
            now=now,
            idempotency=idempotency,
            lease_id=body.lease_id,
            delivery_ids=body.delivery_ids,
        ),
        # What the key is stored with: the lease (the replay reads the request's own ids).
        order_of=lambda _ack: body.lease_id,
        replay=lambda uow, _lease: usecases.replay_acknowledge_results(
            uow=uow, actor=client, delivery_ids=body.delivery_ids
        ),
        render=lambda ack: AcknowledgementOut.of(ack).model_dump(mode="json"),
        status_code=200,
    )
    return AcknowledgementOut.model_validate(answer.body)
