"""Ordermottagning: endpoints under /api/staff/order-receipt (module permission
`order_receipt` at the chosen care unit, with an assignment for Vård och behandling;
exporting also needs `export`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from adapters.printing import NetworkPrinters
from api.order_receipt import usecases
from api.order_receipt.schemas import (
    EXPORT_RESPONSES,
    BatchIn,
    BatchOut,
    ExportIn,
    KitOrdersOut,
    PrintOut,
    ReceiptPrintIn,
    export_response,
)
from api.persons.deps import PersonLookupDep
from api.web.deps import ServicesDep, Staff, module_access
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module

router = APIRouter(
    prefix="/api/staff/order-receipt", tags=["order receipt"], responses=PROBLEM_RESPONSES
)
ReceiptStaff = Annotated[Staff, Depends(module_access(Module.ORDER_RECEIPT))]
EXPORT_PERMISSION = [Depends(module_access(Module.EXPORT))]


@router.get("/orders", operation_id="listKitDeliveryOrders")
async def list_kit_delivery_orders(
    staff: ReceiptStaff,
    services: ServicesDep,
    lookup: PersonLookupDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> KitOrdersOut:
    """Anonymous kits ordered home, waiting to be sent, oldest first, with their address
    labels; protected identities listed apart for manual handling."""
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_waiting(
            uow=uow, actor=staff.actor, now=services.now(), lookup=lookup, limit=limit
        ),
    )
    return KitOrdersOut.of(listing)


@router.post("/print", operation_id="printKitDeliveryLabels")
async def print_kit_delivery_labels(
    body: ReceiptPrintIn, staff: ReceiptStaff, services: ServicesDep, lookup: PersonLookupDep
) -> PrintOut:
    """The address labels of the selected orders (all or nothing); they become Hanterad."""
    result = await in_transaction(
        services,
        lambda uow: usecases.print_address_labels(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            order_ids=body.order_ids,
            printers=NetworkPrinters.from_settings(services.settings),
            printer=body.printer,
        ),
    )
    return PrintOut.of(result)


@router.post(
    "/export",
    operation_id="exportKitDeliveryOrders",
    dependencies=EXPORT_PERMISSION,
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
)
async def export_kit_delivery_orders(
    body: ExportIn, staff: ReceiptStaff, services: ServicesDep, lookup: PersonLookupDep
) -> StreamingResponse:
    """The selected orders as a CSV or Excel file for a transport company."""
    result = await in_transaction(
        services,
        lambda uow: usecases.export_orders(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            order_ids=body.order_ids,
            file_format=body.format,
        ),
    )
    return export_response(result, file_format=body.format, name="opersonliga-kit")


@router.post("/batch-receipt", operation_id="receiveKitDeliveryOrders")
async def receive_kit_delivery_orders(
    body: BatchIn, staff: ReceiptStaff, services: ServicesDep
) -> BatchOut:
    """The selected orders become Hanterad without printing, all or nothing."""
    result = await in_transaction(
        services,
        lambda uow: usecases.receive_batch(
            uow=uow, actor=staff.actor, now=services.now(), order_ids=body.order_ids
        ),
    )
    return BatchOut.of(result)
