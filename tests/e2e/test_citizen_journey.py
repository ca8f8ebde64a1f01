"""The citizen's whole journey in a real browser against the real server: order with time
booking, home kit and a nationwide offer from another region, register an anonymous kit,
cancel an order, read a result and delete the order with its result. axe-core checks every
step (WCAG 2.1 AA) and the `page` fixture fails on any browser console error.

Uses the demo citizen Erik Johansson (key erik-stockholm), reserved for this test, and the last
demo kit (the API tests use the first ones)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from adapters.demo_data import demo_kits
from tests.e2e.conftest import check_accessibility
from tests.support.seed import add_results

pytestmark = pytest.mark.e2e

ERIK_LABEL = re.compile("Erik Johansson")
ERIK_PERSONNUMMER = "19780903-9816"


def _log_in_as_erik(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_role("button", name=ERIK_LABEL).click()
    expect(page.get_by_text("Välkommen, Erik Johansson!")).to_be_visible()


def _open_offer(page: Page, name: str, *, other_regions: bool = False) -> None:
    page.get_by_role("link", name="Ny beställning").click()
    expect(page.get_by_role("heading", level=1, name="Ny beställning")).to_be_visible()
    if other_regions:
        page.get_by_role("button", name="Visa provtagning i andra län").click()
        expect(page.get_by_role("heading", name="Provtagning i andra län")).to_be_visible()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Instruktion")).to_be_visible()


def _answer_symptoms_no(page: Page) -> None:
    page.get_by_role("group", name="Har du symtom?").get_by_role("radio", name="Nej").check()


def _complete_order(page: Page) -> str:
    summary = page.get_by_role("heading", name="Kontrollera och slutför beställningen")
    expect(summary).to_be_visible()
    page.get_by_role("button", name="Slutför beställningen").click()
    expect(page.get_by_role("heading", level=1, name="Beställningen är klar")).to_be_visible()
    rid = page.locator(".rid").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", rid), rid
    return rid


def _go_home(page: Page) -> None:
    page.get_by_role("link", name="Egen provhantering").first.click()
    expect(page.get_by_role("heading", level=1, name="Egen provhantering")).to_be_visible()


def test_citizen_orders_registers_a_kit_cancels_reads_a_result_and_deletes(
    page: Page, database: str
) -> None:
    _log_in_as_erik(page)

    # 1. Offer 1004: sampling at a clinic with time booking.
    page.get_by_role("link", name="Ny beställning").click()
    expect(page.get_by_role("heading", level=1, name="Ny beställning")).to_be_visible()
    expect(page.get_by_text("Provtagning på mottagning med tidsbokning").first).to_be_visible()
    check_accessibility(page, "journey-01-offers")
    page.get_by_role("link", name="HIV- och syfilistest").click()
    expect(page.get_by_role("heading", level=2, name="Instruktion")).to_be_visible()
    check_accessibility(page, "journey-02-offer-instructions")
    page.get_by_role("button", name="Nästa").click()

    # Nothing filled in: the error summary lists what to fix and links to the fields.
    page.get_by_role("button", name="Nästa").click()
    summary = page.get_by_role("alert").filter(has_text="Det finns fel som du behöver rätta")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Ange mobilnummer eller e-postadress.")).to_be_visible()
    symptoms = page.get_by_role("group", name="Har du symtom?")
    expect(symptoms.get_by_role("radio").first).to_have_attribute("aria-invalid", "true")
    check_accessibility(page, "journey-03-details-errors")
    page.get_by_label("Mobilnummer").fill("070-123 45 67")
    _answer_symptoms_no(page)
    check_accessibility(page, "journey-04-details")
    page.get_by_role("button", name="Nästa").click()

    expect(page.get_by_role("heading", name="Välj provtagningsplats och tid")).to_be_visible()
    page.get_by_role("group", name="Välj provtagningsplats").get_by_role("radio").first.check()
    # A day first, then a time on that day.
    page.get_by_role("group", name="Välj dag").get_by_role("radio").first.check()
    times = page.get_by_role("group", name=re.compile(r"^Välj tid "))
    first_time = times.get_by_role("radio").first
    expect(first_time).to_be_visible()
    first_time.check()
    check_accessibility(page, "journey-05-booking")
    page.get_by_role("button", name="Nästa").click()
    check_accessibility(page, "journey-06-summary")
    _complete_order(page)
    expect(page.get_by_text("Du har bokat den här tiden för provtagning:")).to_be_visible()
    check_accessibility(page, "journey-07-confirmation-booking")

    # 2. Offer 1001: home kit; the delivery address comes prefilled from the register.
    _go_home(page)
    _open_offer(page, "Klamydia- och gonorrétest hemma")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_label("Gatuadress")).to_have_value("Råsundavägen 12")
    expect(page.get_by_label("Postnummer")).to_have_value("16967")
    expect(page.get_by_label("Postort")).to_have_value("Solna")
    page.get_by_label("E-postadress").fill("erik@example.se")
    _answer_symptoms_no(page)
    page.get_by_role("button", name="Nästa").click()
    home_kit_rid = _complete_order(page)
    expect(page.get_by_text("Provtagningskitet skickas till:")).to_be_visible()
    expect(page.get_by_text("Råsundavägen 12")).to_be_visible()
    check_accessibility(page, "journey-08-confirmation-home-kit")

    # 3. Offer 2001: nationwide, from another region.
    _go_home(page)
    _open_offer(page, "Klamydiatest hemma – hela landet", other_regions=True)
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Mobilnummer").fill("0701234567")
    _answer_symptoms_no(page)
    page.get_by_role("button", name="Nästa").click()
    _complete_order(page)
    check_accessibility(page, "journey-09-confirmation-other-region")

    # 4. An anonymous, pre-labelled kit.
    kit_number, kit_rid = demo_kits()[-1]
    _go_home(page)
    page.get_by_role("link", name="Registrera provtagningskit").click()
    expect(page.get_by_role("heading", level=1, name="Registrera provtagningskit")).to_be_visible()
    check_accessibility(page, "journey-10-kit")
    page.get_by_label("Kitnummer").fill(kit_number)
    page.get_by_label("Provets ID-nummer (RID)").fill(kit_rid)
    page.get_by_role("button", name="Registrera provtagningskitet").click()
    expect(page.get_by_role("heading", name="Provtagningskitet är registrerat")).to_be_visible()
    check_accessibility(page, "journey-11-kit-registered")

    # 5. Pågående beställningar: all four; cancel the booked one.
    page.get_by_role("link", name="Pågående beställningar").click()
    expect(page.get_by_role("heading", level=1, name="Pågående beställningar")).to_be_visible()
    orders = page.locator(".order-list > li")
    expect(orders).to_have_count(4)
    check_accessibility(page, "journey-12-ongoing")
    page.get_by_role("link", name="HIV- och syfilistest").click()
    expect(page.get_by_role("heading", level=1, name="HIV- och syfilistest")).to_be_visible()
    page.get_by_role("button", name="Ångra beställning").click()
    dialog = page.get_by_role("dialog", name="Vill du ångra beställningen?")
    expect(dialog).to_be_visible()
    check_accessibility(page, "journey-13-cancel-dialog")
    dialog.get_by_role("button", name="Ja, ångra beställningen").click()
    expect(page.get_by_text("Beställningen är ångrad.", exact=True)).to_be_visible()
    expect(page.locator(".status")).to_have_text("Ångrad")
    check_accessibility(page, "journey-14-cancelled")

    # 6. The lab answers the home-kit order; the citizen reads the result.
    add_results(database, home_kit_rid)
    page.get_by_role("link", name="Tidigare beställningar").click()
    expect(page.get_by_role("heading", level=1, name="Tidigare beställningar")).to_be_visible()
    answered = page.locator(".order-list > li").filter(has_text=home_kit_rid)
    expect(answered.get_by_text("Nytt provsvar")).to_be_visible()
    expect(answered.get_by_text("Besvarad")).to_be_visible()
    check_accessibility(page, "journey-15-previous")
    answered.get_by_role("link", name="Klamydia- och gonorrétest hemma").click()
    heading = page.get_by_role("heading", level=1, name="Klamydia- och gonorrétest hemma")
    expect(heading).to_be_visible()
    expect(page.locator(".status")).to_have_text("Besvarad")
    # The offer's configured text for a positive result (demo data, OFFER_INSIGHT_TEXTS).
    expect(
        page.get_by_text("Provet visar att du har klamydia eller gonorré.", exact=False).first
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Påvisad").first).to_be_visible()
    check_accessibility(page, "journey-16-result")

    # 7. Delete the order and its result, confirmed with the personnummer.
    page.get_by_role("button", name="Ta bort beställning och provsvar").click()
    dialog = page.get_by_role("dialog", name="Ta bort beställning och provsvar")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Ta bort", exact=True).click()
    missing = dialog.get_by_text("Skriv ditt personnummer för att bekräfta borttagningen.")
    expect(missing).to_be_visible()
    check_accessibility(page, "journey-17-delete-dialog")
    dialog.get_by_label("Bekräfta med ditt personnummer").fill(ERIK_PERSONNUMMER)
    dialog.get_by_role("button", name="Ta bort", exact=True).click()
    expect(page.get_by_text("Beställningen och provsvaret är borttagna.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Tidigare beställningar")).to_be_visible()
    expect(page.locator(".order-list > li").filter(has_text=home_kit_rid)).to_have_count(0)
    check_accessibility(page, "journey-18-deleted")
