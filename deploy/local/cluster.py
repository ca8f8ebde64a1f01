"""Several API instances and arq workers on one machine behind Debian's HAProxy, against one
PostgreSQL and one Redis: the production shape (docs/operations.md) in processes instead of
pods. Used by `python -m deploy.local.many_instances` (operators) and by
tests/system/test_many_instances.py.

HAProxy balances round-robin with no stickiness, checks every instance's /health/ready twice
a second, and has an admin socket for draining an instance (the rolling restart). Each API
instance is one uvicorn process (`uvicorn api.main:app`), each worker one
`arq api.worker.WorkerSettings`; every process logs JSON lines to a file of its own."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
HAPROXY_INSTALL = "apt-get update && apt-get install -y haproxy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def haproxy_binary() -> str:
    found = os.environ.get("PEP_HAPROXY") or shutil.which("haproxy")
    if not found and Path("/usr/sbin/haproxy").exists():
        found = "/usr/sbin/haproxy"
    if not found:
        raise RuntimeError(f"HAProxy is not installed. Run: {HAPROXY_INSTALL}")
    return found


@dataclass
class Managed:
    """A child process in a session of its own (so that a signal reaches only it)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.starts += 1

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive:
            assert self.process is not None
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no goodbye (a node lost, an OOM kill)."""
        self.signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM (what Kubernetes and systemd send), then SIGKILL after `timeout`."""
        if self.process is None:
            return None
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def log_tail(self, lines: int = 30) -> str:
        text = (
            self.log_path.read_text(errors="replace").splitlines() if self.log_path.exists() else []
        )
        return "\n".join(f"{self.name}| {line}" for line in text[-lines:])


@dataclass
class Cluster:
    database_url: str
    redis_url: str
    redis_prefix: str
    workdir: Path
    api_count: int = 3
    worker_count: int = 2
    # uvicorn worker processes per API instance (--workers; 1: the instance is one process).
    api_workers: int = 1
    extra_env: Mapping[str, str] = field(default_factory=dict)
    port: int = 0
    apis: list[Managed] = field(default_factory=list)
    workers: list[Managed] = field(default_factory=list)
    haproxy: Managed | None = None

    def __post_init__(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self.admin_socket = self.workdir / "haproxy-admin.sock"
        self.api_ports = [free_port() for _ in range(self.api_count)]
        self.worker_metrics_ports = [free_port() for _ in range(self.worker_count)]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- environment -------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PEP_")}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(
            {
                "DATABASE_URL": self.database_url,
                "REDIS_URL": self.redis_url,
                "PEP_ENVIRONMENT": "development",
                "PEP_REDIS_PREFIX": self.redis_prefix,
                "PEP_PUBLIC_BASE_URL": self.base_url,
                # Plain http on 127.0.0.1: a client keeps Secure cookies only for https.
                "PEP_COOKIE_SECURE": "false",
                # One signing key for the development IdP, shared by every instance.
                "PEP_IDP_KEY_FILE": str(self.workdir / "idp-signing-key.json"),
                "PEP_CITIZEN_APP_DIST": "/nonexistent",
                "PEP_PROFESSIONAL_APP_DIST": "/nonexistent",
                "PEP_MAIL_SINK_DIR": str(self.workdir / "mail"),
                "PEP_LOG_FORMAT": "json",
            }
        )
        env.update(self.extra_env)
        return env

    # --- HAProxy -----------------------------------------------------------------------

    def haproxy_config(self) -> str:
        servers = "\n".join(
            f"    server api{i + 1} 127.0.0.1:{port} check" for i, port in enumerate(self.api_ports)
        )
        return f"""# Generated by deploy/local/cluster.py: {self.api_count} API instances,
# round-robin, no stickiness; an instance takes traffic only while its /health/ready
# answers 200.
global
    maxconn 4096
    stats socket {self.admin_socket} mode 600 level admin
    nbthread 1

defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    timeout queue 10s
    timeout check 2s
    # A connection refused (an instance gone) is tried again on another instance: the
    # request never reached the dead one.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend public
    bind 127.0.0.1:{self.port}
    default_backend api
    # Which instance answered: lets the tests see every instance serve one session.
    http-response set-header X-Served-By %[srv_name]

backend api
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health/ready
    http-check expect status 200
    # Only a request that never reached an instance is tried again for an unsafe method:
    # a POST that did reach the killed instance is the client's to retry (it carries an
    # Idempotency-Key or an If-Match, so a retry cannot double it).
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
{servers}
"""

    def start_haproxy(self) -> None:
        config = self.workdir / "haproxy.cfg"
        config.write_text(self.haproxy_config())
        binary = haproxy_binary()
        check = subprocess.run(
            [binary, "-c", "-q", "-f", str(config)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            raise RuntimeError(f"haproxy.cfg refused: {check.stderr or check.stdout}")
        self.haproxy = Managed(
            "haproxy", [binary, "-db", "-f", str(config)], self._env(), self.workdir / "haproxy.log"
        )
        self.haproxy.start()
        deadline = time.monotonic() + 10
        while not self.admin_socket.exists():
            if time.monotonic() > deadline or not self.haproxy.alive:
                raise RuntimeError("HAProxy did not start\n" + self.haproxy.log_tail())
            time.sleep(0.05)

    def admin(self, command: str) -> str:
        """One command on HAProxy's runtime API (the admin socket)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(str(self.admin_socket))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's view of each API instance: status (UP, DOWN, DRAIN, MAINT), current
        sessions (scur), total sessions (stot) …"""
        raw = self.admin("show stat").lstrip("# ")
        rows = csv.DictReader(io.StringIO(raw))
        return {
            row["svname"]: row
            for row in rows
            if row.get("pxname") == "api" and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_status(self, server: str, wanted: str, timeout: float = 30.0) -> float:
        """Waits until HAProxy shows `server` in the wanted status; returns the seconds it took."""
        started = time.monotonic()
        status = "?"
        while time.monotonic() - started < timeout:
            status = self.server_stats()[server]["status"]
            if status.startswith(wanted):
                return time.monotonic() - started
            time.sleep(0.05)
        raise RuntimeError(f"{server} still {status} after {timeout}s, not {wanted}")

    # --- API instances and workers -----------------------------------------------------

    def _api(self, index: int) -> Managed:
        port = self.api_ports[index]
        argv = [
            sys.executable, "-m", "uvicorn", "api.main:app",
            "--host", "127.0.0.1", "--port", str(port),
            "--loop", "uvloop", "--http", "httptools", "--no-access-log",
            # SIGTERM: stop accepting, finish what is in flight (at most this long), exit.
            "--timeout-graceful-shutdown", "20",
        ]  # fmt: skip
        if self.api_workers > 1:
            # The master keeps the socket and starts a new worker when one dies.
            argv += ["--workers", str(self.api_workers)]
        return Managed(f"api{index + 1}", argv, self._env(), self.workdir / f"api{index + 1}.log")

    def _worker(self, index: int) -> Managed:
        env = self._env()
        env["PEP_WORKER_METRICS_PORT"] = str(self.worker_metrics_ports[index])
        argv = [sys.executable, "-m", "arq", "api.worker.WorkerSettings"]
        return Managed(f"worker{index + 1}", argv, env, self.workdir / f"worker{index + 1}.log")

    def api_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.api_ports[index]}"

    def wait_ready(self, index: int, timeout: float = 60.0) -> None:
        """The instance answers /health/ready 200 itself (not through HAProxy)."""
        api = self.apis[index]
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if not api.alive:
                raise RuntimeError(f"{api.name} exited\n{api.log_tail()}")
            try:
                answer = httpx.get(f"{self.api_url(index)}/health/ready", timeout=2)
                if answer.status_code == 200:
                    return
                last = f"{answer.status_code} {answer.text[:200]}"
            except httpx.HTTPError as error:
                last = repr(error)
            time.sleep(0.1)
        raise RuntimeError(f"{api.name} not ready: {last}\n{api.log_tail()}")

    def start_apis(self) -> None:
        from adapters.identity.embedded_idp.keys import load_or_create_signing_key

        # Made once, before the instances start: each would otherwise make a key of its own.
        load_or_create_signing_key(str(self.workdir / "idp-signing-key.json"))
        self.apis = [self._api(i) for i in range(self.api_count)]
        for api in self.apis:
            api.start()
        for index in range(self.api_count):
            self.wait_ready(index)
        for index in range(self.api_count):
            self.wait_status(f"api{index + 1}", "UP")

    def start_workers(self) -> None:
        self.workers = [self._worker(i) for i in range(self.worker_count)]
        for worker in self.workers:
            worker.start()
        for index in range(self.worker_count):
            self.wait_worker(index)

    def wait_worker(self, index: int, timeout: float = 60.0) -> None:
        """The worker has started (arq logs the functions it runs), so work can be given."""
        worker = self.workers[index]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not worker.alive:
                raise RuntimeError(f"{worker.name} exited\n{worker.log_tail()}")
            text = worker.log_path.read_text(errors="replace") if worker.log_path.exists() else ""
            if text.count("Starting worker") >= worker.starts:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{worker.name} did not start\n{worker.log_tail()}")

    def start(self, *, workers: bool = True) -> None:
        self.start_haproxy()
        self.start_apis()
        if workers:
            self.start_workers()

    def restart_api(self, index: int) -> None:
        self.apis[index].start()
        self.wait_ready(index)

    def roll(self, index: int) -> dict[str, float]:
        """One step of a rolling restart: HAProxy drains the instance (no new requests),
        whatever it is answering finishes, SIGTERM (uvicorn finishes in-flight requests and
        exits), the new process starts, answers ready, and HAProxy takes it back."""
        name = f"api{index + 1}"
        started = time.monotonic()
        self.admin(f"set server api/{name} state drain")
        deadline = time.monotonic() + 20
        while int(self.server_stats()[name]["scur"] or 0) > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        drained = time.monotonic() - started
        code = self.apis[index].stop(timeout=30)
        # uvicorn ends a graceful shutdown by re-raising the signal it got: -SIGTERM is clean.
        if code not in (0, -signal.SIGTERM, None):
            raise RuntimeError(
                f"{name} exited with {code} on SIGTERM\n{self.apis[index].log_tail()}"
            )
        self.restart_api(index)
        self.admin(f"set server api/{name} state ready")
        self.wait_status(name, "UP")
        return {"drain_seconds": drained, "step_seconds": time.monotonic() - started}

    def stop(self) -> None:
        for managed in [*self.workers, *self.apis]:
            managed.stop(timeout=30)
        if self.haproxy is not None:
            self.haproxy.stop(timeout=10)

    def logs(self) -> str:
        parts = [m.log_tail() for m in [*self.apis, *self.workers] if m.log_path.exists()]
        if self.haproxy is not None:
            parts.append(self.haproxy.log_tail())
        return "\n".join(parts)


@contextlib.contextmanager
def running(cluster: Cluster, *, workers: bool = True) -> Iterator[Cluster]:
    try:
        cluster.start(workers=workers)
        yield cluster
    finally:
        cluster.stop()
