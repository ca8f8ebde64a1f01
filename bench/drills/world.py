"""What the PostgreSQL, Redis and overload drills run against: a PostgreSQL and a Redis of
their own (bench/drills/private_services.py), a database migrated and loaded with the demo
data (as bench/run.py loads it), the real server as bench/run.py starts it (`uvicorn
api.main:app`, 2 workers, uvloop, httptools) and one arq worker (`arq
api.worker.WorkerSettings`) whose job counters are read from its metrics port."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.drills.private_services import PrivatePostgres, PrivateRedis, private_services
from bench.run import (
    ROOT,
    ServerProcess,
    _load_demo_data,
    free_port,
    group_cpu_seconds,
    machine_info,
)
from deploy.local.cluster import Managed
from tests.support import environment

RESULTS = ROOT / "bench" / "results"


def log(drill: str, message: str) -> None:
    print(f"[{drill} {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class World:
    drill: str
    postgres: PrivatePostgres
    redis: PrivateRedis
    database_url: str
    server: ServerProcess
    worker: Managed | None
    worker_metrics_port: int
    env: dict[str, str]
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def server_pids(self) -> dict[str, Any]:
        """The uvicorn master and its worker processes: a service that recovered by itself
        has the same ones before and after the fault."""
        master = self.server.process.pid
        children = sorted(_children(master))
        return {"master": master, "workers": children}

    def worker_pid(self) -> int | None:
        if self.worker is None or self.worker.process is None or not self.worker.alive:
            return None
        return self.worker.process.pid

    def jobs_done(self, job: str = "drain_outbox") -> float | None:
        """The arq worker's count of `job` runs done (its Prometheus counter); None when the
        worker does not answer."""
        try:
            text = httpx.get(f"http://127.0.0.1:{self.worker_metrics_port}/metrics", timeout=2).text
        except httpx.HTTPError:
            return None
        match = re.search(
            rf'^pep_jobs_total\{{job="{job}",outcome="done"\}} ([0-9.e+]+)$', text, re.MULTILINE
        )
        return float(match.group(1)) if match else 0.0


def _children(pid: int) -> set[int]:
    found = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@contextlib.contextmanager
def world(
    drill: str,
    *,
    workers: int = 2,
    arq_worker: bool = True,
    extra_env: dict[str, str] | None = None,
) -> Iterator[World]:
    """Everything started, in this order; stopped in the reverse order, also on failure."""
    with contextlib.ExitStack() as stack:
        postgres, redis = stack.enter_context(private_services())
        log(drill, f"private PostgreSQL on :{postgres.port}, Redis on :{redis.port}")
        database_url = postgres.create_database("pep_drill")
        environment.migrate(database_url)
        asyncio.run(_load_demo_data(database_url))
        log(drill, "database migrated, demo data loaded")
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"pep-{drill}-")))
        port = free_port()
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("PEP_")}
        base_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env = {
            **base_env,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "PEP_REDIS_PREFIX": f"pep-{drill}-{uuid.uuid4().hex[:8]}",
            "PEP_ENVIRONMENT": "development",
            "PEP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "PEP_COOKIE_SECURE": "false",
            "PEP_IDP_KEY_FILE": str(tmp / "idp-signing-key.json"),
            "PEP_CITIZEN_APP_DIST": "/nonexistent",
            "PEP_PROFESSIONAL_APP_DIST": "/nonexistent",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        server = ServerProcess(
            f"{drill}-app", "api.main:app", port=port, workers=workers, env=env, log_dir=tmp
        )
        stack.callback(server.stop)
        server.wait_healthy("/api/health")
        worker = None
        metrics_port = free_port()
        if arq_worker:
            worker = Managed(
                f"{drill}-worker",
                [sys.executable, "-m", "arq", "api.worker.WorkerSettings"],
                {**env, "PEP_WORKER_METRICS_PORT": str(metrics_port)},
                tmp / f"{drill}-worker.log",
            )
            worker.start()
            stack.callback(_stop_worker, worker)
        yield World(
            drill=drill,
            postgres=postgres,
            redis=redis,
            database_url=database_url,
            server=server,
            worker=worker,
            worker_metrics_port=metrics_port,
            env=env,
            settings={k: v for k, v in env.items() if k.startswith("PEP_") and "KEY" not in k},
        )


def _stop_worker(worker: Managed) -> None:
    worker.stop(timeout=15)
    with contextlib.suppress(OSError):
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{worker.name}.log").write_bytes(worker.log_path.read_bytes())


def wait_for_jobs(world: World, *, timeout: float = 30.0) -> float:
    """Until the arq worker has run its outbox drain once (it runs at start-up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = world.jobs_done()
        if done:
            return done
        if world.worker is not None and not world.worker.alive:
            raise RuntimeError("the arq worker exited\n" + world.worker.log_tail())
        time.sleep(0.25)
    raise RuntimeError(
        "the arq worker ran no job in time\n" + (world.worker.log_tail() if world.worker else "")
    )


def cpu_seconds(world: World) -> float | None:
    """CPU the server (master and workers) has used so far."""
    return group_cpu_seconds(world.server.process.pid)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine(world: World) -> dict[str, Any]:
    return machine_info(world.database_url, world.redis.url)


def write_report(drill: str, document: dict[str, Any], output: Path | None = None) -> Path:
    """bench/results/<drill>-<UTC>.json and <drill>-latest.json, or only `output`."""
    text = json.dumps(document, indent=2) + "\n"
    if output is not None:
        output.write_text(text)
        return output
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{drill}-{stamp}.json"
    path.write_text(text)
    (RESULTS / f"{drill}-latest.json").write_text(text)
    return path


def finish(drill: str, document: dict[str, Any], output: Path | None, missed: list[str]) -> int:
    """Writes the report and says whether the targets were met: the drill's exit status."""
    path = write_report(drill, document, output)
    print()
    print(f"written to {path}")
    if missed:
        print("TARGETS MISSED:\n  " + "\n  ".join(missed))
        return 1
    print("all targets met")
    return 0


def command_line() -> str:
    return " ".join(["python", "-m", *sys.argv]) if sys.argv else ""


def git_commit() -> str | None:
    completed = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or None
