"""A regional administrator sets up a laboratory, a sampling unit with bookable times, a
result template (created, then changed) and a personal offer; a nurse opens the journal
system's deep link (uthopp), lands on Tilldela erbjudande with the patient already searched
and assigns the new offer; the citizen then finds it under Ny beställning. Three browser
contexts, as three different people."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.identity.launch import create_launch_token
from adapters.settings import DEVELOPMENT_SECRET
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e

LAB_CODE = "E2ELAB"
LAB_NAME = "E2E-laboratoriet Solna"
LABEL_TEMPLATE = "^XA^CI28^FO30,30^A0N,30,30^FD{rid}^FS^XZ"
SAMPLING_UNIT_NAME = "E2E-provtagningen Solna"
TEMPLATE_NAME = "E2E Klamydia NAAT"
OFFER_NAME = "E2E Klamydiatest hem (personligt)"
SOLNA = "SE2321000016-A001"
OSCAR = "20100330-9877"  # oscar-teen in adapters/person_register/test_persons.json


@contextmanager
def person(browser: Browser, server_url: str, *, expected_422: int = 0) -> Iterator[Page]:
    """A browser context of its own (one person), failing on any console or page error.
    Chromium logs every 4xx answer to fetch as a console error: the 422 answers the test
    provokes on purpose are counted, not ignored."""
    context = browser.new_context(base_url=server_url, locale="sv-SE", bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    try:
        yield page
    finally:
        context.close()
    rejected = [e for e in errors if "status of 422" in e]
    assert len(rejected) == expected_422, f"expected {expected_422} answers 422: {errors}"
    others = [e for e in errors if e not in rejected]
    assert others == [], f"browser errors: {others}"


def staff_login(page: Page, who: str) -> None:
    page.get_by_role("button", name="Logga in med SITHS").click()
    expect(page).to_have_url(re.compile(r"/idp/staff/authorize"))
    page.get_by_role("button", name=re.compile(who)).click()


def next_week() -> tuple[date, date]:
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=4)


def test_administrator_sets_up_offer_nurse_assigns_it_from_journal_and_citizen_sees_it(
    browser: Browser, server_url: str
) -> None:
    # --- Peter Wallin, regional administrator in Region Stockholm --------------------------
    # Two 422 answers on purpose: a label template and times that overlap.
    with person(browser, server_url, expected_422=2) as admin:
        admin.goto("/pro/")
        staff_login(admin, "Peter Wallin")
        expect(admin.get_by_role("heading", level=1, name="Välj vårdenhet")).to_be_visible()
        admin.get_by_role("radio", name=re.compile("Vårdcentralen Solna")).check()
        admin.get_by_role("button", name="Fortsätt").click()
        expect(admin.get_by_role("heading", level=1, name="Välj modul")).to_be_visible()
        check_accessibility(admin, "admin-01-module-menu")

        admin.get_by_role("link", name="Administration").click()
        expect(admin).to_have_url(re.compile(r"/pro/admin$"))
        expect(admin.get_by_role("heading", level=1, name="Administration")).to_be_visible()
        check_accessibility(admin, "admin-02-index")

        # A laboratory: first a template the server refuses (shown at the field), then a good one.
        nav = admin.get_by_role("navigation", name="Administration")
        nav.get_by_role("link", name="Laboratorier").click()
        admin.get_by_role("link", name="Nytt laboratorium").click()
        expect(admin.get_by_role("heading", level=1, name="Nytt laboratorium")).to_be_visible()
        admin.get_by_label("Laboratoriekod").fill(LAB_CODE)
        admin.get_by_label("Namn").fill(LAB_NAME)
        admin.get_by_label("Region").select_option("01")
        template = admin.get_by_label("Etikettmall (ZPL)")
        template.fill("^XA^CI28^FD{rid}^FS^XA^XZ")
        admin.get_by_role("button", name="Skapa laboratorium").click()
        expect(
            admin.get_by_role("alert").filter(has_text="Formuläret innehåller fel")
        ).to_be_focused()
        expect(template).to_have_attribute("aria-invalid", "true")
        expect(admin.locator("#lab-new-label_template_zpl-error")).to_contain_text("^XZ")
        check_accessibility(admin, "admin-03-lab-server-error")
        template.fill(LABEL_TEMPLATE)
        admin.get_by_role("button", name="Skapa laboratorium").click()
        expect(
            admin.get_by_role("heading", level=1, name=f"Laboratorium: {LAB_NAME}")
        ).to_be_visible()
        expect(admin.get_by_text("Laboratoriet E2E-laboratoriet Solna har skapats")).to_be_visible()

        admin.get_by_role("checkbox", name=re.compile(f"Vårdcentralen Solna \\({SOLNA}\\)")).check()
        admin.get_by_role("button", name="Lägg till produktkod").click()
        admin.get_by_label("Nationell produktkod").select_option("PEP-CT")
        admin.get_by_label("Laboratoriets kod").fill("E2E-CT")
        admin.get_by_label("Rörkod").fill("E2E-UR")
        expect(admin.get_by_label("Provmaterial")).not_to_have_value("")
        admin.get_by_role("button", name="Spara", exact=True).click()
        expect(admin.get_by_text("Ändringarna är sparade.")).to_be_visible()
        expect(admin.get_by_text(re.compile(r"version 2"))).to_be_visible()
        check_accessibility(admin, "admin-04-lab-saved")

        # A sampling unit serving the new laboratory, with times next week.
        nav.get_by_role("link", name="Provtagningsenheter").click()
        admin.get_by_role("link", name="Ny provtagningsenhet").click()
        admin.get_by_label("HSA-id").fill("SE2321000016-PE2E")
        admin.get_by_label("Namn").fill(SAMPLING_UNIT_NAME)
        admin.get_by_label("Region").select_option("01")
        admin.get_by_label("Gatuadress").fill("Provgatan 1")
        admin.get_by_label("Postnummer").fill("171 64")
        admin.get_by_label("Ort").fill("Solna")
        admin.get_by_role("checkbox", name=f"{LAB_NAME} ({LAB_CODE})").check()
        check_accessibility(admin, "admin-05-sampling-unit-form")
        admin.get_by_role("button", name="Skapa provtagningsenhet").click()
        expect(admin.get_by_role("heading", level=1, name=SAMPLING_UNIT_NAME)).to_be_visible()

        monday, friday = next_week()
        admin.get_by_label("Första dag").fill(monday.isoformat())
        admin.get_by_label("Sista dag").fill(friday.isoformat())
        admin.get_by_label("Från klockan").fill("08:00")
        admin.get_by_label("Till klockan").fill("10:00")
        admin.get_by_label("Minuter per tid").fill("20")
        admin.get_by_label("Platser per tid").fill("2")
        admin.get_by_role("button", name="Lägg till tider").click()
        # Monday to Friday, 08:00-10:00 in 20 minutes: 5 x 6 times.
        expect(admin.get_by_text("30 tider har lagts till.")).to_be_visible()
        slots = admin.get_by_role("table", name="Bokningsbara tider")
        expect(slots.get_by_role("row")).to_have_count(1 + 30)
        check_accessibility(admin, "admin-06-slots")
        # The same times again overlap: the server's error is shown at "Från klockan".
        admin.get_by_role("button", name="Lägg till tider").click()
        expect(admin.get_by_label("Från klockan")).to_have_attribute("aria-invalid", "true")

        # The laboratory's result template: created, then changed (If-Match: its version).
        nav.get_by_role("link", name="Laboratorier").click()
        admin.get_by_role("link", name=LAB_CODE, exact=True).click()
        expect(
            admin.get_by_role("heading", level=1, name=f"Laboratorium: {LAB_NAME}")
        ).to_be_visible()
        admin.get_by_label("Mallens namn").fill(TEMPLATE_NAME)
        admin.get_by_label("Analys", exact=True).fill("Chlamydia trachomatis, NAAT")
        admin.get_by_label("Referensintervall").fill("Ej påvisad")
        admin.get_by_role("button", name="Skapa svarsmall").click()
        expect(admin.get_by_text(f"Svarsmallen {TEMPLATE_NAME} har skapats.")).to_be_visible()
        admin.get_by_role("button", name=f"Ändra svarsmallen {TEMPLATE_NAME}").click()
        expect(
            admin.get_by_role("heading", name=f"Ändra svarsmall: {TEMPLATE_NAME}")
        ).to_be_focused()
        expect(admin.get_by_label("Referensintervall")).to_have_value("Ej påvisad")
        admin.get_by_label("Standardkommentar").fill("Ingen klamydiainfektion påvisad.")
        check_accessibility(admin, "admin-06b-result-template-edit")
        admin.get_by_role("button", name="Spara svarsmallen").click()
        expect(admin.get_by_text(f"Svarsmallen {TEMPLATE_NAME} är sparad.")).to_be_visible()
        expect(admin.get_by_role("heading", name="Ny svarsmall")).to_be_visible()

        # A personal offer: home kit with delivery address, assigned from Vårdcentralen Solna.
        nav.get_by_role("link", name="Erbjudanden").click()
        admin.get_by_role("link", name="Nytt erbjudande").click()
        admin.get_by_label("Namn").fill(OFFER_NAME)
        admin.get_by_label("Instruktioner till invånaren").fill(
            "<p>Ta provet hemma enligt instruktionen i paketet och skicka det samma dag.</p>"
        )
        admin.get_by_label("Region").select_option("01")
        admin.get_by_label("Provtagningssätt").select_option("home_kit")
        admin.get_by_label("Synlighet").select_option("personal")
        admin.get_by_role("checkbox", name=re.compile(r"\(PEP-CT\)")).check()
        admin.get_by_label("Giltighetstid i dagar").fill("30")
        admin.get_by_label("Vårdenhet som tar emot provsvaren").select_option(SOLNA)
        # Forgetting the delivery address: the form says so at the field.
        admin.get_by_role("button", name="Skapa erbjudande").click()
        expect(admin.get_by_role("heading", name="Formuläret innehåller fel")).to_be_visible()
        address = admin.get_by_role("checkbox", name="Leveransadress")
        expect(address).to_have_attribute("aria-invalid", "true")
        address.check()
        assigning = admin.get_by_role("group", name="Vårdenheter som kan tilldela erbjudandet")
        assigning.get_by_role("checkbox", name=re.compile("Vårdcentralen Solna")).check()
        check_accessibility(admin, "admin-07-offer-form")
        admin.get_by_role("button", name="Skapa erbjudande").click()
        expect(admin.get_by_role("heading", level=1, name=OFFER_NAME)).to_be_visible()
        created = admin.get_by_text(re.compile(r"har skapats med id (\S+)\."))
        expect(created).to_be_visible()
        catalog_id = re.search(r"med id (\S+)\.", created.inner_text()).group(1)
        check_accessibility(admin, "admin-08-offer-created")

    # --- Karin Holm, nurse at Vårdcentralen Solna, opens the link from the journal ----------
    token = create_launch_token(
        issuer="dev-journal",
        secret=DEVELOPMENT_SECRET,
        personnummer=OSCAR.replace("-", ""),
        care_unit_hsa_id=SOLNA,
        staff_hsa_id="SE2321000016-1001",  # Karin Holm: the link is hers alone
        now=datetime.now(UTC),
    )
    with person(browser, server_url) as nurse:
        nurse.goto(f"/pro/uthopp#launch={token}")
        expect(nurse).to_have_url(re.compile(r"/idp/staff/authorize"))
        check_accessibility(nurse, "assign-01-idp")
        nurse.get_by_role("button", name=re.compile("Karin Holm")).click()
        expect(nurse.get_by_role("heading", level=1, name="Tilldela erbjudande")).to_be_visible()
        expect(nurse.get_by_role("heading", name="Patient: Oscar Nilsson")).to_be_visible()
        # Neither the token nor the personnummer is left in the address bar or in storage.
        assert nurse.url.endswith("/pro/tilldela"), nurse.url
        assert "launch" not in nurse.url
        assert "9877" not in nurse.url
        assert nurse.evaluate("window.sessionStorage.length") == 0
        expect(nurse.get_by_label("Patientens personnummer")).to_have_value(OSCAR)
        expect(nurse.get_by_text("Tilldelningen görs från Vårdcentralen Solna")).to_be_visible()
        check_accessibility(nurse, "assign-02-patient-found")

        offers = nurse.get_by_role(
            "table", name=re.compile("Erbjudanden som vårdenheten kan tilldela")
        )
        offers.get_by_role("button", name=OFFER_NAME, exact=True).click()
        expect(offers.get_by_text("Klamydia (Chlamydia trachomatis), NAAT")).to_be_visible()
        offers.get_by_role("button", name=f"Tilldela {OFFER_NAME}").click()
        expect(nurse.get_by_text(f"{OFFER_NAME} har tilldelats Oscar Nilsson")).to_be_visible()
        assigned = nurse.get_by_role(
            "table", name="Erbjudanden som vårdenheten har tilldelat patienten"
        )
        expect(assigned.get_by_role("cell", name=OFFER_NAME, exact=True)).to_be_visible()
        expect(offers.get_by_text("Redan tilldelat")).to_be_visible()
        check_accessibility(nurse, "assign-03-assigned")
        # "Ta bort erbjudande" asks first; cancelling keeps the offer and returns focus.
        remove = assigned.get_by_role("button", name=f"Ta bort erbjudande {OFFER_NAME}")
        remove.click()
        dialog = nurse.get_by_role("dialog", name="Ta bort tilldelat erbjudande?")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
        check_accessibility(nurse, "assign-04-remove-dialog")
        dialog.get_by_role("button", name="Avbryt").click()
        expect(dialog).to_have_count(0)
        expect(remove).to_be_focused()

        # The unit's list of assigned offers, of this offer only, sorted by times used.
        nurse.get_by_role("link", name="Egen provhantering").click()
        nurse.get_by_role("link", name="Tilldelade erbjudanden").click()
        expect(nurse.get_by_role("heading", level=1, name="Tilldelade erbjudanden")).to_be_visible()
        nurse.get_by_label("Erbjudande", exact=True).select_option(label=OFFER_NAME)
        table = nurse.get_by_role("table", name=re.compile("Tilldelade erbjudanden"))
        expect(table.get_by_role("row", name=re.compile(re.escape(OFFER_NAME)))).to_be_visible()
        expect(table.get_by_role("row", name=re.compile(OSCAR))).to_be_visible()
        table.get_by_role("button", name=re.compile("^Använt")).click()
        expect(table.get_by_role("columnheader", name=re.compile("^Använt"))).to_have_attribute(
            "aria-sort", "descending"
        )
        check_accessibility(nurse, "assign-05-assigned-list")

    # --- Oscar Nilsson, the citizen, finds the offer in Ny beställning ------------------------
    with person(browser, server_url) as citizen:
        citizen.goto("/")
        citizen.get_by_role("button", name="Logga in med BankID").click()
        citizen.get_by_role("button", name=re.compile("Oscar Nilsson")).click()
        expect(citizen.get_by_role("button", name="Logga ut")).to_be_visible()
        offers_api = citizen.request.get("/api/citizen/offers")
        assert offers_api.ok, offers_api.status
        assert catalog_id in offers_api.text(), offers_api.text()
        citizen.goto("/bestall")
        expect(citizen.get_by_text(OFFER_NAME).first).to_be_visible()
        check_accessibility(citizen, "assign-06-citizen-offers")
