"""The citizen's inbox and notifications (SPEC §2 "Inbox message", §7; manual 3.4–3.6;
docs/adr/0009-notifications.md).

- Every new or corrected result makes an **inbox message** for the citizen; an unread result
  gets one **reminder** after a number of days (three by default). A message says that there
  is a result, and for which order — never the result itself (no value, no insight).
- When the citizen has given an e-mail address or a mobile number (their **contact
  details**), each message is also announced on that channel, with a generic Swedish text
  that says even less: not which order, not which test.
- Every message is delivered on each channel at most once (a person never sees it twice):
  the delivery is a record of its own, claimed before sending; for a channel without a
  reference to deduplicate by (SMTP) the record passes a **point of no return** just before
  the message is irrevocably handed over, and a delivery that passed it is never repeated.

Pure rules and texts; the ports of the channels are at the end."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from domain.errors import InvalidInput, NotFound


class MessageKind(StrEnum):
    RESULT = "result"  # a new result
    CORRECTION = "correction"  # a result was corrected (a newer version)
    REMINDER = "reminder"  # a result still unread after the reminder period


# The kinds that announce a result (and so may be reminded of).
ANNOUNCING = frozenset({MessageKind.RESULT, MessageKind.CORRECTION})


class Channel(StrEnum):
    INBOX = "inbox"  # the citizen's inbox (this app's, or 1177 Inkorg in production)
    EMAIL = "email"
    SMS = "sms"


class DeliveryState(StrEnum):
    PENDING = "pending"  # not tried yet, or tried and failed before the point of no return
    SENDING = "sending"  # claimed by an attempt that has not passed the point of no return
    HANDED_OVER = "handed_over"  # past the point of no return, not (yet) confirmed
    SENT = "sent"  # confirmed by the channel
    SKIPPED = "skipped"  # nothing to send to any more (the contact detail was removed)


class InboxMessageNotFound(NotFound):
    """No such message in the citizen's own inbox (another citizen's message is not found)."""


# --- texts ------------------------------------------------------------------------------
# Swedish, as the citizen reads them (the app's English locale renders its own text from the
# kind and the offer name; what is stored and sent is this). None of them ever holds a value,
# an insight or anything of the result.

SERVICE_NAME = "Egen provhantering"

_INBOX_SUBJECTS = {
    MessageKind.RESULT: "Nytt provsvar",
    MessageKind.CORRECTION: "Korrigerat provsvar",
    MessageKind.REMINDER: "Påminnelse: oläst provsvar",
}
_INBOX_BODIES = {
    MessageKind.RESULT: (
        "Det finns ett nytt provsvar för din beställning {offer} i {service}. "
        "Öppna beställningen för att läsa svaret."
    ),
    MessageKind.CORRECTION: (
        "Ett provsvar för din beställning {offer} i {service} har korrigerats. "
        "Öppna beställningen för att läsa det nya svaret."
    ),
    MessageKind.REMINDER: (
        "Du har ett provsvar för din beställning {offer} i {service} som du inte har läst än. "
        "Öppna beställningen för att läsa svaret."
    ),
}
# What leaves the service (e-mail, SMS): generic — not even which test.
_NOTICE_SUBJECTS = {
    MessageKind.RESULT: "Nytt provsvar i Egen provhantering",
    MessageKind.CORRECTION: "Nytt provsvar i Egen provhantering",
    MessageKind.REMINDER: "Påminnelse: oläst provsvar i Egen provhantering",
}
_NOTICE_TEXTS = {
    MessageKind.RESULT: (
        "Du har fått ett nytt provsvar i Egen provhantering. Logga in på 1177 för att läsa det."
    ),
    MessageKind.CORRECTION: (
        "Du har fått ett nytt provsvar i Egen provhantering. Logga in på 1177 för att läsa det."
    ),
    MessageKind.REMINDER: (
        "Du har ett provsvar i Egen provhantering som du inte har läst. "
        "Logga in på 1177 för att läsa det."
    ),
}


@dataclass(frozen=True, slots=True)
class MessageText:
    subject: str
    body: str


def inbox_text(kind: MessageKind, *, offer_name: str) -> MessageText:
    """The inbox message: behind the citizen's login, so it may name the order's offer."""
    return MessageText(
        subject=_INBOX_SUBJECTS[kind],
        body=_INBOX_BODIES[kind].format(offer=offer_name, service=SERVICE_NAME),
    )


def notice_text(kind: MessageKind) -> MessageText:
    """The e-mail and SMS: only that there is something to read after logging in."""
    return MessageText(subject=_NOTICE_SUBJECTS[kind], body=_NOTICE_TEXTS[kind])


def email_body(kind: MessageKind, *, signature: str) -> str:
    text = notice_text(kind).body
    return (
        f"Hej!\n\n{text}\n\n"
        "Meddelandet innehåller inget provsvar. Du läser svaret efter inloggning med "
        "BankID på 1177.se.\n\n"
        "Du får det här meddelandet eftersom du har angett din e-postadress i "
        f"{SERVICE_NAME}. Du kan ändra eller ta bort den under Inställningar.\n\n"
        f"{signature}\n"
    )


# --- reminders --------------------------------------------------------------------------


def reminder_due_before(now: datetime, *, after: timedelta) -> datetime:
    """Messages created before this moment are due for their reminder (if still unread)."""
    return now - after


# --- contact details --------------------------------------------------------------------

EMAIL_MAX = 254
# Deliberately plain (RFC 5321's mailbox, without quoted local parts or IP literals): a
# notification address is typed by a person, and anything stranger is more likely a typo.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
# Swedish mobile numbers (1177's notifications go to Swedish numbers): 07[02369] and seven
# more digits, nationally; +46 / 0046 without the leading zero internationally.
_MOBILE = re.compile(r"^7[02369]\d{7}$")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()]")


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """Where notifications go. `version` 0: none given yet."""

    email: str | None
    mobile: str | None
    version: int

    @property
    def channels(self) -> frozenset[Channel]:
        given = {Channel.INBOX}
        if self.email:
            given.add(Channel.EMAIL)
        if self.mobile:
            given.add(Channel.SMS)
        return frozenset(given)


def validated_email(raw: str | None) -> str | None:
    """The address as it will be used, or None when left empty. Local part kept as typed,
    the domain in lower case."""
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if len(value) > EMAIL_MAX or ".." in value or not _EMAIL.match(value):
        raise InvalidInput(
            "email", "is not an e-mail address (name@example.se)", code="invalid_email"
        )
    local, domain = value.rsplit("@", 1)
    if local.startswith(".") or local.endswith("."):
        raise InvalidInput(
            "email", "is not an e-mail address (name@example.se)", code="invalid_email"
        )
    return f"{local}@{domain.lower()}"


def validated_mobile(raw: str | None) -> str | None:
    """A Swedish mobile number in international form (+46701234567), or None when left
    empty. Accepts 070-123 45 67, 0701234567, +46 70 123 45 67 and 0046701234567."""
    if raw is None or not raw.strip():
        return None
    value = _MOBILE_SEPARATORS.sub("", raw.strip())
    if value.startswith("+46"):
        national = value[3:]
    elif value.startswith("0046"):
        national = value[4:]
    elif value.startswith("0"):
        national = value[1:]
    else:
        national = ""
    if not _MOBILE.match(national):
        raise InvalidInput(
            "mobile",
            "is not a Swedish mobile number (07X-XXX XX XX)",
            code="invalid_mobile",
        )
    return "+46" + national


def change_summary(before: ContactDetails, after: ContactDetails) -> dict[str, str]:
    """What the audit log keeps of a change: per detail whether it was added, changed,
    removed or left — never the values."""

    def one(old: str | None, new: str | None) -> str:
        if old == new:
            return "unchanged"
        if old is None:
            return "added"
        if new is None:
            return "removed"
        return "changed"

    return {"email": one(before.email, after.email), "mobile": one(before.mobile, after.mobile)}


# --- deliveries -------------------------------------------------------------------------


# Which deliveries an attempt may claim. `sending` too: the attempt holding it died before
# its point of no return — or is still on, and then whichever attempt reaches the point of no
# return first sends while the other stops there. Never `handed_over`: on SMTP a message
# handed over once is never sent again, even when no confirmation came (the channels that
# deduplicate by our reference themselves — the SMS gateway, the 1177 inbox — have no point
# of no return: their deliveries stay `sending` until confirmed and are simply sent again).
CLAIMABLE = frozenset({DeliveryState.PENDING, DeliveryState.SENDING})


def message_id_for(delivery_id: uuid.UUID, *, domain: str) -> str:
    """The e-mail's Message-ID, the same for every attempt of one delivery (a mail client
    that sees it twice may show it once; the design does not depend on that)."""
    return f"<{delivery_id}@{domain}>"


# --- ports ------------------------------------------------------------------------------

# Called by a sender at its point of no return; True: go on, False: another attempt has
# taken the delivery over — stop without handing anything over.
PointOfNoReturn = Callable[[], Coroutine[Any, Any, bool]]


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    to: str
    subject: str
    body: str
    message_id: str


@dataclass(frozen=True, slots=True)
class OutgoingSms:
    to: str
    text: str
    # Our delivery id: the gateway keeps one message per reference.
    reference: uuid.UUID


@dataclass(frozen=True, slots=True)
class InboxDelivery:
    message_id: uuid.UUID
    citizen_personnummer: str
    subject: str
    body: str
    created_at: datetime


class DeliveryFailed(Exception):
    """The channel refused the message or could not be reached. `accepted_unknown`: the
    failure came after the point of no return without a definite refusal (the connection
    broke while waiting for the server's reply to the final dot), so the message may have
    been accepted and is never sent again. A definite refusal (an SMTP error reply) leaves
    it False: nothing was accepted, and the delivery is tried again."""

    def __init__(self, reason: str, *, accepted_unknown: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.accepted_unknown = accepted_unknown


class EmailSender(Protocol):
    async def send(self, email: OutgoingEmail, *, point_of_no_return: PointOfNoReturn) -> bool:
        """Sends the e-mail; calls `point_of_no_return` right before the message is
        irrevocably handed over and stops (returns False, nothing sent) when it says so.
        True when the server accepted it. Raises DeliveryFailed."""
        ...


class SmsGateway(Protocol):
    async def send(self, sms: OutgoingSms) -> str | None:
        """Sends the SMS; the gateway keeps one message per `sms.reference`. Returns the
        gateway's id of the message, if it gives one. Raises DeliveryFailed."""
        ...


class InboxGateway(Protocol):
    async def deliver(self, message: InboxDelivery, *, now: datetime) -> None:
        """Puts the message into the citizen's inbox; idempotent per `message.message_id`.
        Raises DeliveryFailed."""
        ...
