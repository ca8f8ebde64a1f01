from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import ServicesDep, StaffSession, record_refusal
from api.problems import PROBLEM_RESPONSES
from domain.access import admin_scope
from domain.errors import NotPermitted

router = APIRouter(prefix="/api/admin", tags=["administration"], responses=PROBLEM_RESPONSES)


class CareUnitSummary(BaseModel):
    hsa_id: str
    name: str
    region_code: str
    region_name: str
    care_giver_name: str
    retired: bool


class NoAdministrationPermission(NotPermitted):
    pass


@router.get("/care-units", operation_id="listAdministeredCareUnits")
async def list_care_units(staff: StaffSession, services: ServicesDep) -> list[CareUnitSummary]:
    """Care units the staff member may administer: own units for a unit administrator, the
    region for a regional administrator, all for operators and central administrators."""
    scope = admin_scope(staff.context)
    if not scope.any:
        error = NoAdministrationPermission("no administrator permission")
        await record_refusal(services, staff, action="admin:list_care_units", error=error)
        raise error
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
