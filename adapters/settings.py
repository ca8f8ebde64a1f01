"""The one settings class. Every knob is read from the environment with the PEP_ prefix
(DATABASE_URL and REDIS_URL keep their conventional names)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me-000000000000"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PEP_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "PEP_DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "PEP_REDIS_URL")
    )
    # Keys in Redis are namespaced so that several test runs can share one server.
    redis_prefix: str = "pep"
    public_base_url: str = "http://localhost:8000"

    # Keyed hash for personnummer look-ups and the key that encrypts stored person data:
    # a database dump alone must not tell who was tested for what.
    secret_key: str = DEVELOPMENT_SECRET
    data_encryption_key: str = DEVELOPMENT_SECRET

    session_idle_timeout_seconds: int = 60 * 60
    session_absolute_timeout_seconds: int = 12 * 60 * 60
    cookie_secure: bool = True
    session_cookie_name: str = "pep_session"

    # OpenID Connect: BankID through the 1177 IdP for citizens, SITHS for staff. With
    # embedded_idp the service itself hosts a development IdP under /idp.
    embedded_idp: bool = True
    citizen_oidc_issuer: str | None = None
    citizen_oidc_client_id: str = "pep-citizen"
    citizen_oidc_client_secret: str = DEVELOPMENT_SECRET
    staff_oidc_issuer: str | None = None
    staff_oidc_client_id: str = "pep-professional"
    staff_oidc_client_secret: str = DEVELOPMENT_SECRET
    idp_key_file: str = "var/idp-signing-key.json"

    # Journal systems allowed to deep-link into offer assignment: issuer → shared secret.
    launch_secrets: dict[str, str] = {"dev-journal": DEVELOPMENT_SECRET}

    # The national services (Inera's service platform, mutual TLS). Unset in development and
    # tests: then the local registers with their test persons and staff are used.
    person_register_url: str | None = None
    hsa_url: str | None = None
    service_platform_logical_address: str = "SE2321000016-PEP"
    tls_client_cert: str | None = None
    tls_client_key: str | None = None
    tls_ca_bundle: str | None = None

    person_cache_max_age_days: int = 5
    person_cache_retention_days: int = 30
    person_register_data_file: str | None = None
    hsa_data_file: str | None = None

    citizen_app_dist: str = "frontend-citizen/dist"
    professional_app_dist: str = "frontend-professional/dist"

    # Per engine; each process has two (units of work, and autocommit reads): size both
    # pools so that workers × 2 × (size + overflow) stays within max_connections. No
    # overflow by default: under load, overflow connections are opened and closed again
    # for every burst, while waiting briefly for a pooled one is cheaper.
    db_pool_size: int = 15
    db_max_overflow: int = 0
    # Overload: a request waits at most this long for a pooled connection, then answers 503
    # `overloaded` with Retry-After (SQLAlchemy's default of 30 s ended in a 500 long after
    # every client had given up).
    db_pool_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Requests one worker process serves at once (api/web/admission.py); one more is
    # answered 503 `overloaded` with Retry-After at once instead of queueing for a
    # connection. Health and metrics are never refused. 0: no limit.
    max_requests_in_flight: int = Field(default=64, ge=0)

    # Label printers the server may send ZPL to over TCP (IP print, port 9100), as
    # "host:port" (JSON list, or comma-separated). Nothing else is ever connected to: a
    # printer is chosen from this list, never typed in (no SSRF).
    network_printers: Annotated[list[str], NoDecode] = []
    network_print_timeout_seconds: float = 5.0

    # Integration clients (OAuth2 client credentials, ADR 7): how long an access token
    # lives, and the leases of order polling (a claimed order comes back when its lease runs
    # out unacknowledged). A client may ask for any lease within the bounds.
    integration_token_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    integration_lease_default_seconds: int = Field(default=120, ge=5)
    integration_lease_max_seconds: int = Field(default=900, ge=5)
    integration_claim_max_batch: int = Field(default=500, ge=1, le=5000)
    # Behind mutual TLS (production): the header in which the TLS terminator passes the
    # verified client certificate's SHA-256 thumbprint (base64url), for tokens bound to it
    # (RFC 8705). None: no binding (development, tests).
    integration_client_cert_header: str | None = None

    # The transactional outbox (domain/outbox.py): events claimed per batch for a lease (a
    # killed worker's claim runs out after it and the events are delivered again), retried
    # with exponential back-off from the base, dead after the last attempt.
    outbox_batch_size: int = Field(default=500, ge=1, le=5000)
    outbox_lease_seconds: int = Field(default=60, ge=1)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_retry_base_seconds: float = Field(default=5.0, gt=0)

    # The citizen's notifications (docs/adr/0009-notifications.md). E-mail goes over SMTP to
    # this relay; without one (development) `make run` starts a local SMTP sink that writes
    # what it receives under var/mail/. SMS goes to an HTTP gateway; without one, to the
    # local gateway (a table). The 1177 inbox is used when its URL is set; otherwise the
    # citizen app's own inbox is the inbox.
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    smtp_from: str = "Egen provhantering <no-reply@egenprovhantering.se>"
    # The domain of the e-mails' Message-IDs.
    smtp_message_id_domain: str = "egenprovhantering.se"
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = None
    sms_sender: str = "1177"
    inbox_1177_url: str | None = None
    # One reminder when a result is still unread this many days after its message.
    reminder_after_days: int = Field(default=3, ge=1, le=60)
    # Deliveries a worker sends at the same time (each holds a connection to its channel).
    notification_concurrency: int = Field(default=10, ge=1, le=200)

    # Operations (docs/operations.md). Logs as one JSON object per line (production) or
    # plain text (development); the bearer token Prometheus must send for /metrics (None:
    # open, development only); OpenTelemetry tracing over OTLP (endpoint and headers from
    # the standard OTEL_EXPORTER_OTLP_* variables); the port a worker serves its metrics on.
    log_format: Literal["text", "json"] = "text"
    metrics_token: str | None = None
    tracing_enabled: bool = False
    tracing_service_name: str = "egen-provhantering"
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)

    @field_validator("network_printers", mode="before")
    @classmethod
    def _printer_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [item.strip() for item in text.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Settings:
        if self.environment == "production":
            for name in (
                "secret_key",
                "data_encryption_key",
                "citizen_oidc_client_secret",
                "staff_oidc_client_secret",
            ):
                if getattr(self, name) == DEVELOPMENT_SECRET:
                    raise ValueError(f"{name} must be set outside development")
            if DEVELOPMENT_SECRET in self.launch_secrets.values():
                raise ValueError("launch_secrets must be set outside development")
            if self.embedded_idp:
                raise ValueError("the embedded identity provider is for development only")
            if not self.citizen_oidc_issuer or not self.staff_oidc_issuer:
                raise ValueError("OIDC issuers must be configured in production")
            if not self.person_register_url or not self.hsa_url:
                raise ValueError("the person register and HSA must be configured in production")
            if not self.smtp_host or not self.sms_gateway_url:
                raise ValueError("SMTP and an SMS gateway must be configured in production")
        return self

    @property
    def citizen_issuer(self) -> str:
        return self.citizen_oidc_issuer or f"{self.public_base_url}/idp/citizen"

    @property
    def staff_issuer(self) -> str:
        return self.staff_oidc_issuer or f"{self.public_base_url}/idp/staff"

    @property
    def async_database_url(self) -> str:
        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not set")
        url = self.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+asyncpg://" + url[len(prefix) :]
        return url


@lru_cache
def get_settings() -> Settings:
    return Settings()
