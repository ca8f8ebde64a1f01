"""OpenTelemetry tracing, off unless PEP_TRACING_ENABLED: a span per HTTP request (FastAPI,
by route template), per SQL statement (SQLAlchemy: the statement's text with its
placeholders, never the values), per outgoing HTTP call (httpx: the national services, the
IdP) and per job (api.metrics.instrumented_job). Spans go over OTLP/HTTP to the collector
named by the standard OTEL_EXPORTER_OTLP_ENDPOINT (and OTEL_EXPORTER_OTLP_HEADERS …).

Off, nothing is instrumented and the job spans are the API's no-ops."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.settings import Settings

# Probes and scrapes make no useful traces.
EXCLUDED_URLS = "health/live,health/ready,metrics"


def tracer_provider_for(settings: Settings, *, role: str) -> Any:
    """The SDK's provider exporting over OTLP/HTTP in batches, set as the global one."""
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(
        resource=Resource.create(
            {
                "service.name": settings.tracing_service_name,
                "service.namespace": "egen-provhantering",
                "service.instance.role": role,
                "deployment.environment": settings.environment,
            }
        )
    )
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def instrument(
    *,
    engines: Iterable[AsyncEngine],
    app: FastAPI | None = None,
    tracer_provider: Any = None,
) -> None:
    """Instruments the app (when given), the engines and httpx with `tracer_provider` (the
    global one when None)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    if app is not None:
        FastAPIInstrumentor.instrument_app(
            app, tracer_provider=tracer_provider, excluded_urls=EXCLUDED_URLS
        )
    # One call for all engines: an instrumentor instruments once per process. Its declared
    # range stops below SQLAlchemy 2.1 while it works through the same engine events there
    # (tests/integration/test_operations.py records the statements' spans): the check is
    # skipped, the test guards it.
    SQLAlchemyInstrumentor().instrument(
        engines=[engine.sync_engine for engine in engines],
        tracer_provider=tracer_provider,
        enable_commenter=False,
        skip_dep_check=True,
    )
    HTTPXClientInstrumentor().instrument(tracer_provider=tracer_provider)


def configure_tracing(
    settings: Settings, *, role: str, engines: Iterable[AsyncEngine], app: FastAPI | None = None
) -> bool:
    """The hook the app and the worker call at start-up. True when tracing was turned on."""
    if not settings.tracing_enabled:
        return False
    instrument(engines=engines, app=app, tracer_provider=tracer_provider_for(settings, role=role))
    return True
