"""End-to-end: the real server (uvicorn, the built apps, the embedded IdP) and an arq worker
(the outbox: inbox messages, e-mails, reminders) driven by Playwright in Debian's Chromium,
with axe-core checking WCAG 2.1 AA on every page visited. The worker sends its e-mails to a
real SMTP server (aiosmtpd) in this process; tests read them with the `mailbox` fixture.
Screenshots are kept under test-artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from adapters.notifications.mail_sink import MailSink, ReceivedMail

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PEP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """The e-mails the service sent, as the SMTP server received them."""

    def __init__(self, sink: MailSink) -> None:
        self.sink = sink

    def messages(self) -> list[ReceivedMail]:
        return self.sink.messages()

    def to(self, address: str) -> list[ReceivedMail]:
        return [m for m in self.sink.messages() if m.to == address]

    def wait_for(
        self, address: str, *, count: int = 1, timeout: float = 30.0
    ) -> list[ReceivedMail]:
        """The e-mails to `address` once there are `count` of them (the worker drains the
        outbox every few seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.to(address)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.25)


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory) -> Iterator[MailSink]:
    sink = MailSink(tmp_path_factory.mktemp("e2e-mail")).start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def mailbox(smtp_server: MailSink, server_url: str) -> Mailbox:
    return Mailbox(smtp_server)


@pytest.fixture(scope="session")
def server_url(
    database: str, redis_prefix: str, tmp_path_factory, smtp_server: MailSink
) -> Iterator[str]:
    for app in ("frontend-citizen", "frontend-professional"):
        if not (ROOT / app / "dist" / "index.html").exists():
            pytest.fail(f"{app} is not built: run `make frontends` (make test does)")
    port = _free_port()
    base = f"http://localhost:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": os.environ.get("PEP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "PEP_REDIS_PREFIX": redis_prefix,
        "PEP_PUBLIC_BASE_URL": base,
        "PEP_IDP_KEY_FILE": str(tmp_path_factory.mktemp("e2e-idp") / "key.json"),
        "PEP_ENVIRONMENT": "development",
        "PEP_SMTP_HOST": smtp_server.host,
        "PEP_SMTP_PORT": str(smtp_server.port),
    }
    log_dir = tmp_path_factory.mktemp("e2e-server")
    log_path = log_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # The worker: result messages, e-mails and reminders from the outbox.
    with (log_dir / "worker.log").open("wb") as worker_log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "arq", "api.worker.WorkerSettings"],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"server did not start:\n{log_path.read_text()}")
            if worker.poll() is not None:
                pytest.fail(f"worker did not start:\n{(log_dir / 'worker.log').read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        for child in (worker, process):
            child.terminate()
        for child in (worker, process):
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    # bypass_csp only so that axe-core can be injected; the app itself runs under its CSP.
    context = browser.new_context(base_url=server_url, locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()
    assert errors == [], f"browser errors: {errors}"


def check_accessibility(page: Page, name: str) -> None:
    """Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now and saves a
    screenshot under test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert violations == [], f"axe violations on {name}: {violations}"
