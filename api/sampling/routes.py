from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from adapters.printing import NetworkPrinters
from api.persons.deps import PersonLookupDep
from api.sampling import usecases
from api.sampling.schemas import (
    BookingsOut,
    LabelsOut,
    OpenedOrderOut,
    PersonnummerIn,
    PrinterChoice,
    PrintersOut,
    PrintLogEntryOut,
    PrintLogPage,
    SampledOrderOut,
    SampledPage,
    SampleIn,
    SamplingBookingOut,
    SamplingOrderSummary,
    SamplingPatientOut,
    SearchOut,
    UnitRef,
)
from api.services import Services
from api.web.deps import ServicesDep, Staff, module_access
from api.web.etag import IfMatch, expected_version, set_etag
from api.web.problems import PROBLEM_RESPONSES
from api.web.run import in_transaction
from domain.access import Module
from domain.identity_numbers import PersonalIdentityNumber

router = APIRouter(prefix="/api/staff/sampling", tags=["sampling"], responses=PROBLEM_RESPONSES)
Sampler = Annotated[Staff, Depends(module_access(Module.SAMPLING))]
Page = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=200)]


def _target(services: Services, printer: str | None) -> usecases.PrintTarget | None:
    if printer is None:
        return None
    return usecases.PrintTarget(
        printer=printer, printers=NetworkPrinters.from_settings(services.settings)
    )


@router.get("/printers", operation_id="listSamplingPrinters")
async def list_printers(_staff: Sampler, services: ServicesDep) -> PrintersOut:
    """The network printers IP print may send labels to (the configured list)."""
    return PrintersOut(printers=NetworkPrinters.from_settings(services.settings).printers)


@router.post("/search", operation_id="searchSamplingOrders")
async def search_orders(
    body: PersonnummerIn, staff: Sampler, services: ServicesDep, lookup: PersonLookupDep
) -> SearchOut:
    """Sök beställning: the citizen and every order of theirs still to be sampled at a site,
    of any region (flagged). Audited with the patient."""
    personnummer = PersonalIdentityNumber.parse(body.personnummer, today=services.now().date())
    found = await in_transaction(
        services,
        lambda uow: usecases.search_orders(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            personnummer=personnummer,
        ),
    )
    unit = found.unit
    return SearchOut(
        sampling_unit=UnitRef(hsa_id=unit.hsa_id, name=unit.name),
        patient=SamplingPatientOut.of(personnummer.value, found.person.full_name),
        orders=[
            SamplingOrderSummary.of(o, unit_id=unit.id, region_code=unit.region_code)
            for o in found.orders
        ],
    )


@router.get("/bookings", operation_id="listSamplingBookings")
async def list_bookings(staff: Sampler, services: ServicesDep) -> BookingsOut:
    """Bokade tider: today's bookings at this sampling unit (the day in Sweden)."""
    bookings = await in_transaction(
        services,
        lambda uow: usecases.list_bookings(uow=uow, actor=staff.actor, now=services.now()),
    )
    unit = bookings.unit
    return BookingsOut(
        sampling_unit=UnitRef(hsa_id=unit.hsa_id, name=unit.name),
        day=bookings.day,
        bookings=[
            SamplingBookingOut(
                patient=SamplingPatientOut.of(item.order.personnummer, item.name),
                order=SamplingOrderSummary.of(
                    item.order, unit_id=unit.id, region_code=unit.region_code
                ),
            )
            for item in bookings.items
        ],
    )


@router.get("/sampled", operation_id="listSampledOrders")
async def list_sampled(
    staff: Sampler, services: ServicesDep, page: Page = 1, page_size: PageSize = 50
) -> SampledPage:
    """Utskrivna: the orders sampled at this sampling unit, each once, newest first."""
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_sampled(
            uow=uow, actor=staff.actor, now=services.now(), page=page, page_size=page_size
        ),
    )
    return SampledPage(
        total=listing.total,
        page=page,
        page_size=page_size,
        items=[SampledOrderOut.of(row, name) for row, name in listing.items],
    )


@router.get("/print-log", operation_id="listSamplingPrintLog")
async def list_print_log(
    staff: Sampler, services: ServicesDep, page: Page = 1, page_size: PageSize = 50
) -> PrintLogPage:
    """Utskriftslogg: every print at this sampling unit, repeats included, who and when."""
    listing = await in_transaction(
        services,
        lambda uow: usecases.list_print_log(
            uow=uow, actor=staff.actor, now=services.now(), page=page, page_size=page_size
        ),
    )
    return PrintLogPage(
        total=listing.total,
        page=page,
        page_size=page_size,
        items=[PrintLogEntryOut.of(row, name) for row, name in listing.items],
    )


@router.get("/orders/{order_id}", operation_id="openSamplingOrder")
async def open_order(
    order_id: uuid.UUID,
    response: Response,
    staff: Sampler,
    services: ServicesDep,
    lookup: PersonLookupDep,
    laboratory_code: Annotated[str | None, Query(max_length=32)] = None,
) -> OpenedOrderOut:
    """Opens an order as one of the unit's laboratories: its products in the laboratory's
    codes and tube codes, and the two checks (the laboratory performs every product; the
    result recipient is its customer). The ETag is the version to sample with."""
    opened = await in_transaction(
        services,
        lambda uow: usecases.open_order(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            order_id=order_id,
            laboratory_code=laboratory_code,
        ),
    )
    set_etag(response, opened.order.version)
    return OpenedOrderOut.of(opened)


@router.post("/orders/{order_id}/sample", operation_id="sampleOrder")
async def sample_order(
    order_id: uuid.UUID,
    body: SampleIn,
    response: Response,
    staff: Sampler,
    services: ServicesDep,
    lookup: PersonLookupDep,
    if_match: IfMatch = None,
) -> LabelsOut:
    """Provtagen: registers the sampling time and the laboratory (both locked from now on),
    logs the print and answers the labels as ZPL for Zebra Browser Print; with `printer`, the
    server also sends them to that network printer. Send If-Match with the order's version;
    an order sampled meanwhile is answered 409 with its current state."""
    version = expected_version(if_match)
    printed = await in_transaction(
        services,
        lambda uow: usecases.sample_order(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            order_id=order_id,
            expected_version=version,
            laboratory_code=body.laboratory_code,
            sampled_at=body.sampled_at,
            target=_target(services, body.printer),
        ),
    )
    set_etag(response, printed.opened.order.version)
    return LabelsOut.of(printed)


@router.post("/orders/{order_id}/reprint", operation_id="reprintSamplingLabels")
async def reprint_labels(
    order_id: uuid.UUID,
    body: PrinterChoice,
    staff: Sampler,
    services: ServicesDep,
    lookup: PersonLookupDep,
) -> LabelsOut:
    """Skriv ut igen: the labels of an order sampled here, logged as a reprint; its
    laboratory and sampling time stay as they are."""
    printed = await in_transaction(
        services,
        lambda uow: usecases.reprint_labels(
            uow=uow,
            actor=staff.actor,
            now=services.now(),
            lookup=lookup,
            order_id=order_id,
            target=_target(services, body.printer),
        ),
    )
    return LabelsOut.of(printed)
