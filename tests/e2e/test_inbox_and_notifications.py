"""The citizen's inbox and notifications in a real browser against the real server and
worker (issue 10): the citizen gives an e-mail address under Inställningar; a laboratory's
result for their order arrives (through the intake use case, as an integration would post
it); the worker makes the inbox message and sends the e-mail to the real SMTP server of the
test — without the result in it; the start page shows the new result, Inkorg the message, and
reading the result clears both. axe-core checks every page.

Uses the demo citizen Lars Persson (key lars-malmo), in no other browser test."""

from __future__ import annotations

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from adapters.db.engine import create_engine, create_session_factory
from adapters.db.uow import UnitOfWork
from adapters.demo_data import demo_id
from adapters.protection import DataProtector
from adapters.settings import Settings
from api.results_intake.usecases import receive_results
from domain.actors import IntegrationActor
from domain.results import IncomingResult, Insight
from tests.e2e.conftest import Mailbox, check_accessibility

pytestmark = pytest.mark.e2e

LARS = re.compile("Lars Persson")
LARS_PERSONNUMMER = "197011239857"
ADDRESS = f"lars.persson.{uuid.uuid4().hex[:6]}@example.se"


async def _sampled_order_with_result(database_url: str) -> tuple[uuid.UUID, str]:
    """An order of Lars's, sampled for the demo laboratory KUL, and its result received as
    an integration posts it (result, order status and outbox event in one transaction)."""
    settings = Settings(environment="test", database_url=database_url)
    engine = create_engine(settings)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    factory = create_session_factory(engine)
    order_id, rid = uuid.uuid4(), uuid.uuid4().hex[:10].upper()
    now = datetime.now(UTC)
    async with UnitOfWork(engine, factory, protector) as uow:
        offer = (
            await uow.session.execute(
                text(
                    "SELECT id, catalog_id, result_care_unit_id FROM offers"
                    " WHERE is_current LIMIT 1"
                )
            )
        ).one()
        await uow.orders.insert(
            order_id=order_id,
            rid=rid,
            citizen_value=LARS_PERSONNUMMER,
            offer_id=offer.id,
            catalog_id=offer.catalog_id,
            sampling_method="site_drop_in",
            answers={},
            slot_id=None,
            sampling_unit_id=None,
            booked_start=None,
            anonymous_kit_id=None,
            product_codes=["PEP-CT"],
            result_care_unit_id=offer.result_care_unit_id,
            now=now - timedelta(days=2),
        )
        await uow.session.execute(
            text(
                "UPDATE orders SET status = 'sampled', handled_at = :at, sampled_at = :at,"
                " laboratory_id = :lab WHERE id = :id"
            ),
            {"at": now - timedelta(days=1), "lab": demo_id("KUL"), "id": order_id},
        )
        analysis_code = (
            await uow.session.execute(
                text(
                    "SELECT lab_code FROM laboratory_product_mappings"
                    " WHERE laboratory_id = :lab AND product_code = 'PEP-CT'"
                ),
                {"lab": demo_id("KUL")},
            )
        ).scalar_one()
        await uow.commit()
    async with UnitOfWork(engine, factory, protector) as uow:
        report = await receive_results(
            uow=uow,
            actor=IntegrationActor(client_id="e2e-laboratory"),
            now=now,
            items=[
                IncomingResult(
                    rid=rid,
                    analysis_code=analysis_code,
                    sampling_date=date.today() - timedelta(days=1),
                    value="Påvisad",
                    comment="Kontakta din vårdgivare för behandling.",
                    insight=Insight.POSITIVE,
                    lab_result_id=f"{rid}-CT",
                    lab_version=1,
                )
            ],
            laboratory_ids=frozenset({demo_id("KUL")}),
        )
    [item] = report.items
    assert item.error is None, item.error
    async with factory() as session:
        name = (
            await session.execute(
                text(
                    "SELECT f.name FROM orders o JOIN offers f ON f.id = o.offer_id"
                    " WHERE o.id = :id"
                ),
                {"id": order_id},
            )
        ).scalar_one()
    await engine.dispose()
    return order_id, str(name)


def _result_arrives(database_url: str) -> tuple[uuid.UUID, str]:
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, _sampled_order_with_result(database_url)).result()


def test_a_result_reaches_the_inbox_and_an_email_arrives_without_the_result(
    page: Page, database: str, mailbox: Mailbox
) -> None:
    page.goto("/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_role("button", name=LARS).click()
    expect(page.get_by_text("Välkommen, Lars Persson!")).to_be_visible()

    # 1. Inställningar: the e-mail address for notifications.
    page.get_by_role("link", name="Inställningar").click()
    expect(page.get_by_role("heading", level=1, name="Inställningar")).to_be_visible()
    page.get_by_label("E-postadress").fill("inte-en-adress")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").filter(has_text="namn@exempel.se")).to_be_visible()
    check_accessibility(page, "inbox-01-settings-error")
    page.get_by_label("E-postadress").fill(ADDRESS)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Dina inställningar är sparade.")).to_be_visible()
    check_accessibility(page, "inbox-02-settings-saved")

    # 2. The laboratory's result arrives; the worker makes the message and sends the e-mail.
    order_id, offer_name = _result_arrives(database)
    [mail] = mailbox.wait_for(ADDRESS)
    assert mail.subject == "Nytt provsvar i Egen provhantering"
    assert "Du har fått ett nytt provsvar i Egen provhantering." in mail.text
    raw = mail.path.read_bytes().decode()
    for secret in ("Påvisad", "positiv", "Positiv", "Kontakta din vårdgivare", offer_name):
        assert secret not in mail.text, secret
        assert secret not in raw, secret

    # 3. The start page shows the new result and the unread message.
    page.get_by_role("link", name="Egen provhantering").first.click()
    news = page.get_by_role("region", name="Nytt sedan sist")
    expect(news).to_be_visible()
    expect(news.get_by_text("Du har 1 nytt provsvar som du inte har läst:")).to_be_visible()
    expect(news.get_by_role("link", name=re.compile(re.escape(offer_name)))).to_be_visible()
    check_accessibility(page, "inbox-03-start-news")

    # 4. Inkorg: the message, unread, never the result.
    news.get_by_role("link", name="1 oläst meddelande i Inkorgen").click()
    expect(page.get_by_role("heading", level=1, name="Inkorg")).to_be_visible()
    message = page.get_by_role("listitem").filter(has_text="Nytt provsvar")
    expect(message.get_by_text("Oläst")).to_be_visible()
    expect(message).not_to_contain_text("Påvisad")
    check_accessibility(page, "inbox-04-inbox")

    # 5. Opening the order reads the result: the message and the result count as read.
    message.get_by_role("link", name=f"Öppna beställningen {offer_name}").click()
    expect(page.get_by_role("heading", level=1, name=offer_name)).to_be_visible()
    expect(page.get_by_role("cell", name="Påvisad").first).to_be_visible()
    assert f"/bestallningar/{order_id}" in page.url
    page.get_by_role("link", name="Egen provhantering").first.click()
    expect(page.get_by_text("Välkommen, Lars Persson!")).to_be_visible()
    expect(page.get_by_role("region", name="Nytt sedan sist")).to_have_count(0)
    page.get_by_role("link", name="Inkorg").click()
    expect(page.get_by_text("Du har inga olästa meddelanden.")).to_be_visible()
    # One e-mail, however often the worker drained meanwhile.
    assert len(mailbox.to(ADDRESS)) == 1
