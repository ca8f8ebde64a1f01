"""domain/results.py: how each incoming result is decided against what is stored."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime

import pytest

from domain.errors import InvalidInput
from domain.orders import OrderNotFound, OrderStatus
from domain.outbox import EventKind, RetryPolicy, result_events
from domain.results import (
    IncomingResult,
    LineFacts,
    OrderFacts,
    OrderLineNotFound,
    OrderNotAwaitingResults,
    Outcome,
    ResultKeyTaken,
    ResultSource,
    ResultVersionConflict,
    StoredVersion,
    UnmappedAnalysisCode,
    decide,
)

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
SAMPLED = date(2026, 12, 1)
LAB = uuid.UUID(int=1)
OTHER_LAB = uuid.UUID(int=2)
LINE_CT = LineFacts(id=uuid.UUID(int=11), line_no=1, product_code="PEP-CT", product_name="CT")
LINE_NG = LineFacts(id=uuid.UUID(int=12), line_no=2, product_code="PEP-NG", product_name="NG")
ORDER = OrderFacts(
    id=uuid.UUID(int=100),
    rid="RID1",
    status=OrderStatus.SAMPLED,
    laboratory_id=LAB,
    lines=(LINE_CT, LINE_NG),
)
MAPPED = {(LAB, "CTNA"): "PEP-CT", (LAB, "NGNA"): "PEP-NG", (LAB, "HBA1C"): "PEP-HBA1C"}


def _item(**fields: object) -> IncomingResult:
    values: dict[str, object] = {
        "rid": "RID1",
        "sampling_date": SAMPLED,
        "value": "Påvisad",
        "analysis_code": "CTNA",
        "lab_result_id": "R-1",
        "lab_version": 1,
    }
    values.update(fields)
    return IncomingResult(**values)  # type: ignore[arg-type]


def _ids() -> object:
    counter = itertools.count(1000)
    return lambda: uuid.UUID(int=next(counter))


def _decide(items, stored=(), orders=None, hashes=None):
    return decide(
        items,
        orders={"RID1": ORDER} if orders is None else orders,
        mapped=MAPPED,
        stored=list(stored),
        content_hashes=hashes or [b"h%d" % i for i in range(len(items))],
        now=NOW,
        new_id=_ids(),
    )


def _stored(version: int, lab_version: int | None, *, lab_id: str = "R-1", h: bytes = b"h0"):
    return StoredVersion(
        result_id=uuid.UUID(int=500 + version),
        line_id=LINE_CT.id,
        sampling_date=SAMPLED,
        version=version,
        laboratory_id=LAB if lab_version is not None else None,
        lab_result_id=lab_id if lab_version is not None else None,
        lab_version=lab_version,
        content_hash=h,
    )


def test_first_result_of_a_line_is_created_as_version_one_on_the_line_its_code_names():
    [decision] = _decide([_item()])
    assert decision.outcome is Outcome.CREATED
    assert decision.line == LINE_CT
    assert decision.version == 1
    assert decision.result_id == uuid.UUID(int=1000)


def test_same_result_id_version_and_content_again_is_a_duplicate_of_the_stored_one():
    [decision] = _decide([_item()], stored=[_stored(1, 1, h=b"h0")])
    assert decision.outcome is Outcome.DUPLICATE
    assert decision.result_id == uuid.UUID(int=501)
    assert decision.version == 1


def test_same_result_id_and_version_with_other_content_is_a_conflict():
    [decision] = _decide([_item(value="Ej påvisad")], stored=[_stored(1, 1, h=b"other")])
    assert decision.outcome is Outcome.REFUSED
    assert isinstance(decision.error, ResultVersionConflict)


def test_newer_lab_version_corrects_as_the_next_version():
    [decision] = _decide([_item(lab_version=3)], stored=[_stored(1, 1)])
    assert decision.outcome is Outcome.CORRECTED
    assert decision.version == 2


def test_older_lab_version_arriving_late_stores_nothing_and_names_the_shown_version():
    [decision] = _decide([_item(lab_version=2)], stored=[_stored(1, 1), _stored(2, 3)])
    assert decision.outcome is Outcome.SUPERSEDED
    assert decision.version == 2
    assert decision.result_id == uuid.UUID(int=502)


def test_versions_in_one_batch_out_of_order_leave_the_newest_shown():
    decisions = _decide([_item(lab_version=2), _item(lab_version=1)], hashes=[b"a", b"b"])
    assert [d.outcome for d in decisions] == [Outcome.CREATED, Outcome.SUPERSEDED]
    assert decisions[1].result_id == decisions[0].result_id


def test_the_same_item_twice_in_one_batch_is_stored_once():
    decisions = _decide([_item(), _item()], hashes=[b"a", b"a"])
    assert [d.outcome for d in decisions] == [Outcome.CREATED, Outcome.DUPLICATE]


def test_another_result_id_for_a_line_and_date_with_a_result_is_refused():
    [decision] = _decide([_item(lab_result_id="R-2")], stored=[_stored(1, 1)])
    assert isinstance(decision.error, ResultKeyTaken)


def test_a_result_id_used_for_another_sampling_date_is_refused():
    [decision] = _decide(
        [_item(sampling_date=date(2026, 11, 30), lab_version=2)], stored=[_stored(1, 1)]
    )
    assert isinstance(decision.error, ResultKeyTaken)


def test_another_sampling_date_of_the_same_line_is_a_result_of_its_own():
    [decision] = _decide(
        [_item(sampling_date=date(2026, 11, 30), lab_result_id="R-2")], stored=[_stored(1, 1)]
    )
    assert decision.outcome is Outcome.CREATED
    assert decision.version == 1


def test_unmapped_analysis_code_is_refused_naming_it():
    [decision] = _decide([_item(analysis_code="NOPE")])
    assert isinstance(decision.error, UnmappedAnalysisCode)
    assert decision.error.field == "analysis_code"
    assert "'NOPE'" in decision.error.detail


def test_a_mapped_code_of_a_product_the_order_lacks_is_no_line():
    [decision] = _decide([_item(analysis_code="HBA1C")])
    assert isinstance(decision.error, OrderLineNotFound)


def test_line_number_and_code_must_agree():
    [decision] = _decide([_item(line_no=2)])
    assert isinstance(decision.error, InvalidInput)
    assert decision.error.code == "analysis_code_not_of_line"


def test_unknown_line_number_is_not_found():
    [decision] = _decide([_item(line_no=7)])
    assert isinstance(decision.error, OrderLineNotFound)


def test_unknown_rid_is_not_found():
    [decision] = _decide([_item(rid="OTHER")])
    assert isinstance(decision.error, OrderNotFound)


@pytest.mark.parametrize("status", [OrderStatus.HANDLED, OrderStatus.CANCELLED])
def test_an_order_not_sampled_receives_no_result(status):
    order = OrderFacts(id=ORDER.id, rid="RID1", status=status, laboratory_id=LAB, lines=ORDER.lines)
    [decision] = _decide([_item()], orders={"RID1": order})
    assert isinstance(decision.error, OrderNotAwaitingResults)


def test_a_sampling_date_in_the_future_is_refused():
    [decision] = _decide([_item(sampling_date=date(2026, 12, 4))])
    assert isinstance(decision.error, InvalidInput)
    assert decision.error.field == "sampling_date"


def test_an_electronic_result_needs_the_labs_result_id():
    [decision] = _decide([_item(lab_result_id=None, lab_version=None)])
    assert isinstance(decision.error, InvalidInput)
    assert decision.error.field == "lab_result_id"


def test_a_manual_result_by_line_is_always_the_next_version():
    manual = _item(
        source=ResultSource.MANUAL,
        analysis_code=None,
        line_no=1,
        lab_result_id=None,
        lab_version=None,
    )
    [decision] = _decide([manual], stored=[_stored(1, 1)])
    assert decision.outcome is Outcome.CORRECTED
    assert decision.version == 2


def test_one_refused_item_leaves_the_others_decided():
    decisions = _decide([_item(rid="OTHER"), _item(analysis_code="NGNA", lab_result_id="R-9")])
    assert [d.outcome for d in decisions] == [Outcome.REFUSED, Outcome.CREATED]
    assert decisions[1].line == LINE_NG


def test_result_events_notify_the_citizen_once_and_each_result_to_the_recipient():
    ids = _ids()
    unit = uuid.UUID(int=77)
    events = result_events(
        order_id=ORDER.id,
        results=[(uuid.UUID(int=1), 1, unit), (uuid.UUID(int=2), 2, unit)],
        corrected=False,
        new_id=ids,
    )
    assert [e.kind for e in events] == [
        EventKind.RESULT_AVAILABLE,
        EventKind.RESULT_TO_CARE_UNIT,
        EventKind.RESULT_TO_CARE_UNIT,
    ]
    assert events[0].payload == {"order_id": str(ORDER.id), "corrected": False}
    assert events[2].payload == {
        "order_id": str(ORDER.id),
        "result_id": str(uuid.UUID(int=2)),
        "line_no": 2,
        "care_unit_id": str(unit),
    }


def test_retries_back_off_exponentially_up_to_the_cap_and_die_after_the_last_attempt():
    from datetime import timedelta

    policy = RetryPolicy(max_attempts=4, base=timedelta(seconds=5), cap=timedelta(seconds=15))
    assert policy.after_failure(1, now=NOW) == NOW + timedelta(seconds=5)
    assert policy.after_failure(2, now=NOW) == NOW + timedelta(seconds=10)
    assert policy.after_failure(3, now=NOW) == NOW + timedelta(seconds=15)
    assert policy.after_failure(4, now=NOW) is None
