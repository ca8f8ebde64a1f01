"""A login started under another host name than the public base URL's (the server prints
127.0.0.1, the configuration says localhost) must still complete: the identity provider
returns to the public host, and the cookie binding the login to the browser is only sent to
the host that set it."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import BASE_URL

OTHER_HOST = "http://127.0.0.1:8000"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
async def other_host_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser that opened the app at 127.0.0.1 instead of the public host name."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url=OTHER_HOST,
    ) as http:
        yield http


async def test_login_started_on_another_host_redirects_to_the_public_base_url_first(
    other_host_client: httpx.AsyncClient,
) -> None:
    response = await other_host_client.get(
        "/auth/citizen/login", params={"return_to": "/Offer/Details?offerCatalogID=1004"}
    )
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"{BASE_URL}/auth/citizen/login?return_to=%2FOffer%2FDetails%3FofferCatalogID%3D1004"
    )
    # Nothing of the login was started on the wrong host.
    assert "pep_login" not in response.headers.get("set-cookie", "")


async def test_login_started_on_another_host_completes_and_returns_to_the_deep_link(
    other_host_client: httpx.AsyncClient,
) -> None:
    # As a browser would: follow the redirects to the identity provider's page.
    page = await other_host_client.get(
        "/auth/citizen/login",
        params={"return_to": "/Offer/Details?offerCatalogID=1004"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert page.url.host == httpx.URL(BASE_URL).host
    form = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
    form["identity"] = "anna-stockholm"
    chosen = await other_host_client.post(str(page.url.copy_with(query=None)), data=form)
    assert chosen.status_code == 303
    back = await other_host_client.get(chosen.headers["location"])

    assert back.status_code == 303
    assert back.headers["location"] == "/Offer/Details?offerCatalogID=1004"
    session = (await other_host_client.get(f"{BASE_URL}/api/session")).json()
    assert session["authenticated"] is True
    assert session["kind"] == "citizen"


async def test_login_started_on_another_host_keeps_staff_kind_without_return_path(
    other_host_client: httpx.AsyncClient,
) -> None:
    response = await other_host_client.get("/auth/staff/login")
    assert response.status_code == 302
    assert response.headers["location"] == f"{BASE_URL}/auth/staff/login"
