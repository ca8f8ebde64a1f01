"""Batches of pre-labelled kits (opersonliga provtagningskit) made by administrators. Kit
numbers are stored as keyed hashes only (as adapters/db/repositories/kits.py does), so a
batch can be listed but its kit numbers never read back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector

_INSERT_BATCH = text(
    "INSERT INTO kit_batches (id, catalog_id, kit_count, created_by_hsa_id, created_at)"
    " VALUES (:id, :catalog_id, :count, :by, :now)"
)
# The kits of a batch in one statement. A drawn kit number or RID that is taken (by a kit, or
# the RID by an order) is skipped; the caller draws again for those.
_INSERT_KITS = text(
    """
    INSERT INTO anonymous_kits (id, kit_hash, rid, catalog_id, batch_id, created_at)
    SELECT gen_random_uuid(), t.kit_hash, t.rid, :catalog_id, :batch_id, :now
      FROM unnest(CAST(:hashes AS bytea[]), CAST(:rids AS varchar[])) AS t(kit_hash, rid)
     WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.rid = t.rid)
    ON CONFLICT DO NOTHING
    RETURNING rid
    """
)
_LIST = text(
    """
    SELECT b.id, b.catalog_id, b.kit_count, b.created_by_hsa_id, b.created_at,
           (SELECT count(*) FROM anonymous_kits k
             WHERE k.batch_id = b.id AND k.registered_at IS NOT NULL) AS registered
      FROM kit_batches b
     WHERE b.catalog_id = :catalog_id
     ORDER BY b.created_at DESC, b.id
    """
)


@dataclass(frozen=True, slots=True)
class KitBatchRow:
    id: uuid.UUID
    catalog_id: str
    kit_count: int
    created_by_hsa_id: str
    created_at: datetime
    registered: int


class KitBatchRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    async def add_batch(
        self, *, batch_id: uuid.UUID, catalog_id: str, count: int, by: str, now: datetime
    ) -> None:
        await self._session.execute(
            _INSERT_BATCH,
            {"id": batch_id, "catalog_id": catalog_id, "count": count, "by": by, "now": now},
        )

    async def add_kits(
        self, *, batch_id: uuid.UUID, catalog_id: str, kits: list[tuple[str, str]], now: datetime
    ) -> set[str]:
        """(kit number, RID) pairs; returns the RIDs of the kits stored (a pair whose kit
        number or RID is taken is not)."""
        rows = await self._session.execute(
            _INSERT_KITS,
            {
                "hashes": [self._protector.lookup_hash("kit:" + number) for number, _ in kits],
                "rids": [rid for _, rid in kits],
                "catalog_id": catalog_id,
                "batch_id": batch_id,
                "now": now,
            },
        )
        return {r.rid for r in rows}

    async def for_offer(self, catalog_id: str) -> list[KitBatchRow]:
        rows = await self._session.execute(_LIST, {"catalog_id": catalog_id})
        return [KitBatchRow(**r._mapping) for r in rows]
