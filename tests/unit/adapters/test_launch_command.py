"""`python -m adapters.identity.launch`: the development deep link (issue 11 items 5, 17)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest

from adapters.identity import launch
from adapters.settings import DEVELOPMENT_SECRET


def _run(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    monkeypatch.setattr(sys, "argv", ["python -m adapters.identity.launch", *args])
    monkeypatch.delenv("PEP_PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    launch.main()


def test_help_explains_the_command_without_failing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _run(monkeypatch, "--help")
    assert exited.value.code == 0
    assert "staff_hsa_id" in capsys.readouterr().out


def test_the_link_points_at_the_port_the_service_runs_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(monkeypatch, "198504129829", "SE2321000016-A001", "SE2321000016-1001", "--port", "8123")
    url = capsys.readouterr().out.strip()
    prefix = "http://localhost:8123/pro/uthopp#launch="
    assert url.startswith(prefix)
    context = launch.read_launch_token(
        url.removeprefix(prefix),
        secrets_by_issuer={"dev-journal": DEVELOPMENT_SECRET},
        now=datetime.now(UTC),
    )
    assert (context.personnummer, context.care_unit_hsa_id, context.staff_hsa_id) == (
        "198504129829",
        "SE2321000016-A001",
        "SE2321000016-1001",
    )


def test_the_base_url_follows_the_launchers_environment() -> None:
    default = "http://localhost:8000"
    assert launch.base_url(explicit=None, port=None, environ={"PORT": "8080"}, default=default) == (
        "http://localhost:8080"
    )
    assert (
        launch.base_url(
            explicit="https://pep.example/", port=None, environ={"PORT": "1"}, default=default
        )
        == "https://pep.example"
    )
    assert launch.base_url(explicit=None, port=None, environ={}, default=default) == default
