"""SMS: an HTTP SMS gateway in production, a local one (a table) in development and tests.

Both keep **one message per reference** (our delivery id): sending the same reference again
sends nothing new. That is what makes an SMS safe to send again after a worker died in the
middle of a request — the gateway, not we, knows whether the first request arrived. (Every
SMS gateway a Swedish region contracts offers such a client reference or idempotency key; the
contract below names it `reference` and is the small part to adapt to the chosen one.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.protection import DataProtector
from domain.notifications import DeliveryFailed, OutgoingSms


class HttpSmsGateway:
    """The production gateway, over HTTPS:

        POST {url}
        Authorization: Bearer {token}
        Idempotency-Key: {reference}
        {"to": "+46701234567", "from": "1177", "text": "...", "reference": "<uuid>"}

    answered 200/201/202 with {"id": "<the gateway's message id>"} — or 409 when the
    reference was sent before, which is success too (the message exists once). Any other
    4xx is a refusal, 5xx and timeouts are failures; both are retried with the outbox's
    back-off. The number is never logged (the request is not logged at all)."""

    def __init__(
        self, *, client: httpx.AsyncClient, url: str, token: str | None, sender: str
    ) -> None:
        self._client = client
        self._url = url
        self._token = token
        self._sender = sender

    async def send(self, sms: OutgoingSms) -> str | None:
        headers = {"Idempotency-Key": str(sms.reference)}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = await self._client.post(
                self._url,
                json={
                    "to": sms.to,
                    "from": self._sender,
                    "text": sms.text,
                    "reference": str(sms.reference),
                },
                headers=headers,
            )
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"SMS gateway unreachable: {type(error).__name__}") from None
        if response.status_code == 409:
            return None
        if response.status_code not in (200, 201, 202):
            raise DeliveryFailed(f"SMS gateway answered {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            return None
        found = body.get("id") if isinstance(body, dict) else None
        return str(found)[:100] if found is not None else None


_RECORD = text(
    """
    INSERT INTO local_sms_messages (reference, recipient_encrypted, text, received_at, received)
    VALUES (:reference, :recipient, :text, :now, 1)
    ON CONFLICT (reference) DO UPDATE SET received = local_sms_messages.received + 1
    """
)


class LocalSmsGateway:
    """Development and tests: records each SMS (the number encrypted) keyed by its
    reference, as a gateway deduplicates; a repeat only counts up `received`."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        protector: DataProtector,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self._session_factory = session_factory
        self._protector = protector
        self._clock = clock

    async def send(self, sms: OutgoingSms) -> str | None:
        async with self._session_factory() as session:
            await session.execute(
                _RECORD,
                {
                    "reference": sms.reference,
                    "recipient": self._protector.encrypt(
                        sms.to.encode(), context=b"local-sms:" + sms.reference.bytes
                    ),
                    "text": sms.text,
                    "now": self._clock(),
                },
            )
            await session.commit()
        return f"local-{sms.reference}"
