from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.care_units import usecases
from api.administration.care_units.schemas import (
    CareUnitCreate,
    CareUnitOut,
    CareUnitSummary,
    CareUnitUpdate,
)
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag

router = APIRouter()


@router.get("/care-units", operation_id="listAdministeredCareUnits")
async def list_care_units(
    admin: Annotated[Administrator, Depends(admin_access("list_care_units"))],
    services: ServicesDep,
) -> list[CareUnitSummary]:
    """Care units the staff member may administer: own units for a unit administrator, the
    region for a regional administrator, all for operators and central administrators."""
    rows = await administer(
        services, admin, lambda uow: usecases.list_care_units(uow=uow, actor=admin.actor)
    )
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


@router.get("/care-units/{hsa_id}", operation_id="getCareUnit")
async def get_care_unit(
    hsa_id: str,
    admin: Annotated[Administrator, Depends(admin_access("get_care_unit"))],
    services: ServicesDep,
    response: Response,
) -> CareUnitOut:
    view = await administer(
        services,
        admin,
        lambda uow: usecases.get_care_unit(uow=uow, actor=admin.actor, hsa_id=hsa_id),
    )
    set_etag(response, view.unit.version)
    return CareUnitOut.of(view)


@router.post("/care-units", operation_id="createCareUnit", status_code=201)
async def create_care_unit(
    body: CareUnitCreate,
    admin: Annotated[Administrator, Depends(admin_access("create_care_unit"))],
    services: ServicesDep,
    response: Response,
) -> CareUnitOut:
    new = usecases.NewCareUnit(
        hsa_id=body.hsa_id,
        name=body.name,
        region_code=body.region_code,
        care_giver_hsa_id=body.care_giver_hsa_id,
        care_giver_name=body.care_giver_name,
        result_recipient_hsa_id=body.result_recipient_hsa_id,
        worklist_insights=body.worklist_insights,
    )
    view = await administer(
        services,
        admin,
        lambda uow: usecases.create_care_unit(
            uow=uow, actor=admin.actor, now=services.now(), new=new
        ),
    )
    set_etag(response, view.unit.version)
    return CareUnitOut.of(view)


@router.put("/care-units/{hsa_id}", operation_id="updateCareUnit")
async def update_care_unit(
    hsa_id: str,
    body: CareUnitUpdate,
    admin: Annotated[Administrator, Depends(admin_access("update_care_unit"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> CareUnitOut:
    change = usecases.CareUnitChange(
        name=body.name,
        care_giver_name=body.care_giver_name,
        result_recipient_hsa_id=body.result_recipient_hsa_id,
        worklist_insights=body.worklist_insights,
        assignable_offers=body.assignable_offers,
    )
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.update_care_unit(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            hsa_id=hsa_id,
            expected_version=expected,
            change=change,
        ),
    )
    set_etag(response, view.unit.version)
    return CareUnitOut.of(view)


@router.post("/care-units/{hsa_id}/retire", operation_id="retireCareUnit")
async def retire_care_unit(
    hsa_id: str,
    admin: Annotated[Administrator, Depends(admin_access("retire_care_unit"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> CareUnitOut:
    """Retired, not deleted: orders and results keep referring to it."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.retire_care_unit(
            uow=uow, actor=admin.actor, now=services.now(), hsa_id=hsa_id, expected_version=expected
        ),
    )
    set_etag(response, view.unit.version)
    return CareUnitOut.of(view)
