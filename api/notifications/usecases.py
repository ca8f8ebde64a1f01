"""Making the citizen's messages and delivering them (domain/notifications.py).

- `post_result_messages`: for `result_available` events, one inbox message each (made once
  per event, however often the event is delivered), with one delivery per channel the
  citizen has given and an outbox event per delivery — one transaction.
- `create_due_reminders`: the reminders that are due, claimed, made and announced in one
  transaction (several workers never remind of one message twice).
- `deliver_notifications`: the deliveries of the claimed outbox events, each claimed under
  a token, sent, and marked; the e-mail's point of no return is recorded (committed) before
  its final dot. Returns the failures, which the outbox retries with back-off and in the end
  dead-letters."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from adapters.db.repositories.notifications import (
    ClaimedDelivery,
    NewDelivery,
    NewMessage,
)
from adapters.db.uow import UnitOfWork
from domain.notifications import (
    CLAIMABLE,
    Channel,
    DeliveryFailed,
    EmailSender,
    InboxDelivery,
    InboxGateway,
    MessageKind,
    OutgoingEmail,
    OutgoingSms,
    SmsGateway,
    email_body,
    inbox_text,
    message_id_for,
    notice_text,
    reminder_due_before,
)
from domain.outbox import EventKind, NewEvent, OutboxEvent

log = logging.getLogger(__name__)

EVENT_OF_CHANNEL = {
    Channel.INBOX: EventKind.INBOX_DELIVERY,
    Channel.EMAIL: EventKind.EMAIL_NOTIFICATION,
    Channel.SMS: EventKind.SMS_NOTIFICATION,
}
CHANNEL_OF_EVENT = {kind: channel for channel, kind in EVENT_OF_CHANNEL.items()}
EMAIL_SIGNATURE = "Med vänliga hälsningar\n1177 – Egen provhantering"


@dataclass(frozen=True, slots=True)
class Channels:
    """The channels the worker delivers on. `email` None: no SMTP server is configured
    (e-mail deliveries fail, are retried and end as dead letters an operator sees)."""

    inbox: InboxGateway
    email: EmailSender | None
    sms: SmsGateway
    message_id_domain: str


async def _announce(
    uow: UnitOfWork,
    messages: Sequence[NewMessage],
    *,
    now: datetime,
    new_id: Callable[[], uuid.UUID],
) -> int:
    """Inserts the messages (those already made are left out) and, for each new one, a
    delivery per channel of its citizen with its outbox event."""
    created = await uow.notifications.add_messages(messages, now=now)
    if not created:
        return 0
    channels = await uow.notifications.channels(sorted(set(created.values())))
    deliveries = [
        NewDelivery(id=new_id(), message_id=message_id, channel=channel)
        for message_id, citizen in created.items()
        for channel in sorted(channels[citizen])
    ]
    await uow.notifications.add_deliveries(deliveries, now=now)
    await uow.outbox.add(
        [
            NewEvent(
                id=new_id(),
                kind=EVENT_OF_CHANNEL[d.channel],
                payload={"delivery_id": str(d.id)},
            )
            for d in deliveries
        ],
        now=now,
    )
    return len(created)


async def post_result_messages(
    *,
    uow: UnitOfWork,
    events: Sequence[OutboxEvent],
    now: datetime,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> int:
    """An inbox message per `result_available` event (a correction's says so); an order
    deleted meanwhile gets none. Returns how many messages were made."""
    order_ids = [uuid.UUID(str(e.payload["order_id"])) for e in events]
    sources = await uow.notifications.order_sources(order_ids)
    messages = []
    for event, order_id in zip(events, order_ids, strict=True):
        source = sources.get(order_id)
        if source is None:
            continue
        kind = MessageKind.CORRECTION if event.payload.get("corrected") else MessageKind.RESULT
        text = inbox_text(kind, offer_name=source.offer_name)
        messages.append(
            NewMessage(
                id=new_id(),
                origin_id=event.id,
                citizen_hash=source.citizen_hash,
                order_id=order_id,
                kind=kind,
                subject=text.subject,
                body=text.body,
            )
        )
    made = await _announce(uow, messages, now=now, new_id=new_id)
    await uow.commit()
    return made


@dataclass(frozen=True, slots=True)
class ReminderRun:
    settled: int  # messages that will never need a reminder, settled without one
    reminded: int  # reminders made


async def create_due_reminders(
    *,
    uow: UnitOfWork,
    now: datetime,
    after: timedelta,
    limit: int,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> ReminderRun:
    """At most `limit` reminders: each result message still unread (the message, and its
    order's results) `after` its making gets one reminder message, announced on the
    citizen's channels. Claiming, making and announcing are one transaction. Up to `limit`
    messages that can no longer be due are settled on the way."""
    before = reminder_due_before(now, after=after)
    settled = await uow.notifications.settle_reminders(before=before, now=now, limit=limit)
    due = await uow.notifications.claim_due_reminders(before=before, now=now, limit=limit)
    messages = []
    for reminder in due:
        text = inbox_text(MessageKind.REMINDER, offer_name=reminder.offer_name)
        messages.append(
            NewMessage(
                id=new_id(),
                origin_id=reminder.message_id,
                citizen_hash=reminder.citizen_hash,
                order_id=reminder.order_id,
                kind=MessageKind.REMINDER,
                subject=text.subject,
                body=text.body,
            )
        )
    made = await _announce(uow, messages, now=now, new_id=new_id)
    await uow.commit()
    return ReminderRun(settled=settled, reminded=made)


async def deliver_notifications(
    *,
    uow_factory: Callable[[], UnitOfWork],
    events: Sequence[OutboxEvent],
    channels: Channels,
    clock: Callable[[], datetime],
    concurrency: int,
) -> dict[uuid.UUID, str]:
    """Delivers each event's delivery, `concurrency` at a time. Returns the failures
    (event id → reason) for the outbox to retry."""
    gate = asyncio.Semaphore(concurrency)

    async def one(event: OutboxEvent) -> tuple[uuid.UUID, str | None]:
        async with gate:
            return event.id, await _deliver(
                uow_factory=uow_factory,
                event=event,
                channel=CHANNEL_OF_EVENT[event.kind],
                delivery_id=uuid.UUID(str(event.payload["delivery_id"])),
                channels=channels,
                clock=clock,
            )

    outcomes = await asyncio.gather(*(one(e) for e in events))
    return {event_id: error for event_id, error in outcomes if error is not None}


async def _deliver(
    *,
    uow_factory: Callable[[], UnitOfWork],
    event: OutboxEvent,
    channel: Channel,
    delivery_id: uuid.UUID,
    channels: Channels,
    clock: Callable[[], datetime],
) -> str | None:
    """One attempt at one delivery; the reason when it failed and should be tried again."""
    token = uuid.uuid4()
    async with uow_factory() as uow:
        # Only while this attempt's claim still holds the event. A `sending` delivery may be
        # claimed (its attempt may have died), so an attempt that waited here past its lease
        # — its event meanwhile claimed again, by a drain now sending it — would take the
        # delivery over from the event's holder: that holder stops at its point of no return
        # and settles the event, and were this attempt's worker then killed, nothing would
        # be left to send it (found by the kill drill). The event's row stays locked until
        # the claim below commits, so no later claim slips in between.
        if not await uow.outbox.still_held(event.id, worker=event.holder):
            return None  # taken over by a later claim, which delivers it
        claimed = await uow.notifications.claim_delivery(
            delivery_id, channel=channel, token=token, states=CLAIMABLE, now=clock()
        )
        await uow.commit()
    if claimed is None:
        return None  # sent, handed over, skipped or gone with its order: nothing to do
    try:
        sent, reference = await _send(uow_factory, channel, claimed, channels=channels, clock=clock)
    except DeliveryFailed as failure:
        async with uow_factory() as uow:
            if failure.accepted_unknown:
                # Past the point of no return without an answer: perhaps accepted. Never
                # again (a lost e-mail rather than a doubled one: the inbox keeps the message).
                await uow.notifications.note(claimed.id, token=token, error=failure.reason)
                log.warning("%s delivery %s: %s (not repeated)", channel, claimed.id, failure)
            else:
                # Nothing was accepted: refused (also when the refusal answered the final dot),
                # or the final dot never went out (also when the point of no return was
                # recorded too late to be used: the delivery goes back from `handed_over`).
                await uow.notifications.release(
                    claimed.id, token=token, error=failure.reason, refused=True
                )
            await uow.commit()
        return None if failure.accepted_unknown else failure.reason
    except Exception as error:  # a channel's failure is the delivery's, never the worker's
        reason = f"{type(error).__name__}: {error}"
        log.warning("%s delivery %s failed: %s", channel, claimed.id, reason)
        async with uow_factory() as uow:
            # Only a delivery short of its point of no return goes back to pending.
            await uow.notifications.release(claimed.id, token=token, error=reason, refused=False)
            await uow.commit()
        return reason
    if not sent:
        # Skipped, or taken over by a later claim of the event (its lease ran out): that
        # claim holds the delivery now, and our "delivered" settles nothing of it
        # (api/outbox/usecases.py claim_holder).
        return None
    async with uow_factory() as uow:
        await uow.notifications.mark_sent(claimed.id, token=token, now=clock(), reference=reference)
        await uow.commit()
    return None


async def _send(
    uow_factory: Callable[[], UnitOfWork],
    channel: Channel,
    claimed: ClaimedDelivery,
    *,
    channels: Channels,
    clock: Callable[[], datetime],
) -> tuple[bool, str | None]:
    """Sends on the channel: (False, None) when nothing was to be sent after all, else
    (True, the channel's reference of what it accepted)."""
    if channel is Channel.INBOX:
        await channels.inbox.deliver(
            InboxDelivery(
                message_id=claimed.message_id,
                citizen_personnummer=claimed.personnummer,
                subject=claimed.subject,
                body=claimed.body,
                created_at=claimed.created_at,
            ),
            now=clock(),
        )
        return True, None
    address = claimed.email if channel is Channel.EMAIL else claimed.mobile
    if address is None:
        # Removed from the contact details since the message was made: not sent.
        async with uow_factory() as uow:
            await uow.notifications.skip(
                claimed.id, token=claimed.token, reason="contact detail removed"
            )
            await uow.commit()
        return False, None
    text = notice_text(claimed.kind)
    if channel is Channel.SMS:
        return True, await channels.sms.send(
            OutgoingSms(to=address, text=text.body, reference=claimed.id)
        )
    if channels.email is None:
        raise DeliveryFailed("no SMTP server is configured (PEP_SMTP_HOST)")

    async def point_of_no_return() -> bool:
        async with uow_factory() as uow:
            holds = await uow.notifications.hand_over(claimed.id, token=claimed.token, now=clock())
            await uow.commit()
        return holds

    message_id = message_id_for(claimed.id, domain=channels.message_id_domain)
    accepted = await channels.email.send(
        OutgoingEmail(
            to=address,
            subject=text.subject,
            body=email_body(claimed.kind, signature=EMAIL_SIGNATURE),
            message_id=message_id,
        ),
        point_of_no_return=point_of_no_return,
    )
    # Not accepted: another attempt took the delivery over before the point of no return.
    return accepted, message_id if accepted else None
