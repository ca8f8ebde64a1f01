"""The batch answer is built as a plain document (no model validated per item): it must be
exactly what the declared response model renders, for every outcome and kind of refusal."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse

from api.results_intake.schemas import ResultBatchOut
from api.results_intake.usecases import IntakeReport, ItemResult
from api.web.responses import Document
from domain.errors import InvalidInput
from domain.orders import OrderNotFound, OrderStatus
from domain.results import Outcome, ResultKeyTaken, UnmappedAnalysisCode


def test_the_rendered_batch_is_the_models_document() -> None:
    order = uuid.uuid4()
    stored = {"rid": "7K2M9QX4PB", "line_no": 1, "version": 1, "order_id": order}
    report = IntakeReport(
        items=[
            ItemResult(
                index=0,
                outcome=Outcome.CREATED,
                result_id=uuid.uuid4(),
                order_status=OrderStatus.SAMPLED,
                **stored,  # type: ignore[arg-type]
            ),
            ItemResult(
                index=1,
                outcome=Outcome.CORRECTED,
                result_id=uuid.uuid4(),
                order_status=OrderStatus.ANSWERED,
                **stored,  # type: ignore[arg-type]
            ),
            ItemResult(
                index=2,
                outcome=Outcome.DUPLICATE,
                result_id=uuid.uuid4(),
                order_status=OrderStatus.ANSWERED,
                **stored,  # type: ignore[arg-type]
            ),
            ItemResult(
                index=3,
                outcome=Outcome.SUPERSEDED,
                result_id=uuid.uuid4(),
                order_status=OrderStatus.ANSWERED,
                **stored,  # type: ignore[arg-type]
            ),
            ItemResult(
                index=4, outcome=Outcome.REFUSED, rid="X", error=OrderNotFound("no such order")
            ),
            ItemResult(
                index=5, outcome=Outcome.REFUSED, rid="X", error=UnmappedAnalysisCode("XYZ")
            ),
            ItemResult(
                index=6,
                outcome=Outcome.REFUSED,
                rid="X",
                error=InvalidInput("value", "the result needs a value", code="required"),
            ),
            ItemResult(index=7, outcome=Outcome.REFUSED, rid="X", error=ResultKeyTaken("taken")),
        ]
    )
    assert ResultBatchOut.rendered(report) == ResultBatchOut.of(report).model_dump(mode="json")


def test_the_batch_answer_is_byte_for_byte_the_json_response_of_its_document() -> None:
    """orjson writes it (a `Document`, api/results_intake/routes.py): the same bytes
    JSONResponse would, non-ASCII text, escapes and nulls included."""
    document = ResultBatchOut.rendered(
        IntakeReport(
            items=[
                ItemResult(
                    index=0,
                    outcome=Outcome.REFUSED,
                    rid="ÅÄÖ-7K2M",
                    error=OrderNotFound('no order with the RID "ÅÄÖ\t7K2M\u2028" is yours'),
                ),
                ItemResult(
                    index=1,
                    outcome=Outcome.CREATED,
                    rid="7K2M9QX4PB",
                    line_no=2,
                    result_id=uuid.uuid4(),
                    version=1,
                    order_id=uuid.uuid4(),
                    order_status=OrderStatus.ANSWERED,
                ),
            ]
        )
    )
    assert Document(document).body == JSONResponse(document).body
