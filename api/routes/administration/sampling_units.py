"""Sampling units and their bookable times."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from adapters.db.uow import UnitOfWork
from api.routes.administration.common import (
    ZONE,
    HsaId,
    IfMatch,
    audit,
    check_version,
    etag,
    guarded,
    regions_filter,
    require_hsa_id,
    require_known_region,
    scope_of,
)
from api.services import Services
from api.web.deps import ServicesDep, Staff, StaffSession
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    SlotRule,
    StillInUse,
    expand_slots,
    refuse_overlaps,
    require_active,
    require_region,
)

router = APIRouter()


class SamplingUnitIn(BaseModel):
    hsa_id: HsaId
    name: str = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    street: str = Field(min_length=2, max_length=200)
    postal_code: str = Field(pattern=r"^\d{3} ?\d{2}$")
    city: str = Field(min_length=2, max_length=100)
    opening_hours: str | None = Field(default=None, max_length=500)
    laboratory_codes: list[str] = Field(min_length=1, max_length=20)


class SamplingUnitOut(SamplingUnitIn):
    id: uuid.UUID
    retired: bool
    version: int


def _sampling_unit_out(unit: m.SamplingUnit, labs: list[str]) -> SamplingUnitOut:
    return SamplingUnitOut(
        id=unit.id,
        hsa_id=unit.hsa_id,
        name=unit.name,
        region_code=unit.region_code,
        street=unit.street,
        postal_code=unit.postal_code,
        city=unit.city,
        opening_hours=unit.opening_hours,
        laboratory_codes=labs,
        retired=unit.retired_at is not None,
        version=unit.version,
    )


async def _laboratory_ids(uow: UnitOfWork, codes: list[str]) -> list[uuid.UUID]:
    labs = await uow.administration.laboratories_by_code(codes)
    missing = sorted(set(codes) - set(labs))
    if missing:
        raise InvalidConfiguration("laboratory_codes", f"unknown laboratory {missing[0]}")
    return [labs[c].id for c in codes]


@router.get("/sampling-units", operation_id="listSamplingUnits")
async def list_sampling_units(staff: StaffSession, services: ServicesDep) -> list[SamplingUnitOut]:
    scope = await scope_of(services, staff, "admin:list_sampling_units")
    async with services.uow() as uow:
        units = await uow.administration.sampling_units(regions_filter(scope))
        labs = await uow.administration.served_laboratory_codes([u.id for u in units])
    return [_sampling_unit_out(u, labs[u.id]) for u in units]


@router.post("/sampling-units", operation_id="createSamplingUnit", status_code=201)
async def create_sampling_unit(
    body: SamplingUnitIn, staff: StaffSession, services: ServicesDep, response: Response
) -> SamplingUnitOut:
    await scope_of(services, staff, "admin:create_sampling_unit")
    require_known_region(body.region_code)
    require_hsa_id("hsa_id", body.hsa_id)
    await guarded(
        services,
        staff,
        "admin:create_sampling_unit",
        lambda: require_region(staff.context, body.region_code),
    )
    async with services.uow() as uow:
        lab_ids = await _laboratory_ids(uow, body.laboratory_codes)
        unit = m.SamplingUnit(
            id=uuid.uuid4(),
            hsa_id=body.hsa_id,
            name=body.name,
            region_code=body.region_code,
            street=body.street,
            postal_code=body.postal_code,
            city=body.city,
            opening_hours=body.opening_hours,
            version=1,
        )
        await uow.administration.add(unit)
        await uow.administration.set_served_laboratories(unit.id, lab_ids)
        await audit(uow, services, staff, "create_sampling_unit", id=unit.id)
        await uow.commit()
    etag(response, 1)
    return _sampling_unit_out(unit, body.laboratory_codes)


async def _load_sampling_unit(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    action: str,
    unit_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> m.SamplingUnit:
    """The sampling unit, if it exists and lies within the staff member's regions."""
    unit = await uow.administration.sampling_unit(unit_id, for_update=for_update)
    if unit is None:
        raise ConfigurationNotFound("no such sampling unit")
    await guarded(services, staff, action, lambda: require_region(staff.context, unit.region_code))
    return unit


@router.get("/sampling-units/{unit_id}", operation_id="getSamplingUnit")
async def get_sampling_unit(
    unit_id: uuid.UUID, staff: StaffSession, services: ServicesDep, response: Response
) -> SamplingUnitOut:
    await scope_of(services, staff, "admin:get_sampling_unit")
    async with services.uow() as uow:
        unit = await _load_sampling_unit(uow, services, staff, "admin:get_sampling_unit", unit_id)
        labs = await uow.administration.served_laboratory_codes([unit.id])
    etag(response, unit.version)
    return _sampling_unit_out(unit, labs[unit.id])


@router.put("/sampling-units/{unit_id}", operation_id="updateSamplingUnit")
async def update_sampling_unit(
    unit_id: uuid.UUID,
    body: SamplingUnitIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> SamplingUnitOut:
    await scope_of(services, staff, "admin:update_sampling_unit")
    async with services.uow() as uow:
        unit = await _load_sampling_unit(
            uow, services, staff, "admin:update_sampling_unit", unit_id, for_update=True
        )
        check_version(unit.version, if_match)
        require_active(unit.retired_at, "sampling unit")
        if body.region_code != unit.region_code or body.hsa_id != unit.hsa_id:
            raise InvalidConfiguration("region_code", "region and HSA-id cannot change")
        lab_ids = await _laboratory_ids(uow, body.laboratory_codes)
        unit.name, unit.street, unit.postal_code = body.name, body.street, body.postal_code
        unit.city, unit.opening_hours = body.city, body.opening_hours
        unit.version += 1
        await uow.administration.set_served_laboratories(unit.id, lab_ids)
        await audit(uow, services, staff, "update_sampling_unit", id=unit.id, version=unit.version)
        await uow.commit()
    etag(response, unit.version)
    return _sampling_unit_out(unit, body.laboratory_codes)


@router.post("/sampling-units/{unit_id}/retire", operation_id="retireSamplingUnit")
async def retire_sampling_unit(
    unit_id: uuid.UUID,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> SamplingUnitOut:
    """Refused while future times are booked; its free future times are removed."""
    await scope_of(services, staff, "admin:retire_sampling_unit")
    async with services.uow() as uow:
        unit = await _load_sampling_unit(
            uow, services, staff, "admin:retire_sampling_unit", unit_id, for_update=True
        )
        check_version(unit.version, if_match)
        require_active(unit.retired_at, "sampling unit")
        far = services.now() + timedelta(days=3650)
        booked = await uow.administration.close_day(unit_id, start=services.now(), end=far)
        if booked:
            raise StillInUse(f"{booked} future times are booked: move those bookings first")
        unit.retired_at = services.now()
        unit.version += 1
        await audit(uow, services, staff, "retire_sampling_unit", id=unit_id)
        labs = await uow.administration.served_laboratory_codes([unit.id])
        await uow.commit()
    etag(response, unit.version)
    return _sampling_unit_out(unit, labs[unit.id])


class SlotRuleIn(BaseModel):
    first_day: date
    last_day: date
    weekdays: list[int] = Field(min_length=1, max_length=7)
    start: time
    end: time
    minutes: int = Field(ge=5, le=240)
    capacity: int = Field(ge=1, le=100)
    closed_days: list[date] = Field(default_factory=list, max_length=366)


class SlotsCreated(BaseModel):
    created: int


class SlotAdminOut(BaseModel):
    id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int


@router.post("/sampling-units/{unit_id}/slots", operation_id="createSlots", status_code=201)
async def create_slots(
    unit_id: uuid.UUID, body: SlotRuleIn, staff: StaffSession, services: ServicesDep
) -> SlotsCreated:
    """Adds bookable times by a weekly rule; refused if any overlaps existing times."""
    await scope_of(services, staff, "admin:create_slots")
    if body.first_day < services.now().astimezone(ZONE).date():
        raise InvalidConfiguration("first_day", "must not be in the past")
    times = expand_slots(
        SlotRule(
            first_day=body.first_day,
            last_day=body.last_day,
            weekdays=frozenset(body.weekdays),
            start=body.start,
            end=body.end,
            minutes=body.minutes,
            capacity=body.capacity,
            closed_days=frozenset(body.closed_days),
        ),
        zone=ZONE,
    )
    if not times:
        raise InvalidConfiguration("weekdays", "the rule gives no times at all")
    async with services.uow() as uow:
        unit = await _load_sampling_unit(
            uow, services, staff, "admin:create_slots", unit_id, for_update=True
        )
        require_active(unit.retired_at, "sampling unit")
        existing = await uow.administration.slot_times(unit_id, start=times[0][0], end=times[-1][1])
        refuse_overlaps(times, existing)
        await uow.administration.add_slots(unit_id, times, body.capacity)
        await audit(uow, services, staff, "create_slots", id=unit_id, count=len(times))
        await uow.commit()
    return SlotsCreated(created=len(times))


@router.get("/sampling-units/{unit_id}/slots", operation_id="listSlotsAdmin")
async def list_slots_admin(
    unit_id: uuid.UUID,
    staff: StaffSession,
    services: ServicesDep,
    first_day: date,
    days: Annotated[int, Query(ge=1, le=62)] = 7,
) -> list[SlotAdminOut]:
    await scope_of(services, staff, "admin:list_slots")
    async with services.uow() as uow:
        await _load_sampling_unit(uow, services, staff, "admin:list_slots", unit_id)
        start = datetime.combine(first_day, time(0), tzinfo=ZONE)
        slots = await uow.administration.slots(
            unit_id, start=start, end=start + timedelta(days=days)
        )
    return [
        SlotAdminOut(
            id=s.id, starts_at=s.starts_at, ends_at=s.ends_at, capacity=s.capacity, booked=s.booked
        )
        for s in slots
    ]


class ClosedDayIn(BaseModel):
    day: date


@router.post("/sampling-units/{unit_id}/closed-days", operation_id="closeDay", status_code=204)
async def close_day(
    unit_id: uuid.UUID, body: ClosedDayIn, staff: StaffSession, services: ServicesDep
) -> Response:
    """Closes a day: its times are removed; refused while any of them is booked."""
    await scope_of(services, staff, "admin:close_day")
    async with services.uow() as uow:
        await _load_sampling_unit(uow, services, staff, "admin:close_day", unit_id, for_update=True)
        start = datetime.combine(body.day, time(0), tzinfo=ZONE)
        booked = await uow.administration.close_day(
            unit_id, start=start, end=start + timedelta(days=1)
        )
        if booked:
            raise StillInUse(f"{booked} times that day are booked: move those bookings first")
        await audit(uow, services, staff, "close_day", id=unit_id, day=body.day)
        await uow.commit()
    return Response(status_code=204)
