from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from adapters.db.repositories.label_prints import LabelPrintRow
from adapters.db.repositories.sampling import SampledOrderRow, SamplingOrderRow
from api.sampling.usecases import NetworkPrint, OpenedOrder, PrintedLabels
from api.web.schemas import RequestModel
from domain.codes import formatted
from domain.identity_numbers import PersonalIdentityNumber
from domain.sampling import LaboratoryRef, MappedLine, sex_mark


class PersonnummerIn(RequestModel):
    # In the body, never in the URL.
    personnummer: str = Field(min_length=10, max_length=13)


class PrinterChoice(RequestModel):
    printer: str | None = Field(
        default=None,
        max_length=255,
        description="A network printer from the configured list (host:port): the server "
        "also sends the labels there (IP print). Without it, only the browser prints "
        "(Zebra Browser Print).",
    )


class SampleIn(PrinterChoice):
    laboratory_code: str | None = Field(
        default=None,
        max_length=32,
        description="Required when the sampling unit serves several laboratories",
    )
    sampled_at: datetime | None = Field(
        description="When the sample was taken, with a time zone; never in the future"
    )


class SamplingPatientOut(BaseModel):
    personnummer: str
    name: str | None
    legal_sex: Literal["F", "M"]
    sex_mark: Literal["M", "K"]

    @classmethod
    def of(cls, personnummer: str, name: str | None) -> SamplingPatientOut:
        number = PersonalIdentityNumber(personnummer)
        sex = number.legal_sex
        return cls(
            personnummer=number.formatted,
            name=name,
            legal_sex=sex,
            sex_mark="M" if sex_mark(sex) == "M" else "K",
        )


class UnitRef(BaseModel):
    hsa_id: str
    name: str


class SamplingOrderSummary(BaseModel):
    """An order in Sök beställning and Bokade tider."""

    id: uuid.UUID
    rid: str
    version: int
    status: str
    offer_name: str
    catalog_id: str
    sampling_method: Literal["site_booking", "site_drop_in"]
    created_at: datetime
    handled_at: datetime | None
    booked_start: datetime | None
    booked_unit_name: str | None
    offer_region_code: str
    offer_region_name: str
    other_region: bool = Field(
        description="The offer is another region's than the sampling unit's (manual 4.2, "
        "Beställningar från andra län)"
    )
    booked_elsewhere: bool = Field(
        description="Booked at another sampling unit: that unit's order, not opened here"
    )
    result_recipient: UnitRef

    @classmethod
    def of(
        cls, order: SamplingOrderRow, *, unit_id: uuid.UUID, region_code: str
    ) -> SamplingOrderSummary:
        return cls(
            id=order.id,
            rid=formatted(order.rid),
            version=order.version,
            status=order.status,
            offer_name=order.offer_name,
            catalog_id=order.catalog_id,
            sampling_method=order.sampling_method,
            created_at=order.created_at,
            handled_at=order.handled_at,
            booked_start=order.booked_start,
            booked_unit_name=order.booked_unit_name,
            offer_region_code=order.offer_region_code,
            offer_region_name=order.offer_region_name,
            other_region=order.offer_region_code != region_code,
            booked_elsewhere=order.booked_unit_id is not None and order.booked_unit_id != unit_id,
            result_recipient=UnitRef(hsa_id=order.recipient_hsa_id, name=order.recipient_name),
        )


class SearchOut(BaseModel):
    sampling_unit: UnitRef
    patient: SamplingPatientOut
    orders: list[SamplingOrderSummary]


class SamplingBookingOut(BaseModel):
    patient: SamplingPatientOut
    order: SamplingOrderSummary


class BookingsOut(BaseModel):
    sampling_unit: UnitRef
    day: date
    bookings: list[SamplingBookingOut]


class SamplingLaboratoryOut(BaseModel):
    code: str
    name: str

    @classmethod
    def of(cls, lab: LaboratoryRef) -> SamplingLaboratoryOut:
        return cls(code=lab.code, name=lab.name)


class LineOut(BaseModel):
    line_no: int
    product_code: str = Field(description="The national product code")
    product_name: str
    lab_code: str | None = Field(description="The laboratory's code (None: not performed)")
    tube_code: str | None
    material: str | None

    @classmethod
    def of(cls, line: MappedLine) -> LineOut:
        return cls(
            line_no=line.line_no,
            product_code=line.product_code,
            product_name=line.product_name,
            lab_code=line.lab_code,
            tube_code=line.tube_code,
            material=line.material,
        )


class OpenedOrderOut(BaseModel):
    order: SamplingOrderSummary
    patient: SamplingPatientOut
    sampled_at: datetime | None
    sampled_by_hsa_id: str | None
    laboratories: list[SamplingLaboratoryOut] = Field(
        description="The laboratories the sampling unit takes samples for"
    )
    laboratory: SamplingLaboratoryOut | None = Field(
        description="The laboratory the order is opened as (locked once sampled); None while "
        "one has to be chosen"
    )
    lines: list[LineOut]

    @classmethod
    def of(cls, opened: OpenedOrder) -> OpenedOrderOut:
        order = opened.order
        return cls(
            order=SamplingOrderSummary.of(
                order, unit_id=opened.unit.id, region_code=opened.unit.region_code
            ),
            patient=SamplingPatientOut.of(order.personnummer, opened.name),
            sampled_at=order.sampled_at,
            sampled_by_hsa_id=order.sampled_by_hsa_id,
            laboratories=[SamplingLaboratoryOut.of(lab) for lab in opened.laboratories],
            laboratory=SamplingLaboratoryOut.of(opened.laboratory) if opened.laboratory else None,
            lines=[LineOut.of(line) for line in opened.lines],
        )


class NetworkPrintOut(BaseModel):
    printer: str
    sent: bool
    error: str | None

    @classmethod
    def of(cls, sent: NetworkPrint) -> NetworkPrintOut:
        return cls(printer=sent.printer, sent=sent.sent, error=sent.error)


class LabelsOut(BaseModel):
    """The labels to print: ZPL II for Zebra Browser Print (and what IP print sent)."""

    opened: OpenedOrderOut
    zpl: str
    label_count: int
    reprint: bool
    network_print: NetworkPrintOut | None

    @classmethod
    def of(cls, printed: PrintedLabels) -> LabelsOut:
        return cls(
            opened=OpenedOrderOut.of(printed.opened),
            zpl=printed.zpl,
            label_count=printed.label_count,
            reprint=printed.reprint,
            network_print=NetworkPrintOut.of(printed.network_print)
            if printed.network_print
            else None,
        )


class SampledOrderOut(BaseModel):
    id: uuid.UUID
    rid: str
    status: str
    patient: SamplingPatientOut
    offer_name: str
    laboratory_code: str | None
    sampled_at: datetime
    sampled_by_hsa_id: str | None
    prints: int

    @classmethod
    def of(cls, row: SampledOrderRow, name: str | None) -> SampledOrderOut:
        return cls(
            id=row.id,
            rid=formatted(row.rid),
            status=row.status,
            patient=SamplingPatientOut.of(row.personnummer, name),
            offer_name=row.offer_name,
            laboratory_code=row.laboratory_code,
            sampled_at=row.sampled_at,
            sampled_by_hsa_id=row.sampled_by_hsa_id,
            prints=row.prints,
        )


class SampledPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[SampledOrderOut]


class PrintLogEntryOut(BaseModel):
    id: uuid.UUID
    order_id: uuid.UUID
    rid: str
    patient: SamplingPatientOut
    kind: str
    printed_by_hsa_id: str
    printed_at: datetime
    reprint: bool
    label_count: int

    @classmethod
    def of(cls, row: LabelPrintRow, name: str | None) -> PrintLogEntryOut:
        return cls(
            id=row.id,
            order_id=row.order_id,
            rid=formatted(row.rid),
            patient=SamplingPatientOut.of(row.personnummer, name),
            kind=row.kind,
            printed_by_hsa_id=row.printed_by_hsa_id,
            printed_at=row.printed_at,
            reprint=row.reprint,
            label_count=row.label_count,
        )


class PrintLogPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[PrintLogEntryOut]


class PrintersOut(BaseModel):
    printers: list[str] = Field(description="The network printers IP print may send to")
