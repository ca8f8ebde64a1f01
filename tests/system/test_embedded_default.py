"""`make run` on a machine with neither DATABASE_URL nor REDIS_URL: the launcher starts an
embedded PostgreSQL and Redis, migrates, loads the demo region and answers requests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_embedded_default_boots_migrates_and_answers(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL") and not k.startswith("PEP_")
    }
    env["PEP_IDP_KEY_FILE"] = str(tmp_path / "idp-key.json")
    env["PEP_CITIZEN_APP_DIST"] = "/nonexistent"
    env["PEP_PROFESSIONAL_APP_DIST"] = "/nonexistent"
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.serve", "--port", str(port), "--var", str(tmp_path / "var")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                health = httpx.get(f"{base}/api/health", timeout=2).json()
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        output = (tmp_path / "serve.log").read_text()
        assert health == {"status": "ok", "database": True, "redis": True}, output
        assert "Embedded PostgreSQL started" in output
        assert "Embedded Redis started" in output
        # No SMTP relay configured: the e-mails go to a local SMTP server writing var/mail/.
        assert f"e-mails are written to {tmp_path / 'var' / 'mail'}/" in output
        # Migrated and loaded: the IdP's login page offers the demo citizens.
        with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as client:
            page = client.get("/auth/citizen/login")
            assert page.status_code == 200
            assert "Tolvan Tolvansson" in page.text
    finally:
        # What a service manager sends: the embedded servers must stop with the launcher.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert not (tmp_path / "var" / "postgres" / "postmaster.pid").exists()
