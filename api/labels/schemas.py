"""The HTTP contract of Etiketter and Ordermottagning: the waiting kit orders with their
labels, printing, exporting and batch receipt."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from adapters.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, csv_chunks, file_chunks, xlsx_file
from api.labels.usecases import BatchResult, ExportResult, KitListing, KitOrder, PrintResult
from api.sampling.schemas import NetworkPrintOut
from api.web.schemas import RequestModel
from domain.codes import formatted
from domain.dispatch import EXPORT_HEADER, MAX_BATCH, MAX_SELECTION


class DeliveryAddressOut(BaseModel):
    care_of: str | None
    street: str
    postal_code: str
    city: str


class TubeOut(BaseModel):
    line_no: int
    product_code: str
    product_name: str
    lab_code: str | None
    tube_code: str | None


class LabelOut(BaseModel):
    kind: Literal["address", "tube"]
    line_no: int | None = Field(description="The order line of a tube label")
    zpl: str = Field(description="ZPL II, ready for the printer (and a preview)")


class KitOrderOut(BaseModel):
    order_id: uuid.UUID
    rid: str
    created_at: datetime
    offer_name: str
    personnummer: str
    sex_mark: Literal["M", "K"]
    name: str
    delivery_address: DeliveryAddressOut | None = Field(
        description="Never given for an order under manual handling"
    )
    manual_handling: Literal["protected_identity"] | None
    laboratory_code: str | None = Field(description="The laboratory whose tube codes print")
    tubes: list[TubeOut]
    labels: list[LabelOut]

    @classmethod
    def of(cls, kit: KitOrder) -> KitOrderOut:
        address = kit.address
        return cls(
            order_id=kit.order.id,
            rid=formatted(kit.order.rid),
            created_at=kit.order.created_at,
            offer_name=kit.order.offer_name,
            personnummer=kit.personnummer.formatted,
            sex_mark="M" if kit.sex_mark == "M" else "K",
            name=kit.name,
            delivery_address=None
            if address is None
            else DeliveryAddressOut(
                care_of=address.care_of,
                street=address.street,
                postal_code=address.postal_code,
                city=address.city,
            ),
            manual_handling=None if kit.manual_handling is None else "protected_identity",
            laboratory_code=kit.laboratory_code,
            tubes=[
                TubeOut(
                    line_no=t.line_no,
                    product_code=t.product_code,
                    product_name=t.product_name,
                    lab_code=t.lab_code,
                    tube_code=t.tube_code,
                )
                for t in kit.tubes
            ],
            labels=[
                LabelOut(
                    kind="address" if label.kind == "address" else "tube",
                    line_no=label.line_no,
                    zpl=label.zpl,
                )
                for label in kit.labels
            ],
        )


class KitOrdersOut(BaseModel):
    total: int = Field(description="Every order of the unit waiting to be sent")
    orders: list[KitOrderOut] = Field(description="The oldest waiting orders, to print")
    manual_handling: list[KitOrderOut] = Field(
        description="Protected identities: no address is printed or exported"
    )

    @classmethod
    def of(cls, listing: KitListing) -> KitOrdersOut:
        return cls(
            total=listing.total,
            orders=[KitOrderOut.of(k) for k in listing.orders],
            manual_handling=[KitOrderOut.of(k) for k in listing.manual],
        )


Selection = list[uuid.UUID]


class PrintIn(RequestModel):
    order_ids: Selection = Field(min_length=1, max_length=MAX_SELECTION)
    address_label: bool = Field(
        default=True,
        description="False: tube labels only (e.g. for an order under manual handling)",
    )
    printer: str | None = Field(
        default=None,
        max_length=300,
        description="A configured network printer (host:port) to send the labels to as well",
    )


class ReceiptPrintIn(RequestModel):
    order_ids: Selection = Field(min_length=1, max_length=MAX_SELECTION)
    printer: str | None = Field(default=None, max_length=300)


class HandledOrderOut(BaseModel):
    order_id: uuid.UUID
    rid: str
    status: Literal["handled"]
    handled_at: datetime
    expires_at: datetime
    version: int


class PrintedLabelOut(LabelOut):
    order_id: uuid.UUID


class PrintOut(BaseModel):
    orders: list[HandledOrderOut]
    labels: list[PrintedLabelOut]
    zpl: str = Field(description="Every label in order: send this to the printer")
    printer: str | None = Field(description="The network printer chosen, if any")
    network_print: NetworkPrintOut | None = Field(
        description="What the network printer made of it, sent after the print was saved "
        "(`sent: false` with the error: print from the browser instead); None without one"
    )

    @classmethod
    def of(cls, result: PrintResult) -> PrintOut:
        orders = []
        for p in result.orders:
            assert p.state.handled_at is not None
            assert p.state.expires_at is not None
            orders.append(
                HandledOrderOut(
                    order_id=p.order_id,
                    rid=formatted(p.rid),
                    status="handled",
                    handled_at=p.state.handled_at,
                    expires_at=p.state.expires_at,
                    version=p.state.version,
                )
            )
        return cls(
            orders=orders,
            labels=[
                PrintedLabelOut(
                    order_id=order_id,
                    kind="address" if label.kind == "address" else "tube",
                    line_no=label.line_no,
                    zpl=label.zpl,
                )
                for order_id, label in result.labels
            ],
            zpl=result.zpl,
            printer=result.printer,
            network_print=NetworkPrintOut.of(result.network_print)
            if result.network_print
            else None,
        )


class ExportIn(RequestModel):
    order_ids: Selection = Field(min_length=1, max_length=MAX_BATCH)
    format: Literal["csv", "xlsx"]


class BatchIn(RequestModel):
    order_ids: Selection = Field(min_length=1, max_length=MAX_BATCH)


class BatchOut(BaseModel):
    batch_id: uuid.UUID
    received: int
    handled_at: datetime

    @classmethod
    def of(cls, result: BatchResult) -> BatchOut:
        return cls(batch_id=result.batch_id, received=result.received, handled_at=result.handled_at)


EXPORT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The file: CSV (UTF-8 with BOM, `;`) or Excel (.xlsx)",
        "content": {CSV_MEDIA_TYPE.split(";")[0]: {}, XLSX_MEDIA_TYPE: {}},
    }
}


def export_response(result: ExportResult, *, file_format: str, name: str) -> StreamingResponse:
    """The export as a file download, streamed as it is written."""
    stamp = result.created_at.strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        body, media_type = csv_chunks(EXPORT_HEADER, result.rows), CSV_MEDIA_TYPE
    else:
        body = file_chunks(xlsx_file(EXPORT_HEADER, result.rows, sheet_title=name))
        media_type = XLSX_MEDIA_TYPE
    return StreamingResponse(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{stamp}.{file_format}"',
            "X-Export-Id": str(result.export_id),
        },
    )
