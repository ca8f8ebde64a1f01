"""Administration (SPEC §5): the configuration every other module reads, changed by the
right administrator within their scope, with optimistic concurrency (ETag / If-Match) and an
audit entry for every change. Things that orders or results refer to are retired, never
deleted."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from adapters.db.uow import UnitOfWork
from api.deps import ServicesDep, Staff, StaffSession, record_refusal
from api.exceptions import InvalidField, PreconditionFailed, PreconditionRequired
from api.problems import PROBLEM_RESPONSES
from api.request_context import current_request_id
from api.routes.citizen_ordering import sanitize_instructions
from api.services import Services
from domain.access import GRANTABLE, AdminScope, admin_scope
from domain.administration import (
    InvalidConfiguration,
    OutsideAdministrationScope,
    SlotRule,
    StillInUse,
    expand_slots,
    refuse_overlaps,
    require_care_unit,
    require_central,
    require_grant_right,
    require_performable,
    require_region,
    validate_label_template,
)
from domain.audit import AuditEvent
from domain.errors import NotFound, NotPermitted
from domain.regions import REGIONS
from domain.staff import is_valid_hsa_id

router = APIRouter(prefix="/api/admin", tags=["administration"], responses=PROBLEM_RESPONSES)
ZONE = ZoneInfo("Europe/Stockholm")
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=40)]
Insight = Literal["positive", "negative", "technical_error", "answer"]
HsaId = Annotated[str, Field(min_length=5, max_length=64)]


class NoAdministrationPermission(NotPermitted):
    pass


class ConfigurationNotFound(NotFound):
    pass


# --- shared mechanics -----------------------------------------------------------------------


def expected_version(if_match: str | None) -> int:
    if if_match is None:
        raise PreconditionRequired()
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidField("If-Match", 'the version from the ETag, e.g. "3"')
    return int(value)


def check_version(current: int, if_match: str | None) -> None:
    if expected_version(if_match) != current:
        raise PreconditionFailed(f"the current version is {current}: reload and try again")


def etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


async def scope_of(services: Services, staff: Staff, action: str) -> AdminScope:
    scope = admin_scope(staff.context)
    if not scope.any:
        error = NoAdministrationPermission("no administrator permission")
        await record_refusal(services, staff, action=action, error=error)
        raise error
    return scope


async def guarded(services: Services, staff: Staff, action: str, check: Any) -> None:
    """Runs a scope check; a refusal is audited in its own transaction, then raised."""
    try:
        check()
    except OutsideAdministrationScope as error:
        await record_refusal(services, staff, action=action, error=error)
        raise


async def audit(
    uow: UnitOfWork, services: Services, staff: Staff, action: str, **details: Any
) -> None:
    selected = staff.context.selected
    await uow.audit.record(
        AuditEvent(
            occurred_at=services.now(),
            action=f"admin:{action}",
            actor_kind="staff",
            actor_id=staff.context.hsa_id,
            care_unit_hsa_id=selected.care_unit_hsa_id if selected else None,
            assignment_id=selected.assignment_id if selected else None,
            assignment_purpose=selected.purpose if selected else None,
            request_id=current_request_id(),
            details={k: str(v) for k, v in details.items()},
        )
    )


def _regions_filter(scope: AdminScope) -> list[str] | None:
    return None if scope.national else sorted(scope.region_codes)


def _require_known_region(code: str) -> None:
    if code not in REGIONS:
        raise InvalidConfiguration("region_code", "not one of Sweden's 21 regions")


def _require_hsa_id(field: str, value: str) -> None:
    if not is_valid_hsa_id(value):
        raise InvalidConfiguration(field, "not an HSA-id (e.g. SE2321000016-ABC1)")


# --- regions --------------------------------------------------------------------------------


class RegionOut(BaseModel):
    code: str
    name: str


@router.get("/regions", operation_id="listRegions")
async def list_regions(staff: StaffSession, services: ServicesDep) -> list[RegionOut]:
    await scope_of(services, staff, "admin:list_regions")
    return [RegionOut(code=c, name=n) for c, n in REGIONS.items()]


# --- care units -------------------------------------------------------------------------------


class CareUnitOut(BaseModel):
    hsa_id: str
    name: str
    region_code: str
    region_name: str
    care_giver_hsa_id: str
    care_giver_name: str
    result_recipient_hsa_id: str | None
    worklist_insights: list[Insight]
    assignable_offers: list[str]
    retired: bool
    version: int


class CareUnitSummary(BaseModel):
    hsa_id: str
    name: str
    region_code: str
    region_name: str
    care_giver_name: str
    retired: bool


class CareUnitCreate(BaseModel):
    hsa_id: HsaId
    name: str = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    care_giver_hsa_id: HsaId
    care_giver_name: str = Field(min_length=2, max_length=200)
    result_recipient_hsa_id: HsaId | None = None
    worklist_insights: list[Insight] = Field(default_factory=list, max_length=4)


class CareUnitUpdate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    care_giver_name: str = Field(min_length=2, max_length=200)
    result_recipient_hsa_id: HsaId | None = None
    worklist_insights: list[Insight] = Field(default_factory=list, max_length=4)
    assignable_offers: list[str] = Field(default_factory=list, max_length=500)


async def _care_unit_out(uow: UnitOfWork, unit: m.CareUnit) -> CareUnitOut:
    return CareUnitOut(
        hsa_id=unit.hsa_id,
        name=unit.name,
        region_code=unit.region_code,
        region_name=REGIONS[unit.region_code],
        care_giver_hsa_id=unit.care_giver_hsa_id,
        care_giver_name=unit.care_giver_name,
        result_recipient_hsa_id=unit.result_recipient_hsa_id,
        worklist_insights=list(unit.worklist_insights),
        assignable_offers=await uow.administration.assignable_catalog_ids(unit.id),
        retired=unit.retired_at is not None,
        version=unit.version,
    )


@router.get("/care-units", operation_id="listAdministeredCareUnits")
async def list_care_units(staff: StaffSession, services: ServicesDep) -> list[CareUnitSummary]:
    """Care units the staff member may administer: own units for a unit administrator, the
    region for a regional administrator, all for operators and central administrators."""
    scope = await scope_of(services, staff, "admin:list_care_units")
    async with services.uow() as uow:
        rows = await uow.care_units.list_within(scope)
    return [
        CareUnitSummary(
            hsa_id=r.hsa_id,
            name=r.name,
            region_code=r.region_code,
            region_name=r.region_name,
            care_giver_name=r.care_giver_name,
            retired=r.retired,
        )
        for r in rows
    ]


async def _load_care_unit(uow: UnitOfWork, hsa_id: str, *, for_update: bool = False) -> m.CareUnit:
    unit = await uow.administration.care_unit(hsa_id, for_update=for_update)
    if unit is None:
        raise ConfigurationNotFound("no such care unit")
    return unit


@router.get("/care-units/{hsa_id}", operation_id="getCareUnit")
async def get_care_unit(
    hsa_id: str, staff: StaffSession, services: ServicesDep, response: Response
) -> CareUnitOut:
    await scope_of(services, staff, "admin:get_care_unit")
    async with services.uow() as uow:
        unit = await _load_care_unit(uow, hsa_id)
        await guarded(
            services,
            staff,
            "admin:get_care_unit",
            lambda: require_care_unit(
                staff.context, region_code=unit.region_code, care_unit_hsa_id=unit.hsa_id
            ),
        )
        out = await _care_unit_out(uow, unit)
    etag(response, out.version)
    return out


@router.post("/care-units", operation_id="createCareUnit", status_code=201)
async def create_care_unit(
    body: CareUnitCreate, staff: StaffSession, services: ServicesDep, response: Response
) -> CareUnitOut:
    await scope_of(services, staff, "admin:create_care_unit")
    _require_known_region(body.region_code)
    _require_hsa_id("hsa_id", body.hsa_id)
    _require_hsa_id("care_giver_hsa_id", body.care_giver_hsa_id)
    await guarded(
        services,
        staff,
        "admin:create_care_unit",
        lambda: require_region(staff.context, body.region_code),
    )
    async with services.uow() as uow:
        if await uow.administration.care_unit(body.hsa_id) is not None:
            raise InvalidConfiguration("hsa_id", "a care unit with this HSA-id exists already")
        unit = m.CareUnit(
            id=uuid.uuid4(),
            hsa_id=body.hsa_id,
            name=body.name,
            region_code=body.region_code,
            care_giver_hsa_id=body.care_giver_hsa_id,
            care_giver_name=body.care_giver_name,
            result_recipient_hsa_id=body.result_recipient_hsa_id,
            worklist_insights=body.worklist_insights,
            version=1,
        )
        await uow.administration.add(unit)
        await audit(uow, services, staff, "create_care_unit", hsa_id=unit.hsa_id)
        out = await _care_unit_out(uow, unit)
        await uow.commit()
    etag(response, out.version)
    return out


@router.put("/care-units/{hsa_id}", operation_id="updateCareUnit")
async def update_care_unit(
    hsa_id: str,
    body: CareUnitUpdate,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> CareUnitOut:
    await scope_of(services, staff, "admin:update_care_unit")
    async with services.uow() as uow:
        unit = await _load_care_unit(uow, hsa_id, for_update=True)
        await guarded(
            services,
            staff,
            "admin:update_care_unit",
            lambda: require_care_unit(
                staff.context, region_code=unit.region_code, care_unit_hsa_id=unit.hsa_id
            ),
        )
        check_version(unit.version, if_match)
        personal = {
            o.catalog_id: o
            for o in await uow.administration.current_offers(None)
            if o.visibility == "personal"
        }
        for catalog_id in body.assignable_offers:
            offer = personal.get(catalog_id)
            if offer is None or offer.region_code != unit.region_code:
                raise InvalidConfiguration(
                    "assignable_offers", f"{catalog_id} is not a personal offer of the region"
                )
        unit.name = body.name
        unit.care_giver_name = body.care_giver_name
        unit.result_recipient_hsa_id = body.result_recipient_hsa_id
        unit.worklist_insights = body.worklist_insights
        unit.version += 1
        await uow.administration.set_assignable_offers_for_unit(unit.id, body.assignable_offers)
        await audit(uow, services, staff, "update_care_unit", hsa_id=hsa_id, version=unit.version)
        out = await _care_unit_out(uow, unit)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/care-units/{hsa_id}/retire", operation_id="retireCareUnit")
async def retire_care_unit(
    hsa_id: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> CareUnitOut:
    """Retired, not deleted: orders and results keep referring to it."""
    await scope_of(services, staff, "admin:retire_care_unit")
    async with services.uow() as uow:
        unit = await _load_care_unit(uow, hsa_id, for_update=True)
        await guarded(
            services,
            staff,
            "admin:retire_care_unit",
            lambda: require_region(staff.context, unit.region_code),
        )
        check_version(unit.version, if_match)
        receiving = [
            o.catalog_id
            for o in await uow.administration.current_offers(None)
            if o.result_care_unit_id == unit.id and o.retired_at is None
        ]
        if receiving:
            raise StillInUse(f"offers {', '.join(receiving)} send their results here")
        unit.retired_at = services.now()
        unit.version += 1
        await audit(uow, services, staff, "retire_care_unit", hsa_id=hsa_id)
        out = await _care_unit_out(uow, unit)
        await uow.commit()
    etag(response, out.version)
    return out


# --- sampling units and their calendars ----------------------------------------------------


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
        units = await uow.administration.sampling_units(_regions_filter(scope))
        labs = await uow.administration.served_laboratory_codes([u.id for u in units])
    return [_sampling_unit_out(u, labs[u.id]) for u in units]


@router.post("/sampling-units", operation_id="createSamplingUnit", status_code=201)
async def create_sampling_unit(
    body: SamplingUnitIn, staff: StaffSession, services: ServicesDep, response: Response
) -> SamplingUnitOut:
    await scope_of(services, staff, "admin:create_sampling_unit")
    _require_known_region(body.region_code)
    _require_hsa_id("hsa_id", body.hsa_id)
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
        await _load_sampling_unit(
            uow, services, staff, "admin:create_slots", unit_id, for_update=True
        )
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


# --- laboratories ---------------------------------------------------------------------------


class MappingIO(BaseModel):
    product_code: str = Field(min_length=1, max_length=32)
    lab_code: str = Field(min_length=1, max_length=32)
    tube_code: str = Field(min_length=1, max_length=32)
    material: str = Field(min_length=1, max_length=100)


class LaboratoryCreate(BaseModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=200)
    region_code: str = Field(min_length=2, max_length=2)
    label_template_zpl: str | None = Field(default=None, max_length=8000)


class LaboratoryUpdate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    label_template_zpl: str | None = Field(default=None, max_length=8000)
    customers: list[str] = Field(default_factory=list, max_length=500)
    mappings: list[MappingIO] = Field(default_factory=list, max_length=500)


class LaboratoryOut(BaseModel):
    code: str
    name: str
    region_code: str
    label_template_zpl: str | None
    customers: list[str]
    mappings: list[MappingIO]
    retired: bool
    version: int


async def _laboratory_out(uow: UnitOfWork, lab: m.Laboratory) -> LaboratoryOut:
    return LaboratoryOut(
        code=lab.code,
        name=lab.name,
        region_code=lab.region_code,
        label_template_zpl=lab.label_template_zpl,
        customers=await uow.administration.customers(lab.id),
        mappings=[
            MappingIO(
                product_code=x.product_code,
                lab_code=x.lab_code,
                tube_code=x.tube_code,
                material=x.material,
            )
            for x in await uow.administration.mappings(lab.id)
        ],
        retired=lab.retired_at is not None,
        version=lab.version,
    )


async def _load_laboratory(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    action: str,
    code: str,
    *,
    for_update: bool = False,
) -> m.Laboratory:
    """The laboratory, if it exists and lies within the staff member's regions."""
    lab = await uow.administration.laboratory(code, for_update=for_update)
    if lab is None:
        raise ConfigurationNotFound("no such laboratory")
    await guarded(services, staff, action, lambda: require_region(staff.context, lab.region_code))
    return lab


@router.get("/laboratories", operation_id="listLaboratories")
async def list_laboratories(staff: StaffSession, services: ServicesDep) -> list[LaboratoryOut]:
    scope = await scope_of(services, staff, "admin:list_laboratories")
    async with services.uow() as uow:
        return [
            await _laboratory_out(uow, lab)
            for lab in await uow.administration.laboratories(_regions_filter(scope))
        ]


@router.get("/laboratories/{code}", operation_id="getLaboratory")
async def get_laboratory(
    code: str, staff: StaffSession, services: ServicesDep, response: Response
) -> LaboratoryOut:
    await scope_of(services, staff, "admin:get_laboratory")
    async with services.uow() as uow:
        lab = await _load_laboratory(uow, services, staff, "admin:get_laboratory", code)
        out = await _laboratory_out(uow, lab)
    etag(response, out.version)
    return out


@router.post("/laboratories", operation_id="createLaboratory", status_code=201)
async def create_laboratory(
    body: LaboratoryCreate, staff: StaffSession, services: ServicesDep, response: Response
) -> LaboratoryOut:
    await scope_of(services, staff, "admin:create_laboratory")
    _require_known_region(body.region_code)
    await guarded(
        services,
        staff,
        "admin:create_laboratory",
        lambda: require_region(staff.context, body.region_code),
    )
    if body.label_template_zpl is not None:
        validate_label_template(body.label_template_zpl)
    async with services.uow() as uow:
        if await uow.administration.laboratory(body.code) is not None:
            raise InvalidConfiguration("code", "a laboratory with this code exists already")
        lab = m.Laboratory(
            id=uuid.uuid4(),
            code=body.code,
            name=body.name,
            region_code=body.region_code,
            label_template_zpl=body.label_template_zpl,
            version=1,
        )
        await uow.administration.add(lab)
        await audit(uow, services, staff, "create_laboratory", code=lab.code)
        out = await _laboratory_out(uow, lab)
        await uow.commit()
    etag(response, out.version)
    return out


@router.put("/laboratories/{code}", operation_id="updateLaboratory")
async def update_laboratory(
    code: str,
    body: LaboratoryUpdate,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaboratoryOut:
    """Name, label template, customers (care units it may send results to) and the mapping
    from national product codes to the lab's own codes and tubes."""
    await scope_of(services, staff, "admin:update_laboratory")
    if body.label_template_zpl is not None:
        validate_label_template(body.label_template_zpl)
    async with services.uow() as uow:
        lab = await _load_laboratory(
            uow, services, staff, "admin:update_laboratory", code, for_update=True
        )
        check_version(lab.version, if_match)
        units = await uow.administration.care_units_by_hsa(body.customers)
        missing = sorted(set(body.customers) - set(units))
        if missing:
            raise InvalidConfiguration("customers", f"unknown care unit {missing[0]}")
        codes = [x.product_code for x in body.mappings]
        if len(set(codes)) != len(codes):
            raise InvalidConfiguration("mappings", "each national product code once")
        unknown = sorted(set(codes) - await uow.administration.existing_product_codes(codes))
        if unknown:
            raise InvalidConfiguration("mappings", f"no national product code {unknown[0]}")
        lab.name = body.name
        lab.label_template_zpl = body.label_template_zpl
        lab.version += 1
        await uow.administration.set_customers(lab.id, [units[h].id for h in body.customers])
        await uow.administration.set_mappings(lab.id, [x.model_dump() for x in body.mappings])
        await audit(uow, services, staff, "update_laboratory", code=code, version=lab.version)
        out = await _laboratory_out(uow, lab)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/laboratories/{code}/retire", operation_id="retireLaboratory")
async def retire_laboratory(
    code: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> LaboratoryOut:
    """A retired laboratory is chosen for no new sampling; what it analysed stays linked."""
    await scope_of(services, staff, "admin:retire_laboratory")
    async with services.uow() as uow:
        lab = await _load_laboratory(
            uow, services, staff, "admin:retire_laboratory", code, for_update=True
        )
        check_version(lab.version, if_match)
        lab.retired_at = services.now()
        lab.version += 1
        await audit(uow, services, staff, "retire_laboratory", code=code)
        out = await _laboratory_out(uow, lab)
        await uow.commit()
    etag(response, out.version)
    return out


class AnalysisIO(BaseModel):
    analysis: str = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=40)
    reference_range: str | None = Field(default=None, max_length=100)


class ResultTemplateIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    analyses: list[AnalysisIO] = Field(min_length=1, max_length=50)
    default_comment: str | None = Field(default=None, max_length=2000)
    insight: Insight | None = None


class ResultTemplateOut(ResultTemplateIn):
    id: uuid.UUID
    laboratory_code: str
    version: int


def _template_out(template: m.ResultTemplate, lab_code: str) -> ResultTemplateOut:
    return ResultTemplateOut(
        id=template.id,
        laboratory_code=lab_code,
        name=template.name,
        analyses=[AnalysisIO(**a) for a in template.analyses],
        default_comment=template.default_comment,
        insight=template.insight,
        version=template.version,
    )


@router.get("/laboratories/{code}/result-templates", operation_id="listResultTemplates")
async def list_result_templates(
    code: str, staff: StaffSession, services: ServicesDep
) -> list[ResultTemplateOut]:
    await scope_of(services, staff, "admin:list_result_templates")
    async with services.uow() as uow:
        lab = await _load_laboratory(uow, services, staff, "admin:list_result_templates", code)
        return [_template_out(t, code) for t in await uow.administration.result_templates(lab.id)]


@router.post(
    "/laboratories/{code}/result-templates", operation_id="createResultTemplate", status_code=201
)
async def create_result_template(
    code: str, body: ResultTemplateIn, staff: StaffSession, services: ServicesDep
) -> ResultTemplateOut:
    await scope_of(services, staff, "admin:create_result_template")
    async with services.uow() as uow:
        lab = await _load_laboratory(uow, services, staff, "admin:create_result_template", code)
        if any(t.name == body.name for t in await uow.administration.result_templates(lab.id)):
            raise InvalidConfiguration("name", "the laboratory has a template with this name")
        template = m.ResultTemplate(
            id=uuid.uuid4(),
            laboratory_id=lab.id,
            name=body.name,
            analyses=[a.model_dump() for a in body.analyses],
            default_comment=body.default_comment,
            insight=body.insight,
            version=1,
        )
        await uow.administration.add(template)
        await audit(uow, services, staff, "create_result_template", id=template.id)
        await uow.commit()
    return _template_out(template, code)


@router.put("/result-templates/{template_id}", operation_id="updateResultTemplate")
async def update_result_template(
    template_id: uuid.UUID,
    body: ResultTemplateIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> ResultTemplateOut:
    await scope_of(services, staff, "admin:update_result_template")
    async with services.uow() as uow:
        template = await uow.administration.result_template(template_id, for_update=True)
        if template is None:
            raise ConfigurationNotFound("no such result template")
        labs = {lab.id: lab for lab in await uow.administration.laboratories(None)}
        lab = labs[template.laboratory_id]
        await guarded(
            services,
            staff,
            "admin:update_result_template",
            lambda: require_region(staff.context, lab.region_code),
        )
        check_version(template.version, if_match)
        template.name = body.name
        template.analyses = [a.model_dump() for a in body.analyses]
        template.default_comment = body.default_comment
        template.insight = body.insight
        template.version += 1
        await audit(uow, services, staff, "update_result_template", id=template_id)
        out = _template_out(template, lab.code)
        await uow.commit()
    etag(response, out.version)
    return out


# --- national products -------------------------------------------------------------------


class ProductIn(BaseModel):
    code: str = Field(pattern=r"^[A-Z0-9-]{2,32}$")
    name: str = Field(min_length=2, max_length=200)
    material: str = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")


class ProductOut(ProductIn):
    retired: bool
    version: int


def _product_out(p: m.Product) -> ProductOut:
    return ProductOut(
        code=p.code,
        name=p.name,
        material=p.material,
        npu_code=p.npu_code,
        retired=p.retired_at is not None,
        version=p.version,
    )


class ProductUpdate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    material: str = Field(min_length=2, max_length=100)
    npu_code: str | None = Field(default=None, pattern=r"^NPU\d{5}$")


@router.get("/products", operation_id="listProducts")
async def list_products(staff: StaffSession, services: ServicesDep) -> list[ProductOut]:
    await scope_of(services, staff, "admin:list_products")
    async with services.uow() as uow:
        return [_product_out(p) for p in await uow.administration.products()]


async def _central_product(
    uow: UnitOfWork, services: Services, staff: Staff, action: str, code: str
) -> m.Product:
    await guarded(services, staff, action, lambda: require_central(staff.context))
    product = await uow.administration.product(code, for_update=True)
    if product is None:
        raise ConfigurationNotFound("no such product code")
    return product


@router.put("/products/{code}", operation_id="updateProduct")
async def update_product(
    code: str,
    body: ProductUpdate,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProductOut:
    await scope_of(services, staff, "admin:update_product")
    async with services.uow() as uow:
        product = await _central_product(uow, services, staff, "admin:update_product", code)
        check_version(product.version, if_match)
        product.name, product.material, product.npu_code = body.name, body.material, body.npu_code
        product.version += 1
        await audit(uow, services, staff, "update_product", code=code, version=product.version)
        out = _product_out(product)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/products/{code}/retire", operation_id="retireProduct")
async def retire_product(
    code: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> ProductOut:
    """Refused while a current offer contains the product; past orders keep it."""
    await scope_of(services, staff, "admin:retire_product")
    async with services.uow() as uow:
        product = await _central_product(uow, services, staff, "admin:retire_product", code)
        check_version(product.version, if_match)
        offers = await uow.administration.current_offers(None)
        products = await uow.administration.offer_products([o.id for o in offers])
        using = sorted(
            o.catalog_id for o in offers if o.retired_at is None and code in products[o.id]
        )
        if using:
            raise StillInUse(f"offers {', '.join(using)} contain this product")
        product.retired_at = services.now()
        product.version += 1
        await audit(uow, services, staff, "retire_product", code=code)
        out = _product_out(product)
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/products", operation_id="createProduct", status_code=201)
async def create_product(body: ProductIn, staff: StaffSession, services: ServicesDep) -> ProductOut:
    """National product codes: central administrators only."""
    await scope_of(services, staff, "admin:create_product")
    await guarded(services, staff, "admin:create_product", lambda: require_central(staff.context))
    async with services.uow() as uow:
        if await uow.administration.product(body.code) is not None:
            raise InvalidConfiguration("code", "the product code exists already")
        product = m.Product(
            code=body.code,
            name=body.name,
            material=body.material,
            npu_code=body.npu_code,
            version=1,
        )
        await uow.administration.add(product)
        await audit(uow, services, staff, "create_product", code=body.code)
        await uow.commit()
    return ProductOut(**body.model_dump(), retired=False, version=1)


# --- offers -------------------------------------------------------------------------------


class QuestionIO(BaseModel):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    text: str = Field(min_length=2, max_length=500)
    type: Literal["yes_no", "text"]
    required: bool


class OfferAsksIO(BaseModel):
    contact_details: bool = True
    delivery_address: bool = False
    order_key: bool = False
    sampling_datetime: bool = False
    questions: list[QuestionIO] = Field(default_factory=list, max_length=30)


class OfferIn(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    instructions: str = Field(min_length=1, max_length=20000)
    region_code: str = Field(min_length=2, max_length=2)
    sampling_method: Literal["site_booking", "site_drop_in", "home_kit", "anonymous_kit"]
    visibility: Literal["personal", "general", "nationwide"]
    products: list[str] = Field(min_length=1, max_length=30)
    validity_days: int = Field(ge=1, le=730)
    result_care_unit_hsa_id: HsaId
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["F", "M"] | None = None
    usage_limit: int | None = Field(default=None, ge=1, le=1000)
    usage_period_days: int | None = Field(default=None, ge=1, le=3650)
    active_from: date | None = None
    active_until: date | None = None
    asks: OfferAsksIO = Field(default_factory=OfferAsksIO)
    assigning_units: list[str] = Field(default_factory=list, max_length=500)


class OfferOut(OfferIn):
    catalog_id: str
    version: int
    retired: bool


async def _offer_out(uow: UnitOfWork, offer: m.Offer) -> OfferOut:
    products = (await uow.administration.offer_products([offer.id]))[offer.id]
    assigning = (await uow.administration.offer_assigning_units([offer.catalog_id]))[
        offer.catalog_id
    ]
    result_unit = (await uow.administration.care_unit_hsa_ids([offer.result_care_unit_id]))[
        offer.result_care_unit_id
    ]
    return OfferOut(
        catalog_id=offer.catalog_id,
        version=offer.version,
        retired=offer.retired_at is not None,
        name=offer.name,
        instructions=offer.instructions,
        region_code=offer.region_code,
        sampling_method=offer.sampling_method,
        visibility=offer.visibility,
        products=products,
        validity_days=offer.validity_days,
        result_care_unit_hsa_id=result_unit,
        min_age=offer.min_age,
        max_age=offer.max_age,
        sex=offer.sex,
        usage_limit=offer.usage_limit,
        usage_period_days=offer.usage_period_days,
        active_from=offer.active_from,
        active_until=offer.active_until,
        asks=OfferAsksIO(**offer.asks),
        assigning_units=assigning,
    )


async def _validated_offer(uow: UnitOfWork, body: OfferIn) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Checks the definition against the rest of the configuration; returns the result
    unit's id and the assigning units' ids."""
    _require_known_region(body.region_code)
    if body.min_age is not None and body.max_age is not None and body.min_age > body.max_age:
        raise InvalidConfiguration("max_age", "must not be below min_age")
    if body.active_from and body.active_until and body.active_until < body.active_from:
        raise InvalidConfiguration("active_until", "must not be before active_from")
    if (body.usage_limit is None) != (body.usage_period_days is None):
        raise InvalidConfiguration("usage_period_days", "give both usage_limit and its period")
    if body.visibility == "personal" and not body.assigning_units:
        raise InvalidConfiguration("assigning_units", "a personal offer needs assigning units")
    if body.visibility != "personal" and body.assigning_units:
        raise InvalidConfiguration("assigning_units", "only personal offers are assigned")
    if body.sampling_method in ("home_kit",) and not body.asks.delivery_address:
        raise InvalidConfiguration("asks.delivery_address", "a home kit needs a delivery address")
    unknown = sorted(
        set(body.products) - await uow.administration.existing_product_codes(body.products)
    )
    if unknown:
        raise InvalidConfiguration("products", f"no national product code {unknown[0]}")
    units = await uow.administration.care_units_by_hsa(
        [body.result_care_unit_hsa_id, *body.assigning_units]
    )
    result_unit = units.get(body.result_care_unit_hsa_id)
    if result_unit is None or result_unit.retired_at is not None:
        raise InvalidConfiguration("result_care_unit_hsa_id", "no such active care unit")
    for hsa_id in body.assigning_units:
        unit = units.get(hsa_id)
        if unit is None or unit.region_code != body.region_code:
            raise InvalidConfiguration("assigning_units", f"{hsa_id} is no care unit of the region")
    require_performable(
        product_codes=body.products,
        customer_lab_mappings=await uow.administration.customer_lab_mappings(result_unit.id),
    )
    return result_unit.id, [units[h].id for h in body.assigning_units]


def _offer_row(
    body: OfferIn, *, catalog_id: str, version: int, result_unit_id: uuid.UUID, created_by: str
) -> m.Offer:
    return m.Offer(
        id=uuid.uuid4(),
        catalog_id=catalog_id,
        version=version,
        is_current=True,
        region_code=body.region_code,
        name=body.name,
        instructions=sanitize_instructions(body.instructions),
        sampling_method=body.sampling_method,
        visibility=body.visibility,
        asks=body.asks.model_dump(),
        validity_days=body.validity_days,
        result_care_unit_id=result_unit_id,
        min_age=body.min_age,
        max_age=body.max_age,
        sex=body.sex,
        usage_limit=body.usage_limit,
        usage_period_days=body.usage_period_days,
        active_from=body.active_from,
        active_until=body.active_until,
        created_by_hsa_id=created_by,
    )


async def _offer_in_scope(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    catalog_id: str,
    action: str,
    *,
    for_update: bool = False,
) -> m.Offer:
    offer = await uow.administration.current_offer(catalog_id, for_update=for_update)
    if offer is None:
        raise ConfigurationNotFound("no such offer")
    await guarded(
        services, staff, f"admin:{action}", lambda: require_region(staff.context, offer.region_code)
    )
    return offer


async def _save_offer_version(
    uow: UnitOfWork,
    services: Services,
    staff: Staff,
    body: OfferIn,
    *,
    catalog_id: str,
    version: int,
    action: str,
) -> OfferOut:
    result_unit_id, assigning = await _validated_offer(uow, body)
    offer = _offer_row(
        body,
        catalog_id=catalog_id,
        version=version,
        result_unit_id=result_unit_id,
        created_by=staff.context.hsa_id,
    )
    await uow.administration.new_offer_version(offer, body.products)
    await uow.administration.set_assigning_units_for_offer(catalog_id, assigning)
    await audit(uow, services, staff, action, catalog_id=catalog_id, version=version)
    return await _offer_out(uow, offer)


@router.get("/offers", operation_id="listOffersAdmin")
async def list_offers_admin(staff: StaffSession, services: ServicesDep) -> list[OfferOut]:
    scope = await scope_of(services, staff, "admin:list_offers")
    async with services.uow() as uow:
        return [
            await _offer_out(uow, o)
            for o in await uow.administration.current_offers(_regions_filter(scope))
        ]


@router.get("/offers/{catalog_id}", operation_id="getOfferAdmin")
async def get_offer_admin(
    catalog_id: str, staff: StaffSession, services: ServicesDep, response: Response
) -> OfferOut:
    await scope_of(services, staff, "admin:get_offer")
    async with services.uow() as uow:
        offer = await _offer_in_scope(uow, services, staff, catalog_id, "get_offer")
        out = await _offer_out(uow, offer)
    etag(response, out.version)
    return out


@router.post("/offers", operation_id="createOffer", status_code=201)
async def create_offer(
    body: OfferIn, staff: StaffSession, services: ServicesDep, response: Response
) -> OfferOut:
    await scope_of(services, staff, "admin:create_offer")
    await guarded(
        services,
        staff,
        "admin:create_offer",
        lambda: require_region(staff.context, body.region_code),
    )
    async with services.uow() as uow:
        out = await _save_offer_version(
            uow,
            services,
            staff,
            body,
            catalog_id=await uow.administration.next_catalog_id(),
            version=1,
            action="create_offer",
        )
        await uow.commit()
    etag(response, out.version)
    return out


@router.put("/offers/{catalog_id}", operation_id="updateOffer")
async def update_offer(
    catalog_id: str,
    body: OfferIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """Saves a new version of the offer. Orders made from earlier versions keep them."""
    await scope_of(services, staff, "admin:update_offer")
    async with services.uow() as uow:
        current = await _offer_in_scope(
            uow, services, staff, catalog_id, "update_offer", for_update=True
        )
        check_version(current.version, if_match)
        if body.region_code != current.region_code:
            raise InvalidConfiguration("region_code", "an offer stays in its region")
        out = await _save_offer_version(
            uow,
            services,
            staff,
            body,
            catalog_id=catalog_id,
            version=current.version + 1,
            action="update_offer",
        )
        await uow.commit()
    etag(response, out.version)
    return out


@router.post("/offers/{catalog_id}/retire", operation_id="retireOffer")
async def retire_offer(
    catalog_id: str,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """No longer offered to citizens; existing orders and results are unaffected."""
    await scope_of(services, staff, "admin:retire_offer")
    async with services.uow() as uow:
        offer = await _offer_in_scope(
            uow, services, staff, catalog_id, "retire_offer", for_update=True
        )
        check_version(offer.version, if_match)
        offer.retired_at = services.now()
        offer.active_until = services.now().astimezone(ZONE).date() - timedelta(days=1)
        await audit(uow, services, staff, "retire_offer", catalog_id=catalog_id)
        out = await _offer_out(uow, offer)
        await uow.commit()
    etag(response, out.version)
    return out


# --- permissions ---------------------------------------------------------------------------


class PermissionIn(BaseModel):
    staff_hsa_id: HsaId
    permission: str = Field(min_length=2, max_length=40)
    care_unit_hsa_id: HsaId | None = None
    region_code: str | None = Field(default=None, min_length=2, max_length=2)


class PermissionOut(BaseModel):
    id: uuid.UUID
    staff_hsa_id: str
    permission: str
    care_unit_hsa_id: str | None
    region_code: str | None
    granted_by_hsa_id: str
    granted_at: datetime


def _permission_out(p: m.StaffPermission, unit_hsa_id: str | None) -> PermissionOut:
    return PermissionOut(
        id=p.id,
        staff_hsa_id=p.staff_hsa_id,
        permission=p.module,
        care_unit_hsa_id=unit_hsa_id,
        region_code=p.region_code,
        granted_by_hsa_id=p.granted_by_hsa_id,
        granted_at=p.granted_at,
    )


@router.get("/permissions", operation_id="listPermissions")
async def list_permissions(staff: StaffSession, services: ServicesDep) -> list[PermissionOut]:
    scope = await scope_of(services, staff, "admin:list_permissions")
    async with services.uow() as uow:
        unit_ids = None
        if not scope.national:
            units = await uow.administration.care_units_by_hsa(sorted(scope.care_unit_hsa_ids))
            unit_ids = [u.id for u in units.values()]
        rows = await uow.administration.permissions(
            care_unit_ids=unit_ids,
            region_codes=None if scope.national else sorted(scope.region_codes),
        )
    return [_permission_out(p, hsa) for p, hsa in rows]


@router.post("/permissions", operation_id="grantPermission", status_code=201)
async def grant_permission(
    body: PermissionIn, staff: StaffSession, services: ServicesDep
) -> PermissionOut:
    """Grants a permission (behörighet); who granted it and when is kept and audited."""
    await scope_of(services, staff, "admin:grant_permission")
    if body.permission not in GRANTABLE:
        raise InvalidConfiguration("permission", "one of " + ", ".join(sorted(GRANTABLE)))
    _require_hsa_id("staff_hsa_id", body.staff_hsa_id)
    national = body.permission in ("operator", "central_admin")
    regional = body.permission == "region_admin"
    if regional:
        if body.region_code is None:
            raise InvalidConfiguration("region_code", "a regional administrator needs a region")
        _require_known_region(body.region_code)
    async with services.uow() as uow:
        unit = None
        if not national and not regional:
            if body.care_unit_hsa_id is None:
                raise InvalidConfiguration("care_unit_hsa_id", "this permission is per care unit")
            unit = await uow.administration.care_unit(body.care_unit_hsa_id)
            if unit is None:
                raise InvalidConfiguration("care_unit_hsa_id", "no such care unit")
        await guarded(
            services,
            staff,
            "admin:grant_permission",
            lambda: require_grant_right(
                staff.context,
                permission=body.permission,
                region_code=unit.region_code if unit else body.region_code,
                care_unit_hsa_id=unit.hsa_id if unit else None,
            ),
        )
        region = body.region_code if regional else None
        if await uow.administration.active_permission_exists(
            staff_hsa_id=body.staff_hsa_id,
            module=body.permission,
            care_unit_id=unit.id if unit else None,
            region_code=region,
        ):
            raise InvalidConfiguration("permission", "the staff member has this permission already")
        permission = m.StaffPermission(
            id=uuid.uuid4(),
            staff_hsa_id=body.staff_hsa_id,
            module=body.permission,
            care_unit_id=unit.id if unit else None,
            region_code=region,
            granted_by_hsa_id=staff.context.hsa_id,
            granted_at=services.now(),
        )
        await uow.administration.add(permission)
        await audit(
            uow,
            services,
            staff,
            "grant_permission",
            staff_hsa_id=body.staff_hsa_id,
            permission=body.permission,
            care_unit=unit.hsa_id if unit else region or "national",
        )
        await uow.commit()
    return _permission_out(permission, unit.hsa_id if unit else None)


@router.post(
    "/permissions/{permission_id}/revoke", operation_id="revokePermission", status_code=204
)
async def revoke_permission(
    permission_id: uuid.UUID, staff: StaffSession, services: ServicesDep
) -> Response:
    await scope_of(services, staff, "admin:revoke_permission")
    async with services.uow() as uow:
        permission = await uow.administration.permission(permission_id)
        if permission is None or permission.revoked_at is not None:
            raise ConfigurationNotFound("no such active permission")
        unit = None
        if permission.care_unit_id is not None:
            hsa = (await uow.administration.care_unit_hsa_ids([permission.care_unit_id]))[
                permission.care_unit_id
            ]
            unit = await uow.administration.care_unit(hsa)
        await guarded(
            services,
            staff,
            "admin:revoke_permission",
            lambda: require_grant_right(
                staff.context,
                permission=permission.module,
                region_code=unit.region_code if unit else permission.region_code,
                care_unit_hsa_id=unit.hsa_id if unit else None,
            ),
        )
        permission.revoked_at = services.now()
        permission.revoked_by_hsa_id = staff.context.hsa_id
        await audit(
            uow,
            services,
            staff,
            "revoke_permission",
            id=permission_id,
            staff_hsa_id=permission.staff_hsa_id,
        )
        await uow.commit()
    return Response(status_code=204)


# --- help texts ------------------------------------------------------------------------------


class HelpTextIn(BaseModel):
    text_sv: str = Field(min_length=1, max_length=2000)
    text_en: str = Field(min_length=1, max_length=2000)


class HelpTextOut(HelpTextIn):
    key: str
    version: int


@router.put("/help-texts/{key}", operation_id="putHelpText")
async def put_help_text(
    key: Annotated[str, Field(pattern=r"^[a-z0-9_.-]{2,100}$")],
    body: HelpTextIn,
    staff: StaffSession,
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> HelpTextOut:
    """Creates (without If-Match) or changes (with If-Match) the help for one input field."""
    await scope_of(services, staff, "admin:put_help_text")
    await guarded(services, staff, "admin:put_help_text", lambda: require_central(staff.context))
    async with services.uow() as uow:
        text = await uow.administration.help_text(key)
        if text is None:
            text = m.HelpText(
                key=key,
                text_sv=body.text_sv,
                text_en=body.text_en,
                version=1,
                updated_by_hsa_id=staff.context.hsa_id,
            )
            await uow.administration.add(text)
        else:
            check_version(text.version, if_match)
            text.text_sv, text.text_en = body.text_sv, body.text_en
            text.version += 1
            text.updated_by_hsa_id = staff.context.hsa_id
        await audit(uow, services, staff, "put_help_text", key=key)
        out = HelpTextOut(key=key, text_sv=text.text_sv, text_en=text.text_en, version=text.version)
        await uow.commit()
    etag(response, out.version)
    return out


help_router = APIRouter(prefix="/api/staff", tags=["staff"], responses=PROBLEM_RESPONSES)


@help_router.get("/help-texts", operation_id="listHelpTexts")
async def list_help_texts(_staff: StaffSession, services: ServicesDep) -> list[HelpTextOut]:
    """Help for the input fields, shown when the user turns help texts on."""
    async with services.uow() as uow:
        return [
            HelpTextOut(key=t.key, text_sv=t.text_sv, text_en=t.text_en, version=t.version)
            for t in await uow.administration.help_texts()
        ]
