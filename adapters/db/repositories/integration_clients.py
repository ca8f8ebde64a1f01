"""Integration clients: the row read on every integration call and at the token endpoint
(one prepared statement), and the administration of clients (ORM: a low-volume path)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.db.models import CareUnit, IntegrationClient, Laboratory, SamplingUnit
from adapters.db.repositories import Executor, PreparedQuery
from domain.actors import IntegrationActor, IntegrationOrganisation


@dataclass(frozen=True, slots=True)
class ClientCredentials:
    """What the token endpoint and the bearer check read of a client."""

    id: uuid.UUID
    client_id: str
    name: str
    secret_hash: bytes
    scopes: frozenset[str]
    organisation: IntegrationOrganisation
    certificate_thumbprint: str | None
    retired: bool

    def actor(self, granted: frozenset[str]) -> IntegrationActor:
        """The acting client, with the scopes of its token that it still holds (a scope
        taken away since the token was issued is gone at once)."""
        return IntegrationActor(
            client_id=self.client_id,
            organisation=self.organisation,
            scopes=granted & self.scopes,
            name=self.name,
            row_id=self.id,
        )


_CREDENTIALS = PreparedQuery(
    text(
        """
        SELECT c.id, c.client_id, c.name, c.secret_hash, c.scopes, c.laboratory_ids,
               c.sampling_unit_ids, c.care_unit_ids, c.certificate_thumbprint,
               c.retired_at IS NOT NULL AS retired,
               ARRAY(SELECT l.code FROM laboratories l WHERE l.id = ANY (c.laboratory_ids))
                 AS laboratory_codes,
               ARRAY(SELECT u.hsa_id FROM care_units u WHERE u.id = ANY (c.care_unit_ids))
                 AS care_unit_hsa_ids
          FROM integration_clients c
         WHERE c.client_id = :client_id
        """
    )
)


class IntegrationClientReader:
    """The hot read: one statement per integration call."""

    def __init__(self, executor: Executor) -> None:
        self._executor = executor

    async def credentials(self, client_id: str) -> ClientCredentials | None:
        rows = await _CREDENTIALS.fetch(self._executor, client_id=client_id)
        if not rows:
            return None
        r = rows[0]
        return ClientCredentials(
            id=r["id"],
            client_id=r["client_id"],
            name=r["name"],
            secret_hash=bytes(r["secret_hash"]),
            scopes=frozenset(r["scopes"]),
            organisation=IntegrationOrganisation(
                laboratory_ids=frozenset(r["laboratory_ids"]),
                laboratory_codes=frozenset(r["laboratory_codes"]),
                sampling_unit_ids=frozenset(r["sampling_unit_ids"]),
                care_unit_ids=frozenset(r["care_unit_ids"]),
                care_unit_hsa_ids=frozenset(r["care_unit_hsa_ids"]),
            ),
            certificate_thumbprint=r["certificate_thumbprint"],
            retired=bool(r["retired"]),
        )


@dataclass(frozen=True, slots=True)
class OrganisationUnit:
    id: uuid.UUID
    code: str  # laboratory code, or HSA-id of a sampling or care unit
    name: str
    region_code: str


@dataclass(frozen=True, slots=True)
class ClientOrganisation:
    laboratories: list[OrganisationUnit]
    sampling_units: list[OrganisationUnit]
    care_units: list[OrganisationUnit]


class IntegrationClientRepository:
    """Administration of clients, on the unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def listed(self, *, region_codes: Sequence[str] | None) -> list[IntegrationClient]:
        query = select(IntegrationClient).order_by(IntegrationClient.name, IntegrationClient.id)
        if region_codes is not None:
            query = query.where(IntegrationClient.region_code.in_(list(region_codes)))
        return list((await self._session.execute(query)).scalars())

    async def get(
        self, client_id: str, *, region_codes: Sequence[str] | None, for_update: bool = False
    ) -> IntegrationClient | None:
        query = select(IntegrationClient).where(IntegrationClient.client_id == client_id)
        if region_codes is not None:
            query = query.where(IntegrationClient.region_code.in_(list(region_codes)))
        if for_update:
            query = query.with_for_update()
        return (await self._session.execute(query)).scalar_one_or_none()

    async def add(self, client: IntegrationClient) -> None:
        self._session.add(client)
        await self._session.flush()
        # The client's queue starts empty: its head below every sequence number.
        await self._session.execute(
            text("INSERT INTO integration_queue_heads (client_id, head_seq) VALUES (:id, 0)"),
            {"id": client.id},
        )

    async def flush(self) -> None:
        await self._session.flush()

    async def organisations(
        self, clients: Sequence[IntegrationClient]
    ) -> dict[uuid.UUID, ClientOrganisation]:
        """Each client's laboratories, sampling units and care units, by client id: three
        statements for any number of clients."""
        lab_ids = {i for c in clients for i in c.laboratory_ids}
        unit_ids = {i for c in clients for i in c.sampling_unit_ids}
        care_ids = {i for c in clients for i in c.care_unit_ids}
        labs = await self.laboratories_by_id(lab_ids)
        units = await self.sampling_units_by_id(unit_ids)
        cares = await self.care_units_by_id(care_ids)
        return {
            c.id: ClientOrganisation(
                laboratories=[labs[i] for i in c.laboratory_ids if i in labs],
                sampling_units=[units[i] for i in c.sampling_unit_ids if i in units],
                care_units=[cares[i] for i in c.care_unit_ids if i in cares],
            )
            for c in clients
        }

    async def laboratories_by_id(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, OrganisationUnit]:
        if not ids:
            return {}
        rows = await self._session.execute(
            select(Laboratory.id, Laboratory.code, Laboratory.name, Laboratory.region_code).where(
                Laboratory.id.in_(ids)
            )
        )
        return {r.id: OrganisationUnit(r.id, r.code, r.name, r.region_code) for r in rows}

    async def sampling_units_by_id(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, OrganisationUnit]:
        if not ids:
            return {}
        rows = await self._session.execute(
            select(
                SamplingUnit.id, SamplingUnit.hsa_id, SamplingUnit.name, SamplingUnit.region_code
            ).where(SamplingUnit.id.in_(ids))
        )
        return {r.id: OrganisationUnit(r.id, r.hsa_id, r.name, r.region_code) for r in rows}

    async def care_units_by_id(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, OrganisationUnit]:
        if not ids:
            return {}
        rows = await self._session.execute(
            select(CareUnit.id, CareUnit.hsa_id, CareUnit.name, CareUnit.region_code).where(
                CareUnit.id.in_(ids)
            )
        )
        return {r.id: OrganisationUnit(r.id, r.hsa_id, r.name, r.region_code) for r in rows}

    async def laboratories_by_code(self, codes: Sequence[str]) -> dict[str, OrganisationUnit]:
        if not codes:
            return {}
        rows = await self._session.execute(
            select(Laboratory.id, Laboratory.code, Laboratory.name, Laboratory.region_code).where(
                Laboratory.code.in_(list(codes)), Laboratory.retired_at.is_(None)
            )
        )
        return {r.code: OrganisationUnit(r.id, r.code, r.name, r.region_code) for r in rows}

    async def active_sampling_units(
        self, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, OrganisationUnit]:
        if not ids:
            return {}
        rows = await self._session.execute(
            select(
                SamplingUnit.id, SamplingUnit.hsa_id, SamplingUnit.name, SamplingUnit.region_code
            ).where(SamplingUnit.id.in_(list(ids)), SamplingUnit.retired_at.is_(None))
        )
        return {r.id: OrganisationUnit(r.id, r.hsa_id, r.name, r.region_code) for r in rows}

    async def care_units_by_hsa_id(self, hsa_ids: Sequence[str]) -> dict[str, OrganisationUnit]:
        if not hsa_ids:
            return {}
        rows = await self._session.execute(
            select(CareUnit.id, CareUnit.hsa_id, CareUnit.name, CareUnit.region_code).where(
                CareUnit.hsa_id.in_(list(hsa_ids)), CareUnit.retired_at.is_(None)
            )
        )
        return {r.hsa_id: OrganisationUnit(r.id, r.hsa_id, r.name, r.region_code) for r in rows}
