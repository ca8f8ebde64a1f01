"""Issue 11, the citizen flow in a real browser: every order step has its own URL, so Back and
reload keep the order; a session that ends at *Slutför* asks for a new login and comes back
to the same step with the same order (placed once); Back from the confirmation does not
reopen an order that can be sent again, and an identical ongoing order needs an explicit
confirmation. At 375 px the result table reflows and the time-slot step stays short. A login
started at 127.0.0.1 completes, and a failed login says what happened.

Uses the demo citizen Tolvan Tolvansson (the other browser tests only look at his pages)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import check_accessibility
from tests.support.seed import add_results

pytestmark = pytest.mark.e2e

TOLVAN = re.compile("Tolvan Tolvansson")
BOOKING_OFFER = "HIV- och syfilistest"
PHONE = {"width": 375, "height": 740}
REDIS_URL = os.environ.get("PEP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SESSION_ENDED_401 = "status of 401"


def _open(browser: Browser, base_url: str, **options: Any) -> tuple[Page, list[str]]:
    context = browser.new_context(base_url=base_url, locale="sv-SE", bypass_csp=True, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return page, errors


@pytest.fixture
def citizen(browser: Browser, server_url: str) -> Iterator[tuple[Page, list[str]]]:
    page, errors = _open(browser, server_url)
    yield page, errors
    page.context.close()


@pytest.fixture
def phone(browser: Browser, server_url: str) -> Iterator[tuple[Page, list[str]]]:
    page, errors = _open(browser, server_url, viewport=PHONE)
    yield page, errors
    page.context.close()


def _log_in(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_role("button", name=TOLVAN).click()
    expect(page.get_by_text("Välkommen, Tolvan Tolvansson!")).to_be_visible()


def _step_url(catalog_id: str, step: str | None = None) -> re.Pattern[str]:
    suffix = f"&steg={step}" if step else ""
    return re.compile(rf"/Offer/Details\?offerCatalogID={catalog_id}{re.escape(suffix)}$")


def _fill_details(page: Page) -> None:
    expect(page.get_by_role("heading", level=2, name="Fyll i uppgifter")).to_be_visible()
    page.get_by_label("Mobilnummer").fill("070-123 45 67")
    page.get_by_role("group", name="Har du symtom?").get_by_role("radio", name="Nej").check()
    page.get_by_role("button", name="Nästa").click()


def _choose_time(page: Page) -> None:
    expect(page.get_by_role("heading", name="Välj provtagningsplats och tid")).to_be_visible()
    page.get_by_role("group", name="Välj provtagningsplats").get_by_role("radio").first.check()
    page.get_by_role("group", name="Välj dag").get_by_role("radio").first.check()
    times = page.get_by_role("group", name=re.compile(r"^Välj tid "))
    times.get_by_role("radio").first.check()


def _end_session_on_server(page: Page, redis_prefix: str) -> None:
    """What the idle timeout does: the session's key in Redis is gone."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "pep_session")
    key = f"{redis_prefix}:session:{hashlib.sha256(token.encode()).hexdigest()}"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert client.delete(key) == 1
    finally:
        client.close()


def _ongoing_of(page: Page, offer: str) -> int:
    page.goto("/bestallningar")
    expect(page.get_by_role("heading", level=1, name="Pågående beställningar")).to_be_visible()
    expect(page.locator(".order-list, .empty").first).to_be_visible()
    return page.locator(".order-list > li").filter(has_text=offer).count()


def test_order_survives_back_reload_and_an_expired_session_and_is_placed_once(
    citizen: tuple[Page, list[str]], redis_prefix: str
) -> None:
    page, errors = citizen
    _log_in(page)
    before = _ongoing_of(page, BOOKING_OFFER)

    page.goto("/Offer/Details?offerCatalogID=1004")
    expect(page.get_by_role("heading", level=2, name="Instruktion")).to_be_visible()
    page.get_by_role("button", name="Nästa").click()
    expect(page).to_have_url(_step_url("1004", "uppgifter"))
    _fill_details(page)
    expect(page).to_have_url(_step_url("1004", "tid"))
    page.get_by_role("group", name="Välj provtagningsplats").get_by_role("radio").first.check()
    expect(page.get_by_role("group", name="Välj dag")).to_be_visible()
    check_accessibility(page, "recovery-01-booking-step")

    # Back: the previous step, with what was typed.
    page.go_back()
    expect(page).to_have_url(_step_url("1004", "uppgifter"))
    expect(page.get_by_label("Mobilnummer")).to_have_value("070-123 45 67")
    check_accessibility(page, "recovery-02-back-to-details")
    page.go_forward()
    expect(page).to_have_url(_step_url("1004", "tid"))
    _choose_time(page)
    page.get_by_role("button", name="Nästa").click()
    expect(page).to_have_url(_step_url("1004", "kontrollera"))
    expect(page.get_by_role("term").filter(has_text="Provtagningstid och plats")).to_be_visible()
    chosen = page.locator(".facts").inner_text()

    # Reload on the summary: the same summary, from the draft kept in this tab.
    page.reload()
    summary = page.get_by_role("heading", name="Kontrollera och slutför beställningen")
    expect(summary).to_be_visible()
    expect(page.get_by_text("Vi har sparat det du fyllde i tidigare.")).to_be_visible()
    expect(page.get_by_role("term").filter(has_text="Provtagningstid och plats")).to_be_visible()
    assert page.locator(".facts").inner_text() == chosen
    drafts = page.evaluate("Object.keys(window.sessionStorage)")
    assert drafts == ["pep.orderDraft.1004"]
    assert "19901212" not in page.evaluate("window.sessionStorage.getItem('pep.orderDraft.1004')")
    check_accessibility(page, "recovery-03-summary-after-reload")

    # The session ends on the server; Slutför asks for a new login on the same step.
    _end_session_on_server(page, redis_prefix)
    page.get_by_role("button", name="Slutför beställningen").click()
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    expect(page.get_by_text("Din session har avslutats.")).to_be_visible()
    expect(page).to_have_url(_step_url("1004", "kontrollera"))
    check_accessibility(page, "recovery-04-session-ended")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_role("button", name=TOLVAN).click()

    # Back on the summary with the same order; placed once.
    expect(page).to_have_url(_step_url("1004", "kontrollera"))
    expect(summary).to_be_visible()
    expect(page.get_by_role("term").filter(has_text="Provtagningstid och plats")).to_be_visible()
    assert page.locator(".facts").inner_text() == chosen
    page.get_by_role("button", name="Slutför beställningen").click()
    expect(page.get_by_role("heading", level=1, name="Beställningen är klar")).to_be_visible()
    expect(page.get_by_text("Provets ID-nummer (RID)").first).to_be_visible()
    check_accessibility(page, "recovery-05-confirmation")

    # The same offer again: warned at once, and Slutför needs the explicit confirmation.
    page.goto("/Offer/Details?offerCatalogID=1004")
    warning = page.get_by_text(
        re.compile(rf"^Du har redan (en|\d+) pågående beställning(ar)? av {BOOKING_OFFER}")
    )
    expect(warning).to_be_visible()
    check_accessibility(page, "recovery-06-identical-order-warning")
    page.get_by_role("button", name="Nästa").click()
    _fill_details(page)
    _choose_time(page)
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Slutför beställningen").click()
    confirm_missing = page.get_by_role("alert").filter(
        has_text="Bekräfta att du vill göra en ny beställning, eller avbryt."
    )
    expect(confirm_missing).to_be_focused()
    check_accessibility(page, "recovery-07-identical-order-needs-confirmation")
    page.get_by_role("checkbox", name="Jag vill göra en ny beställning ändå").check()
    page.get_by_role("button", name="Slutför beställningen").click()
    expect(page.get_by_role("heading", level=1, name="Beställningen är klar")).to_be_visible()

    # Back from the confirmation: not the summary again, but a new start that warns.
    page.go_back()
    expect(page.get_by_role("heading", level=2, name="Instruktion")).to_be_visible()
    expect(page).to_have_url(_step_url("1004"))
    expect(warning).to_be_visible()
    expect(page.get_by_role("button", name="Slutför beställningen")).to_have_count(0)
    assert page.evaluate("window.sessionStorage.length") == 0
    check_accessibility(page, "recovery-08-back-from-confirmation")
    assert _ongoing_of(page, BOOKING_OFFER) == before + 2

    # Only the request refused while the session had ended is an error in the console.
    assert [e for e in errors if SESSION_ENDED_401 not in e] == []
    assert len(errors) == 1


def test_result_table_and_time_slot_step_fit_a_phone(
    phone: tuple[Page, list[str]], database: str
) -> None:
    page, errors = phone
    _log_in(page)

    # A result to read: a home-kit order that the lab answers.
    page.goto("/Offer/Details?offerCatalogID=1001")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("E-postadress").fill("tolvan@example.se")
    page.get_by_role("group", name="Har du symtom?").get_by_role("radio", name="Nej").check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Slutför beställningen").click()
    expect(page.get_by_role("heading", level=1, name="Beställningen är klar")).to_be_visible()
    rid = page.locator(".rid").inner_text().strip()
    add_results(database, rid)
    page.get_by_role("link", name="Visa beställningen").click()
    table = page.locator(".result-table").first
    expect(table).to_be_visible()
    fits = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )
    assert fits
    box = table.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == "block"
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    check_accessibility(page, "phone-04-result-table")

    # The time-slot step: a day first, then the times of that day.
    page.goto("/Offer/Details?offerCatalogID=1004")
    page.get_by_role("button", name="Nästa").click()
    _fill_details(page)
    page.get_by_role("group", name="Välj provtagningsplats").get_by_role("radio").first.check()
    expect(page.get_by_role("group", name="Välj dag")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(r"^Välj tid "))).to_have_count(0)
    days_height = page.evaluate("document.documentElement.scrollHeight")
    assert days_height < 2400, days_height
    check_accessibility(page, "phone-05-slot-days")
    page.get_by_role("group", name="Välj dag").get_by_role("radio").first.check()
    expect(page.get_by_role("group", name=re.compile(r"^Välj tid "))).to_be_visible()
    times_height = page.evaluate("document.documentElement.scrollHeight")
    assert times_height < 3200, times_height
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )
    check_accessibility(page, "phone-06-slot-times")
    assert errors == []


def test_login_started_at_127_0_0_1_completes_and_returns_to_the_offer(
    browser: Browser, server_url: str
) -> None:
    other_host = server_url.replace("://localhost:", "://127.0.0.1:")
    page, errors = _open(browser, other_host)
    try:
        page.goto("/Offer/Details?offerCatalogID=1001")
        page.get_by_role("button", name="Logga in med BankID").click()
        page.get_by_role("button", name=TOLVAN).click()
        expect(page).to_have_url(f"{server_url}/Offer/Details?offerCatalogID=1001")
        expect(page.get_by_role("heading", level=2, name="Instruktion")).to_be_visible()
        assert errors == []
    finally:
        page.context.close()


def test_a_failed_login_says_what_happened(citizen: tuple[Page, list[str]]) -> None:
    page, errors = citizen
    page.goto("/?inloggning=ogiltig")
    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", name="Du blev inte inloggad")).to_be_visible()
    expect(alert).to_contain_text("Inloggningen kunde inte slutföras.")
    expect(page.get_by_role("heading", level=2, name="Behöver du hjälp?")).to_be_visible()
    check_accessibility(page, "citizen-06-login-failed")
    page.goto("/?inloggning=okand")
    expect(page.get_by_role("alert")).to_contain_text(
        "Vi hittar inte dina uppgifter i folkbokföringen"
    )
    check_accessibility(page, "citizen-07-login-unknown-person")
    assert errors == []
