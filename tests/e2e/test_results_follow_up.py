"""Issue 10 in a real browser against the real server and worker: a result registered by hand
reaches the citizen and is followed up.

1. Oscar Nilsson gives his e-mail address under Inställningar and orders the chlamydia and
   gonorrhoea home test (offer 1001, whose results STI-mottagningen Södersjukhuset registers
   and follows up; the order itself is set up through the citizen API, as the app makes it).
2. Mikael Sandberg (Svarsregistrering and Arbetslista there) searches Oscar, opens the order,
   chooses the template Klamydia positiv — each line with its own insight: chlamydia Påvisad,
   Positivt (the template's), gonorrhoea Ej påvisad, Negativt (its analysis's) — *Idag*, edits
   the comment, *Skicka svar*. He opens Arbetslista: the chlamydia result is there, not read;
   the negative gonorrhoea result is not.
3. The worker makes Oscar's inbox message and sends the e-mail to the SMTP server of the test,
   without the result; Oscar sees the new results on the start page and the message in
   Inkorg, opens the order and reads each line's result with the offer's text for its insight.
4. Mikael's worklist shows the result read (yes, when) without a reload.
5. Eva Lund (Vårdcentralen Solna; an assignment and no permission) opens /pro/rba directly,
   logs in with SITHS, chooses her assignment and takes over treatment of the chlamydia result,
   the one positive result of the order.
6. The worklist shows the takeover; Mikael comments and archives the result.
7. Mikael corrects the chlamydia result (version 2; the sampling date is locked); the archived
   result is back in the active list, unread; Svarslogg lists the correction; Oscar gets a new
   message and e-mail and reads the corrected result.

Screenshots under test-artifacts/screenshots/follow-up-*.png; axe-core checks every page (WCAG
2.1 AA). Uses Oscar Nilsson (the administration walk only looks at his offers), Mikael Sandberg
at STI-mottagningen Södersjukhuset and Eva Lund (in no other browser test)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from adapters.notifications.mail_sink import ReceivedMail
from tests.e2e.conftest import SCREENSHOTS, Mailbox, check_accessibility

pytestmark = pytest.mark.e2e

OSCAR = "20100330-9877"
STI_CLINIC = "STI-mottagningen Södersjukhuset"
OFFER = "Klamydia- och gonorrétest hemma"
CHLAMYDIA = "Klamydia (Chlamydia trachomatis), NAAT"
GONORRHOEA = "Gonorré (Neisseria gonorrhoeae), NAAT"
# Offer 1001's texts for a positive and a negative insight (adapters/demo_data.py
# OFFER_INSIGHT_TEXTS): the template Klamydia positiv has none of its own.
POSITIVE_TEXT = (
    "Provet visar att du har klamydia eller gonorré. Det behandlas med antibiotika. "
    "STI-mottagningen kontaktar dig; du kan också ringa dem."
)
NEGATIVE_TEXT = "Analysen visar ingen infektion."
COMMENT = "Chlamydia trachomatis påvisad. Neisseria gonorrhoeae ej påvisad."
CORRECTED_VALUE = "Påvisad, bekräftad vid omanalys"
CORRECTION_COMMENT = "Rättat efter omanalys."
WORKLIST_COMMENT = "Ringt patienten, behandlas på Vårdcentralen Solna."
# Arbetslista's column "Läst av invånaren" (Patient, Analys, Insikt, Svarsdatum, Läst, ...).
READ_COLUMN = 4
# The worklist polls its change token every 15 seconds.
POLL_TIMEOUT_MS = 25_000


@contextmanager
def person(browser: Browser, server_url: str) -> Iterator[Page]:
    """A browser context of its own (one person), failing on any console or page error."""
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
    assert errors == [], f"browser errors: {errors}"


def screenshot(page: Page, name: str) -> None:
    """A screenshot only: for a page axe-core has checked in a state with the same parts."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def citizen_login(page: Page, name: str) -> None:
    page.goto("/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_role("button", name=re.compile(name)).click()
    expect(page.get_by_text(f"Välkommen, {name}!")).to_be_visible()


def staff_login(page: Page, who: str, unit: str) -> None:
    page.goto("/pro/")
    page.get_by_role("button", name="Logga in med SITHS").click()
    page.get_by_role("button", name=re.compile(who)).click()
    expect(page.get_by_role("heading", level=1, name="Välj vårdenhet")).to_be_visible()
    page.get_by_role("radio", name=re.compile(unit)).check()
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", level=1, name="Välj modul")).to_be_visible()


def open_module(page: Page, name: str) -> None:
    page.get_by_role("link", name="Egen provhantering").first.click()
    expect(page.get_by_role("heading", level=1, name="Välj modul")).to_be_visible()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def call_api(page: Page, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """The API from the logged-in page, as the apps call it (session cookie, CSRF token)."""
    status, answer = page.evaluate(
        """async ([method, path, body]) => {
                const session = await (await fetch('/api/session')).json();
                const headers = {
                    'X-CSRF-Token': session.csrf_token,
                    'Idempotency-Key': crypto.randomUUID(),
                };
                if (body !== null) headers['Content-Type'] = 'application/json';
                const data = body === null ? undefined : JSON.stringify(body);
                const response = await fetch(path, {method, headers, body: data});
                const text = await response.text();
                return [response.status, text ? JSON.parse(text) : null];
            }""",
        [method, path, body],
    )
    return int(status), answer


def open_registration_order(page: Page) -> None:
    """Svarsregistrering: Oscar by personnummer, then his order of the home test."""
    open_module(page, "Svarsregistrering")
    page.get_by_role("textbox", name="Personnummer").fill(OSCAR)
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", level=2, name=f"Oscar Nilsson, {OSCAR}")).to_be_visible()
    assert OSCAR not in page.url
    assert OSCAR.replace("-", "") not in page.url
    page.get_by_role("link", name=re.compile(f"^Öppna beställning {re.escape(OFFER)}")).click()
    expect(page.get_by_role("heading", level=2, name=f"Beställning: {OFFER}")).to_be_visible()


def line(page: Page, product: str) -> Locator:
    """One order line's fields in the registration form (a fieldset named by its product)."""
    return page.get_by_role("group", name=product, exact=True)


def worklist_row(page: Page, product: str) -> Locator:
    return page.get_by_role("row").filter(has_text=OSCAR).filter(has_text=product)


def secrets_absent(mail: ReceivedMail, secrets: list[str]) -> None:
    raw = mail.path.read_bytes().decode()
    for secret in secrets:
        assert secret not in mail.text, secret
        assert secret not in mail.subject, secret
        assert secret not in raw, secret


def test_manual_result_reaches_the_citizen_and_is_followed_up_taken_over_and_corrected(
    browser: Browser, server_url: str, mailbox: Mailbox
) -> None:
    address = f"oscar.nilsson.{uuid.uuid4().hex[:6]}@example.se"
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    secrets = [
        "Påvisad",
        "påvisad",
        "omanalys",
        "Positiv",
        "positiv",
        "klamydia",
        "Klamydia",
        "gonorr",
        "Chlamydia",
        OFFER,
    ]

    # --- 1. Oscar: his e-mail address under Inställningar; the order (set-up) --------------
    with person(browser, server_url) as citizen:
        citizen_login(citizen, "Oscar Nilsson")
        citizen.get_by_role("link", name="Inställningar").click()
        expect(citizen.get_by_role("heading", level=1, name="Inställningar")).to_be_visible()
        citizen.get_by_label("E-postadress").fill(address)
        citizen.get_by_role("button", name="Spara").click()
        expect(citizen.get_by_text("Dina inställningar är sparade.")).to_be_visible()
        check_accessibility(citizen, "follow-up-01-citizen-settings")
        status, order = call_api(
            citizen,
            "POST",
            "/api/citizen/orders",
            {
                "catalog_id": "1001",
                "contact": {"email": address},
                "delivery_address": {
                    "street": "Skolvägen 4",
                    "postal_code": "171 65",
                    "city": "Solna",
                },
                "answers": {"symptoms": False},
            },
        )
        assert status == 201, order
    rid = order["rid"]

    with person(browser, server_url) as clinic:
        # --- 2. Mikael registers the result: template, Idag, an edited value, Skicka svar -----
        staff_login(clinic, "Mikael Sandberg", STI_CLINIC)
        check_accessibility(clinic, "follow-up-02-module-menu")
        clinic.get_by_role("link", name="Svarsregistrering").click()
        expect(clinic.get_by_role("heading", level=1, name="Svarsregistrering")).to_be_visible()
        screenshot(clinic, "follow-up-03-registration-search")
        clinic.get_by_role("textbox", name="Personnummer").fill(OSCAR)
        clinic.get_by_role("button", name="Sök", exact=True).click()
        expect(
            clinic.get_by_role("heading", level=2, name=f"Oscar Nilsson, {OSCAR}")
        ).to_be_visible()
        found = clinic.get_by_role("table", name=re.compile("vars svar registreras här"))
        row = found.get_by_role("row").filter(has_text=rid)
        expect(row).to_contain_text(OFFER)
        expect(row).to_contain_text("Beställd")
        check_accessibility(clinic, "follow-up-04-registration-found")
        row.get_by_role("link", name=f"Öppna beställning {OFFER} ({rid})").click()
        expect(clinic.get_by_role("heading", level=2, name=f"Beställning: {OFFER}")).to_be_visible()
        expect(
            clinic.get_by_role("heading", level=2, name="Skapa svar på beställning")
        ).to_be_visible()

        clinic.get_by_label("Svarsmall").select_option(label="Klamydia positiv (KUL)")
        expect(
            clinic.get_by_text(
                "Svarsmallens insikt: Positivt. Varje analys har sin egen insikt, som du kan ändra."
            )
        ).to_be_visible()
        sampling_date = clinic.get_by_role("textbox", name=re.compile("^Provtagningsdatum"))
        clinic.get_by_role(
            "button", name="Idag (fyll i dagens datum som provtagningsdatum)"
        ).click()
        expect(sampling_date).to_have_value(today.isoformat())
        expect(line(clinic, CHLAMYDIA).get_by_role("textbox", name="Resultat")).to_have_value(
            "Påvisad"
        )
        expect(line(clinic, CHLAMYDIA).get_by_role("combobox", name="Insikt")).to_have_value(
            "positive"
        )
        # The template's gonorrhoea analysis is negative: the line is not the template's positive.
        expect(line(clinic, GONORRHOEA).get_by_role("textbox", name="Resultat")).to_have_value(
            "Ej påvisad"
        )
        gonorrhoea_insight = line(clinic, GONORRHOEA).get_by_role("combobox", name="Insikt")
        expect(gonorrhoea_insight).to_have_value("negative")
        expect(gonorrhoea_insight.locator("option:checked")).to_have_text("Negativt")
        comment = clinic.get_by_label("Kommentar")
        expect(comment).to_have_value("Chlamydia trachomatis påvisad.")
        comment.fill(COMMENT)
        check_accessibility(clinic, "follow-up-05-registration-form")
        clinic.get_by_role("button", name="Skicka svar").click()
        expect(
            clinic.get_by_text("2 svar är skickade. Invånaren får ett meddelande i sin inkorg.")
        ).to_be_visible()
        versions = clinic.get_by_role("table", name=f"Svar för {GONORRHOEA}")
        expect(versions.get_by_role("row")).to_have_count(2)
        expect(versions).to_contain_text("Ej påvisad")
        expect(versions).to_contain_text("Negativt")
        expect(versions).not_to_contain_text("Positivt")
        expect(versions).to_contain_text("Mikael Sandberg")
        chlamydia_versions = clinic.get_by_role("table", name=f"Svar för {CHLAMYDIA}")
        expect(chlamydia_versions).to_contain_text("Positivt")
        expect(
            clinic.get_by_role("heading", level=2, name="Korrigera registrerat svar")
        ).to_be_visible()
        screenshot(clinic, "follow-up-06-registration-sent")

        # The STD clinic's worklist: the positive chlamydia result, not read yet; the negative
        # gonorrhoea result is not followed up.
        open_module(clinic, "Arbetslista")
        expect(clinic.get_by_text("Arbetslistan visar svar med insikten Positivt.")).to_be_visible()
        chlamydia_row = worklist_row(clinic, CHLAMYDIA)
        expect(chlamydia_row).to_have_count(1)
        expect(worklist_row(clinic, GONORRHOEA)).to_have_count(0)
        expect(chlamydia_row).to_contain_text("Oscar Nilsson")
        expect(chlamydia_row).to_contain_text(OFFER)
        expect(chlamydia_row).to_contain_text("Positivt")
        expect(chlamydia_row.get_by_role("cell").nth(READ_COLUMN)).to_have_text("Nej")
        expect(chlamydia_row).to_contain_text("Inte övertaget")
        check_accessibility(clinic, "follow-up-07-worklist-unread")

        # --- 3. The message and the e-mail; Oscar reads the result ------------------------
        [mail] = mailbox.wait_for(address)
        assert mail.subject == "Nytt provsvar i Egen provhantering"
        assert "Du har fått ett nytt provsvar i Egen provhantering." in mail.text
        secrets_absent(mail, secrets)

        with person(browser, server_url) as citizen:
            citizen_login(citizen, "Oscar Nilsson")
            news = citizen.get_by_role("region", name="Nytt sedan sist")
            expect(news.get_by_text("Du har 2 nya provsvar som du inte har läst:")).to_be_visible()
            expect(
                news.get_by_role("link", name=re.compile(f"^{re.escape(OFFER)}, svar"))
            ).to_be_visible()
            check_accessibility(citizen, "follow-up-08-citizen-start-news")
            news.get_by_role("link", name="1 oläst meddelande i Inkorgen").click()
            expect(citizen.get_by_role("heading", level=1, name="Inkorg")).to_be_visible()
            messages = citizen.get_by_role("list", name="Meddelanden").get_by_role("listitem")
            expect(messages).to_have_count(1)
            message = messages.first
            expect(message).to_contain_text("Nytt provsvar")
            expect(message.get_by_text("Oläst")).to_be_visible()
            expect(message).not_to_contain_text("Påvisad")
            check_accessibility(citizen, "follow-up-09-citizen-inbox")
            message.get_by_role("link", name=f"Öppna beställningen {OFFER}").click()
            expect(citizen.get_by_role("heading", level=1, name=OFFER)).to_be_visible()
            chlamydia = citizen.get_by_role("article", name=CHLAMYDIA)
            expect(chlamydia.get_by_text(POSITIVE_TEXT)).to_be_visible()
            expect(chlamydia.get_by_role("cell", name="Påvisad", exact=True)).to_be_visible()
            expect(chlamydia).to_contain_text(COMMENT)
            expect(chlamydia.get_by_text(NEGATIVE_TEXT)).to_have_count(0)
            gonorrhoea_result = citizen.get_by_role("article", name=GONORRHOEA)
            expect(gonorrhoea_result.get_by_text(NEGATIVE_TEXT)).to_be_visible()
            expect(gonorrhoea_result.get_by_text(POSITIVE_TEXT)).to_have_count(0)
            expect(
                gonorrhoea_result.get_by_role("cell", name="Ej påvisad", exact=True)
            ).to_be_visible()
            check_accessibility(citizen, "follow-up-10-citizen-result")
            citizen.get_by_role("link", name="Egen provhantering").first.click()
            expect(citizen.get_by_text("Välkommen, Oscar Nilsson!")).to_be_visible()
            expect(citizen.get_by_role("region", name="Nytt sedan sist")).to_have_count(0)

        # --- 4. The worklist shows it read, without a reload ------------------------------
        expect(chlamydia_row.get_by_role("cell").nth(READ_COLUMN)).to_have_text(
            re.compile(r"^Ja, "), timeout=POLL_TIMEOUT_MS
        )
        screenshot(clinic, "follow-up-11-worklist-read")

        # --- 5. Eva Lund at Vårdcentralen Solna takes over treatment through /rba ---------
        with person(browser, server_url) as other_unit:
            other_unit.goto("/pro/rba")
            expect(other_unit).to_have_url(re.compile(r"/idp/staff/authorize"))
            other_unit.get_by_role("button", name=re.compile("Eva Lund")).click()
            expect(
                other_unit.get_by_role("heading", level=1, name="Välj vårdenhet")
            ).to_be_visible()
            check_accessibility(other_unit, "follow-up-12-rba-choose-unit")
            other_unit.get_by_role("radio", name=re.compile("Vårdcentralen Solna")).check()
            other_unit.get_by_role("button", name="Fortsätt").click()
            expect(
                other_unit.get_by_role("heading", level=1, name="Behandlingsansvar")
            ).to_be_visible()
            assert other_unit.url.endswith("/pro/behandlingsansvar"), other_unit.url
            screenshot(other_unit, "follow-up-13-rba")
            other_unit.get_by_label("Patientens personnummer").fill(OSCAR)
            other_unit.get_by_role("button", name="Sök", exact=True).click()
            # Only the chlamydia line: the negative gonorrhoea result is nobody's to take over.
            positives = other_unit.get_by_role("table", name="1 positivt svar")
            expect(positives).to_contain_text(STI_CLINIC)
            expect(positives).not_to_contain_text(GONORRHOEA)
            taken = positives.get_by_role("row").filter(has_text=CHLAMYDIA)
            expect(taken).to_contain_text("Inte övertaget")
            check_accessibility(other_unit, "follow-up-14-rba-found")
            taken.get_by_role("button", name=f"Ta över behandlingsansvaret för {CHLAMYDIA}").click()
            dialog = other_unit.get_by_role(
                "dialog", name="Bekräfta övertagande av behandlingsansvar"
            )
            expect(dialog).to_contain_text(
                f"Vårdcentralen Solna tar över behandlingsansvaret för Oscar Nilsson, {OSCAR}"
            )
            check_accessibility(other_unit, "follow-up-15-rba-confirm")
            dialog.get_by_role("button", name="Registrera övertagande").click()
            expect(
                other_unit.get_by_text(
                    "Övertagandet är registrerat för Vårdcentralen Solna. Det visas nu i "
                    f"arbetslistan hos {STI_CLINIC}."
                )
            ).to_be_visible()
            expect(taken).to_contain_text("Övertaget av din vårdenhet")
            screenshot(other_unit, "follow-up-16-rba-registered")

        # --- 6. The STD clinic sees the takeover, comments and archives --------------------
        clinic.reload()
        expect(chlamydia_row).to_contain_text("Eva Lund, Vårdcentralen Solna, ")
        expect(worklist_row(clinic, GONORRHOEA)).to_have_count(0)
        screenshot(clinic, "follow-up-17-worklist-taken-over")
        chlamydia_row.get_by_role("button", name=re.compile(r"^Kommentarer \(0\) för")).click()
        comments = clinic.get_by_role("dialog", name="Kommentarer – Oscar Nilsson")
        expect(comments.get_by_text("Det finns inga kommentarer ännu.")).to_be_visible()
        comments.get_by_label("Ny kommentar").fill(WORKLIST_COMMENT)
        comments.get_by_role("button", name="Spara kommentar").click()
        expect(comments.get_by_text("Kommentaren är sparad.")).to_be_visible()
        saved = comments.get_by_role("list", name="Kommentarer").get_by_role("listitem")
        expect(saved).to_have_count(1)
        expect(saved).to_contain_text(WORKLIST_COMMENT)
        expect(saved).to_contain_text("Mikael Sandberg (SE2321000016-1002), ")
        check_accessibility(clinic, "follow-up-18-worklist-comment")
        comments.get_by_role("button", name="Stäng").click()
        expect(comments).to_have_count(0)
        expect(chlamydia_row).to_contain_text(WORKLIST_COMMENT)
        expect(chlamydia_row).to_contain_text("Senast: Mikael Sandberg, ")
        chlamydia_row.get_by_role("button", name="Arkivera svaret för Oscar Nilsson").click()
        expect(clinic.get_by_text("Svaret för Oscar Nilsson är arkiverat.")).to_be_visible()
        expect(chlamydia_row).to_have_count(0)
        expect(worklist_row(clinic, GONORRHOEA)).to_have_count(0)
        tabs = clinic.get_by_role("navigation", name="Arbetslista")
        tabs.get_by_role("link", name="Arkiverade").click()
        archived_row = worklist_row(clinic, CHLAMYDIA)
        expect(archived_row).to_contain_text("Arkiverat av Mikael Sandberg, ")
        expect(archived_row).to_contain_text("Eva Lund, Vårdcentralen Solna, ")
        expect(
            archived_row.get_by_role("button", name=re.compile(r"^Kommentarer \(1\)"))
        ).to_be_visible()
        check_accessibility(clinic, "follow-up-19-worklist-archived")

        # --- 7. A correction: version 2, the sampling date locked ---------------------------
        open_registration_order(clinic)
        expect(
            clinic.get_by_role("heading", level=2, name="Korrigera registrerat svar")
        ).to_be_visible()
        locked = clinic.get_by_role("textbox", name=re.compile("^Provtagningsdatum"))
        expect(locked).to_have_value(today.isoformat())
        expect(locked).to_have_attribute("readonly", "")
        expect(
            clinic.get_by_text(re.compile(r"Provtagningsdatum är .* och kan inte ändras"))
        ).to_be_visible()
        expect(clinic.get_by_role("button", name=re.compile("^Idag"))).to_have_count(0)
        clinic.get_by_label("Svarsmall").select_option(label="Klamydia positiv (KUL)")
        line(clinic, GONORRHOEA).get_by_role(
            "checkbox", name=f"Registrera svar för {GONORRHOEA}"
        ).uncheck()
        line(clinic, CHLAMYDIA).get_by_role("textbox", name="Resultat").fill(CORRECTED_VALUE)
        clinic.get_by_label("Kommentar").fill(CORRECTION_COMMENT)
        check_accessibility(clinic, "follow-up-20-correction-form")
        clinic.get_by_role("button", name="Skicka svar").click()
        expect(
            clinic.get_by_text(
                "Det korrigerade svaret är skickat. Invånaren får ett nytt meddelande."
            )
        ).to_be_visible()
        history = clinic.get_by_role(
            "table", name=f"Svar för {CHLAMYDIA}, 2 versioner (senaste först)"
        )
        rows = history.get_by_role("row")
        expect(rows).to_have_count(3)
        expect(rows.nth(1)).to_contain_text("gäller")
        expect(rows.nth(1)).to_contain_text(CORRECTED_VALUE)
        expect(rows.nth(2)).to_contain_text("ersatt")
        expect(clinic.get_by_role("table", name=f"Svar för {GONORRHOEA}")).to_be_visible()
        check_accessibility(clinic, "follow-up-21-correction-sent")

        # Svarslogg: the three registrations of the order, the correction marked.
        clinic.get_by_role("navigation", name="Svarsregistrering").get_by_role(
            "link", name="Svarslogg"
        ).click()
        clinic.get_by_label("RID").fill(rid)
        clinic.get_by_role("button", name="Sök i svarsloggen").click()
        log = clinic.get_by_role("table", name=re.compile("^3 registrerade svar"))
        expect(log.get_by_role("row").filter(has_text=rid)).to_have_count(3)
        expect(log.get_by_role("row").filter(has_text="korrigerat")).to_have_count(1)
        check_accessibility(clinic, "follow-up-22-result-log")

        # The corrected result is back among the active ones, not read.
        open_module(clinic, "Arbetslista")
        expect(chlamydia_row).to_have_count(1)
        expect(chlamydia_row.get_by_role("cell").nth(READ_COLUMN)).to_have_text("Nej")
        expect(chlamydia_row).to_contain_text("Eva Lund, Vårdcentralen Solna, ")
        screenshot(clinic, "follow-up-23-worklist-corrected")

    # Oscar: a second e-mail, without the result; the correction in Inkorg and the order.
    mails = mailbox.wait_for(address, count=2)
    assert len(mails) == 2, mails
    secrets_absent(mails[1], [*secrets, CORRECTION_COMMENT])
    with person(browser, server_url) as citizen:
        citizen_login(citizen, "Oscar Nilsson")
        news = citizen.get_by_role("region", name="Nytt sedan sist")
        expect(news.get_by_text("Du har 1 nytt provsvar som du inte har läst:")).to_be_visible()
        news.get_by_role("link", name="1 oläst meddelande i Inkorgen").click()
        messages = citizen.get_by_role("list", name="Meddelanden").get_by_role("listitem")
        expect(messages).to_have_count(2)
        corrected = messages.first
        expect(corrected).to_contain_text("Korrigerat provsvar")
        expect(corrected.get_by_text("Oläst")).to_be_visible()
        expect(messages.nth(1).get_by_text("Oläst")).to_have_count(0)
        check_accessibility(citizen, "follow-up-24-citizen-inbox-correction")
        corrected.get_by_role("link", name=f"Öppna beställningen {OFFER}").click()
        chlamydia = citizen.get_by_role("article", name=CHLAMYDIA)
        expect(chlamydia.get_by_text("Korrigerat svar")).to_be_visible()
        expect(chlamydia.get_by_role("cell", name=CORRECTED_VALUE)).to_be_visible()
        expect(chlamydia).to_contain_text(CORRECTION_COMMENT)
        expect(chlamydia.get_by_text(POSITIVE_TEXT)).to_be_visible()
        expect(
            citizen.get_by_role("article", name=GONORRHOEA).get_by_text("Korrigerat svar")
        ).to_have_count(0)
        check_accessibility(citizen, "follow-up-25-citizen-corrected-result")
    assert len(mailbox.to(address)) == 2
