"""Issue 8 in a real browser against the real server: a nurse samples a booked citizen at a site
with two laboratories (the lab choice and the check that names what is missing), the labels
are previewed (rendered offline in the browser) and printed through Zebra Browser Print;
home-kit labels are printed (an address with ^XZ in it, escaped) and exported with the export
permission, and not offered without it; a citizen orders an anonymous kit home, which is
received in Ordermottagning; a batch is received without printing; the citizen then sees
the process step with its date.

Zebra Browser Print is a local stand-in (BrowserPrintAgent: the agent's HTTP endpoints
/default, /available and /write on a free port, recording what the page wrote); the page is
pointed at it with `window.__PEP_BROWSER_PRINT_URL__`. axe-core checks every page.

Demo people used here and in no other browser test: Gunnar Berg (sampling), Maja Lindqvist
(anonymous kit), Ingrid Eriksson's region is elsewhere, so Anna Andersson (batch) and Sara Ek
(protected identity) order home kits; Mikael Sandberg samples (Provtagningen Karolinska
Huddinge) and sends kits (STI-mottagningen Södersjukhuset, with the export permission); Karin
Holm has Etiketter without export at Vårdcentralen Solna."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.demo_data import LABEL_TEMPLATE, demo_id
from domain.dispatch import DeliveryAddress
from domain.labels import ADDRESS_LABEL_TEMPLATE, render_label
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e

PRINTER = {
    "name": "ZD421 E2E",
    "uid": "ZD421-E2E",
    "connection": "usb",
    "deviceType": "printer",
    "provider": "com.zebra.ds.webdriver.desktop.provider.DefaultDeviceProvider",
    "manufacturer": "Zebra Technologies",
    "version": 0,
}
HUDDINGE = "SE2321000016-P001"  # serves KUL and SYNLAB-STH
GUNNAR = "19410115-9830"
ANNA = "19850412-9829"
MAJA = "20090214-9863"
STREET_WITH_ZPL = "Storgatan 1 ^XZ~JA"


class BrowserPrintAgent:
    """The Zebra Browser Print agent's HTTP API on 127.0.0.1 (a free port): the default and
    available printers, and /write, which records each {device, data} the page sent."""

    def __init__(self) -> None:
        self.written: list[dict[str, Any]] = []
        agent = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: str, content_type: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path == "/default?type=printer":
                    self._answer(200, json.dumps(PRINTER), "application/json")
                elif self.path == "/available":
                    self._answer(200, json.dumps({"printer": [PRINTER]}), "application/json")
                else:
                    self._answer(404, "", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                if self.path == "/write":
                    agent.written.append(json.loads(body))
                    self._answer(200, "", "text/plain")
                else:
                    self._answer(404, "", "text/plain")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> BrowserPrintAgent:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def agent() -> Iterator[BrowserPrintAgent]:
    with BrowserPrintAgent() as running:
        yield running


@contextmanager
def person(
    browser: Browser, server_url: str, agent: BrowserPrintAgent, *, expected: tuple[int, ...] = ()
) -> Iterator[Page]:
    """A browser context of its own (one person) pointed at the Browser Print stand-in,
    failing on any console or page error except the answers provoked on purpose (Chromium
    logs each 4xx answer as a console error: `expected` lists their statuses, in any order)."""
    context = browser.new_context(base_url=server_url, locale="sv-SE", bypass_csp=True)
    context.add_init_script(f"window.__PEP_BROWSER_PRINT_URL__ = {json.dumps(agent.url)};")
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
    provoked = [e for e in errors if re.search(r"status of (\d{3})", e)]
    statuses = sorted(int(re.search(r"status of (\d{3})", e).group(1)) for e in provoked)  # type: ignore[union-attr]
    assert statuses == sorted(expected), f"expected answers {expected}: {errors}"
    others = [e for e in errors if e not in provoked]
    assert others == [], f"browser errors: {others}"


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


def order_home_kit(page: Page, catalog_id: str, street: str) -> dict[str, Any]:
    status, order = call_api(
        page,
        "POST",
        "/api/citizen/orders",
        {
            "catalog_id": catalog_id,
            "contact": {"phone": "070-123 45 67"},
            "delivery_address": {"street": street, "postal_code": "111 22", "city": "Stockholm"},
            "answers": {"symptoms": False},
        },
    )
    assert status == 201, order
    return dict(order)


def test_nurse_samples_a_booked_citizen_with_lab_choice_and_prints_through_browser_print(
    browser: Browser, server_url: str, agent: BrowserPrintAgent
) -> None:
    # --- Gunnar Berg books HIV- och syfilistest at Provtagningen Karolinska Huddinge ---------
    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Gunnar Berg")
        unit_id = str(demo_id(HUDDINGE))
        status, slots = call_api(
            citizen, "GET", f"/api/citizen/offers/1004/slots?sampling_unit_id={unit_id}", None
        )
        assert status == 200, slots
        assert slots, slots
        free = next(s for s in slots if s["free"] > 0)
        status, order = call_api(
            citizen,
            "POST",
            "/api/citizen/orders",
            {
                "catalog_id": "1004",
                "contact": {"phone": "070-123 45 67"},
                "answers": {"symptoms": False},
                "booking": {"sampling_unit_id": unit_id, "slot_id": free["slot_id"]},
            },
        )
        assert status == 201, order
        rid = order["rid"]

    # --- Mikael Sandberg samples at Provtagningen Karolinska Huddinge -----------------------
    # One 409 on purpose: the laboratory that does not perform the products.
    with person(browser, server_url, agent, expected=(409,)) as nurse:
        staff_login(nurse, "Mikael Sandberg", "Provtagningen Karolinska Huddinge")
        nurse.get_by_role("link", name="Provtagning").click()
        expect(nurse.get_by_role("heading", level=1, name="Provtagning")).to_be_visible()
        tabs = nurse.get_by_role("navigation", name="Provtagning")
        expect(tabs.get_by_role("link")).to_have_text(
            ["Sök beställning", "Bokade tider", "Utskrivna", "Utskriftslogg"]
        )
        check_accessibility(nurse, "sampling-01-search")

        nurse.get_by_label("Personnummer").fill(GUNNAR)
        nurse.get_by_role("button", name="Sök beställning").click()
        expect(
            nurse.get_by_role("heading", level=2, name=re.compile(f"Gunnar.*{GUNNAR}"))
        ).to_be_visible()
        assert GUNNAR not in nurse.url
        assert GUNNAR.replace("-", "") not in nurse.url
        found = nurse.get_by_role("table", name=re.compile("kan provtas"))
        row = found.get_by_role("row", name=re.compile(re.escape(rid)))
        expect(row).to_contain_text("HIV- och syfilistest")
        check_accessibility(nurse, "sampling-02-found")
        row.get_by_role("link", name="Öppna beställning HIV- och syfilistest").click()

        # Two laboratories: choose one. Synlab performs neither product: the check says so.
        laboratory = nurse.get_by_role("group", name="Laboratorium")
        expect(laboratory.get_by_role("radio")).to_have_count(2)
        check_accessibility(nurse, "sampling-03-lab-choice")
        laboratory.get_by_role("radio", name="Synlab Stockholm (SYNLAB-STH)").check()
        nurse.get_by_role("button", name="Öppna som valt laboratorium").click()
        failed = nurse.get_by_role("alert")
        expect(failed).to_contain_text(
            "Beställningen kan inte provtas för Synlab Stockholm (SYNLAB-STH)"
        )
        expect(failed).to_contain_text(
            re.compile(
                r"Laboratoriet Synlab Stockholm \(SYNLAB-STH\) utför inte: "
                r"PEP-(HIV, PEP-SYF|SYF, PEP-HIV)\."
            )
        )
        check_accessibility(nurse, "sampling-04-check-failed")

        laboratory.get_by_role("radio", name="Karolinska Universitetslaboratoriet (KUL)").check()
        nurse.get_by_role("button", name="Öppna som valt laboratorium").click()
        lines = nurse.get_by_role("table", name="Produkter i laboratoriets koder")
        expect(lines.get_by_role("row")).to_have_count(3)
        expect(lines).to_contain_text("HIVAGAK")
        expect(lines).to_contain_text("SST5")

        # The sampling time: required, then "Nu".
        nurse.get_by_role("button", name="Registrera provtagning och skriv ut etiketter").click()
        expect(
            nurse.get_by_role("link", name="Provtagningstid: Ange provtagningstid.")
        ).to_be_visible()
        nurse.get_by_role("button", name="Nu (fyll i nuvarande tid som provtagningstid)").click()
        expect(nurse.get_by_role("combobox", name="Etikettskrivare")).to_have_value("ZD421 E2E")
        check_accessibility(nurse, "sampling-05-sampling-time")
        with nurse.expect_response(re.compile(r"/api/staff/sampling/orders/.+/sample$")) as answer:
            nurse.get_by_role(
                "button", name="Registrera provtagning och skriv ut etiketter"
            ).click()
        labels = answer.value.json()
        assert answer.value.status == 200, labels
        assert labels["opened"]["order"]["status"] == "sampled"
        assert labels["label_count"] == 2

        # The preview, rendered in the browser, before anything goes to the printer.
        expect(nurse.get_by_role("heading", level=2, name="Etiketter")).to_be_visible()
        preview = nurse.get_by_role(
            "img", name=re.compile(f"Etikett [12] av 2, RID {re.escape(rid)}")
        )
        expect(preview).to_have_count(2)
        width = nurse.evaluate(
            "() => Math.min(...[...document.querySelectorAll('.label-preview__image')]"
            ".map(i => i.naturalWidth))"
        )
        assert width > 100, width
        assert agent.written == []
        check_accessibility(nurse, "sampling-06-labels-preview")
        nurse.get_by_role("button", name="Skriv ut", exact=True).click()
        expect(nurse.get_by_text("Etiketterna har skickats till ZD421 E2E.")).to_be_visible()
        assert agent.written == [{"device": PRINTER, "data": labels["zpl"]}]
        zpl = labels["zpl"]
        assert zpl.count("^XA") == 2
        assert zpl.count("^XZ") == 2
        # One label per product from the laboratory's template, with the values filled in.
        tube = render_label(
            LABEL_TEMPLATE,
            {
                "rid": rid.replace("-", ""),
                "personnummer": GUNNAR,
                "sex_mark": "M",
                "tube_code": "SST5",
            },
        )
        assert zpl == f"{tube}\n{tube}\n", zpl

        # Utskrivna and Utskriftslogg; a reprint from Utskrivna is logged as one.
        tabs.get_by_role("link", name="Utskrivna").click()
        sampled = nurse.get_by_role(
            "table", name=re.compile("provtagen beställning|provtagna beställningar")
        )
        expect(sampled.get_by_role("row", name=re.compile(re.escape(rid)))).to_be_visible()
        check_accessibility(nurse, "sampling-07-sampled")
        sampled.get_by_role("link", name=f"Skriv ut igen: {rid}").click()
        expect(
            nurse.get_by_text(re.compile("Laboratorium och provtagningstid är låsta"))
        ).to_be_visible()
        nurse.get_by_role("button", name="Skriv ut etiketterna igen").click()
        expect(nurse.get_by_text("2 etiketter att skriva ut igen.")).to_be_visible()
        nurse.get_by_role("button", name="Skriv ut", exact=True).click()
        expect(nurse.get_by_text("Etiketterna har skickats till ZD421 E2E.")).to_be_visible()
        assert len(agent.written) == 2
        assert agent.written[1]["data"] == zpl

        nurse.get_by_role("link", name="Utskriftslogg").click()
        log = nurse.get_by_role("table", name=re.compile("utskrift"))
        rows = log.get_by_role("row", name=re.compile(re.escape(rid)))
        expect(rows).to_have_count(2)
        expect(log.get_by_role("row", name=re.compile("Omutskrift"))).to_have_count(1)
        check_accessibility(nurse, "sampling-08-print-log")

        nurse.get_by_role("link", name="Bokade tider").click()
        expect(nurse.get_by_role("heading", level=2, name="Bokade tider")).to_be_visible()
        check_accessibility(nurse, "sampling-09-bookings")


def test_home_kit_labels_export_batch_receipt_and_anonymous_kit_order_receipt(
    browser: Browser, server_url: str, agent: BrowserPrintAgent
) -> None:
    # --- Citizens order: home kits (one address with ^XZ in it), a protected identity, and an
    #     anonymous kit posted home through the citizen app ---------------------------------
    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Gunnar Berg")
        zpl_order = order_home_kit(citizen, "1001", STREET_WITH_ZPL)
    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Anna Andersson")
        batch_order = order_home_kit(citizen, "1001", "Sveavägen 2")
    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Sara Ek")
        protected_order = order_home_kit(citizen, "1001", "Hemlig gatan 3")

    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Maja Lindqvist")
        citizen.goto("/bestall")
        citizen.get_by_role("link", name="Opersonligt provtagningskit klamydia").click()
        expect(
            citizen.get_by_text(re.compile("Provtagningskitet skickas hem till dig med posten"))
        ).to_be_visible()
        check_accessibility(citizen, "receipt-01-anonymous-kit-offer")
        citizen.get_by_role("button", name="Nästa").click()
        citizen.get_by_label("Mobilnummer").fill("070-123 45 67")
        citizen.get_by_label("Gatuadress").fill("Skolgatan 5")
        citizen.get_by_label("Postnummer").fill("113 30")
        citizen.get_by_label("Postort").fill("Stockholm")
        check_accessibility(citizen, "receipt-02-anonymous-kit-address")
        citizen.get_by_role("button", name="Nästa").click()
        expect(
            citizen.get_by_role("heading", name="Kontrollera och slutför beställningen")
        ).to_be_visible()
        citizen.get_by_role("button", name="Slutför beställningen").click()
        expect(
            citizen.get_by_role("heading", level=1, name="Beställningen är klar")
        ).to_be_visible()
        anonymous_rid = citizen.locator(".rid").inner_text().strip()
        check_accessibility(citizen, "receipt-03-anonymous-kit-ordered")

    # --- Karin Holm: Etiketter without the export permission --------------------------------
    with person(browser, server_url, agent, expected=(403,)) as karin:
        staff_login(karin, "Karin Holm", "Vårdcentralen Solna")
        karin.get_by_role("link", name="Etiketter").click()
        expect(karin.get_by_role("heading", level=1, name="Etiketter")).to_be_visible()
        expect(karin.get_by_role("navigation", name="Etiketter").get_by_role("link")).to_have_text(
            ["Utskrift", "Batchbearbetning"]
        )
        expect(karin.get_by_role("button", name=re.compile("^Exportera"))).to_have_count(0)
        expect(karin.get_by_label("Filformat")).to_have_count(0)
        # The API refuses it too.
        status, problem = call_api(
            karin,
            "POST",
            "/api/staff/labels/export",
            {"order_ids": [zpl_order["order_id"]], "format": "csv"},
        )
        assert status == 403, problem
        check_accessibility(karin, "labels-01-without-export")

    # --- Mikael Sandberg at STI-mottagningen: print, export, manual handling, batch ---------
    with person(browser, server_url, agent) as staff:
        staff_login(staff, "Mikael Sandberg", "STI-mottagningen Södersjukhuset")
        staff.get_by_role("link", name="Etiketter").click()
        expect(staff.get_by_role("heading", level=1, name="Etiketter")).to_be_visible()
        waiting = staff.get_by_role("table", name=re.compile("Beställningar att skicka"))
        gunnar_row = waiting.get_by_role("row", name=re.compile(re.escape(zpl_order["rid"])))
        expect(gunnar_row).to_contain_text(STREET_WITH_ZPL)

        manual = staff.get_by_role("table", name=re.compile("manuell hantering"))
        protected_row = manual.get_by_role(
            "row", name=re.compile(re.escape(protected_order["rid"]))
        )
        expect(protected_row).to_contain_text("Skyddad identitet: ingen adress skrivs ut")
        expect(protected_row).not_to_contain_text("Hemlig gatan")
        expect(staff.get_by_text("Hemlig gatan")).to_have_count(0)

        gunnar_row.get_by_role("button", name=f"Förhandsgranska {zpl_order['rid']}").click()
        expect(
            staff.get_by_role("img", name=re.compile(f"av 3, RID {re.escape(zpl_order['rid'])}"))
        ).to_have_count(3)
        check_accessibility(staff, "labels-02-preview")

        # Export with the permission: an Excel file, then a CSV, of the chosen order.
        gunnar_row.get_by_role("checkbox").check()
        with staff.expect_download() as download:
            staff.get_by_role("button", name="Exportera (1 vald)").click()
        assert download.value.suggested_filename.startswith("hemkit-")
        assert download.value.suggested_filename.endswith(".xlsx")
        staff.get_by_label("Filformat").select_option("csv")
        with staff.expect_download() as download:
            staff.get_by_role("button", name="Exportera (1 vald)").click()
        csv = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
        assert zpl_order["rid"] in csv, csv
        assert STREET_WITH_ZPL in csv, csv
        expect(
            staff.get_by_text(re.compile(r"1 beställning har exporterats till hemkit-.*\.csv\."))
        ).to_be_visible()
        check_accessibility(staff, "labels-03-exported")

        status, listing = call_api(staff, "GET", "/api/staff/labels/orders")
        assert status == 200, listing
        gunnar_name = next(o["name"] for o in listing["orders"] if o["rid"] == zpl_order["rid"])
        # Print Gunnar's labels: the ZPL the server made goes to the printer unchanged, with
        # the address's ^XZ and ~JA escaped.
        with staff.expect_response("**/api/staff/labels/print") as answer:
            staff.get_by_role("button", name="Skriv ut (1 vald)").click()
        printed = answer.value.json()
        assert answer.value.status == 200, printed
        expect(
            staff.get_by_text(
                "1 beställning är hanterad. Etiketterna (3 st) har skickats till ZD421 E2E."
            )
        ).to_be_visible()
        assert agent.written == [{"device": PRINTER, "data": printed["zpl"]}]
        expected_address = render_label(
            ADDRESS_LABEL_TEMPLATE,
            DeliveryAddress(
                name=gunnar_name,
                care_of=None,
                street=STREET_WITH_ZPL,
                postal_code="111 22",
                city="Stockholm",
            ).label_values(),
        )
        assert printed["zpl"].startswith(expected_address), printed["zpl"]
        assert "^FH\\^FDStorgatan 1 \\5EXZ\\7EJA^FS" in printed["zpl"]
        assert printed["zpl"].count("^XZ") == 3  # three labels; the address's ^XZ is not one
        expect(
            waiting.get_by_role("row", name=re.compile(re.escape(zpl_order["rid"])))
        ).to_have_count(0)
        check_accessibility(staff, "labels-04-printed")

        # Batchbearbetning: Anna's order received without printing.
        staff.get_by_role("navigation", name="Etiketter").get_by_role(
            "link", name="Batchbearbetning"
        ).click()
        expect(staff.get_by_role("heading", level=2, name="Batchbearbetning")).to_be_visible()
        staff.get_by_role("checkbox", name=re.compile(re.escape(batch_order["rid"]))).check()
        staff.get_by_role("button", name="Markera som mottagen (1 vald)").click()
        expect(
            staff.get_by_text(re.compile(r"1 beställning är mottagen och hanterad"))
        ).to_be_visible()
        expect(
            staff.get_by_role("checkbox", name=re.compile(re.escape(batch_order["rid"])))
        ).to_have_count(0)
        assert len(agent.written) == 1
        check_accessibility(staff, "labels-05-batch")

        # Ordermottagning: Maja's anonymous kit gets its address label only.
        staff.get_by_role("link", name="Egen provhantering").first.click()
        staff.get_by_role("link", name="Ordermottagning").click()
        expect(staff.get_by_role("heading", level=1, name="Ordermottagning")).to_be_visible()
        staff.get_by_role("checkbox", name=re.compile(re.escape(anonymous_rid))).check()
        check_accessibility(staff, "receipt-04-order-receipt")
        with staff.expect_response("**/api/staff/order-receipt/print") as answer:
            staff.get_by_role("button", name="Skriv ut (1 vald)").click()
        received = answer.value.json()
        assert answer.value.status == 200, received
        expect(
            staff.get_by_text(
                "1 beställning är hanterad. Etiketterna (1 st) har skickats till ZD421 E2E."
            )
        ).to_be_visible()
        assert agent.written[1] == {"device": PRINTER, "data": received["zpl"]}
        assert received["zpl"].count("^XA") == 1
        assert "Skolgatan 5" in received["zpl"]
        assert anonymous_rid.replace("-", "") not in received["zpl"].replace("-", "")
        check_accessibility(staff, "receipt-05-printed")

    # --- Maja sees the order received by care, with its date ----------------------------
    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Maja Lindqvist")
        citizen.goto("/bestallningar")
        citizen.get_by_role(
            "link", name=re.compile("Opersonligt provtagningskit klamydia")
        ).first.click()
        steps = citizen.get_by_role("region", name="Beställningens steg")
        today = datetime.now(UTC).astimezone().date()
        expect(steps.get_by_role("listitem")).to_have_count(4)
        expect(steps.get_by_role("listitem").nth(1)).to_have_text(
            re.compile(r"^Mottagen av vården: \d+ \w+ \d{4}$")
        )
        expect(steps.get_by_role("listitem").nth(2)).to_have_text("Provtagen: inte ännu")
        assert str(today.year) in steps.get_by_role("listitem").nth(1).inner_text()
        check_accessibility(citizen, "receipt-06-citizen-process-steps")
    assert uuid.UUID(received["orders"][0]["order_id"])


def test_label_preview_renders_under_the_apps_own_content_security_policy(
    browser: Browser, server_url: str, agent: BrowserPrintAgent
) -> None:
    """The other walks bypass the CSP (to inject axe-core and to reach the stand-in on a free
    port). Here the page runs under its real CSP: the agent is answered at its real address
    (127.0.0.1:9100, allowed by connect-src) by Playwright's routing, and the preview's
    WebAssembly renderer must be allowed by script-src 'wasm-unsafe-eval'."""
    with person(browser, server_url, agent) as citizen:
        citizen_login(citizen, "Anna Andersson")
        ordered = order_home_kit(citizen, "1001", "Drottninggatan 7")

    context = browser.new_context(base_url=server_url, locale="sv-SE")
    errors: list[str] = []

    def agent_at_its_real_address(route: Any) -> None:
        path = route.request.url.removeprefix("http://127.0.0.1:9100")
        body = {"/available": {"printer": [PRINTER]}, "/default?type=printer": PRINTER}.get(path)
        route.fulfill(
            status=200 if body else 404,
            headers={"Access-Control-Allow-Origin": "*"},
            content_type="application/json",
            body=json.dumps(body or {}),
        )

    context.route("http://127.0.0.1:9100/**", agent_at_its_real_address)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    try:
        staff_login(page, "Mikael Sandberg", "STI-mottagningen Södersjukhuset")
        page.get_by_role("link", name="Etiketter").click()
        csp = page.evaluate(
            "async () => (await fetch('/pro/')).headers.get('content-security-policy')"
        )
        assert "'wasm-unsafe-eval'" in csp, csp
        expect(page.get_by_role("combobox", name="Etikettskrivare")).to_have_value("ZD421 E2E")
        row = page.get_by_role("row", name=re.compile(re.escape(ordered["rid"])))
        row.get_by_role("button", name=f"Förhandsgranska {ordered['rid']}").click()
        images = page.get_by_role("img", name=re.compile(f"av 3, RID {re.escape(ordered['rid'])}"))
        expect(images).to_have_count(3)
        expect(page.get_by_text("Förhandsgranskningen kunde inte visas.")).to_have_count(0)
        widths = page.evaluate(
            "() => [...document.querySelectorAll('.label-preview__image')].map(i => i.naturalWidth)"
        )
        # The address label's ^PW800; the laboratory's tube template has no ^PW: 4 inches.
        assert widths == [800, 813, 813], widths
        page.screenshot(path="test-artifacts/screenshots/labels-06-preview-under-csp.png")
    finally:
        context.close()
    assert errors == [], f"browser errors: {errors}"
