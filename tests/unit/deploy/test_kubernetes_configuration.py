"""The Kubernetes manifests configure every setting of adapters/settings.py, keep secrets out
of the repository, and make a configuration the production checks accept. (Schema and
security validation of the rendered manifests: `make validate-deploy`.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.settings import Settings

BASE = Path(__file__).resolve().parents[3] / "deploy" / "k8s" / "base"
# Settings that production leaves unset on purpose, each with the reason.
UNSET_IN_PRODUCTION = {
    "PEP_IDP_KEY_FILE": "the development IdP's key; production logs in with 1177 and SITHS",
    "PEP_PERSON_REGISTER_DATA_FILE": "the local register's test persons (development)",
    "PEP_HSA_DATA_FILE": "the local HSA's test staff (development)",
    "PEP_MAIL_SINK_DIR": "the development mail sink; production sends through PEP_SMTP_HOST",
    "PEP_INTEGRATION_CLIENT_CERT_HEADER": "set once the TLS terminator verifies integration "
    "clients' certificates and passes their thumbprint (RFC 8705)",
    "PEP_INBOX_1177_URL": "set once the 1177 inbox is contracted; until then the app's inbox",
}


def _documents(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((BASE / name).read_text()) if d]


def _container(name: str, kind: str) -> dict[str, Any]:
    document = next(d for d in _documents(name) if d["kind"] == kind)
    return dict(document["spec"]["template"]["spec"]["containers"][0])


def _env_name(field: str) -> str:
    return {"database_url": "DATABASE_URL", "redis_url": "REDIS_URL"}.get(
        field, f"PEP_{field.upper()}"
    )


CONFIG: dict[str, str] = _documents("configmap.yaml")[0]["data"]
API_ENV = {e["name"]: e for e in _container("api.yaml", "Deployment")["env"]}
WORKER_ENV = {e["name"]: e for e in _container("worker.yaml", "Deployment")["env"]}


def test_every_setting_is_configured_or_deliberately_unset():
    configured = set(CONFIG) | set(API_ENV) | set(WORKER_ENV)
    missing = {
        _env_name(field)
        for field in Settings.model_fields
        if _env_name(field) not in configured and _env_name(field) not in UNSET_IN_PRODUCTION
    }
    assert missing == set()
    # And nothing configured that the settings do not know (a typo would be ignored).
    known = {_env_name(field) for field in Settings.model_fields}
    assert {n for n in configured if n.startswith("PEP_")} - known == {
        "PEP_DB_PASSWORD",  # composed into DATABASE_URL
        "PEP_REDIS_PASSWORD",  # composed into REDIS_URL
    }


def test_no_secret_value_is_in_the_repository():
    secrets = {
        "PEP_SECRET_KEY",
        "PEP_DATA_ENCRYPTION_KEY",
        "PEP_CITIZEN_OIDC_CLIENT_SECRET",
        "PEP_STAFF_OIDC_CLIENT_SECRET",
        "PEP_LAUNCH_SECRETS",
        "PEP_SMTP_USERNAME",
        "PEP_SMTP_PASSWORD",
        "PEP_SMS_GATEWAY_TOKEN",
        "PEP_METRICS_TOKEN",
        "PEP_DB_PASSWORD",
        "PEP_REDIS_PASSWORD",
    }
    assert secrets.isdisjoint(CONFIG)
    for env in (API_ENV, WORKER_ENV):
        for name in secrets:
            assert "secretKeyRef" in env[name]["valueFrom"], name
    assert not any(d["kind"] == "Secret" for f in BASE.glob("*.yaml") for d in _documents(f.name))


def test_workers_get_the_configuration_of_the_api_and_their_metrics_port():
    assert set(WORKER_ENV) - set(API_ENV) == {"PEP_WORKER_METRICS_PORT"}
    assert {k: v for k, v in WORKER_ENV.items() if k in API_ENV} == API_ENV


def test_the_configuration_passes_the_production_checks(monkeypatch: pytest.MonkeyPatch):
    for name, value in CONFIG.items():
        monkeypatch.setenv(name, value)
    for name in ("PEP_SECRET_KEY", "PEP_DATA_ENCRYPTION_KEY"):
        monkeypatch.setenv(name, "k" * 48)
    monkeypatch.setenv("PEP_CITIZEN_OIDC_CLIENT_SECRET", "c" * 40)
    monkeypatch.setenv("PEP_STAFF_OIDC_CLIENT_SECRET", "s" * 40)
    monkeypatch.setenv("PEP_LAUNCH_SECRETS", '{"journal": "' + "j" * 40 + '"}')
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:pw@pep-db-pooler-rw:5432/app")
    monkeypatch.setenv("REDIS_URL", "redis://:pw@pep-valkey-primary:6379/0")
    settings = Settings()
    assert settings.environment == "production"
    assert settings.embedded_idp is False
    assert settings.log_format == "json"
    assert settings.network_printers == []


def test_probes_use_the_health_endpoints():
    api = _container("api.yaml", "Deployment")
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
