"""Etiketter: endpoints under /api/staff/labels (module permission `labels` at the chosen care
unit, with an assignment for Vård och behandling; exporting also needs `export`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from adapters.printing import NetworkPrinters
from api.labels import usecases
from api.labels.schemas import (
    EXPORT_RESPONSES,
    BatchIn,
    BatchOut,
    ExportIn,
    KitOrdersOut,
    PrintIn,
    PrintOut,
    export_response,
)
from api.persons.deps import PersonLookupDep
from api.web.deps import ServicesDep, Staff, module_access
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.dispatch import DispatchKind

router = APIRouter(prefix="/api/staff/labels", tags=["labels"], responses=PROBLEM_RESPONSES)
LabelStaff = Annotated[Staff, Depends(module_access(Module.LABELS))]
# Exporting: the export permission at the unit, on top of Etiketter.
EXPORT_PERMISSION = [Depends(module_access(Module.EXPORT))]
KIND = DispatchKind.HOME_KIT


@router.get("/orders", operation_id="listKitOrders")
async def list_kit_orders(
    staff: LabelStaff,
    services: ServicesDep,
    lookup: PersonLookupDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> KitOrdersOut:
    """Home-kit orders of the unit waiting to be sent, oldest first, with their address and
    tube labels; protected identities listed apart for manual handling."""
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_waiting(
            uow=uow, actor=staff.actor, now=services.now(), lookup=lookup, kind=KIND, limit=limit
        ),
    )
    return KitOrdersOut.of(listing)


@router.post("/print", operation_id="printKitLabels")
async def print_kit_labels(
    body: PrintIn, staff: LabelStaff, services: ServicesDep, lookup: PersonLookupDep
) -> PrintOut:
    """*Skriv ut*: the labels of the selected orders (all or nothing); they become Hanterad."""
    result = await in_transaction(
        services,
        lambda uow: usecases.print_labels(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            kind=KIND,
            order_ids=body.order_ids,
            address=body.address_label,
            printers=NetworkPrinters.from_settings(services.settings),
            printer=body.printer,
        ),
    )
    return PrintOut.of(result)


@router.post(
    "/export",
    operation_id="exportKitOrders",
    dependencies=EXPORT_PERMISSION,
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
)
async def export_kit_orders(
    body: ExportIn, staff: LabelStaff, services: ServicesDep, lookup: PersonLookupDep
) -> StreamingResponse:
    """*Exportera*: the selected orders as a CSV or Excel file for a transport company."""
    result = await in_transaction(
        services,
        lambda uow: usecases.export_orders(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            kind=KIND,
            order_ids=body.order_ids,
            file_format=body.format,
        ),
    )
    return export_response(result, file_format=body.format, name="hemkit")


@router.post("/batch-receipt", operation_id="receiveKitOrders")
async def receive_kit_orders(body: BatchIn, staff: LabelStaff, services: ServicesDep) -> BatchOut:
    """*Batchbearbetning*: the selected orders become Hanterad without printing, all or
    nothing."""
    result = await in_transaction(
        services,
        lambda uow: usecases.receive_batch(
            uow=uow, actor=staff.actor, now=services.now(), kind=KIND, order_ids=body.order_ids
        ),
    )
    return BatchOut.of(result)
