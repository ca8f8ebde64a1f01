"""E-mail over SMTP (the standard library's smtplib, run in a thread), with a point of no
return just before the message is irrevocably handed over.

An SMTP server takes responsibility for a message when it has received the DATA phase's
final "." — whether or not its "250" reply ever reaches us (RFC 5321 §4.1.1.4; the
duplicate-message window of RFC 1047). So the conversation is split:

1. connect, EHLO (STARTTLS, AUTH when configured), MAIL FROM, RCPT TO, DATA, the message
   itself — nothing is accepted yet: a connection that ends here leaves the server nothing
   (it discards an unfinished DATA), and the delivery may be tried again;
2. `point_of_no_return()` — the caller records, in its own committed transaction, that the
   final dot is about to go out (or learns that another attempt took the delivery over:
   then the connection is closed without it and nothing is sent);
3. the final ".", and the server's reply.

A worker killed before 2 leaves a delivery that is sent again; killed after 2, one that is
never sent again (at most once from there). What remains is the moment between 2 and the
dot reaching the server (microseconds for a socket write, or a connection breaking right
then): the e-mail is lost, never doubled — the message stays in the citizen's inbox and its
reminder still comes. An error reply to the dot is a definite refusal: nothing was accepted
and the delivery is tried again.

The Message-ID is derived from the delivery id (the same for every attempt), so a receiving
system that deduplicates by it would also collapse a repeat; the design does not rely on it."""

from __future__ import annotations

import asyncio
import re
import smtplib
import ssl
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, getaddresses

from domain.notifications import DeliveryFailed, OutgoingEmail, PointOfNoReturn

_LEADING_DOT = re.compile(rb"(?m)^\.")


def render(email: OutgoingEmail, *, sender: str) -> bytes:
    """The message as sent: plain text, UTF-8, quoted-printable (7-bit clean, so any relay
    takes it), CRLF line ends."""
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = email.message_id
    # Automatic: no out-of-office replies (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email.body, charset="utf-8", cte="quoted-printable")
    return message.as_bytes(policy=SMTP_POLICY)


def envelope_sender(sender: str) -> str:
    """The bare address of a From header ("Name <a@b>" → "a@b")."""
    addresses = getaddresses([sender])
    return addresses[0][1] if addresses and addresses[0][1] else sender


class SmtpEmailSender:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        use_ssl: bool = False,
        timeout: float = 30.0,
        connections: int = 10,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._envelope_sender = envelope_sender(sender)
        Address(addr_spec=self._envelope_sender)  # refuses a malformed sender at start-up
        self._username = username
        self._password = password
        self._starttls = starttls
        self._ssl = use_ssl
        self._timeout = timeout
        # Threads of its own, one per connection sent on at the same time (the default
        # executor has only a few per core).
        self._threads = ThreadPoolExecutor(max_workers=connections, thread_name_prefix="smtp")

    async def send(self, email: OutgoingEmail, *, point_of_no_return: PointOfNoReturn) -> bool:
        loop = asyncio.get_running_loop()

        def confirm() -> bool:
            # Runs the coroutine on the caller's loop (the database lives there) and waits.
            # Not recorded in time, or not at all: the final dot is not sent, so nothing was
            # accepted — a failure to try again, never "taken over" (False), which would
            # leave the delivery to an attempt that does not exist. The caller releases the
            # delivery whether or not the late record was committed after all.
            future = asyncio.run_coroutine_threadsafe(point_of_no_return(), loop)
            try:
                return future.result(timeout=self._timeout)
            except FutureTimeout:
                future.cancel()
                raise DeliveryFailed(
                    "the point of no return was not recorded in time; the message was not sent"
                ) from None
            except Exception as error:
                raise DeliveryFailed(
                    f"the point of no return could not be recorded ({type(error).__name__});"
                    " the message was not sent"
                ) from None

        return await loop.run_in_executor(self._threads, self._send, email, confirm)

    def _connect(self) -> smtplib.SMTP:
        if self._ssl:
            return smtplib.SMTP_SSL(
                self._host,
                self._port,
                timeout=self._timeout,
                context=ssl.create_default_context(),
            )
        return smtplib.SMTP(self._host, self._port, timeout=self._timeout)

    def _send(self, email: OutgoingEmail, confirm: Callable[[], bool]) -> bool:
        data = render(email, sender=self._sender)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        stuffed = _LEADING_DOT.sub(b"..", data)
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryFailed(f"SMTP connection failed: {type(error).__name__}") from None
        try:
            try:
                smtp.ehlo()
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                _expect(smtp.mail(self._envelope_sender), (250,), "MAIL FROM")
                _expect(smtp.rcpt(email.to), (250, 251), "RCPT TO")
                _expect(smtp.docmd("DATA"), (354,), "DATA")
                smtp.send(stuffed)
            except (OSError, smtplib.SMTPException) as error:
                raise DeliveryFailed(
                    f"SMTP failed before the message was sent: {type(error).__name__}"
                    f" {_text(getattr(error, 'smtp_error', b''))}".rstrip()
                ) from None
            if not confirm():
                return False  # closed below without the final dot: the server discards it
            try:
                smtp.send(b".\r\n")
                code, reply = smtp.getreply()
            except (OSError, smtplib.SMTPException) as error:
                raise DeliveryFailed(
                    f"no reply to the end of the message: {type(error).__name__}",
                    accepted_unknown=True,
                ) from None
            if code != 250:
                raise DeliveryFailed(f"SMTP refused the message: {code} {_text(reply)}")
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass  # accepted is accepted
            return True
        finally:
            smtp.close()


def _expect(answer: tuple[int, bytes], codes: tuple[int, ...], step: str) -> None:
    code, reply = answer
    if code not in codes:
        raise DeliveryFailed(f"SMTP refused {step}: {code} {_text(reply)}")


_ADDRESS = re.compile(r"\S+@\S+")


def _text(reply: bytes | str) -> str:
    """A server's reply as kept with the delivery and shown to operators: without any
    address in it (servers echo the recipient)."""
    value = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    return _ADDRESS.sub("<address>", value)[:200]
