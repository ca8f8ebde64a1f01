"""Logging in through the real OIDC flow (our RP against the embedded IdP) with an HTTP
client instead of a browser: the same redirects, forms and cookies a browser would see."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import httpx

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


async def choose_identity(
    client: httpx.AsyncClient, *, kind: str, key: str, return_to: str = ""
) -> str:
    """Starts a login and picks `key` at the IdP; returns the callback URL the IdP sends
    the browser to (not yet followed)."""
    params = {"return_to": return_to} if return_to else {}
    start = await client.get(f"/auth/{kind}/login", params=params)
    assert start.status_code == 302, start.text
    authorize_url = start.headers["location"]
    page = await client.get(authorize_url)
    assert page.status_code == 200, page.text
    form = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
    form["identity"] = key
    chosen = await client.post(urlsplit(authorize_url).path, data=form)
    assert chosen.status_code == 303, chosen.text
    return str(chosen.headers["location"])


async def login_redirect(
    client: httpx.AsyncClient, *, kind: str, key: str, return_to: str = ""
) -> str:
    """Completes a login; returns where the app sends the browser afterwards."""
    callback = await choose_identity(client, kind=kind, key=key, return_to=return_to)
    back = await client.get(callback)
    assert back.status_code == 303, back.text
    return str(back.headers["location"])


async def login(client: httpx.AsyncClient, *, kind: str, key: str, return_to: str = "") -> str:
    """Logs in as the test identity `key`; returns the CSRF token of the new session."""
    location = await login_redirect(client, kind=kind, key=key, return_to=return_to)
    assert "inloggning=" not in location, location
    session = (await client.get("/api/session")).json()
    assert session["authenticated"], session
    return str(session["csrf_token"])
