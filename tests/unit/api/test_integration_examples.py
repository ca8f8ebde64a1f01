"""The examples integrators copy from the OpenAPI document are requests the service takes:
the result bodies validate against their models and the FHIR transaction Bundle is read as
the results it carries."""

from __future__ import annotations

import json
from datetime import date

import pytest

from api.fhir.resources import EXAMPLE_TRANSACTION, results_from_bundle
from api.openapi_export import current_document
from api.results_intake.routes import RESULT_ERRORS
from api.results_intake.schemas import (
    BATCH_EXAMPLES,
    RESULT_EXAMPLES,
    ResultBatchIn,
    ResultIn,
)
from api.web.errors import PROBLEM_TABLE
from domain.results import AbnormalFlag, Insight


@pytest.mark.parametrize("name", sorted(RESULT_EXAMPLES))
def test_every_single_result_example_is_a_valid_request(name: str) -> None:
    ResultIn.model_validate(RESULT_EXAMPLES[name]["value"])


def test_the_batch_example_is_a_valid_request() -> None:
    batch = ResultBatchIn.model_validate(BATCH_EXAMPLES["batch"]["value"])
    assert [r.analysis_code for r in batch.results] == ["CTNA", "NGNA"]


def test_the_fhir_transaction_example_carries_its_two_results() -> None:
    items = results_from_bundle(EXAMPLE_TRANSACTION)

    assert [
        (i.rid, i.analysis_code, i.value, i.lab_result_id, i.lab_version, i.abnormal_flag)
        for i in items
    ] == [
        ("7K2M9QX4PB", "CTNA", "Påvisad", "KUL-2026-000123", 1, AbnormalFlag.ABNORMAL),
        ("7K2M9QX4PB", "NGNA", "Ej påvisad", "KUL-2026-000124", 1, None),
    ]
    assert {(i.sampling_date, i.insight) for i in items} == {(date(2026, 12, 1), Insight.POSITIVE)}


def test_every_integration_tag_is_described_and_the_result_bodies_have_examples() -> None:
    document = json.loads(current_document())
    described = {t["name"]: t.get("description") for t in document["tags"]}
    used = {
        tag
        for path in document["paths"].values()
        for operation in path.values()
        for tag in operation.get("tags", [])
        if tag.startswith("integration")
    }
    assert used == {
        "integration: authentication",
        "integration: orders",
        "integration: results",
        "integration: FHIR R4",
    }
    assert all(described.get(tag) for tag in used), described
    paths = document["paths"]
    bodies = {
        "/api/integration/v1/results": "application/json",
        "/api/integration/v1/results/batch": "application/json",
        "/fhir": "application/fhir+json",
    }
    for path, media in bodies.items():
        assert paths[path]["post"]["requestBody"]["content"][media]["examples"], path
    single_errors = paths["/api/integration/v1/results"]["post"]["responses"]
    assert {
        example["value"]["type"]
        for status in ("401", "403", "404", "409", "422")
        for example in single_errors[status]["content"]["application/problem+json"][
            "examples"
        ].values()
    } == {
        "/problems/invalid-token",
        "/problems/insufficient-scope",
        "/problems/order-not-found",
        "/problems/order-line-not-found",
        "/problems/result-version-conflict",
        "/problems/result-key-taken",
        "/problems/order-not-awaiting-results",
        "/problems/idempotency-key-reused",
        "/problems/validation",
    }


def test_the_result_error_examples_are_the_problems_the_service_answers() -> None:
    kinds = {kind.slug: kind for _, kind in PROBLEM_TABLE}
    for status, response in RESULT_ERRORS.items():
        for example in response["content"]["application/problem+json"]["examples"].values():
            problem = example["value"]
            slug = problem["type"].removeprefix("/problems/")
            assert problem["status"] == status
            if slug == "validation":
                assert problem["title"] == "The request has invalid fields"
                continue
            assert (kinds[slug].status, kinds[slug].title) == (status, problem["title"])
