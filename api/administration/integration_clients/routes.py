"""Integration clients (machines of the integration API, ADR 7) in the administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.administration.access import Administrator, admin_access, administer
from api.administration.integration_clients import usecases
from api.administration.integration_clients.schemas import (
    ClientCreate,
    ClientSettingsIn,
    IntegrationClientOut,
)
from api.web.deps import ServicesDep
from api.web.etag import IfMatch, optional_version, set_etag

router = APIRouter()


def _no_store(response: Response) -> None:
    # The answer may carry the secret, shown this once.
    response.headers["Cache-Control"] = "no-store"


@router.get("/integration-clients", operation_id="listIntegrationClients")
async def list_clients(
    admin: Annotated[Administrator, Depends(admin_access("list_integration_clients"))],
    services: ServicesDep,
) -> list[IntegrationClientOut]:
    views = await administer(
        services, admin, lambda uow: usecases.list_clients(uow=uow, actor=admin.actor)
    )
    return [IntegrationClientOut.of(v) for v in views]


@router.get("/integration-clients/{client_id}", operation_id="getIntegrationClient")
async def get_client(
    client_id: str,
    admin: Annotated[Administrator, Depends(admin_access("get_integration_client"))],
    services: ServicesDep,
    response: Response,
) -> IntegrationClientOut:
    view = await administer(
        services,
        admin,
        lambda uow: usecases.get_client(uow=uow, actor=admin.actor, client_id=client_id),
    )
    set_etag(response, view.client.version)
    return IntegrationClientOut.of(view)


@router.post("/integration-clients", operation_id="createIntegrationClient", status_code=201)
async def create_client(
    body: ClientCreate,
    admin: Annotated[Administrator, Depends(admin_access("create_integration_client"))],
    services: ServicesDep,
    response: Response,
) -> IntegrationClientOut:
    """A new client with its scopes and organisation. The answer carries `client_secret`:
    the only time it is shown."""
    view = await administer(
        services,
        admin,
        lambda uow: usecases.create_client(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            tokens=services.integration_tokens,
            region_code=body.region_code,
            settings=body.settings(),
        ),
    )
    set_etag(response, view.client.version)
    _no_store(response)
    return IntegrationClientOut.of(view)


@router.put("/integration-clients/{client_id}", operation_id="updateIntegrationClient")
async def update_client(
    client_id: str,
    body: ClientSettingsIn,
    admin: Annotated[Administrator, Depends(admin_access("update_integration_client"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> IntegrationClientOut:
    """Name, scopes, organisation (laboratory codes, sampling unit ids, care unit HSA-ids,
    within the client's region) and the bound certificate. Takes effect on the client's
    next call."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.update_client(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            client_id=client_id,
            expected_version=expected,
            settings=body.settings(),
        ),
    )
    set_etag(response, view.client.version)
    return IntegrationClientOut.of(view)


@router.post(
    "/integration-clients/{client_id}/rotate-secret", operation_id="rotateIntegrationClientSecret"
)
async def rotate_secret(
    client_id: str,
    admin: Annotated[Administrator, Depends(admin_access("rotate_integration_client_secret"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> IntegrationClientOut:
    """A new secret, in this answer only; the old one stops working at once."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.rotate_secret(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            tokens=services.integration_tokens,
            client_id=client_id,
            expected_version=expected,
        ),
    )
    set_etag(response, view.client.version)
    _no_store(response)
    return IntegrationClientOut.of(view)


@router.post("/integration-clients/{client_id}/retire", operation_id="retireIntegrationClient")
async def retire_client(
    client_id: str,
    admin: Annotated[Administrator, Depends(admin_access("retire_integration_client"))],
    services: ServicesDep,
    response: Response,
    if_match: IfMatch = None,
) -> IntegrationClientOut:
    """The client gets no more tokens and its tokens stop working at once."""
    expected = optional_version(if_match)
    view = await administer(
        services,
        admin,
        lambda uow: usecases.retire_client(
            uow=uow,
            actor=admin.actor,
            now=services.now(),
            client_id=client_id,
            expected_version=expected,
        ),
    )
    set_etag(response, view.client.version)
    return IntegrationClientOut.of(view)
