"""The citizen's inbox (Inkorg) as a channel: where an inbox message is put so the citizen
reads it after logging in.

- `LocalInbox`: this product's own citizen app is the inbox. The message is already stored
  (inbox_messages, written with its deliveries); delivering it makes it visible there.
- `Inbox1177Client`: production in a region that sends the messages to 1177 Inkorg (manual
  3.4). What it does, and no more: one HTTPS POST per message to the configured endpoint,
  carrying our message id as the reference the inbox deduplicates by (so a repeat after a
  worker died is harmless), the citizen's personnummer, subject and text — never a result.
  The national 1177 inbox is reached through Inera's agreements and service platform; the
  JSON shape below is ours, and mapping it to the contract of that agreement (and its
  mutual-TLS client certificate, given through the shared national httpx client) is the
  integration work this class stands in for. The citizen app keeps listing the message
  too, so a citizen logged in here sees it either way."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.notifications import DeliveryFailed, InboxDelivery

_DELIVERED = text(
    "UPDATE inbox_messages SET delivered_at = coalesce(delivered_at, :now) WHERE id = :id"
)


class LocalInbox:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def deliver(self, message: InboxDelivery, *, now: datetime) -> None:
        async with self._session_factory() as session:
            await session.execute(_DELIVERED, {"id": message.message_id, "now": now})
            await session.commit()


class Inbox1177Client:
    """POST {url} {"reference", "personal_identity_number", "subject", "body", "created_at"};
    2xx or 409 (the reference exists) is delivered; anything else fails and is retried with
    the outbox's back-off. After delivery the message is shown in the citizen app as well."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient,
        url: str,
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        self._client = client
        self._url = url
        self._local = LocalInbox(session_factory)

    async def deliver(self, message: InboxDelivery, *, now: datetime) -> None:
        try:
            response = await self._client.post(
                self._url,
                json={
                    "reference": str(message.message_id),
                    "personal_identity_number": message.citizen_personnummer,
                    "subject": message.subject,
                    "body": message.body,
                    "created_at": message.created_at.isoformat(),
                },
                headers={"Idempotency-Key": str(message.message_id)},
            )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"1177 inbox unreachable: {type(error).__name__}") from None
        if response.status_code != 409 and not response.is_success:
            raise DeliveryFailed(f"1177 inbox answered {response.status_code}")
        await self._local.deliver(message, now=now)
