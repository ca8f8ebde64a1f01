"""Both kinds of user log in through the (embedded) identity provider in a real browser,
reach their landing pages and log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.e2e


def test_citizen_logs_in_with_bankid_sees_start_page_and_logs_out(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Egen provhantering")
    check_accessibility(page, "citizen-01-logged-out")
    page.get_by_role("button", name="Logga in med BankID").click()
    expect(page).to_have_url(re.compile(r"/idp/citizen/authorize"))
    check_accessibility(page, "citizen-02-idp")
    page.get_by_role("button", name=re.compile("Tolvan Tolvansson")).click()
    expect(page.get_by_text("Välkommen, Tolvan")).to_be_visible()
    expect(page.get_by_text("19901212-9897")).to_be_visible()
    expect(page.get_by_text("Region Stockholm")).to_be_visible()
    expect(page.get_by_role("heading", name="Ny beställning")).to_be_visible()
    check_accessibility(page, "citizen-03-start-page")
    # No session material is readable by scripts.
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") <= 1
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/utloggad$"))
    expect(page.get_by_role("heading", level=1, name="Du är utloggad")).to_be_visible()
    expect(page.get_by_role("button", name="Logga in med BankID")).to_be_visible()
    check_accessibility(page, "citizen-05-logged-out")


def test_citizen_deep_link_survives_login(page: Page):
    page.goto("/Offer/Details?offerCatalogID=1001")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_role("button", name=re.compile("Anna")).click()
    expect(page).to_have_url(re.compile(r"/Offer/Details\?offerCatalogID=1001$"))
    check_accessibility(page, "citizen-04-deep-link")


def test_staff_logs_in_with_siths_chooses_unit_and_sees_module_menu(page: Page):
    page.goto("/pro/")
    check_accessibility(page, "professional-01-logged-out")
    page.get_by_role("button", name="Logga in med SITHS").click()
    expect(page).to_have_url(re.compile(r"/idp/staff/authorize"))
    page.get_by_role("button", name=re.compile("Mikael Sandberg")).click()
    expect(page.get_by_role("heading", name="Välj vårdenhet")).to_be_visible()
    check_accessibility(page, "professional-02-choose-unit")
    page.get_by_role("radio", name=re.compile("STI-mottagningen Södersjukhuset")).check()
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", name="Provtagning")).to_be_visible()
    expect(page.get_by_role("heading", name="Smittspårning")).to_be_visible()
    expect(page.get_by_role("heading", name="Administration")).to_have_count(0)
    check_accessibility(page, "professional-03-module-menu")
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Logga in med SITHS")).to_be_visible()


def test_staff_without_assignment_is_told_a_medarbetaruppdrag_is_needed(page: Page):
    page.goto("/pro/")
    page.get_by_role("button", name="Logga in med SITHS").click()
    page.get_by_role("button", name=re.compile("Johanna Berg")).click()
    expect(page.get_by_text(re.compile("medarbetaruppdrag", re.I)).first).to_be_visible()
    check_accessibility(page, "professional-04-no-assignment")
