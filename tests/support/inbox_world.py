"""What the inbox and notification tests need: a citizen of the test's own (a spare from the
test person register, logged in through the real OIDC flow), an order of theirs sampled for
a laboratory of the test's own, results posted by that laboratory's integration client, a
real SMTP server (aiosmtpd) receiving the e-mails, and the outbox drained with the
consumers the worker runs (api/notifications)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from adapters.notifications.local import local_consumers
from adapters.notifications.mail_sink import MailSink, ReceivedMail
from api.notifications.consumers import build_channels, notification_consumers
from api.notifications.usecases import Channels
from api.outbox.usecases import DrainReport, deliver_outbox
from api.services import Services
from domain.outbox import RetryPolicy
from tests.support.browserless_login import login
from tests.support.results_world import (
    Lab,
    SampledOrder,
    client_token,
    create_lab,
    create_sampled_order,
    result_body,
)

RESULTS_URL = "/api/integration/v1/results"


@dataclass
class Citizen:
    http: httpx.AsyncClient
    csrf: str
    personnummer: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf}

    async def inbox(self, **params: Any) -> dict[str, Any]:
        response = await self.http.get("/api/citizen/inbox", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def set_contact_details(
        self, *, email: str | None = None, mobile: str | None = None
    ) -> httpx.Response:
        current = await self.http.get("/api/citizen/contact-details")
        return await self.http.put(
            "/api/citizen/contact-details",
            json={"email": email, "mobile": mobile},
            headers={**self.headers, "If-Match": current.headers["ETag"]},
        )


async def new_citizen(services: Services, http: httpx.AsyncClient) -> Citizen:
    entry = services.person_register.new_citizen()  # type: ignore[attr-defined]
    csrf = await login(http, kind="citizen", key=entry.key)
    return Citizen(
        http=http, csrf=csrf, personnummer=entry.person.personnummer.value, key=entry.key
    )


@dataclass
class Laboratory:
    lab: Lab
    writer: dict[str, str]


async def new_laboratory(services: Services) -> Laboratory:
    lab = await create_lab(services)
    writer = await client_token(services, scopes=("results:write",), laboratory_ids=(lab.id,))
    return Laboratory(lab=lab, writer=writer)


async def order_for(services: Services, laboratory: Laboratory, citizen: Citizen) -> SampledOrder:
    return await create_sampled_order(
        services, laboratory.lab, care_unit_id=None, citizen=citizen.personnummer
    )


async def post_result(
    http: httpx.AsyncClient, laboratory: Laboratory, order: SampledOrder, **fields: Any
) -> dict[str, Any]:
    response = await http.post(
        RESULTS_URL, json=result_body(laboratory.lab, order, **fields), headers=laboratory.writer
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class Mailer:
    """A real SMTP server of the test's own, and the worker's channels pointed at it."""

    def __init__(
        self, services: Services, directory: Path, *, smtp_timeout: float | None = None
    ) -> None:
        self.sink = MailSink(directory).start()
        settings = services.settings.model_copy(
            update={
                "smtp_host": self.sink.host,
                "smtp_port": self.sink.port,
                "smtp_timeout_seconds": smtp_timeout or services.settings.smtp_timeout_seconds,
            }
        )
        self.channels, self._http = build_channels(settings, services)
        self.services = services

    def mails_to(self, address: str) -> list[ReceivedMail]:
        return [m for m in self.sink.messages() if m.to == address]

    async def drain(self, *, policy: RetryPolicy | None = None) -> DrainReport:
        return await drain(self.services, self.channels, policy=policy)

    async def close(self) -> None:
        self.sink.stop()
        await self._http.aclose()


async def drain(
    services: Services, channels: Channels, *, policy: RetryPolicy | None = None
) -> DrainReport:
    """What the worker's drain_outbox does, once: every due event, with the consumers the
    worker runs, at the services' clock."""
    return await deliver_outbox(
        uow_factory=services.uow,
        consumers=[
            *local_consumers(services.session_factory),
            *notification_consumers(services, channels),
        ],
        clock=services.now,
        worker=f"test-{uuid.uuid4().hex[:6]}",
        batch_size=500,
        lease=timedelta(seconds=60),
        policy=policy or RetryPolicy(),
        deadline=timedelta(seconds=60),
    )


async def rows(services: Services, sql: str, **params: Any) -> list[Any]:
    async with services.uow() as uow:
        return list((await uow.session.execute(text(sql), params)).all())


async def deliveries_of(services: Services, order: SampledOrder) -> list[Any]:
    """(message kind, channel, state) of every delivery of the order's messages, sorted."""
    found = await rows(
        services,
        "SELECT m.kind, d.channel, d.state FROM notification_deliveries d"
        " JOIN inbox_messages m ON m.id = d.message_id WHERE m.order_id = :order"
        " ORDER BY m.created_at, d.channel",
        order=order.id,
    )
    return [tuple(r) for r in found]


async def sms_of(services: Services, order: SampledOrder) -> list[Any]:
    """(text, received) of the SMS the local gateway got for the order's messages."""
    found = await rows(
        services,
        "SELECT s.text, s.received FROM local_sms_messages s"
        " JOIN notification_deliveries d ON d.id = s.reference"
        " JOIN inbox_messages m ON m.id = d.message_id WHERE m.order_id = :order"
        " ORDER BY s.received_at",
        order=order.id,
    )
    return [tuple(r) for r in found]
