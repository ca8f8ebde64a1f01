"""Short runs of two fault drills of bench/drills (issue 12, part 4), each as its one command,
against the real server (2 uvicorn workers) on a PostgreSQL and a Redis of the drill's own:

- overload: many more clients than the pools hold are refused at once with 503 and
  Retry-After — never a pool-timeout 500, never a hang — and served normally afterwards;
- Redis killed and started empty under mixed load: 503 with Retry-After while it is away,
  every session ends and its user logs in again (401, then the OIDC flow), no 500, errors
  over within 5 s of Redis being back, the same server and arq worker processes running
  their jobs again.

The drills' full versions and their figures: bench/README.md, "Fault drills"."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _drill(name: str, tmp_path: Path, *args: str) -> dict[str, Any]:
    output = tmp_path / f"{name}.json"
    completed = subprocess.run(
        [sys.executable, "-m", f"bench.drills.{name}", *args, "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    document: dict[str, Any] = json.loads(output.read_text())
    assert document["targets_missed"] == []
    return document


@pytest.mark.slow
def test_overload_is_refused_at_once_with_retry_after_and_never_a_500(tmp_path):
    document = _drill(
        "overload",
        tmp_path,
        *("--clients", "150", "--pool-size", "2", "--limit", "16"),
        *("--duration", "6", "--warmup", "2"),
    )
    summary = document["summary"]
    # 150 clients against 2 workers × 16 admitted requests and 2 × 2 × 2 connections.
    assert summary["database_connections_max_of_the_server"] == 8
    assert summary["refusals_429_503"] > 0
    assert summary["refusals_without_retry_after"] == 0
    assert summary["by_status"].keys() <= {"200", "201", "503"}
    assert (summary["server_errors_500"], summary["server_errors_other_5xx"]) == (0, 0)
    assert (summary["io_errors"], summary["hangs"]) == (0, 0)
    assert summary["longest_request_s"] < 30
    assert summary["afterwards"] == {
        "profile": 200,
        "offers": 200,
        "order": 201,
        "assigned_offers": 200,
        "integration_orders": 200,
    }


@pytest.mark.slow
def test_a_redis_restart_ends_sessions_but_answers_no_500_and_jobs_resume(tmp_path):
    document = _drill(
        "redis_restart",
        tmp_path,
        *("--before", "3", "--down", "2", "--after", "8", "--settle", "3", "--users", "6"),
    )
    summary = document["summary"]
    assert summary["by_status"].keys() <= {"200", "201", "302", "303", "401", "503"}
    assert (summary["server_errors_500"], summary["server_errors_other_5xx"]) == (0, 0)
    assert summary["refusals_without_retry_after"] == 0
    assert summary["errors_after_back_s"] <= 5.0
    assert summary["errors_in_last_settle_s"] == 0
    assert (summary["io_errors"], summary["hangs"]) == (0, 0)
    assert summary["longest_request_s"] < 30
    # Every session ended with Redis: each of the six citizens and the nurse logged in
    # again, once (their users share a session); the integration client's token is no
    # session and went on working.
    assert summary["by_status"]["401"] > 0
    assert summary["logins_again"] == {"citizen": 6, "staff": 1}
    assert summary["server_pids_before"] == summary["server_pids_after"]
    assert summary["arq_worker_pid_before"] == summary["arq_worker_pid_after"]
    assert summary["arq_jobs_done_at_end"] > summary["arq_jobs_done_at_back"]
