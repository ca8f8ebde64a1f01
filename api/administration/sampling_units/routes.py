from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.sampling_units import usecases
from api.administration.sampling_units.schemas import (
    ClosedDayIn,
    SamplingUnitIn,
    SamplingUnitOut,
    SlotAdminOut,
    SlotRuleIn,
    SlotsCreated,
)
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag
from domain.administration import SlotRule

router = APIRouter()


def _details(body: SamplingUnitIn) -> usecases.SamplingUnitDetails:
    return usecases.SamplingUnitDetails(
        hsa_id=body.hsa_id,
        name=body.name,
        region_code=body.region_code,
        street=body.street,
        postal_code=body.postal_code,
        city=body.city,
        opening_hours=body.opening_hours,
        laboratory_codes=body.laboratory_codes,
    )


def _out(view: usecases.SamplingUnitView) -> SamplingUnitOut:
    return SamplingUnitOut.of(view.unit, view.laboratory_codes)


@router.get("/sampling-units", operation_id="listSamplingUnits")
async def list_sampling_units(
    admin: Annotated[Administrator, Depends(admin_access("list_sampling_units"))],
    services: ServicesDep,
) -> list[SamplingUnitOut]:
    views = await administer(
        services, admin, lambda uow: usecases.list_sampling_units(uow=uow, actor=admin.actor)
    )
    return [_out(v) for v in views]


@router.post("/sampling-units", operation_id="createSamplingUnit", status_code=201)
async def create_sampling_unit(
    body: SamplingUnitIn,
    admin: Annotated[Administrator, Depends(admin_access("create_sampling_unit"))],
    services: ServicesDep,
    response: Response,
) -> SamplingUnitOut:
    view = await administer(
        services,
        admin,
        lambda uow: usecases.create_sampling_unit(
            uow=uow, actor=admin.actor, now=services.now(), new=_details(body)
        ),
    )
    set_etag(response, view.unit.version)
    return _out(view)


@router.get("/sampling-units/{unit_id}", operation_id="getSamplingUnit")
async def get_sampling_unit(
    unit_id: uuid.UUID,
    admin: Annotated[Administrator, Depends(admin_access("get_sampling_unit"))],
    services: ServicesDep,
    response: Response,
) -> SamplingUnitOut:
    view = await administer(
        services,
        admin,
        lambda uow: usecases.get_sampling_unit(uow=uow, actor=admin.actor, unit_id=unit_id),
    )
    set_etag(response, view.unit.version)
    return _out(view)


@router.put("/sampling-units/{unit_id}", operation_id="updateSamplingUnit")
async def update_sampling_unit(
    unit_id: uuid.UUID,
    body: SamplingUnitIn,
    admin: Annotated[Administrator, Depends(admin_access("update_sampling_unit"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> SamplingUnitOut:
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.update_sampling_unit(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            unit_id=unit_id,
            expected_version=expected,
            change=_details(body),
        ),
    )
    set_etag(response, view.unit.version)
    return _out(view)


@router.post("/sampling-units/{unit_id}/retire", operation_id="retireSamplingUnit")
async def retire_sampling_unit(
    unit_id: uuid.UUID,
    admin: Annotated[Administrator, Depends(admin_access("retire_sampling_unit"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> SamplingUnitOut:
    """Refused while future times are booked; its free future times are removed."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.retire_sampling_unit(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            unit_id=unit_id,
            expected_version=expected,
        ),
    )
    set_etag(response, view.unit.version)
    return _out(view)


@router.post("/sampling-units/{unit_id}/slots", operation_id="createSlots", status_code=201)
async def create_slots(
    unit_id: uuid.UUID,
    body: SlotRuleIn,
    admin: Annotated[Administrator, Depends(admin_access("create_slots"))],
    services: ServicesDep,
) -> SlotsCreated:
    """Adds bookable times by a weekly rule; refused if any overlaps existing times."""
    rule = SlotRule(
        first_day=body.first_day,
        last_day=body.last_day,
        weekdays=frozenset(body.weekdays),
        start=body.start,
        end=body.end,
        minutes=body.minutes,
        capacity=body.capacity,
        closed_days=frozenset(body.closed_days),
    )
    created = await administer(
        services,
        admin,
        lambda uow: usecases.create_slots(
            uow=uow, actor=admin.actor, now=services.now(), unit_id=unit_id, rule=rule
        ),
    )
    return SlotsCreated(created=created)


@router.get("/sampling-units/{unit_id}/slots", operation_id="listSlotsAdmin")
async def list_slots_admin(
    unit_id: uuid.UUID,
    admin: Annotated[Administrator, Depends(admin_access("list_slots"))],
    services: ServicesDep,
    first_day: date,
    days: Annotated[int, Query(ge=1, le=62)] = 7,
) -> list[SlotAdminOut]:
    slots = await administer(
        services,
        admin,
        lambda uow: usecases.list_slots(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            unit_id=unit_id,
            first_day=first_day,
            days=days,
        ),
    )
    return [
        SlotAdminOut(
            id=s.id, starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity, booked=s.booked
        )
        for s in slots
    ]


@router.post("/sampling-units/{unit_id}/closed-days", operation_id="closeDay", status_code=204)
async def close_day(
    unit_id: uuid.UUID,
    body: ClosedDayIn,
    admin: Annotated[Administrator, Depends(admin_access("close_day"))],
    services: ServicesDep,
) -> Response:
    """Closes a day: its times are removed; refused while any of them is booked."""
    await administer(
        services,
        admin,
        lambda uow: usecases.close_day(
            uow=uow, actor=admin.actor, now=services.now(), unit_id=unit_id, day=body.day
        ),
    )
    return Response(status_code=204)
