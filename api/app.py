"""The FastAPI application: routers, error mapping, the embedded IdP (development), and
the two SPAs."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import Depends, FastAPI

from adapters.hsa.local import LocalHsaDirectory
from adapters.identity.embedded_idp.app import RegisteredClient, TestIdentity, create_idp
from adapters.identity.embedded_idp.keys import load_or_create_signing_key
from adapters.person_register.local import LocalPersonRegister
from adapters.settings import Settings, get_settings
from api import administration
from api.assignment import routes as assignment
from api.auth import routes as auth
from api.contact_details import routes as contact_details
from api.contact_tracing import routes as contact_tracing
from api.fhir import routes as fhir
from api.health import routes as health
from api.inbox import routes as inbox
from api.integration import routes as integration
from api.kits import routes as kits
from api.labels import routes as labels
from api.metrics import instrument_engine, process_exited
from api.metrics import routes as metrics
from api.metrics.middleware import MetricsMiddleware
from api.order_receipt import routes as order_receipt
from api.ordering import routes as ordering
from api.outbox import routes as outbox
from api.profile import routes as profile
from api.result_registration import routes as result_registration
from api.results import routes as results
from api.results_intake import routes as results_intake
from api.sampling import routes as sampling
from api.services import Services, build_services
from api.spa import SinglePageApp
from api.staff_context import routes as staff_context
from api.tracing import configure_tracing
from api.treatment_responsibility import routes as treatment_responsibility
from api.web.admission import AdmissionLimit
from api.web.errors import install_error_handlers
from api.web.parameters import refuse_control_characters
from api.web.request_context import RequestContextMiddleware
from api.worklist import routes as worklist


def create_app(
    settings: Settings | None = None,
    *,
    services: Services | None = None,
    oidc_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    services = services or build_services(settings, oidc_transport=oidc_transport)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await services.aclose()
        process_exited(os.getpid())

    app = FastAPI(
        title="Egen provhantering",
        version="0.1.0",
        description="Self-managed lab sampling: citizen and professional APIs.",
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry off: api/tracing.py instruments the app when tracing is
        # on (its spans would come twice), and off it still asked the global providers on
        # every request whether to record (≈ 2 % of a hot read's CPU, issue 12 part 3).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
        # Path and query parameters follow the text rule of every request body.
        dependencies=[Depends(refuse_control_characters)],
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        openapi_tags=[
            *integration.OPENAPI_TAGS,
            *results_intake.OPENAPI_TAGS,
            *fhir.OPENAPI_TAGS,
        ],
    )
    app.state.services = services
    # Innermost: a refusal carries the request id and the security headers.
    app.add_middleware(AdmissionLimit, limit=settings.max_requests_in_flight)
    app.add_middleware(
        RequestContextMiddleware,
        strict_transport_security=settings.environment == "production",
    )
    # Outermost: times the whole answer, the request context included.
    app.add_middleware(MetricsMiddleware)
    instrument_engine(services.engine, "uow")
    instrument_engine(services.read_engine, "read")
    install_error_handlers(app)
    # FastAPI tries the routers in this order, route by route (≈ 3 µs per route passed on
    # this FastAPI): the probes first, then the citizen's hottest reads and ordering, then
    # the rest.
    for module in (
        health,
        metrics,
        profile,
        ordering,
        auth,
        kits,
        results,
        inbox,
        contact_details,
        staff_context,
        assignment,
        labels,
        order_receipt,
        sampling,
        result_registration,
        worklist,
        treatment_responsibility,
        contact_tracing,
        results_intake,
        fhir,
        outbox,
        administration,
        integration,
    ):
        app.include_router(module.router)
    app.include_router(integration.token_router)
    app.include_router(administration.help_router)
    app.include_router(treatment_responsibility.deep_link_router)
    if settings.embedded_idp:
        _mount_embedded_idp(app, services)
    _mount_spas(app, settings)
    configure_tracing(
        settings, role="api", engines=(services.engine, services.read_engine), app=app
    )
    return app


def _mount_embedded_idp(app: FastAPI, services: Services) -> None:
    settings = services.settings
    key = load_or_create_signing_key(settings.idp_key_file)
    register, hsa = services.person_register, services.hsa
    # The embedded IdP offers exactly the test identities the local registers know.
    assert isinstance(register, LocalPersonRegister)
    assert isinstance(hsa, LocalHsaDirectory)
    citizens = [
        TestIdentity(
            key=p.key,
            label=p.label,
            claims={
                "sub": p.person.personnummer.value,
                "personal_identity_number": p.person.personnummer.value,
                "given_name": p.person.given_name,
                "family_name": p.person.family_name,
            },
        )
        for p in register.entries.values()
    ]
    staff = [
        TestIdentity(
            key=s.key,
            label=s.label,
            claims={
                "sub": s.staff.hsa_id,
                "employeeHsaId": s.staff.hsa_id,
                "given_name": s.staff.given_name,
                "family_name": s.staff.family_name,
            },
        )
        for s in hsa.entries.values()
    ]
    base = settings.public_base_url
    for realm, title, identities, client_id, secret in (
        (
            "citizen",
            "Logga in med BankID (test)",
            citizens,
            settings.citizen_oidc_client_id,
            settings.citizen_oidc_client_secret,
        ),
        (
            "staff",
            "Logga in med SITHS (test)",
            staff,
            settings.staff_oidc_client_id,
            settings.staff_oidc_client_secret,
        ),
    ):
        app.mount(
            f"/idp/{realm}",
            create_idp(
                issuer=f"{base}/idp/{realm}",
                title=title,
                identities=identities,
                clients=[
                    RegisteredClient(
                        client_id=client_id,
                        client_secret=secret,
                        redirect_uris=(f"{base}/auth/{realm}/callback",),
                    )
                ],
                signing_key=key,
                redis=services.redis,
                redis_prefix=settings.redis_prefix,
            ),
        )


def _mount_spas(app: FastAPI, settings: Settings) -> None:
    professional = Path(settings.professional_app_dist)
    citizen = Path(settings.citizen_app_dist)
    if (professional / "index.html").exists():
        app.mount("/pro", SinglePageApp(professional), name="professional-app")
    if (citizen / "index.html").exists():
        app.mount("/", SinglePageApp(citizen), name="citizen-app")
