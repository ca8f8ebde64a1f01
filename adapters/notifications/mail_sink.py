"""A local SMTP server (aiosmtpd) that keeps what it receives as files: `make run`'s mail
sink when no SMTP relay is configured (a developer reads the e-mails under var/mail/), and
the real SMTP peer of the tests.

Each accepted message is written to `<directory>/<ns timestamp>-<random>.eml` (written to a
temporary name, then renamed, so a reader never sees half a file) *before* the 250 reply —
as a real mail server queues a message before it answers. `delay_after_store` makes that
answer slow (the duplicate window of RFC 1047) and `delay_at_rcpt` the acceptance of
recipients starting with `slow_rcpt_prefix` (a send stuck before its message: the
killed-worker test); `hang_up_after_store` makes it drop the connection instead of answering
(the sender cannot know whether the message was taken); `refuse` makes it refuse every
message with the given reply (the retry tests).

    python -m adapters.notifications.mail_sink --dir var/mail --port 8025"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MailDirectoryHandler:
    def __init__(
        self, directory: Path, *, delay_after_store: float = 0.0, refuse: str | None = None
    ) -> None:
        self.directory = directory
        self.delay_after_store = delay_after_store
        self.refuse = refuse
        self.delay_at_rcpt = 0.0
        self.slow_rcpt_prefix = "slow-"
        self.hang_up_after_store = False
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if self.delay_at_rcpt and address.startswith(self.slow_rcpt_prefix):
            await asyncio.sleep(self.delay_at_rcpt)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, _session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse
        content: bytes = envelope.original_content or envelope.content
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        temporary = self.directory / f".{name}.tmp"
        with temporary.open("wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.directory / f"{name}.eml")
        if self.hang_up_after_store:
            server.transport.close()
            await asyncio.sleep(60)  # cancelled when the connection is gone
        if self.delay_after_store:
            await asyncio.sleep(self.delay_after_store)
        return "250 2.0.0 Message accepted for delivery"


class MailSink:
    """The SMTP server in a thread of its own (its own event loop)."""

    def __init__(
        self,
        directory: Path,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        delay_after_store: float = 0.0,
        refuse: str | None = None,
    ) -> None:
        self.handler = MailDirectoryHandler(
            directory, delay_after_store=delay_after_store, refuse=refuse
        )
        self.host = host
        self.port = port or free_port(host)
        self._controller = Controller(self.handler, hostname=host, port=self.port)

    @property
    def directory(self) -> Path:
        return self.handler.directory

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[ReceivedMail]:
        return read_mailbox(self.directory)


@dataclass(frozen=True)
class ReceivedMail:
    path: Path
    message: EmailMessage

    @property
    def to(self) -> str:
        return str(self.message["To"])

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        assert body is not None
        content = body.get_content()
        assert isinstance(content, str)
        return content


def read_mailbox(directory: Path) -> list[ReceivedMail]:
    """The messages received, oldest first."""
    if not directory.exists():
        return []
    parser = BytesParser(policy=policy.default)
    mails = []
    for path in sorted(directory.glob("*.eml")):
        message = parser.parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        mails.append(ReceivedMail(path=path, message=message))
    return mails


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", default="var/mail")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--delay-after-store", type=float, default=0.0)
    args = parser.parse_args()
    sink = MailSink(
        Path(args.dir), host=args.host, port=args.port, delay_after_store=args.delay_after_store
    ).start()
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    sink.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
