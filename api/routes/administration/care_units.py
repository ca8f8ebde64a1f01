"""Care units: result recipients, assignable offers, worklist configuration."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adapters.db import models as m
from adapters.db.uow import UnitOfWork
from api.routes.administration.common import (
    HsaId,
    IfMatch,
    Insight,
    audit,
    check_version,
    etag,
    guarded,
    require_hsa_id,
    require_known_region,
    scope_of,
)
from api.web.deps import ServicesDep, StaffSession
from domain.administration import (
    ConfigurationNotFound,
    InvalidConfiguration,
    StillInUse,
    require_active,
    require_care_unit,
    require_region,
)
from domain.regions import REGIONS

router = APIRouter()


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
    require_known_region(body.region_code)
    require_hsa_id("hsa_id", body.hsa_id)
    require_hsa_id("care_giver_hsa_id", body.care_giver_hsa_id)
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
        require_active(unit.retired_at, "care unit")
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
        require_active(unit.retired_at, "care unit")
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
