"""What `make test` needs, found or started, so that it runs on a fresh machine as `make run`
does: a PostgreSQL and a Redis (the configured ones, else the local servers when they answer,
else embedded ones started for this run and stopped after it) and, for the browser tests,
Chromium (installed with apt when missing and we are root, else a one-line instruction in
the first seconds).

    python -m tests.support.bootstrap [--chromium] -- <command …>

runs the command with PEP_TEST_POSTGRES_URL and PEP_TEST_REDIS_URL set and exits with its
status. Where "local" is can be moved (PEP_TEST_LOCAL_POSTGRES, PEP_TEST_LOCAL_REDIS, as
host:port), which is how a system test makes the local servers unreachable."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_INSTALL = "apt-get update && apt-get install -y chromium"
HAPROXY_INSTALL = "apt-get update && apt-get install -y haproxy"


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host, int(port)


def _postgres_answers(url: str) -> bool:
    import psycopg  # here, so that the Chromium check runs before the venv exists

    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def _redis_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def postgres_url(stack: ExitStack) -> Iterator[str]:
    configured = os.environ.get("PEP_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    host, port = _host_port(os.environ.get("PEP_TEST_LOCAL_POSTGRES", "127.0.0.1:5432"))
    local = f"postgresql://postgres@{host}:{port}/postgres"
    if _postgres_answers(local):
        yield local
        return
    from api.embedded_services import start_embedded_postgres

    data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-test-pg-")))
    print(f"bootstrap: no PostgreSQL at {host}:{port}; starting an embedded one", flush=True)
    # The server stops when this process exits (embedded-postgres' cleanup "stop").
    yield start_embedded_postgres(data / "pgdata", database="postgres")


@contextmanager
def redis_url(stack: ExitStack) -> Iterator[str]:
    configured = os.environ.get("PEP_TEST_REDIS_URL")
    if configured:
        yield configured
        return
    host, port = _host_port(os.environ.get("PEP_TEST_LOCAL_REDIS", "127.0.0.1:6379"))
    if _redis_answers(host, port):
        yield f"redis://{host}:{port}/0"
        return
    from api.embedded_services import start_embedded_redis

    data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-test-redis-")))
    print(f"bootstrap: no Redis at {host}:{port}; starting an embedded one", flush=True)
    url, process = start_embedded_redis(data)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def ensure_chromium() -> bool:
    """True when a Chromium is there (or was just installed)."""
    if os.environ.get("PEP_CHROMIUM") or shutil.which("chromium"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bootstrap: Chromium is missing; installing Debian's package", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "chromium"],
        ):
            if subprocess.run(command, env=env, check=False).returncode != 0:
                break
        if shutil.which("chromium"):
            return True
    print(f"bootstrap: the browser tests need Chromium. Run: {CHROMIUM_INSTALL}", file=sys.stderr)
    return False


def haproxy_binary() -> str | None:
    return (
        os.environ.get("PEP_HAPROXY")
        or shutil.which("haproxy")
        or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    )


def ensure_haproxy() -> bool:
    """The multi-instance system test puts a real load balancer (Debian's HAProxy) in front
    of three API instances: installed with apt when missing and we are root, else a one-line
    instruction in the first seconds. Only the binary is used: the package's own service is
    stopped again (the test starts HAProxy with a configuration of its own)."""
    if haproxy_binary():
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bootstrap: HAProxy is missing; installing Debian's package", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "haproxy"],
        ):
            if subprocess.run(command, env=env, check=False).returncode != 0:
                break
        if shutil.which("service"):
            subprocess.run(
                ["service", "haproxy", "stop"],
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        if haproxy_binary():
            return True
    print(
        f"bootstrap: the multi-instance test needs HAProxy. Run: {HAPROXY_INSTALL}", file=sys.stderr
    )
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", action="store_true", help="require Chromium")
    parser.add_argument("--chromium-only", action="store_true", help="only check Chromium")
    parser.add_argument("--haproxy", action="store_true", help="require HAProxy")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if (args.chromium or args.chromium_only) and not ensure_chromium():
        return 2
    if args.haproxy and not ensure_haproxy():
        return 2
    if args.chromium_only:
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    with ExitStack() as stack:
        postgres = stack.enter_context(postgres_url(stack))
        redis = stack.enter_context(redis_url(stack))
        env = {**os.environ, "PEP_TEST_POSTGRES_URL": postgres, "PEP_TEST_REDIS_URL": redis}
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
