"""The outbox consumers of the citizen's messages (domain/outbox.py EventConsumer), and the
channels built from the settings: what the worker (api/worker.py) and the tests plug into
`deliver_outbox`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

import httpx

from adapters.db.uow import UnitOfWork
from adapters.notifications.email import SmtpEmailSender
from adapters.notifications.inbox import Inbox1177Client, LocalInbox
from adapters.notifications.sms import HttpSmsGateway, LocalSmsGateway
from adapters.settings import Settings
from api.notifications.usecases import (
    CHANNEL_OF_EVENT,
    Channels,
    deliver_notifications,
    post_result_messages,
)
from api.services import Services
from domain.notifications import EmailSender, InboxGateway, SmsGateway
from domain.outbox import EventConsumer, EventKind, OutboxEvent


class ResultMessages:
    """`result_available` → the citizen's inbox message and its deliveries."""

    kinds = frozenset({EventKind.RESULT_AVAILABLE})

    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow_factory = uow_factory

    async def deliver(
        self, events: Sequence[OutboxEvent], *, now: datetime
    ) -> dict[uuid.UUID, str]:
        async with self._uow_factory() as uow:
            await post_result_messages(uow=uow, events=events, now=now)
        return {}


class MessageDeliveries:
    """One message on one channel (inbox, e-mail, SMS)."""

    kinds = frozenset(CHANNEL_OF_EVENT)

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        channels: Channels,
        *,
        clock: Callable[[], datetime],
        concurrency: int,
    ) -> None:
        self._uow_factory = uow_factory
        self.channels = channels
        self._clock = clock
        self._concurrency = concurrency

    async def deliver(
        self,
        events: Sequence[OutboxEvent],
        *,
        now: datetime,  # noqa: ARG002 (each step reads the clock: sending takes time)
    ) -> dict[uuid.UUID, str]:
        return await deliver_notifications(
            uow_factory=self._uow_factory,
            events=events,
            channels=self.channels,
            clock=self._clock,
            concurrency=self._concurrency,
        )


def build_channels(settings: Settings, services: Services) -> tuple[Channels, httpx.AsyncClient]:
    """The channels the settings name: SMTP when PEP_SMTP_HOST is set (production requires
    it), the HTTP SMS gateway when PEP_SMS_GATEWAY_URL is set (else the local one), the
    1177 inbox when PEP_INBOX_1177_URL is set (else the citizen app's own; it goes through
    the national services' mutual-TLS client when there is one). Returns the HTTP client it
    made too, for the caller to close."""
    client = httpx.AsyncClient(timeout=httpx.Timeout(15.0))
    email: EmailSender | None = None
    if settings.smtp_host:
        email = SmtpEmailSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            use_ssl=settings.smtp_ssl,
            timeout=settings.smtp_timeout_seconds,
            connections=settings.notification_concurrency,
        )
    sms: SmsGateway
    if settings.sms_gateway_url:
        sms = HttpSmsGateway(
            client=client,
            url=settings.sms_gateway_url,
            token=settings.sms_gateway_token,
            sender=settings.sms_sender,
        )
    else:
        sms = LocalSmsGateway(services.session_factory, services.protector, clock=services.now)
    inbox: InboxGateway
    if settings.inbox_1177_url:
        inbox = Inbox1177Client(
            client=services.national_client or client,
            url=settings.inbox_1177_url,
            session_factory=services.session_factory,
        )
    else:
        inbox = LocalInbox(services.session_factory)
    channels = Channels(
        inbox=inbox, email=email, sms=sms, message_id_domain=settings.smtp_message_id_domain
    )
    return channels, client


def notification_consumers(services: Services, channels: Channels) -> list[EventConsumer]:
    return [
        ResultMessages(services.uow),
        MessageDeliveries(
            services.uow,
            channels,
            clock=services.now,
            concurrency=services.settings.notification_concurrency,
        ),
    ]
