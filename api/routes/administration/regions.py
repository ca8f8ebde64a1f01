"""Regions (read-only: Sweden's 21)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.routes.administration.common import (
    scope_of,
)
from api.web.deps import ServicesDep, StaffSession
from domain.regions import REGIONS

router = APIRouter()


class RegionOut(BaseModel):
    code: str
    name: str


@router.get("/regions", operation_id="listRegions")
async def list_regions(staff: StaffSession, services: ServicesDep) -> list[RegionOut]:
    await scope_of(services, staff, "admin:list_regions")
    return [RegionOut(code=c, name=n) for c, n in REGIONS.items()]
