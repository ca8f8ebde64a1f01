from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import JSONResponse

from api.fhir import resources, usecases
from api.services import Services
from api.web.deps import IntegrationClient, ServicesDep, integration_client
from api.web.errors import problem_kind
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.errors import DomainError, InvalidInput
from domain.results import Outcome

FHIR_JSON = "application/fhir+json"
TAG_FHIR = "integration: FHIR R4"

# The tag's description in the OpenAPI document (api/app.py).
OPENAPI_TAGS = [
    {
        "name": TAG_FHIR,
        "description": "A FHIR R4 view (`application/fhir+json`) of the same data, with the "
        "same tokens, scopes and organisation isolation as the native API: search "
        "`ServiceRequest`, `Specimen`, `Task` (scope `orders:read`), `DiagnosticReport`, "
        "`Observation` (scope `results:read`) by `_lastUpdated`; the CapabilityStatement at "
        "`GET /fhir/metadata`. Results go in as a transaction Bundle at `POST /fhir` (scope "
        "`results:write`): one DiagnosticReport naming the order (`basedOn` identifier of "
        f"the system `{resources.RID}`) and sampling date (`effectiveDateTime`), one "
        "Observation per result (the analysis in `"
        f"{resources.LAB_CODES}<laboratory code>`, your result id in `"
        f"{resources.LAB_RESULTS}<laboratory code>`, its version in `meta.versionId`) — the "
        "same use case and rules as `POST /api/integration/v1/results`, atomic. Errors of "
        "the FHIR endpoints are OperationOutcomes with the native API's status and problem "
        "type first in `diagnostics` (404 `order-not-found`, 409 `result-key-taken`, 422 "
        "invalid FHIR with the `expression` naming where); 401 and 403 are problem+json as "
        "in the native API.",
    },
]
router = APIRouter(prefix="/fhir", tags=[TAG_FHIR])
OrdersReader = Annotated[IntegrationClient, Depends(integration_client("orders:read"))]
ResultsReader = Annotated[IntegrationClient, Depends(integration_client("results:read"))]
ResultsWriter = Annotated[IntegrationClient, Depends(integration_client("results:write"))]
LastUpdated = Annotated[
    str | None,
    Query(
        alias="_lastUpdated",
        max_length=40,
        description="ge<instant> or gt<instant> (e.g. ge2026-12-01T00:00:00Z); without: all",
    ),
]
Count = Annotated[int, Query(alias="_count", ge=1, le=1000)]
Cursor = Annotated[
    str | None,
    Query(
        alias="_cursor",
        max_length=200,
        description="The next page: as the searchset Bundle's `next` link gives it (opaque)",
    ),
]
FHIR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {FHIR_JSON: {}}},
    # Authentication and scopes answer as the native API does (problem+json).
    401: PROBLEM_RESPONSES[401],
    403: PROBLEM_RESPONSES[403],
    **{
        status: {"description": "OperationOutcome", "content": {FHIR_JSON: {}}}
        for status in (400, 404, 409)
    },
    # An OperationOutcome from the FHIR rules, or problem+json when a parameter is refused
    # before any FHIR code runs (control characters: api/web/parameters.py).
    422: {
        "description": "OperationOutcome, or a problem for a refused parameter",
        "content": {FHIR_JSON: {}, "application/problem+json": {}},
    },
}


def _fhir(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=FHIR_JSON)


def _outcome(error: DomainError) -> JSONResponse:
    """Errors of the FHIR endpoints are OperationOutcomes with the status the native API
    answers (its problem type in `diagnostics`' first words)."""
    if isinstance(error, InvalidInput):
        return _fhir(
            resources.operation_outcome(
                code="invalid", diagnostics=error.detail, expression=error.field
            ),
            422,
        )
    kind = problem_kind(error)
    status = kind.status if kind else 400
    code = {404: "not-found", 409: "conflict", 403: "forbidden"}.get(status, "processing")
    slug = kind.slug if kind else "domain-rule"
    return _fhir(
        resources.operation_outcome(code=code, diagnostics=f"{slug}: {error.detail}"), status
    )


async def _search(
    services: Services,
    client: IntegrationClient,
    kind: str,
    last_updated: str | None,
    cursor: str | None,
    count: int,
    build: Any,
) -> JSONResponse:
    try:
        page = await in_transaction(
            services,
            lambda uow: usecases.search_lines(
                uow=uow,
                actor=client,
                now=services.now(),
                last_updated=last_updated,
                cursor=cursor,
                limit=count,
                resource=kind,
            ),
        )
    except DomainError as error:
        return _outcome(error)
    found: dict[str, dict[str, Any]] = {}
    for line in page.lines:
        resource = build(line)
        if resource is not None:
            found.setdefault(resource["id"], resource)
    base = services.settings.public_base_url + "/fhir"
    query: dict[str, str | int] = {"_count": count}
    if last_updated is not None:
        query["_lastUpdated"] = last_updated
    next_url = None
    if page.next_cursor is not None:
        next_url = f"{base}/{kind}?" + urlencode({**query, "_cursor": page.next_cursor})
    return _fhir(
        resources.search_bundle(
            list(found.values()),
            base_url=base,
            next_url=next_url,
            complete=cursor is None and next_url is None,
        )
    )


@router.get("/metadata", operation_id="fhirCapabilityStatement", responses=FHIR_RESPONSES)
async def metadata(services: ServicesDep) -> JSONResponse:
    """The CapabilityStatement: what this FHIR view serves (open, as FHIR asks)."""
    return _fhir(
        resources.capability_statement(
            base_url=services.settings.public_base_url + "/fhir", now=services.now()
        )
    )


@router.get("/ServiceRequest", operation_id="fhirSearchServiceRequest", responses=FHIR_RESPONSES)
async def search_service_requests(
    client: OrdersReader,
    services: ServicesDep,
    last_updated: LastUpdated = None,
    cursor: Cursor = None,
    count: Count = 100,
) -> JSONResponse:
    """Order lines of your organisation as ServiceRequests (scope orders:read)."""
    return await _search(
        services, client, "ServiceRequest", last_updated, cursor, count, resources.service_request
    )


@router.get("/Specimen", operation_id="fhirSearchSpecimen", responses=FHIR_RESPONSES)
async def search_specimens(
    client: OrdersReader,
    services: ServicesDep,
    last_updated: LastUpdated = None,
    cursor: Cursor = None,
    count: Count = 100,
) -> JSONResponse:
    """Sampled order lines as Specimens (scope orders:read)."""
    return await _search(
        services, client, "Specimen", last_updated, cursor, count, resources.specimen
    )


@router.get("/Task", operation_id="fhirSearchTask", responses=FHIR_RESPONSES)
async def search_tasks(
    client: OrdersReader,
    services: ServicesDep,
    last_updated: LastUpdated = None,
    cursor: Cursor = None,
    count: Count = 100,
) -> JSONResponse:
    """The orders' workflow as Tasks (scope orders:read): requested, accepted (Hanterad),
    in-progress with business status specimen-collected (Provtagen), completed (Besvarad)."""
    return await _search(services, client, "Task", last_updated, cursor, count, resources.task)


@router.get(
    "/DiagnosticReport", operation_id="fhirSearchDiagnosticReport", responses=FHIR_RESPONSES
)
async def search_reports(
    client: ResultsReader,
    services: ServicesDep,
    last_updated: LastUpdated = None,
    cursor: Cursor = None,
    count: Count = 100,
) -> JSONResponse:
    """The newest result of each order line as a DiagnosticReport (scope results:read):
    final, or corrected for a newer version. Only results your care units receive (as
    `POST /api/integration/v1/results/claims` hands them out); pages follow the Bundle's
    `next` link."""
    return await _search(
        services,
        client,
        "DiagnosticReport",
        last_updated,
        cursor,
        count,
        resources.diagnostic_report,
    )


@router.get("/Observation", operation_id="fhirSearchObservation", responses=FHIR_RESPONSES)
async def search_observations(
    client: ResultsReader,
    services: ServicesDep,
    last_updated: LastUpdated = None,
    cursor: Cursor = None,
    count: Count = 100,
) -> JSONResponse:
    """The newest result of each order line as an Observation (scope results:read), of
    the results your care units receive; pages follow the Bundle's `next` link."""
    return await _search(
        services, client, "Observation", last_updated, cursor, count, resources.observation
    )


@router.post("", operation_id="fhirTransaction", responses=FHIR_RESPONSES)
async def transaction(
    client: ResultsWriter,
    services: ServicesDep,
    bundle: Annotated[
        dict[str, Any],
        Body(
            media_type=FHIR_JSON,
            openapi_examples={
                "results": {
                    "summary": "Two results of one order (DiagnosticReport + Observations)",
                    "value": resources.EXAMPLE_TRANSACTION,
                }
            },
        ),
    ],
) -> JSONResponse:
    """A transaction Bundle of DiagnosticReport + Observation results (scope
    results:write), the alternative to `POST /api/integration/v1/results/batch`, through
    the same use case and rules. Atomic, as FHIR transactions are: all results are stored
    or none; a refusal is an OperationOutcome with the native API's status (404, 409, 422).
    Invalid FHIR (validated with fhir.resources) is 422 with an OperationOutcome naming
    where. The answer is a transaction-response Bundle, one entry per Observation."""
    try:
        items = resources.results_from_bundle(bundle)
        outcomes = await in_transaction(
            services,
            lambda uow: usecases.receive_transaction(
                uow=uow, actor=client, now=services.now(), items=items
            ),
        )
    except DomainError as error:
        return _outcome(error)
    stored = (Outcome.CREATED, Outcome.CORRECTED)
    return _fhir(
        resources.validated(
            {
                "resourceType": "Bundle",
                "type": "transaction-response",
                "entry": [
                    {
                        "response": {
                            "status": "201 Created" if o.outcome in stored else "200 OK",
                            "location": f"Observation/{o.result_id}",
                            "outcome": resources.operation_outcome_information(o.outcome.value),
                        }
                    }
                    for o in outcomes
                ],
            }
        )
    )
