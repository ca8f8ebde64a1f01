from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.administration.access import Administrator, admin_access, administer
from api.administration.kits import usecases
from api.administration.kits.schemas import KitBatchCreated, KitBatchIn, KitBatchOut
from api.web.deps import ServicesDep

router = APIRouter()


@router.post("/kit-batches", operation_id="createKitBatch", status_code=201)
async def create_kit_batch(
    body: KitBatchIn,
    admin: Annotated[Administrator, Depends(admin_access("create_kit_batch"))],
    services: ServicesDep,
) -> KitBatchCreated:
    """Pre-labelled kits for an anonymous-kit offer of the administrator's regions: kit
    numbers and RIDs to print on the kits, answered this once."""
    batch = await administer(
        services,
        admin,
        lambda uow: usecases.create_kit_batch(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            catalog_id=body.catalog_id,
            count=body.count,
        ),
    )
    return KitBatchCreated.of(batch)


@router.get("/kit-batches", operation_id="listKitBatches")
async def list_kit_batches(
    catalog_id: Annotated[str, Query(min_length=1, max_length=32)],
    admin: Annotated[Administrator, Depends(admin_access("list_kit_batches"))],
    services: ServicesDep,
) -> list[KitBatchOut]:
    """The offer's kit batches, newest first (counts only: kit numbers are not kept)."""
    batches = await administer(
        services,
        admin,
        lambda uow: usecases.list_kit_batches(uow=uow, actor=admin.actor, catalog_id=catalog_id),
    )
    return [KitBatchOut.of(b) for b in batches]
