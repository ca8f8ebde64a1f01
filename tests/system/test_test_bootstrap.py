"""`make test` on a fresh machine: with no PostgreSQL or Redis listening where the local ones
would be, the test bootstrap starts embedded ones for the run, the suite runs against them,
and they are gone afterwards; without Chromium and without a way to install it, it stops at
once with the one command to run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once the socket is closed


def _environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PEP_TEST_POSTGRES_URL", "PEP_TEST_REDIS_URL", "DATABASE_URL", "REDIS_URL")
    }
    env.update(extra)
    return env


@pytest.mark.slow
def test_bootstrap_starts_embedded_servers_when_none_answer():
    env = _environment(
        PEP_TEST_LOCAL_POSTGRES=f"127.0.0.1:{_closed_port()}",
        PEP_TEST_LOCAL_REDIS=f"127.0.0.1:{_closed_port()}",
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.bootstrap",
            "--",
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/integration/test_web_edge.py::test_staff_answers_are_not_stored_by_browsers",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "no PostgreSQL at 127.0.0.1" in output
    assert "no Redis at 127.0.0.1" in output
    assert "1 passed" in output


def test_bootstrap_without_chromium_stops_at_once_with_the_command(tmp_path):
    # A PATH with python only: neither chromium nor apt-get can be found.
    (tmp_path / "python").symlink_to(sys.executable)
    env = _environment(PATH=str(tmp_path))
    env.pop("PEP_CHROMIUM", None)
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "tests.support.bootstrap", "--chromium-only"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert "Run: apt-get update && apt-get install -y chromium" in run.stderr
    assert time.monotonic() - started < 10
