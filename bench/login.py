"""Citizen (and staff) login through the real OIDC flow (our RP against the embedded IdP at
/idp/citizen) over real HTTP — the steps of tests/support/browserless_login.py."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class LoginFailed(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class LoggedInCitizen:
    key: str
    cookie: str  # the value of the session cookie
    csrf_token: str


def _expect(response: httpx.Response, status: int, step: str) -> None:
    if response.status_code != status:
        raise LoginFailed(
            f"{step}: expected {status}, got {response.status_code}: {response.text[:300]}"
        )


async def login_citizen(
    base_url: str, key: str, *, cookie_name: str = "pep_session", timeout: float = 30.0
) -> LoggedInCitizen:
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout) as client:
        return await _login(client, "citizen", key, cookie_name)


async def login_staff(
    base_url: str,
    key: str,
    *,
    care_unit_hsa_id: str,
    cookie_name: str = "pep_session",
    timeout: float = 30.0,
) -> LoggedInCitizen:
    """A staff member logged in (SITHS at the embedded IdP) with the employee assignment at
    `care_unit_hsa_id` chosen."""
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout) as client:
        staff = await _login(client, "staff", key, cookie_name)
        me = (await client.get("/api/staff/me")).json()
        assignment = next(
            a["assignment_id"]
            for a in me["assignments"]
            if a["care_unit_hsa_id"] == care_unit_hsa_id
        )
        chosen = await client.put(
            "/api/staff/context",
            json={"assignment_id": assignment},
            headers={"X-CSRF-Token": staff.csrf_token},
        )
        _expect(chosen, 200, "PUT /api/staff/context")
        return staff


async def _login(
    client: httpx.AsyncClient, kind: str, key: str, cookie_name: str
) -> LoggedInCitizen:
    """The OIDC flow for `kind` ("citizen" or "staff"): the session cookie and CSRF token."""
    start = await client.get(f"/auth/{kind}/login")
    _expect(start, 302, f"GET /auth/{kind}/login")
    authorize_url = start.headers["location"]
    page = await client.get(authorize_url)
    _expect(page, 200, "GET authorize")
    form = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
    form["identity"] = key
    chosen = await client.post(urlsplit(authorize_url).path, data=form)
    _expect(chosen, 303, "POST identity")
    back = await client.get(chosen.headers["location"])
    _expect(back, 303, "GET callback")
    if "inloggning=" in back.headers["location"]:
        raise LoginFailed(f"login refused: {back.headers['location']}")
    session = await client.get("/api/session")
    _expect(session, 200, "GET /api/session")
    data = session.json()
    cookie = client.cookies.get(cookie_name)
    if not data.get("authenticated") or not cookie:
        raise LoginFailed(f"no session after login: {data}")
    return LoggedInCitizen(key=key, cookie=cookie, csrf_token=str(data["csrf_token"]))
