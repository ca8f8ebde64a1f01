"""Provtagning's sample_order branches against in-memory fakes (tests/unit/usecases/
fakes_sampling.py): what is refused first, what is written, and IP print after the commit."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from api.sampling import usecases
from domain.errors import StaleVersion
from domain.labels import PrinterNotAllowed
from domain.orders import OrderAlreadySampled, OrderNotFound, OrderStatus
from domain.sampling import ProductNotPerformed, SamplingUnitNotConfigured
from tests.unit.usecases.fakes_sampling import (
    KUL,
    LOOKUP,
    NOW,
    PRINTER,
    FakePrinters,
    FakeUnitOfWork,
    nurse,
    order,
)


async def _sample(
    uow: FakeUnitOfWork, order_id: Any, *, version: int = 1, target: Any = None
) -> usecases.PrintedLabels:
    return await usecases.sample_order(
        uow=uow,  # type: ignore[arg-type]
        actor=nurse(),
        now=NOW,
        lookup=LOOKUP,
        order_id=order_id,
        expected_version=version,
        laboratory_code=None,
        sampled_at=NOW,
        target=target,
    )


def _with(uow: FakeUnitOfWork, **fields: Any) -> Any:
    row = order(**fields)
    uow.sampling.orders[row.id] = row
    return row


async def test_sampling_moves_the_order_logs_one_print_per_order_and_audits() -> None:
    uow = FakeUnitOfWork()
    row = _with(uow)

    printed = await _sample(uow, row.id)

    [(order_id, state)] = uow.sampling.sampled
    assert (order_id, state.status, state.laboratory_id, state.version) == (
        row.id,
        OrderStatus.SAMPLED,
        KUL.id,
        2,
    )
    assert [(p.kind, p.label_count, p.reprint) for p in uow.label_prints.logged] == [
        ("sample", 1, False)
    ]
    assert [e.action for e in uow.audit.events] == ["order_sampled"]
    assert uow.committed
    assert printed.opened.order.status == "sampled"
    assert printed.network_print is None


async def test_an_already_sampled_order_is_refused_before_its_version_is_compared() -> None:
    uow = FakeUnitOfWork()
    row = _with(uow, status="sampled", version=2, laboratory_id=KUL.id, sampled_at=NOW)

    with pytest.raises(OrderAlreadySampled):
        await _sample(uow, row.id, version=1)

    assert uow.sampling.sampled == []
    assert not uow.committed


async def test_a_stale_version_is_refused_and_nothing_is_written() -> None:
    uow = FakeUnitOfWork()
    row = _with(uow, version=3)

    with pytest.raises(StaleVersion):
        await _sample(uow, row.id, version=2)

    assert (uow.sampling.sampled, uow.label_prints.logged, uow.committed) == ([], [], False)


async def test_a_failed_check_writes_nothing() -> None:
    uow = FakeUnitOfWork()
    uow.sampling.products = ["PEP-PSA", "PEP-HIV"]
    row = _with(uow)

    with pytest.raises(ProductNotPerformed):
        await _sample(uow, row.id)

    assert (uow.sampling.sampled, uow.audit.events, uow.committed) == ([], [], False)


async def test_a_printer_off_the_list_is_refused_before_the_order_is_read() -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(PrinterNotAllowed):
        await _sample(
            uow,
            "no-such-order",
            target=usecases.PrintTarget(printer="169.254.169.254:80", printers=FakePrinters()),
        )


async def test_ip_print_sends_the_answered_labels_after_the_commit() -> None:
    uow = FakeUnitOfWork()
    row = _with(uow)
    printers = FakePrinters()

    printed = await _sample(
        uow, row.id, target=usecases.PrintTarget(printer=PRINTER, printers=printers)
    )

    assert printers.sent == [(PRINTER, printed.zpl)]
    assert printed.network_print == usecases.NetworkPrint(printer=PRINTER, sent=True)


async def test_a_printer_that_does_not_answer_leaves_the_sampling_done() -> None:
    uow = FakeUnitOfWork()
    row = _with(uow)

    printed = await _sample(
        uow,
        row.id,
        target=usecases.PrintTarget(printer=PRINTER, printers=FakePrinters(fail=True)),
    )

    assert uow.committed
    assert printed.network_print == usecases.NetworkPrint(
        printer=PRINTER, sent=False, error=f"the printer {PRINTER} did not answer"
    )


async def test_an_unknown_order_is_not_found() -> None:
    with pytest.raises(OrderNotFound):
        await _sample(FakeUnitOfWork(), "no-such-order")


async def test_a_care_unit_that_is_no_sampling_unit_is_told_so() -> None:
    uow = FakeUnitOfWork()
    actor = nurse()
    elsewhere = actor.context.selected
    assert elsewhere is not None
    moved = replace(elsewhere, care_unit_hsa_id="SE2321000016-A002")
    actor = replace(actor, context=replace(actor.context, selected=moved))

    with pytest.raises(SamplingUnitNotConfigured):
        await usecases.list_bookings(uow=uow, actor=actor, now=NOW)  # type: ignore[arg-type]
