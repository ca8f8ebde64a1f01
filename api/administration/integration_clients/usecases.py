"""Integration clients, administered by central and regional administrators (operators too):
create one (its secret shown once), list, change scopes, organisation and certificate,
rotate the secret (shown once), retire. Organisation units must lie in the client's region
unless the administrator is national."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from adapters.db.models import IntegrationClient
from adapters.db.repositories.integration_clients import ClientOrganisation, OrganisationUnit
from adapters.db.uow import UnitOfWork
from adapters.integration_tokens import IntegrationTokens, new_client_id, new_client_secret
from api.administration.editing import edit, record_change
from domain.access import admin_scope
from domain.actors import IntegrationOrganisation, StaffActor
from domain.administration import require_known_region, require_region
from domain.integration import (
    ClientOrganisationIds,
    IntegrationClientNotFound,
    Scope,
    UnknownOrganisationUnit,
    check_organisation,
    check_scopes,
)


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """What an administrator sets: scopes and the organisation, by laboratory codes,
    sampling unit ids and care unit HSA-ids."""

    name: str
    scopes: Sequence[str]
    laboratory_codes: Sequence[str]
    sampling_unit_ids: Sequence[uuid.UUID]
    care_unit_hsa_ids: Sequence[str]
    certificate_thumbprint: str | None = None


@dataclass(frozen=True, slots=True)
class ClientView:
    client: IntegrationClient
    organisation: ClientOrganisation
    # Only when just created or rotated: the one time the secret is ever shown.
    secret: str | None = None


async def _views(uow: UnitOfWork, clients: Sequence[IntegrationClient]) -> list[ClientView]:
    organisations = await uow.integration_clients.organisations(clients)
    return [ClientView(client=c, organisation=organisations[c.id]) for c in clients]


async def _view(
    uow: UnitOfWork, client: IntegrationClient, secret: str | None = None
) -> ClientView:
    view = (await _views(uow, [client]))[0]
    return ClientView(client=view.client, organisation=view.organisation, secret=secret)


def _regions(actor: StaffActor) -> list[str] | None:
    scope = admin_scope(actor.context)
    return None if scope.national else sorted(scope.region_codes)


async def _client(
    uow: UnitOfWork, actor: StaffActor, client_id: str, *, for_update: bool = False
) -> IntegrationClient | None:
    return await uow.integration_clients.get(
        client_id, region_codes=_regions(actor), for_update=for_update
    )


async def _resolve(
    uow: UnitOfWork, actor: StaffActor, region_code: str, settings: ClientSettings
) -> ClientOrganisationIds:
    """The organisation's ids; every unit must exist, be in use and — unless the
    administrator is national — lie in the client's region."""
    labs = await uow.integration_clients.laboratories_by_code(list(settings.laboratory_codes))
    units = await uow.integration_clients.active_sampling_units(list(settings.sampling_unit_ids))
    cares = await uow.integration_clients.care_units_by_hsa_id(list(settings.care_unit_hsa_ids))
    national = admin_scope(actor.context).national

    def check(field: str, wanted: Sequence[object], got: dict[object, OrganisationUnit]) -> None:
        for key in wanted:
            unit = got.get(key)
            if unit is None or not (national or unit.region_code == region_code):
                raise UnknownOrganisationUnit(
                    field, f"no such unit in region {region_code}: {key}", code="unknown_unit"
                )

    check("laboratory_codes", settings.laboratory_codes, labs)  # type: ignore[arg-type]
    check("sampling_unit_ids", settings.sampling_unit_ids, units)  # type: ignore[arg-type]
    check("care_unit_hsa_ids", settings.care_unit_hsa_ids, cares)  # type: ignore[arg-type]
    organisation = ClientOrganisationIds(
        laboratory_ids=tuple(dict.fromkeys(labs[c].id for c in settings.laboratory_codes)),
        sampling_unit_ids=tuple(dict.fromkeys(settings.sampling_unit_ids)),
        care_unit_ids=tuple(dict.fromkeys(cares[h].id for h in settings.care_unit_hsa_ids)),
    )
    check_organisation(organisation)
    return organisation


def _as_seen(client: IntegrationClient) -> IntegrationOrganisation:
    return IntegrationOrganisation(
        laboratory_ids=frozenset(client.laboratory_ids),
        sampling_unit_ids=frozenset(client.sampling_unit_ids),
        care_unit_ids=frozenset(client.care_unit_ids),
    )


async def _requeue(uow: UnitOfWork, client: IntegrationClient) -> None:
    """The client's queue holds exactly the waiting orders it sees (after creation or a
    change of organisation or scopes)."""
    if client.retired_at is None and Scope.ORDERS_READ.value in client.scopes:
        await uow.integration_deliveries.enqueue_visible(client.id, _as_seen(client))
    else:
        await uow.integration_deliveries.forget_all(client.id)


async def list_clients(*, uow: UnitOfWork, actor: StaffActor) -> list[ClientView]:
    return await _views(uow, await uow.integration_clients.listed(region_codes=_regions(actor)))


async def get_client(*, uow: UnitOfWork, actor: StaffActor, client_id: str) -> ClientView:
    client = await _client(uow, actor, client_id)
    if client is None:
        raise IntegrationClientNotFound("no such integration client")
    return await _view(uow, client)


async def create_client(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    tokens: IntegrationTokens,
    region_code: str,
    settings: ClientSettings,
) -> ClientView:
    require_known_region(region_code)
    require_region(actor.context, region_code)
    scopes = check_scopes(settings.scopes)
    organisation = await _resolve(uow, actor, region_code, settings)
    secret = new_client_secret()
    client = IntegrationClient(
        client_id=new_client_id(),
        name=settings.name,
        region_code=region_code,
        secret_hash=tokens.hash_secret(secret),
        scopes=list(scopes),
        laboratory_ids=list(organisation.laboratory_ids),
        sampling_unit_ids=list(organisation.sampling_unit_ids),
        care_unit_ids=list(organisation.care_unit_ids),
        certificate_thumbprint=settings.certificate_thumbprint,
        created_at=now,
        created_by_hsa_id=actor.hsa_id,
        secret_rotated_at=now,
        version=1,
    )
    await uow.integration_clients.add(client)
    await _requeue(uow, client)
    await record_change(
        uow,
        actor=actor,
        now=now,
        action="create_integration_client",
        client_id=client.client_id,
        scopes=" ".join(scopes),
    )
    view = await _view(uow, client, secret)
    await uow.commit()
    return view


async def update_client(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    client_id: str,
    expected_version: int | None,
    settings: ClientSettings,
) -> ClientView:
    client = await _client(uow, actor, client_id, for_update=True)

    async def change(c: IntegrationClient) -> IntegrationClient:
        scopes = check_scopes(settings.scopes)
        organisation = await _resolve(uow, actor, c.region_code, settings)
        c.name = settings.name
        c.scopes = list(scopes)
        c.laboratory_ids = list(organisation.laboratory_ids)
        c.sampling_unit_ids = list(organisation.sampling_unit_ids)
        c.care_unit_ids = list(organisation.care_unit_ids)
        c.certificate_thumbprint = settings.certificate_thumbprint
        await uow.integration_clients.flush()
        await _requeue(uow, c)
        return c

    return await edit(
        uow,
        client,
        what="integration client",
        actor=actor,
        now=now,
        action="update_integration_client",
        expected_version=expected_version,
        authorize=None,
        change=change,
        details=lambda c: {"client_id": c.client_id, "scopes": " ".join(c.scopes)},
        view=lambda c: _view(uow, c),
    )


async def rotate_secret(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    tokens: IntegrationTokens,
    client_id: str,
    expected_version: int | None,
) -> ClientView:
    """A new secret, shown once; the old one stops working at once (tokens already issued
    run out within their short lifetime)."""
    client = await _client(uow, actor, client_id, for_update=True)
    secret = new_client_secret()

    async def change(c: IntegrationClient) -> IntegrationClient:
        c.secret_hash = tokens.hash_secret(secret)
        c.secret_rotated_at = now
        return c

    return await edit(
        uow,
        client,
        what="integration client",
        actor=actor,
        now=now,
        action="rotate_integration_client_secret",
        expected_version=expected_version,
        authorize=None,
        change=change,
        details=lambda c: {"client_id": c.client_id},
        view=lambda c: _view(uow, c, secret),
    )


async def retire_client(
    *,
    uow: UnitOfWork,
    actor: StaffActor,
    now: datetime,
    client_id: str,
    expected_version: int | None,
) -> ClientView:
    """A retired client gets no token, and its tokens stop working at once."""
    client = await _client(uow, actor, client_id, for_update=True)

    async def change(c: IntegrationClient) -> IntegrationClient:
        c.retired_at = now
        await uow.integration_clients.flush()
        await _requeue(uow, c)
        return c

    return await edit(
        uow,
        client,
        what="integration client",
        actor=actor,
        now=now,
        action="retire_integration_client",
        expected_version=expected_version,
        authorize=None,
        change=change,
        details=lambda c: {"client_id": c.client_id},
        view=lambda c: _view(uow, c),
    )
