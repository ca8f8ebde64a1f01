from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector


@dataclass(frozen=True, slots=True)
class KitRow:
    id: uuid.UUID
    rid: str
    catalog_id: str
    registered_at: datetime | None


class KitRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    def _hash(self, kit_number: str) -> bytes:
        return self._protector.lookup_hash("kit:" + kit_number)

    async def create(self, *, kit_number: str, rid: str, catalog_id: str) -> uuid.UUID:
        kit_id = uuid.uuid4()
        await self._session.execute(
            text(
                "INSERT INTO anonymous_kits (id, kit_hash, rid, catalog_id)"
                " VALUES (:id, :hash, :rid, :catalog_id)"
            ),
            {"id": kit_id, "hash": self._hash(kit_number), "rid": rid, "catalog_id": catalog_id},
        )
        return kit_id

    async def find(self, kit_number: str) -> KitRow | None:
        row = (
            await self._session.execute(
                text(
                    "SELECT id, rid, catalog_id, registered_at FROM anonymous_kits"
                    " WHERE kit_hash = :hash"
                ),
                {"hash": self._hash(kit_number)},
            )
        ).one_or_none()
        return None if row is None else KitRow(**row._mapping)

    async def mark_registered(self, kit_id: uuid.UUID, *, now: datetime) -> bool:
        """True for the one registration that wins; a kit is bound to a citizen once."""
        return (
            await self._session.execute(
                text(
                    "UPDATE anonymous_kits SET registered_at = :now"
                    " WHERE id = :id AND registered_at IS NULL RETURNING id"
                ),
                {"id": kit_id, "now": now},
            )
        ).scalar_one_or_none() is not None
