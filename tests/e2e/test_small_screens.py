"""The citizen app is used on phones (the 1177 app embeds it): its pages must fit a narrow
screen without sideways scrolling, and stay accessible there."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e
PHONE = {"width": 375, "height": 740}


def _fits(page) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
    )


def test_citizen_pages_fit_a_phone_screen(browser: Browser, server_url: str):
    context = browser.new_context(
        base_url=server_url, locale="sv-SE", viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("button", name="Logga in med BankID").click()
        page.get_by_role("button", name=re.compile("Tolvan Tolvansson")).click()
        expect(page.get_by_text("Välkommen, Tolvan")).to_be_visible()
        assert _fits(page)
        check_accessibility(page, "phone-01-start")
        page.goto("/bestall")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert _fits(page)
        check_accessibility(page, "phone-02-offers")
        page.goto("/Offer/Details?offerCatalogID=1001")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert _fits(page)
        check_accessibility(page, "phone-03-offer")
    finally:
        context.close()
