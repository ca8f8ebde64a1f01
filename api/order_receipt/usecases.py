"""Ordermottagning: Etiketter's use cases (api/labels/usecases.py) for anonymous kits posted
home — the orders of anonymous-kit offers made through the order flow that still have no
kit, and only an address label each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from adapters.db.uow import UnitOfWork
from api.labels import usecases as labels
from api.labels.usecases import BatchResult, ExportResult, KitListing, PrintResult
from api.persons.usecases import PersonLookup
from domain.actors import StaffActor
from domain.dispatch import DispatchKind
from domain.labels import LabelPrinter

KIND = DispatchKind.ANONYMOUS_KIT


async def list_waiting(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, lookup: PersonLookup, limit: int
) -> KitListing:
    return await labels.list_waiting(
        uow=uow, actor=actor, now=now, lookup=lookup, kind=KIND, limit=limit
    )


async def print_address_labels(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    order_ids: Sequence[uuid.UUID],
    printers: LabelPrinter,
    printer: str | None,
) -> PrintResult:
    """The address label of each selected order (the kit carries its kit number and RID);
    the orders become Hanterad."""
    return await labels.print_labels(
        uow=uow,
        actor=actor,
        now=now,
        lookup=lookup,
        kind=KIND,
        order_ids=order_ids,
        address=True,
        printers=printers,
        printer=printer,
    )


async def export_orders(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    lookup: PersonLookup,
    order_ids: Sequence[uuid.UUID],
    file_format: str,
) -> ExportResult:
    return await labels.export_orders(
        uow=uow,
        actor=actor,
        now=now,
        lookup=lookup,
        kind=KIND,
        order_ids=order_ids,
        file_format=file_format,
    )


async def receive_batch(
    *, uow: UnitOfWork, actor: StaffActor, now: datetime, order_ids: Sequence[uuid.UUID]
) -> BatchResult:
    return await labels.receive_batch(uow=uow, actor=actor, now=now, kind=KIND, order_ids=order_ids)
