"""The results contract for laboratory systems and receiving care units (integration API,
tags `integration: results`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from adapters.db.repositories.result_deliveries import DeliveredResult
from api.results_intake.usecases import Acknowledgement, IntakeReport, ItemResult, ResultClaim
from api.web.errors import problem_kind
from api.web.schemas import RequestModel
from domain.errors import DomainError, InvalidInput
from domain.results import (
    MAX_BATCH,
    AbnormalFlag,
    IncomingResult,
    Insight,
    Outcome,
    ResultSource,
)

InsightOut = Literal["positive", "negative", "technical_error", "answer"]
FlagOut = Literal["high", "low", "abnormal"]
OutcomeOut = Literal["created", "corrected", "duplicate", "superseded", "refused"]

EXAMPLE_RESULT: dict[str, Any] = {
    "rid": "7K2M-9QX4-PB",
    "analysis_code": "CTNA",
    "value": "Påvisad",
    "reference_range": "Ej påvisad",
    "abnormal_flag": "abnormal",
    "comment": "Kontakta din vårdgivare för behandling.",
    "sampling_date": "2026-12-01",
    "lab_result_id": "KUL-2026-000123",
    "lab_version": 1,
    "insight": "positive",
}

# Named examples of the request bodies in the OpenAPI document (what integrators copy).
RESULT_EXAMPLES: dict[str, dict[str, Any]] = {
    "first": {
        "summary": "A result (the first version)",
        "description": "The line is found by the analysis code in your code system; "
        "answered 201 `created`.",
        "value": EXAMPLE_RESULT,
    },
    "correction": {
        "summary": "A correction (a newer version of the same result id)",
        "description": "Answered 201 `corrected`: shown instead of version 1. Version 1 "
        "arriving after it is answered 200 `superseded` and stores nothing.",
        "value": {
            **EXAMPLE_RESULT,
            "value": "Ej påvisad",
            "abnormal_flag": None,
            "comment": "Rättat svar: provet var felmärkt.",
            "lab_version": 2,
            "insight": "negative",
        },
    },
    "numeric": {
        "summary": "A numeric value with unit, named by line number",
        "value": {
            "rid": "7K2M-9QX4-PB",
            "line_no": 2,
            "analysis_code": "HBA1C",
            "value": "52",
            "unit": "mmol/mol",
            "reference_range": "27-42",
            "abnormal_flag": "high",
            "sampling_date": "2026-12-01",
            "lab_result_id": "KUL-2026-000124",
            "lab_version": 1,
            "insight": "answer",
        },
    },
}
BATCH_EXAMPLES: dict[str, dict[str, Any]] = {
    "batch": {
        "summary": "Two results of one order",
        "description": "Each item is decided on its own: `items[i]` answers `results[i]`.",
        "value": {
            "results": [
                EXAMPLE_RESULT,
                {
                    **EXAMPLE_RESULT,
                    "analysis_code": "NGNA",
                    "value": "Ej påvisad",
                    "abnormal_flag": None,
                    "comment": None,
                    "lab_result_id": "KUL-2026-000125",
                    "insight": "negative",
                },
            ]
        },
    }
}


class ResultIn(RequestModel):
    """One result for one order line, in the laboratory's codes."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_RESULT]})

    rid: str = Field(min_length=1, max_length=20, description="The order's RID, as printed")
    line_no: int | None = Field(
        default=None, ge=1, le=99, description="The order line; optional when the code names it"
    )
    analysis_code: str = Field(
        min_length=1, max_length=32, description="The analysis in the laboratory's code system"
    )
    value: str = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    reference_range: str | None = Field(default=None, max_length=100)
    abnormal_flag: FlagOut | None = None
    comment: str | None = Field(default=None, max_length=4000)
    sampling_date: date
    lab_result_id: str = Field(
        min_length=1, max_length=64, description="The laboratory's own id of this result"
    )
    lab_version: int = Field(
        ge=1, le=1_000_000, description="The laboratory's version; a higher one corrects"
    )
    insight: InsightOut | None = Field(
        default=None, description="Positive, negative, technical error or answer (insikt)"
    )

    def incoming(self) -> IncomingResult:
        return IncomingResult(
            rid=self.rid,
            sampling_date=self.sampling_date,
            value=self.value,
            analysis_code=self.analysis_code,
            line_no=self.line_no,
            unit=self.unit,
            reference_range=self.reference_range,
            abnormal_flag=AbnormalFlag(self.abnormal_flag) if self.abnormal_flag else None,
            comment=self.comment,
            lab_result_id=self.lab_result_id,
            lab_version=self.lab_version,
            insight=Insight(self.insight) if self.insight else None,
            source=ResultSource.ELECTRONIC,
        )


class ResultBatchIn(RequestModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"results": [EXAMPLE_RESULT]}]}
    )

    results: list[ResultIn] = Field(min_length=1, max_length=MAX_BATCH)


class ItemProblem(BaseModel):
    """Why an item was refused: the problem the single-result endpoint would answer."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, str]] | None = None


class ResultOutcomeOut(BaseModel):
    index: int = Field(description="The item's position in the request (0-based)")
    outcome: OutcomeOut = Field(
        description="created / corrected: stored; duplicate: the same result id, version and "
        "content again (nothing changed); superseded: an older version than the one shown "
        "(nothing stored); refused: see `problem`"
    )
    rid: str
    line_no: int | None = None
    result_id: uuid.UUID | None = Field(
        default=None, description="The version now standing for this result"
    )
    version: int | None = Field(default=None, description="Our version (1, then corrections)")
    order_status: str | None = None
    problem: ItemProblem | None = None

    @classmethod
    def of(cls, item: ItemResult) -> ResultOutcomeOut:
        return cls(
            index=item.index,
            outcome=item.outcome.value,
            rid=item.rid,
            line_no=item.line_no,
            result_id=item.result_id,
            version=item.version,
            order_status=item.order_status.value if item.order_status else None,
            problem=_problem(item.error) if item.error else None,
        )


def _problem(error: Exception) -> ItemProblem:
    if isinstance(error, InvalidInput):
        return ItemProblem(
            type="/problems/validation",
            title="The request has invalid fields",
            status=422,
            detail=error.detail,
            errors=[{"field": error.field, "message": error.detail, "code": error.code}],
        )
    kind = problem_kind(error)
    assert kind is not None
    assert isinstance(error, DomainError)
    return ItemProblem(
        type=f"/problems/{kind.slug}", title=kind.title, status=kind.status, detail=error.detail
    )


class ResultBatchOut(BaseModel):
    created: int
    corrected: int
    duplicate: int
    superseded: int
    refused: int
    items: list[ResultOutcomeOut]

    @classmethod
    def of(cls, report: IntakeReport) -> ResultBatchOut:
        return cls(
            created=report.count(Outcome.CREATED),
            corrected=report.count(Outcome.CORRECTED),
            duplicate=report.count(Outcome.DUPLICATE),
            superseded=report.count(Outcome.SUPERSEDED),
            refused=report.count(Outcome.REFUSED),
            items=[ResultOutcomeOut.of(i) for i in report.items],
        )

    @staticmethod
    def rendered(report: IntakeReport) -> dict[str, Any]:
        """`of(report).model_dump(mode="json")` without validating a model per item (a
        batch of 1,000 spent a fifth of its server time there): the same document, built
        from values that are already of the declared types."""
        return {
            "created": report.count(Outcome.CREATED),
            "corrected": report.count(Outcome.CORRECTED),
            "duplicate": report.count(Outcome.DUPLICATE),
            "superseded": report.count(Outcome.SUPERSEDED),
            "refused": report.count(Outcome.REFUSED),
            "items": [
                {
                    "index": i.index,
                    "outcome": i.outcome.value,
                    "rid": i.rid,
                    "line_no": i.line_no,
                    "result_id": str(i.result_id) if i.result_id is not None else None,
                    "version": i.version,
                    "order_status": i.order_status.value if i.order_status else None,
                    "problem": _problem(i.error).model_dump(mode="json") if i.error else None,
                }
                for i in report.items
            ],
        }


# --- results polling ----------------------------------------------------------------------


class ClaimResultsIn(RequestModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=100, ge=1, le=MAX_BATCH)
    lease_seconds: int | None = Field(
        default=None, description="How long the results stay yours unacknowledged"
    )


class ResultValueOut(BaseModel):
    analysis: str
    analysis_code: str | None = None
    value: str
    unit: str | None = None
    reference_range: str | None = None
    flag: FlagOut | None = None


class DeliveredResultOut(BaseModel):
    delivery_id: uuid.UUID = Field(description="Acknowledge with this id")
    handed_out: int = Field(description="How many times this result was handed out")
    care_unit_hsa_id: str
    order_id: uuid.UUID
    rid: str
    personnummer: str
    line_no: int
    product_code: str
    product_name: str
    npu_code: str | None
    laboratory_code: str | None
    result_id: uuid.UUID
    sampling_date: date
    version: int
    corrected: bool
    insight: InsightOut | None
    values: list[ResultValueOut]
    comment: str | None
    received_at: datetime
    lab_result_id: str | None
    lab_version: int | None
    source: Literal["electronic", "manual"]

    @classmethod
    def of(cls, r: DeliveredResult) -> DeliveredResultOut:
        return cls(
            delivery_id=r.delivery_id,
            handed_out=r.handed_out,
            care_unit_hsa_id=r.care_unit_hsa_id,
            order_id=r.order_id,
            rid=r.rid,
            personnummer=r.personnummer,
            line_no=r.line_no,
            product_code=r.product_code,
            product_name=r.product_name,
            npu_code=r.npu_code,
            laboratory_code=r.laboratory_code,
            result_id=r.result_id,
            sampling_date=r.sampling_date,
            version=r.version,
            corrected=r.version > 1,
            insight=r.insight,
            values=[ResultValueOut.model_validate(v) for v in r.payload.get("values", [])],
            comment=r.payload.get("comment"),
            received_at=r.received_at,
            lab_result_id=r.lab_result_id,
            lab_version=r.lab_version,
            source=r.source,
        )


class ResultClaimOut(BaseModel):
    lease_id: uuid.UUID = Field(description="Acknowledge under this lease before it runs out")
    lease_expires_at: datetime
    results: list[DeliveredResultOut]

    @classmethod
    def of(cls, claim: ResultClaim) -> ResultClaimOut:
        return cls(
            lease_id=claim.lease_id,
            lease_expires_at=claim.lease_expires_at,
            results=[DeliveredResultOut.of(r) for r in claim.results],
        )


class AcknowledgeResultsIn(RequestModel):
    model_config = ConfigDict(extra="forbid")

    lease_id: uuid.UUID
    delivery_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BATCH)


class AcknowledgementOut(BaseModel):
    acknowledged: list[uuid.UUID]
    not_acknowledged: list[uuid.UUID] = Field(
        description="Not this lease's any more (it ran out): fetch them again"
    )

    @classmethod
    def of(cls, ack: Acknowledgement) -> AcknowledgementOut:
        return cls(acknowledged=ack.acknowledged, not_acknowledged=ack.not_acknowledged)
