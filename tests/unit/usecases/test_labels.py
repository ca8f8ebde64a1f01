"""Etiketter's use cases against in-memory fakes: which selections print, what is refused
before anything is written, and batch receipt's all or nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from api.labels import usecases
from api.persons.usecases import PersonLookup
from api.sampling.usecases import NetworkPrint
from domain.access import StaffContext
from domain.actors import StaffActor
from domain.dispatch import (
    DispatchKind,
    DispatchOrdersNotFound,
    ManualHandlingRequired,
    OrdersNotReceivable,
)
from domain.errors import InvalidInput
from domain.labels import PrinterNotAllowed
from domain.staff import CARE_AND_TREATMENT, EmployeeAssignment
from tests.unit.usecases.fakes_labels import NOW, FakePrinters, FakeUnitOfWork, kit_order

UNIT = "SE2321000016-A002"
ACTOR = StaffActor(
    StaffContext(
        hsa_id="SE2321000016-1002",
        assignments=(),
        selected=EmployeeAssignment(
            assignment_id="MU1",
            care_unit_hsa_id=UNIT,
            care_unit_name="STI",
            care_giver_hsa_id="SE2321000016-0001",
            care_giver_name="Region Stockholm",
            purpose=CARE_AND_TREATMENT,
        ),
        permissions=(),
    )
)
LOOKUP = PersonLookup(register=None, max_age=timedelta(days=5))  # type: ignore[arg-type]


async def _print(uow: FakeUnitOfWork, ids: list[Any], **options: Any) -> usecases.PrintResult:
    arguments: dict[str, Any] = {
        "kind": DispatchKind.HOME_KIT,
        "address": True,
        "printers": FakePrinters(),
        "printer": None,
        **options,
    }
    return await usecases.print_labels(
        uow=uow,  # type: ignore[arg-type]
        actor=ACTOR,
        now=NOW,
        lookup=LOOKUP,
        order_ids=ids,
        **arguments,
    )


async def test_printing_hands_over_each_order_with_its_expiry_and_logs_both_kinds():
    uow = FakeUnitOfWork()
    order = uow.dispatch.add(kit_order())

    result = await _print(uow, [order.id, order.id])

    assert uow.dispatch.handled == [(order.id, NOW + timedelta(days=30), 2)]
    assert [(p.kind, p.label_count) for p in uow.label_prints.logged] == [
        ("address", 1),
        ("tube", 1),
    ]
    assert [label.kind for _, label in result.labels] == ["address", "tube"]
    assert uow.dispatch.audited == [("kit_labels_printed", [order.id])]
    assert uow.committed


async def test_a_selection_with_an_order_no_longer_waiting_writes_nothing():
    uow = FakeUnitOfWork()
    waiting = uow.dispatch.add(kit_order())
    handled = uow.dispatch.add(kit_order(status="handled"))

    with pytest.raises(OrdersNotReceivable):
        await _print(uow, [waiting.id, handled.id])

    assert (uow.dispatch.handled, uow.label_prints.logged, uow.committed) == ([], [], False)


async def test_an_unknown_order_is_not_found():
    uow = FakeUnitOfWork()
    with pytest.raises(DispatchOrdersNotFound):
        await _print(uow, [kit_order().id])


async def test_a_protected_identity_gets_no_address_label_but_may_get_tube_labels():
    uow = FakeUnitOfWork()
    order = uow.dispatch.add(kit_order(protected=True))

    with pytest.raises(ManualHandlingRequired):
        await _print(uow, [order.id])
    result = await _print(uow, [order.id], address=False)

    assert [label.kind for _, label in result.labels] == ["tube"]
    assert [p.kind for p in uow.label_prints.logged] == ["tube"]


async def test_ordermottagning_always_prints_the_address_label():
    uow = FakeUnitOfWork()
    order = uow.dispatch.add(kit_order())

    with pytest.raises(InvalidInput) as refused:
        await _print(uow, [order.id], kind=DispatchKind.ANONYMOUS_KIT, address=False)
    result = await _print(uow, [order.id], kind=DispatchKind.ANONYMOUS_KIT)

    assert refused.value.field == "address"
    assert [label.kind for _, label in result.labels] == ["address"]


async def test_a_printer_off_the_list_is_refused_before_anything_is_read():
    uow = FakeUnitOfWork()
    order = uow.dispatch.add(kit_order())

    with pytest.raises(PrinterNotAllowed):
        await _print(uow, [order.id], printer="10.0.0.1:9100")

    assert uow.dispatch.handled == []


async def test_a_printer_that_does_not_take_the_labels_fails_only_that_copy_after_the_commit():
    """IP print comes after the commit (as in Provtagning): the print stands, and the answer
    says that the network printer did not get its copy."""
    uow = FakeUnitOfWork()
    order = uow.dispatch.add(kit_order())
    printers = FakePrinters(down=True)

    result = await _print(uow, [order.id], printers=printers, printer="printer.local:9100")

    assert uow.committed
    assert result.network_print == NetworkPrint(
        printer="printer.local:9100",
        sent=False,
        error="the printer printer.local:9100 did not answer",
    )


async def test_the_network_printer_gets_exactly_the_labels_answered():
    uow = FakeUnitOfWork()
    order = uow.dispatch.add(kit_order())
    printers = FakePrinters()

    result = await _print(uow, [order.id], printers=printers, printer="printer.local:9100")

    assert printers.sent == [("printer.local:9100", result.zpl)]


async def test_batch_receipt_commits_only_when_every_order_was_received():
    uow = FakeUnitOfWork()
    first = uow.dispatch.add(kit_order(rid="AAAAAAAAA"))
    second = uow.dispatch.add(kit_order(rid="BBBBBBBBB", status="cancelled"))

    with pytest.raises(OrdersNotReceivable) as refused:
        await usecases.receive_batch(
            uow=uow,  # type: ignore[arg-type]
            actor=ACTOR,
            now=NOW,
            kind=DispatchKind.HOME_KIT,
            order_ids=[first.id, second.id],
        )

    assert [(o.rid, o.status) for o in refused.value.offenders] == [("BBBB-BBBB-B", "cancelled")]
    assert not uow.committed
    third = uow.dispatch.add(kit_order(rid="CCCCCCCCC"))
    done = await usecases.receive_batch(
        uow=uow,  # type: ignore[arg-type]
        actor=ACTOR,
        now=NOW,
        kind=DispatchKind.HOME_KIT,
        order_ids=[third.id],
    )
    assert (done.received, uow.committed) == (1, True)
