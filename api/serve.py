"""`make run`: the whole product on one machine.

Uses DATABASE_URL and REDIS_URL when set; otherwise starts an embedded PostgreSQL and Redis
under var/. Without PEP_SMTP_HOST it starts a local SMTP server that writes the e-mails the
service sends under var/mail/ (adapters/notifications/mail_sink.py). Then migrates, loads
the demo region, starts the arq worker and the API (which also serves both apps and, in
development, the embedded identity provider)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import uvicorn
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent


def prepare(*, var: Path, load_demo: bool) -> list[subprocess.Popen[bytes]]:
    """Makes DATABASE_URL and REDIS_URL point at something that runs, migrated and loaded.
    Returns processes the caller must stop."""
    from api.embedded_services import start_embedded_postgres, start_embedded_redis

    children: list[subprocess.Popen[bytes]] = []
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_embedded_postgres(var / "postgres")
        print("Embedded PostgreSQL started (data in var/postgres)")
    if not os.environ.get("REDIS_URL"):
        url, redis_process = start_embedded_redis(var / "redis")
        os.environ["REDIS_URL"] = url
        children.append(redis_process)
        print(f"Embedded Redis started on {url}")
    if not os.environ.get("PEP_SMTP_HOST"):
        from adapters.notifications.mail_sink import free_port

        port = free_port()
        children.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "adapters.notifications.mail_sink",
                    "--dir",
                    str(var / "mail"),
                    "--port",
                    str(port),
                ]
            )
        )
        # The worker (started after this) sends its e-mails there.
        os.environ["PEP_SMTP_HOST"] = "127.0.0.1"
        os.environ["PEP_SMTP_PORT"] = str(port)
        print(f"Local SMTP server on 127.0.0.1:{port}: e-mails are written to {var / 'mail'}/")

    from adapters.settings import Settings

    settings = Settings()
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = settings.async_database_url
    command.upgrade(config, "head")
    if load_demo:
        from adapters.demo_data import main as load_demo_data

        asyncio.run(load_demo_data())
    if settings.embedded_idp:
        from adapters.identity.embedded_idp.keys import load_or_create_signing_key

        load_or_create_signing_key(settings.idp_key_file)
    return children


def _exit_normally(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-worker", action="store_true", help="do not start the arq worker")
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    parser.add_argument("--var", default=str(ROOT / "var"))
    args = parser.parse_args()

    os.chdir(ROOT)
    # A plain SIGTERM (systemd, docker stop, timeout) would end the process without running
    # exit handlers, leaving the embedded PostgreSQL behind: turn it into a normal exit.
    signal.signal(signal.SIGTERM, _exit_normally)
    os.environ.setdefault("PEP_PUBLIC_BASE_URL", f"http://localhost:{args.port}")
    # Cookies stay Secure even on http://localhost: browsers treat localhost as a secure
    # context. Behind another plain-http host name, set PEP_COOKIE_SECURE=false.
    children = prepare(var=Path(args.var), load_demo=not args.no_demo)
    if not args.no_worker:
        children.append(
            subprocess.Popen([sys.executable, "-m", "arq", "api.worker.WorkerSettings"])
        )
    base = os.environ["PEP_PUBLIC_BASE_URL"]
    print(
        f"\nEgen provhantering is running:\n"
        f"  Invånare (citizen app):       {base}/\n"
        f"  Vårdpersonal (professional):  {base}/pro/\n"
        f"  API documentation:            {base}/api/docs\n",
        flush=True,
    )
    try:
        uvicorn.run(
            "api.main:app",
            host=args.host,
            port=args.port,
            workers=args.workers,
            loop="uvloop",
            http="httptools",
            access_log=False,
            proxy_headers=True,
        )
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
