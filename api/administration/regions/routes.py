from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.administration.access import Administrator, admin_access
from api.administration.regions import usecases
from api.administration.regions.schemas import RegionOut

router = APIRouter()


@router.get("/regions", operation_id="listRegions")
async def list_regions(
    _admin: Annotated[Administrator, Depends(admin_access("list_regions"))],
) -> list[RegionOut]:
    return [RegionOut(code=code, name=name) for code, name in usecases.list_regions()]
