from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from adapters.db.repositories.kit_batches import KitBatchRow
from api.administration.kits.usecases import NewKitBatch
from api.web.schemas import RequestModel
from domain.codes import formatted

MAX_KITS_PER_BATCH = 5000


class KitBatchIn(RequestModel):
    catalog_id: str = Field(min_length=1, max_length=32)
    count: int = Field(ge=1, le=MAX_KITS_PER_BATCH)


class KitOut(BaseModel):
    kit_number: str
    rid: str


class KitBatchCreated(BaseModel):
    batch_id: uuid.UUID
    catalog_id: str
    offer_name: str
    created_at: datetime
    kits: list[KitOut] = Field(
        description="Shown this once: kit numbers are stored only as hashes and cannot be "
        "read back. Print or save the list now."
    )

    @classmethod
    def of(cls, batch: NewKitBatch) -> KitBatchCreated:
        return cls(
            batch_id=batch.batch_id,
            catalog_id=batch.catalog_id,
            offer_name=batch.offer_name,
            created_at=batch.created_at,
            kits=[KitOut(kit_number=formatted(n), rid=formatted(r)) for n, r in batch.kits],
        )


class KitBatchOut(BaseModel):
    batch_id: uuid.UUID
    catalog_id: str
    kit_count: int
    registered: int
    created_by_hsa_id: str
    created_at: datetime

    @classmethod
    def of(cls, row: KitBatchRow) -> KitBatchOut:
        return cls(
            batch_id=row.id,
            catalog_id=row.catalog_id,
            kit_count=row.kit_count,
            registered=row.registered,
            created_by_hsa_id=row.created_by_hsa_id,
            created_at=row.created_at,
        )
