"""The citizen's inbox, contact details and the deliveries of messages on each channel
(domain/notifications.py, docs/adr/0009-notifications.md). Every query for a citizen's
messages or contact details takes the citizen's keyed hash: another citizen's message is
simply not found. Batch writes are set-based (`unnest`), one statement per table."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from adapters.db.repositories import Executor
from adapters.protection import DataProtector
from domain.notifications import Channel, ContactDetails, DeliveryState, MessageKind

# --- contact details ---------------------------------------------------------------------

_CONTACT = text(
    "SELECT email_encrypted, mobile_encrypted, version FROM citizen_contact_details"
    " WHERE citizen_hash = :citizen"
)
_CONTACT_INSERT = text(
    """
    INSERT INTO citizen_contact_details (citizen_hash, email_encrypted, mobile_encrypted,
                                         version, updated_at)
    VALUES (:citizen, :email, :mobile, 1, :now)
    ON CONFLICT (citizen_hash) DO NOTHING
    RETURNING version
    """
)
_CONTACT_UPDATE = text(
    """
    UPDATE citizen_contact_details
       SET email_encrypted = :email, mobile_encrypted = :mobile, version = version + 1,
           updated_at = :now
     WHERE citizen_hash = :citizen AND version = :version
    RETURNING version
    """
)

# --- messages ------------------------------------------------------------------------------

_ORDER_SOURCES = text(
    """
    SELECT o.id, o.citizen_hash, f.name AS offer_name
      FROM orders o JOIN offers f ON f.id = o.offer_id
     WHERE o.id = ANY(CAST(:ids AS uuid[]))
    """
)
# A message is made once per origin: delivering its event again inserts nothing.
_ADD_MESSAGES = text(
    """
    INSERT INTO inbox_messages (id, origin_id, citizen_hash, order_id, kind, subject, body,
                                created_at)
    SELECT t.id, t.origin, t.citizen, t.order_id, t.kind, t.subject, t.body, :now
      FROM unnest(CAST(:ids AS uuid[]), CAST(:origins AS uuid[]), CAST(:citizens AS bytea[]),
                  CAST(:orders AS uuid[]), CAST(:kinds AS text[]), CAST(:subjects AS text[]),
                  CAST(:bodies AS text[]))
           AS t(id, origin, citizen, order_id, kind, subject, body)
      -- An order deleted meanwhile gets no message.
      JOIN orders o ON o.id = t.order_id
    ON CONFLICT (origin_id) DO NOTHING
    RETURNING id, citizen_hash
    """
)
_CHANNELS = text(
    """
    SELECT citizen_hash, email_encrypted IS NOT NULL AS email, mobile_encrypted IS NOT NULL
           AS mobile
      FROM citizen_contact_details WHERE citizen_hash = ANY(CAST(:citizens AS bytea[]))
    """
)
_ADD_DELIVERIES = text(
    """
    INSERT INTO notification_deliveries (id, message_id, channel, state, attempts, created_at)
    SELECT t.id, t.message_id, t.channel, 'pending', 0, :now
      FROM unnest(CAST(:ids AS uuid[]), CAST(:messages AS uuid[]), CAST(:channels AS text[]))
           AS t(id, message_id, channel)
    """
)
# Only what was delivered to the inbox is shown.
_LIST = text(
    """
    SELECT m.id, m.kind, m.subject, m.body, m.order_id, f.name AS offer_name, m.created_at,
           m.read_at
      FROM inbox_messages m
      JOIN orders o ON o.id = m.order_id
      JOIN offers f ON f.id = o.offer_id
     WHERE m.citizen_hash = :citizen AND m.delivered_at IS NOT NULL
     ORDER BY m.created_at DESC, m.id DESC
     LIMIT :limit OFFSET :offset
    """
)
_COUNTS = text(
    """
    SELECT count(*) AS total, count(*) FILTER (WHERE read_at IS NULL) AS unread
      FROM inbox_messages
     WHERE citizen_hash = :citizen AND delivered_at IS NOT NULL
    """
)
_MARK_READ = text(
    """
    UPDATE inbox_messages SET read_at = coalesce(read_at, :now)
     WHERE id = :id AND citizen_hash = :citizen AND delivered_at IS NOT NULL
    RETURNING id
    """
)
# Results the citizen has not read (the newest version of each line), per order.
_UNREAD_RESULTS = text(
    """
    SELECT o.id AS order_id, f.name AS offer_name, count(*) AS unread,
           max(r.received_at) AS received_at
      FROM orders o
      JOIN offers f ON f.id = o.offer_id
      JOIN order_lines l ON l.order_id = o.id
      JOIN LATERAL (SELECT x.read_at, x.received_at FROM results x
                     WHERE x.order_line_id = l.id
                     ORDER BY x.sampling_date DESC, x.version DESC LIMIT 1) r ON true
     WHERE o.citizen_hash = :citizen AND r.read_at IS NULL
     GROUP BY o.id, f.name
     ORDER BY max(r.received_at) DESC
     LIMIT :limit
    """
)

# --- reminders -------------------------------------------------------------------------------

# An announcing message is due for its reminder when it is older than the reminder period,
# unread, the newest announcing message of its order (a correction takes the reminder over
# from the result it corrects), and its order still has an unread result. Claimed with SKIP
# LOCKED and settled in the same statement: two runs at the same moment remind of different
# messages, and a message is reminded of once.
_CLAIM_REMINDERS = text(
    """
    WITH due AS (
        SELECT m.id FROM inbox_messages m
         WHERE m.reminder_settled_at IS NULL AND m.kind IN ('result', 'correction')
           AND m.created_at <= :before AND m.read_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM inbox_messages n
                            WHERE n.order_id = m.order_id AND n.kind IN ('result', 'correction')
                              AND n.created_at > m.created_at)
           AND EXISTS (SELECT 1 FROM order_lines l JOIN results r ON r.order_line_id = l.id
                        WHERE l.order_id = m.order_id AND r.read_at IS NULL)
         ORDER BY m.created_at
         LIMIT :limit
           FOR UPDATE OF m SKIP LOCKED
    )
    UPDATE inbox_messages m SET reminder_settled_at = :now
      FROM due, orders o, offers f
     WHERE m.id = due.id AND m.reminder_settled_at IS NULL AND o.id = m.order_id
       AND f.id = o.offer_id
    RETURNING m.id, m.order_id, m.citizen_hash, f.name AS offer_name
    """
)
# The messages past the period that will never be due (read, their results read, or taken
# over by a newer message) are settled without a reminder, so that the partial index the
# claim scans holds only what may still be due.
_SETTLE_REMINDERS = text(
    """
    WITH done AS (
        SELECT m.id FROM inbox_messages m
         WHERE m.reminder_settled_at IS NULL AND m.kind IN ('result', 'correction')
           AND m.created_at <= :before
           AND (m.read_at IS NOT NULL
                OR EXISTS (SELECT 1 FROM inbox_messages n
                            WHERE n.order_id = m.order_id AND n.kind IN ('result', 'correction')
                              AND n.created_at > m.created_at)
                OR NOT EXISTS (SELECT 1 FROM order_lines l JOIN results r
                                 ON r.order_line_id = l.id
                                WHERE l.order_id = m.order_id AND r.read_at IS NULL))
         LIMIT :limit
           FOR UPDATE OF m SKIP LOCKED
    )
    UPDATE inbox_messages m SET reminder_settled_at = :now FROM done WHERE m.id = done.id
    """
)

# --- deliveries ------------------------------------------------------------------------------

_CLAIM_DELIVERY = text(
    """
    WITH claimed AS (
        UPDATE notification_deliveries
           SET state = 'sending', attempts = attempts + 1, claim_token = :token,
               claimed_at = :now
         WHERE id = :id AND channel = :channel AND state = ANY(CAST(:states AS text[]))
        RETURNING id, message_id, attempts
    )
    SELECT c.id, c.message_id, c.attempts, m.kind, m.subject, m.body, m.created_at,
           m.citizen_hash, o.citizen_encrypted, d.email_encrypted, d.mobile_encrypted
      FROM claimed c
      JOIN inbox_messages m ON m.id = c.message_id
      JOIN orders o ON o.id = m.order_id
      LEFT JOIN citizen_contact_details d ON d.citizen_hash = m.citizen_hash
    """
)
_HAND_OVER = text(
    """
    UPDATE notification_deliveries SET state = 'handed_over', handed_over_at = :now
     WHERE id = :id AND claim_token = :token AND state = 'sending'
    RETURNING id
    """
)
_SENT = text(
    """
    UPDATE notification_deliveries
       SET state = 'sent', sent_at = :now, provider_reference = :reference, last_error = NULL
     WHERE id = :id AND claim_token = :token AND state IN ('sending', 'handed_over')
    """
)
_RELEASE = text(
    """
    UPDATE notification_deliveries SET state = 'pending', last_error = :error
     WHERE id = :id AND claim_token = :token AND state = ANY(CAST(:states AS text[]))
    """
)
_NOTE = text(
    "UPDATE notification_deliveries SET last_error = :error WHERE id = :id AND claim_token = :token"
)
_SKIP = text(
    """
    UPDATE notification_deliveries SET state = 'skipped', last_error = :reason
     WHERE id = :id AND claim_token = :token AND state = 'sending'
    """
)
_DELIVERED_TO_INBOX = text(
    "UPDATE inbox_messages SET delivered_at = coalesce(delivered_at, :now) WHERE id = :id"
)


def _email_context(citizen_hash: bytes) -> bytes:
    return b"contact-email:" + citizen_hash


def _mobile_context(citizen_hash: bytes) -> bytes:
    return b"contact-mobile:" + citizen_hash


@dataclass(frozen=True, slots=True)
class OrderSource:
    """What a message about an order needs: whose it is and the offer's name."""

    order_id: uuid.UUID
    citizen_hash: bytes
    offer_name: str


@dataclass(frozen=True, slots=True)
class NewMessage:
    id: uuid.UUID
    origin_id: uuid.UUID
    citizen_hash: bytes
    order_id: uuid.UUID
    kind: MessageKind
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class NewDelivery:
    id: uuid.UUID
    message_id: uuid.UUID
    channel: Channel


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: uuid.UUID
    kind: MessageKind
    subject: str
    body: str
    order_id: uuid.UUID
    offer_name: str
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True, slots=True)
class InboxPage:
    total: int
    unread: int
    items: list[InboxRow]


@dataclass(frozen=True, slots=True)
class UnreadResults:
    order_id: uuid.UUID
    offer_name: str
    unread: int
    received_at: datetime


@dataclass(frozen=True, slots=True)
class DueReminder:
    message_id: uuid.UUID
    order_id: uuid.UUID
    citizen_hash: bytes
    offer_name: str


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery claimed for one attempt, with what sending it needs: the message, and the
    address as the contact details hold it now (None: removed since the message was made)."""

    id: uuid.UUID
    token: uuid.UUID
    message_id: uuid.UUID
    attempts: int
    kind: MessageKind
    subject: str
    body: str
    created_at: datetime
    personnummer: str
    email: str | None
    mobile: str | None


class NotificationRepository:
    def __init__(self, session: Executor, protector: DataProtector) -> None:
        self._session = session
        self._protector = protector

    # --- contact details ---

    async def contact_details(self, citizen_hash: bytes) -> ContactDetails:
        row = (await self._session.execute(_CONTACT, {"citizen": citizen_hash})).first()
        if row is None:
            return ContactDetails(email=None, mobile=None, version=0)
        return ContactDetails(
            email=self._open(row.email_encrypted, _email_context(citizen_hash)),
            mobile=self._open(row.mobile_encrypted, _mobile_context(citizen_hash)),
            version=row.version,
        )

    async def save_contact_details(
        self,
        citizen_hash: bytes,
        *,
        email: str | None,
        mobile: str | None,
        expected_version: int,
        now: datetime,
    ) -> int | None:
        """The new version, or None when `expected_version` is not the current one (0: none
        saved yet)."""
        params = {
            "citizen": citizen_hash,
            "email": self._seal(email, _email_context(citizen_hash)),
            "mobile": self._seal(mobile, _mobile_context(citizen_hash)),
            "now": now,
            "version": expected_version,
        }
        statement = _CONTACT_INSERT if expected_version == 0 else _CONTACT_UPDATE
        row = (await self._session.execute(statement, params)).first()
        return None if row is None else int(row.version)

    # --- making messages ---

    async def order_sources(self, order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, OrderSource]:
        rows = await self._session.execute(_ORDER_SOURCES, {"ids": list(set(order_ids))})
        return {
            r.id: OrderSource(order_id=r.id, citizen_hash=r.citizen_hash, offer_name=r.offer_name)
            for r in rows
        }

    async def add_messages(
        self, messages: Sequence[NewMessage], *, now: datetime
    ) -> dict[uuid.UUID, bytes]:
        """Inserts the messages whose origin has none yet (and whose order still exists);
        returns the inserted ones: id → citizen hash."""
        if not messages:
            return {}
        rows = await self._session.execute(
            _ADD_MESSAGES,
            {
                "now": now,
                "ids": [m.id for m in messages],
                "origins": [m.origin_id for m in messages],
                "citizens": [m.citizen_hash for m in messages],
                "orders": [m.order_id for m in messages],
                "kinds": [m.kind.value for m in messages],
                "subjects": [m.subject for m in messages],
                "bodies": [m.body for m in messages],
            },
        )
        return {r.id: r.citizen_hash for r in rows}

    async def channels(self, citizen_hashes: Sequence[bytes]) -> dict[bytes, frozenset[Channel]]:
        """The channels each citizen has given (the inbox always)."""
        given = {h: frozenset({Channel.INBOX}) for h in citizen_hashes}
        if not given:
            return given
        rows = await self._session.execute(_CHANNELS, {"citizens": list(given)})
        for r in rows:
            channels = {Channel.INBOX}
            if r.email:
                channels.add(Channel.EMAIL)
            if r.mobile:
                channels.add(Channel.SMS)
            given[r.citizen_hash] = frozenset(channels)
        return given

    async def add_deliveries(self, deliveries: Sequence[NewDelivery], *, now: datetime) -> None:
        if deliveries:
            await self._session.execute(
                _ADD_DELIVERIES,
                {
                    "now": now,
                    "ids": [d.id for d in deliveries],
                    "messages": [d.message_id for d in deliveries],
                    "channels": [d.channel.value for d in deliveries],
                },
            )

    # --- the citizen's inbox ---

    async def inbox(self, citizen_hash: bytes, *, limit: int, offset: int) -> InboxPage:
        counts = (await self._session.execute(_COUNTS, {"citizen": citizen_hash})).one()
        rows = await self._session.execute(
            _LIST, {"citizen": citizen_hash, "limit": limit, "offset": offset}
        )
        return InboxPage(
            total=int(counts.total),
            unread=int(counts.unread),
            items=[
                InboxRow(
                    id=r.id,
                    kind=MessageKind(r.kind),
                    subject=r.subject,
                    body=r.body,
                    order_id=r.order_id,
                    offer_name=r.offer_name,
                    created_at=r.created_at,
                    read_at=r.read_at,
                )
                for r in rows
            ],
        )

    async def unread_messages(self, citizen_hash: bytes) -> int:
        counts = (await self._session.execute(_COUNTS, {"citizen": citizen_hash})).one()
        return int(counts.unread)

    async def mark_read(self, message_id: uuid.UUID, citizen_hash: bytes, *, now: datetime) -> bool:
        """False when the citizen has no such message."""
        row = (
            await self._session.execute(
                _MARK_READ, {"id": message_id, "citizen": citizen_hash, "now": now}
            )
        ).first()
        return row is not None

    async def unread_results(self, citizen_hash: bytes, *, limit: int) -> list[UnreadResults]:
        rows = await self._session.execute(
            _UNREAD_RESULTS, {"citizen": citizen_hash, "limit": limit}
        )
        return [
            UnreadResults(
                order_id=r.order_id,
                offer_name=r.offer_name,
                unread=int(r.unread),
                received_at=r.received_at,
            )
            for r in rows
        ]

    # --- reminders ---

    async def claim_due_reminders(
        self, *, before: datetime, now: datetime, limit: int
    ) -> list[DueReminder]:
        rows = await self._session.execute(
            _CLAIM_REMINDERS, {"before": before, "now": now, "limit": limit}
        )
        return [
            DueReminder(
                message_id=r.id,
                order_id=r.order_id,
                citizen_hash=r.citizen_hash,
                offer_name=r.offer_name,
            )
            for r in rows
        ]

    async def settle_reminders(self, *, before: datetime, now: datetime, limit: int) -> int:
        """Settles (without a reminder) up to `limit` messages that can no longer be due."""
        result = await self._session.execute(
            _SETTLE_REMINDERS, {"before": before, "now": now, "limit": limit}
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- deliveries ---

    async def claim_delivery(
        self,
        delivery_id: uuid.UUID,
        *,
        channel: Channel,
        token: uuid.UUID,
        states: frozenset[DeliveryState],
        now: datetime,
    ) -> ClaimedDelivery | None:
        """Claims the delivery for one attempt (None: nothing left to do — sent, handed over,
        skipped, or gone with its order)."""
        row = (
            await self._session.execute(
                _CLAIM_DELIVERY,
                {
                    "id": delivery_id,
                    "channel": channel.value,
                    "token": token,
                    "states": [s.value for s in states],
                    "now": now,
                },
            )
        ).first()
        if row is None:
            return None
        citizen_hash: bytes = row.citizen_hash
        return ClaimedDelivery(
            id=row.id,
            token=token,
            message_id=row.message_id,
            attempts=row.attempts,
            kind=MessageKind(row.kind),
            subject=row.subject,
            body=row.body,
            created_at=row.created_at,
            personnummer=self._protector.decrypt(
                row.citizen_encrypted, context=citizen_hash
            ).decode(),
            email=self._open(row.email_encrypted, _email_context(citizen_hash)),
            mobile=self._open(row.mobile_encrypted, _mobile_context(citizen_hash)),
        )

    async def hand_over(self, delivery_id: uuid.UUID, *, token: uuid.UUID, now: datetime) -> bool:
        """The point of no return: True when this attempt still holds the delivery."""
        row = (
            await self._session.execute(_HAND_OVER, {"id": delivery_id, "token": token, "now": now})
        ).first()
        return row is not None

    async def mark_sent(
        self, delivery_id: uuid.UUID, *, token: uuid.UUID, now: datetime, reference: str | None
    ) -> None:
        await self._session.execute(
            _SENT, {"id": delivery_id, "token": token, "now": now, "reference": reference}
        )

    async def release(
        self, delivery_id: uuid.UUID, *, token: uuid.UUID, error: str, refused: bool
    ) -> None:
        """The attempt failed and nothing was accepted: the delivery may be tried again. A
        delivery past its point of no return goes back only when it surely was not accepted
        (`refused`: an error reply to the final dot, or the dot never sent); after any other
        failure it stays handed over."""
        states = ["sending", "handed_over"] if refused else ["sending"]
        await self._session.execute(
            _RELEASE, {"id": delivery_id, "token": token, "error": error[:500], "states": states}
        )

    async def note(self, delivery_id: uuid.UUID, *, token: uuid.UUID, error: str) -> None:
        await self._session.execute(
            _NOTE, {"id": delivery_id, "token": token, "error": error[:500]}
        )

    async def skip(self, delivery_id: uuid.UUID, *, token: uuid.UUID, reason: str) -> None:
        await self._session.execute(_SKIP, {"id": delivery_id, "token": token, "reason": reason})

    async def mark_delivered_to_inbox(self, message_id: uuid.UUID, *, now: datetime) -> None:
        await self._session.execute(_DELIVERED_TO_INBOX, {"id": message_id, "now": now})

    # --- helpers ---

    def _seal(self, value: str | None, context: bytes) -> bytes | None:
        return None if value is None else self._protector.encrypt(value.encode(), context=context)

    def _open(self, value: bytes | None, context: bytes) -> str | None:
        return None if value is None else self._protector.decrypt(value, context=context).decode()
