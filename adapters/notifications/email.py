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
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, getaddresses

from domain.notifications import DeliveryFailed, OutgoingEmail, PointOfNoReturn

_LEADING_DOT = re.compile(rb"(?m)^\.")
NOT_RECORDED_IN_TIME = "the point of no return was not recorded in time; the message was not sent"


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

        def end_message(smtp: smtplib.SMTP) -> bool:
            return self._end_message(smtp, loop, point_of_no_return)

        return await loop.run_in_executor(self._threads, self._send, email, end_message)

    def _end_message(
        self,
        smtp: smtplib.SMTP,
        loop: asyncio.AbstractEventLoop,
        point_of_no_return: PointOfNoReturn,
    ) -> bool:
        """Records the point of no return and, in the same step on the caller's loop (where
        the database lives), sends the final dot — True when it went out, False when
        another attempt took the delivery over (nothing sent).

        The dot leaves the moment the record's commit returns, not after a hop back to this
        thread (which waits for the GIL: up to its 5 ms switch interval on a busy loop). That
        hop was most of the window in which a killed worker loses an e-mail (ADR 9).

        Not recorded within the timeout, or not at all, or the dot not written: nothing was
        accepted — DeliveryFailed, tried again, never "taken over" (which would leave the
        delivery to an attempt that does not exist); the caller releases the delivery even
        if a late record was committed after all. Exactly one of "dot sent" and "given up"
        happens (`decided`), so a record finishing as this thread gives up cannot send a
        message the caller then sends again."""
        sock = smtp.sock
        if sock is None:  # never: the message was just written through it
            raise DeliveryFailed("the SMTP connection is closed; the message was not sent")
        decided = threading.Lock()
        given_up = False
        dot_sent = False

        async def record_then_end() -> bool:
            nonlocal dot_sent
            try:
                async with asyncio.timeout(self._timeout):
                    if not await point_of_no_return():
                        return False
            except TimeoutError:
                raise DeliveryFailed(NOT_RECORDED_IN_TIME) from None
            with decided:
                if given_up:
                    return False  # too late: this thread has given up (the caller releases)
                # Three bytes into the socket's send buffer, which holds at most the message
                # just written: this does not block the loop.
                try:
                    sock.sendall(b".\r\n")
                except OSError as error:  # not written: the server cannot have the end
                    raise DeliveryFailed(
                        f"the end of the message could not be sent ({type(error).__name__});"
                        " the message was not accepted"
                    ) from None
                dot_sent = True
            return True

        future = asyncio.run_coroutine_threadsafe(record_then_end(), loop)
        try:
            return future.result(timeout=self._timeout + 5.0)
        except DeliveryFailed:
            raise
        except TimeoutError:  # the loop did not run it in time (blocked, or shutting down)
            with decided:
                given_up = True
                if dot_sent:
                    return True
            future.cancel()
            raise DeliveryFailed(NOT_RECORDED_IN_TIME) from None
        except Exception as error:
            raise DeliveryFailed(
                f"the point of no return could not be recorded ({type(error).__name__});"
                " the message was not sent"
            ) from None

    def _connect(self) -> smtplib.SMTP:
        if self._ssl:
            return smtplib.SMTP_SSL(
                self._host,
                self._port,
                timeout=self._timeout,
                context=ssl.create_default_context(),
            )
        return smtplib.SMTP(self._host, self._port, timeout=self._timeout)

    def _send(self, email: OutgoingEmail, end_message: Callable[[smtplib.SMTP], bool]) -> bool:
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
            if not end_message(smtp):
                return False  # closed below without the final dot: the server discards it
            try:
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
