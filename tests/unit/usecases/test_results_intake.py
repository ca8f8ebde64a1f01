"""Result intake's use case (`receive_results`) against in-memory fakes
(tests/unit/usecases/fakes_results_intake.py): what each outcome writes — the version, the
order answered, the outbox events, the audit entry, the commit — and that a refused item
writes nothing. The rules themselves are tested in tests/unit/domain/test_result_intake_rules.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest

from api.results_intake import usecases
from domain.errors import InvalidInput, NotPermitted
from domain.orders import OrderNotFound, OrderStatus
from domain.outbox import EventKind
from domain.results import (
    MAX_BATCH,
    IncomingResult,
    OrderLineNotFound,
    Outcome,
    ResultKeyTaken,
    UnmappedAnalysisCode,
)
from tests.unit.usecases.fakes_results_intake import (
    LAB,
    NOW,
    OTHER_LAB,
    RECIPIENT,
    RID,
    FakeIdempotency,
    FakeUnitOfWork,
    laboratory_client,
    result,
    sampled_order,
)

SEQUENCE = [uuid.UUID(int=n) for n in range(1, 1000)]


def _ids() -> Any:
    """Predictable new ids (results and events), in the order the use case asks for them."""
    remaining = iter(SEQUENCE)
    return lambda: next(remaining)


async def _receive(
    uow: FakeUnitOfWork,
    items: Sequence[IncomingResult],
    *,
    actor: Any = None,
    **options: Any,
) -> usecases.IntakeReport:
    return await usecases.receive_results(
        uow=uow,  # type: ignore[arg-type]
        actor=actor or laboratory_client(),
        now=NOW,
        items=items,
        new_id=_ids(),
        **options,
    )


def _audited(uow: FakeUnitOfWork) -> dict[str, Any]:
    [event] = uow.audit.events
    assert (event.action, event.actor_kind, event.actor_id) == (
        "results_received",
        "integration",
        "kul-lab",
    )
    return event.details


def _counts(**counts: int) -> dict[str, int]:
    return {
        outcome: counts.get(outcome, 0)
        for outcome in ("created", "corrected", "duplicate", "superseded", "refused")
    }


# --- stored: created, corrected -----------------------------------------------------------


async def test_a_first_result_is_created_announced_audited_and_committed() -> None:
    uow = FakeUnitOfWork()
    order = uow.results_intake.add(sampled_order())

    report = await _receive(uow, [result("CTNA", comment="Kontakta vården.")])

    [item] = report.items
    assert (item.outcome, item.rid, item.line_no, item.version, item.order_id) == (
        Outcome.CREATED,
        RID,
        1,
        1,
        order.id,
    )
    # One line of two answered: the order stays Provtagen.
    assert item.order_status is OrderStatus.SAMPLED
    [stored] = uow.results_intake.inserted
    assert stored.result_id == item.result_id == SEQUENCE[0]
    assert (stored.line_id, stored.version, stored.laboratory_id) == (
        order.lines[0].id,
        1,
        LAB,
    )
    assert (stored.lab_result_id, stored.lab_version, stored.source) == (
        "KUL-CTNA",
        1,
        "electronic",
    )
    assert stored.payload == {
        "values": [
            {
                "analysis": "Klamydia",
                "analysis_code": "CTNA",
                "value": "Påvisad",
                "unit": None,
                "reference_range": "Ej påvisad",
                "flag": None,
            }
        ],
        "comment": "Kontakta vården.",
    }
    assert uow.results_intake.answered == []
    assert [(e.kind, dict(e.payload)) for e in uow.outbox.events] == [
        (EventKind.RESULT_AVAILABLE, {"order_id": str(order.id), "corrected": False}),
        (
            EventKind.RESULT_TO_CARE_UNIT,
            {
                "order_id": str(order.id),
                "result_id": str(SEQUENCE[0]),
                "line_no": 1,
                "care_unit_id": str(RECIPIENT),
            },
        ),
    ]
    assert _audited(uow) == {**_counts(created=1), "orders": [str(order.id)]}
    assert uow.commits == 1


async def test_the_last_line_answered_makes_the_order_besvarad_and_one_notification() -> None:
    uow = FakeUnitOfWork()
    order = uow.results_intake.add(sampled_order())

    report = await _receive(uow, [result("CTNA"), result("NGNA")])

    assert [(i.outcome, i.line_no, i.order_status) for i in report.items] == [
        (Outcome.CREATED, 1, OrderStatus.ANSWERED),
        (Outcome.CREATED, 2, OrderStatus.ANSWERED),
    ]
    assert uow.results_intake.answered == [order.id]
    # The citizen is told once per order; the recipient gets each result.
    assert [e.kind for e in uow.outbox.events] == [
        EventKind.RESULT_AVAILABLE,
        EventKind.RESULT_TO_CARE_UNIT,
        EventKind.RESULT_TO_CARE_UNIT,
    ]


async def test_an_order_without_a_result_recipient_only_notifies_the_citizen() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order(recipient=None))

    await _receive(uow, [result("CTNA")])

    assert [e.kind for e in uow.outbox.events] == [EventKind.RESULT_AVAILABLE]


async def test_a_newer_version_is_stored_as_a_correction_and_announced_as_one() -> None:
    uow = FakeUnitOfWork()
    order = uow.results_intake.add(sampled_order())
    uow.results_intake.store(result("CTNA"), line_no=1)

    report = await _receive(uow, [result("CTNA", value="Ej påvisad", lab_version=2)])

    [item] = report.items
    assert (item.outcome, item.version, item.result_id) == (Outcome.CORRECTED, 2, SEQUENCE[0])
    [stored] = uow.results_intake.inserted
    assert (stored.version, stored.lab_version) == (2, 2)
    assert uow.outbox.events[0].payload == {"order_id": str(order.id), "corrected": True}
    assert _audited(uow) == {**_counts(corrected=1), "orders": [str(order.id)]}


# --- not stored: duplicate, superseded ---------------------------------------------------


async def test_the_same_result_again_is_a_duplicate_that_writes_no_version_and_no_event() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())
    shown = uow.results_intake.store(result("CTNA"), line_no=1)

    report = await _receive(uow, [result("CTNA")])

    [item] = report.items
    assert (item.outcome, item.result_id, item.version) == (Outcome.DUPLICATE, shown, 1)
    assert item.order_status is OrderStatus.SAMPLED
    assert uow.results_intake.inserted == []
    assert uow.outbox.events == []
    assert _audited(uow) == {**_counts(duplicate=1), "orders": []}
    assert uow.commits == 1


async def test_an_older_version_arriving_late_is_superseded_and_names_the_shown_one() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())
    uow.results_intake.store(result("CTNA"), line_no=1)
    newer = uow.results_intake.store(
        result("CTNA", value="Ej påvisad", lab_version=3), line_no=1, version=2
    )

    report = await _receive(uow, [result("CTNA", value="Svagt påvisad", lab_version=2)])

    [item] = report.items
    assert (item.outcome, item.result_id) == (Outcome.SUPERSEDED, newer)
    assert uow.results_intake.inserted == []
    assert uow.outbox.events == []
    assert _audited(uow)["superseded"] == 1


# --- refused: nothing of the item is written ---------------------------------------------


@pytest.mark.parametrize(
    ("item", "error", "setup"),
    [
        # An unknown RID, and a RID of another laboratory's order: the same 404.
        (result("CTNA", rid="NOSUCHRID0"), OrderNotFound, None),
        (result("CTNA"), OrderNotFound, "other_lab"),
        (result("CTNA", line_no=3), OrderLineNotFound, None),
        (result("XYZ"), UnmappedAnalysisCode, None),
        (result("CTNA", lab_result_id="KUL-OTHER"), ResultKeyTaken, "taken"),
    ],
    ids=["unknown-rid", "another-labs-order", "unknown-line", "unmapped-code", "key-taken"],
)
async def test_a_refused_item_writes_nothing_of_itself(
    item: IncomingResult, error: type[Exception], setup: str | None
) -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order(laboratory_id=OTHER_LAB if setup == "other_lab" else LAB))
    if setup == "taken":
        uow.results_intake.store(result("CTNA"), line_no=1)

    report = await _receive(uow, [item], laboratory_ids=frozenset({LAB}))

    [refused] = report.items
    assert refused.outcome is Outcome.REFUSED
    assert isinstance(refused.error, error)
    assert (refused.result_id, refused.order_id, refused.order_status) == (None, None, None)
    assert uow.results_intake.inserted == []
    assert uow.results_intake.answered == []
    assert uow.outbox.events == []
    assert uow.results_intake.orders[RID].status is OrderStatus.SAMPLED
    assert _audited(uow) == {**_counts(refused=1), "orders": []}
    # The call itself succeeds (a batch answers each item): the audit entry is committed.
    assert uow.commits == 1


async def test_an_unmapped_code_is_refused_naming_the_code() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())

    report = await _receive(uow, [result("XYZ")])

    error = report.items[0].error
    assert isinstance(error, UnmappedAnalysisCode)
    assert (error.field, error.code, error.analysis_code) == (
        "analysis_code",
        "unmapped_analysis_code",
        "XYZ",
    )
    assert "'XYZ'" in error.detail


async def test_one_refused_item_leaves_the_others_of_the_batch_stored() -> None:
    uow = FakeUnitOfWork()
    order = uow.results_intake.add(sampled_order())

    report = await _receive(uow, [result("CTNA"), result("XYZ"), result("NGNA")])

    assert [i.outcome for i in report.items] == [Outcome.CREATED, Outcome.REFUSED, Outcome.CREATED]
    assert [i.index for i in report.items] == [0, 1, 2]
    assert [v.line_id for v in uow.results_intake.inserted] == [line.id for line in order.lines]
    assert uow.results_intake.answered == [order.id]
    assert _audited(uow) == {**_counts(created=2, refused=1), "orders": [str(order.id)]}


async def test_a_result_another_call_committed_first_is_refused_as_key_taken_without_events() -> (
    None
):
    # Decided as new, but the insert left it out (the same line and date, or the same
    # version, committed meanwhile by a concurrent call): refused, and nothing announced.
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())
    uow.results_intake.collide_next_insert = True

    report = await _receive(uow, [result("CTNA")])

    [item] = report.items
    assert item.outcome is Outcome.REFUSED
    assert isinstance(item.error, ResultKeyTaken)
    assert uow.results_intake.answered == []
    assert uow.outbox.events == []
    assert _audited(uow) == {**_counts(refused=1), "orders": []}


# --- the call: who, how many, RIDs, keys and commits ---------------------------------------


async def test_a_printed_rid_finds_the_order_and_is_answered_as_stored() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())

    report = await _receive(uow, [result("CTNA", rid=" 7k2m-9qx4-pb ")])

    assert report.items[0].outcome is Outcome.CREATED
    assert report.items[0].rid == RID
    assert uow.results_intake.locked == [RID]


@pytest.mark.parametrize(
    ("count", "code"), [(0, "required"), (MAX_BATCH + 1, "too_many")], ids=["none", "too-many"]
)
async def test_an_empty_or_too_large_call_is_refused_before_anything_is_read(
    count: int, code: str
) -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(InvalidInput) as refused:
        await _receive(uow, [result("CTNA")] * count)

    assert (refused.value.field, refused.value.code) == ("results", code)
    assert uow.results_intake.locked == []
    assert (uow.audit.events, uow.commits) == ([], 0)


async def test_only_a_laboratory_system_posts_results_for_its_own_laboratories() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())

    with pytest.raises(NotPermitted):
        await _receive(uow, [result("CTNA")], actor=object())
    # A client of another laboratory does not find the order.
    report = await _receive(uow, [result("CTNA")], actor=laboratory_client(OTHER_LAB))

    assert isinstance(report.items[0].error, OrderNotFound)


async def test_with_an_idempotency_key_the_key_is_claimed_first_and_the_runner_commits() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())
    key = FakeIdempotency()

    await _receive(uow, [result("CTNA", rid="7K2M-9QX4-PB")], idempotency=key)

    [(operation, fingerprint)] = key.claims
    assert operation == "receive_results"
    [identity] = fingerprint["results"]
    assert (identity["rid"], identity["lab_result_id"], identity["lab_version"]) == (
        RID,
        "KUL-CTNA",
        1,
    )
    assert identity["source"] == "electronic"
    assert len(uow.results_intake.inserted) == 1
    assert uow.commits == 0


async def test_a_replay_decides_again_without_committing() -> None:
    uow = FakeUnitOfWork()
    uow.results_intake.add(sampled_order())
    shown = uow.results_intake.store(result("CTNA"), line_no=1)

    report = await _receive(uow, [result("CTNA")], commit=False)

    assert (report.items[0].outcome, report.items[0].result_id) == (Outcome.DUPLICATE, shown)
    assert uow.commits == 0


def test_new_ids_are_random_version_4_uuids_also_across_draws_of_randomness() -> None:
    new_id = usecases.random_ids(per_draw=8)
    ids = [new_id() for _ in range(100)]
    assert len(set(ids)) == 100
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}
