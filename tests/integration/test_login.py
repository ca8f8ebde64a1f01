from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from adapters.db.models import AuditEntry
from tests.support.browserless_login import choose_identity, login, login_redirect


def _request_id() -> dict[str, str]:
    """An X-Request-ID of this test's own: the audit entries a request causes carry it."""
    return {"X-Request-ID": f"test-{uuid.uuid4().hex}"}


async def _audited(services, headers: dict[str, str]) -> list[tuple[str, str, str]]:
    """(actor kind, action, outcome) of every audit entry the request with these headers made."""
    async with services.uow() as uow:
        rows = await uow.session.execute(
            select(AuditEntry.actor_kind, AuditEntry.action, AuditEntry.outcome)
            .where(AuditEntry.request_id == headers["X-Request-ID"])
            .order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows]


async def test_citizen_logs_in_through_oidc_and_reads_own_profile(login_as, client):
    await login_as("citizen", "tolvan")
    response = await client.get("/api/citizen/profile")
    assert response.status_code == 200
    profile = response.json()
    assert profile["personnummer"] == "19901212-9897"
    assert profile["given_name"] == "Tolvan"
    assert profile["region"] == {"code": "01", "name": "Region Stockholm"}
    assert profile["legal_sex"] == "M"
    assert profile["address"]["city"] == "Sundbyberg"


async def test_session_cookie_is_httponly_secure_and_samesite(client):
    await login(client, kind="citizen", key="anna-stockholm")
    # The last Set-Cookie of the callback carries the session.
    cookie = client.cookies.jar
    session_cookies = [c for c in cookie if c.name == "pep_session"]
    assert len(session_cookies) == 1
    assert session_cookies[0].secure
    assert session_cookies[0].has_nonstandard_attr("HttpOnly")
    assert session_cookies[0].get_nonstandard_attr("SameSite", "").lower() == "lax"


async def test_protected_identity_address_is_not_shown(login_as, client):
    await login_as("citizen", "protected-person")
    profile = (await client.get("/api/citizen/profile")).json()
    assert profile["protected_identity"] is True
    assert profile["address"] is None


async def test_login_is_refused_for_a_person_the_register_does_not_know(client, services):
    # The deceased test person is known to the IdP but refused by our register check.
    callback = await choose_identity(client, kind="citizen", key="deceased-person")
    request = _request_id()
    back = await client.get(callback, headers=request)
    assert back.headers["location"] == "/?inloggning=okand"
    assert (await client.get("/api/session")).json()["authenticated"] is False
    assert await _audited(services, request) == [("citizen", "login", "refused")]


async def test_callback_from_another_browser_is_refused(client, new_client):
    """The state is bound to the browser that started the login (login CSRF)."""
    callback = await choose_identity(client, kind="citizen", key="tolvan")
    attacker = new_client()
    back = await attacker.get(callback)
    assert back.headers["location"] == "/?inloggning=ogiltig"
    assert (await attacker.get("/api/session")).json()["authenticated"] is False


async def test_a_login_state_can_be_used_only_once(client):
    callback = await choose_identity(client, kind="citizen", key="tolvan")
    first = await client.get(callback)
    assert "inloggning" not in first.headers["location"]
    replay = await client.get(callback)
    assert replay.headers["location"] == "/?inloggning=utgangen"


async def test_return_to_cannot_leave_the_site(client):
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        assert await login_redirect(client, kind="citizen", key="tolvan", return_to=target) == "/"


async def test_return_to_keeps_a_deep_link_on_the_site(client):
    target = "/Offer/Details?offerCatalogID=1001"
    assert await login_redirect(client, kind="citizen", key="tolvan", return_to=target) == target


async def test_staff_login_returns_only_into_the_professional_app(client):
    assert await login_redirect(client, kind="staff", key="nurse-solna", return_to="/") == "/pro/"


async def test_login_and_logout_are_audited_and_logout_ends_the_session(client, services):
    callback = await choose_identity(client, kind="citizen", key="erik-stockholm")
    login_request = _request_id()
    assert (await client.get(callback, headers=login_request)).status_code == 303
    assert await _audited(services, login_request) == [("citizen", "login", "success")]
    csrf = (await client.get("/api/session")).json()["csrf_token"]
    logout_request = _request_id()
    response = await client.post("/auth/logout", headers={"X-CSRF-Token": csrf, **logout_request})
    assert response.status_code == 200
    assert response.json() == {"redirect_to": "/"}
    assert await _audited(services, logout_request) == [("citizen", "logout", "success")]
    assert (await client.get("/api/citizen/profile")).status_code == 401
    assert (await client.get("/api/session")).json()["authenticated"] is False


async def test_logout_without_csrf_token_is_refused(login_as, client):
    await login_as("citizen", "tolvan")
    response = await client.post("/auth/logout")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/csrf"
    assert (await client.get("/api/citizen/profile")).status_code == 200


async def test_session_ends_after_idle_timeout(login_as, client, services):
    await login_as("citizen", "tolvan")
    assert (await client.get("/api/citizen/profile")).status_code == 200
    idle = timedelta(seconds=services.settings.session_idle_timeout_seconds)
    services.now_override = services.now() + idle - timedelta(seconds=5)
    assert (await client.get("/api/citizen/profile")).status_code == 200  # activity renews
    services.now_override = services.now_override + idle + timedelta(seconds=1)
    response = await client.get("/api/citizen/profile")
    assert response.status_code == 401
    assert response.json()["type"] == "/problems/not-authenticated"


async def test_session_ends_at_absolute_limit_despite_activity(login_as, client, services):
    await login_as("citizen", "tolvan")
    start = services.now()
    step = timedelta(minutes=50)
    absolute = timedelta(seconds=services.settings.session_absolute_timeout_seconds)
    moment = start
    while moment + step < start + absolute:
        moment += step
        services.now_override = moment
        assert (await client.get("/api/citizen/profile")).status_code == 200
    services.now_override = start + absolute + timedelta(seconds=1)
    assert (await client.get("/api/citizen/profile")).status_code == 401


async def test_staff_logs_in_chooses_a_care_unit_and_sees_permitted_modules(
    login_as, client, services
):
    staff = await login_as("staff", "nurse-sti")
    me = (await client.get("/api/staff/me")).json()
    assert me["hsa_id"] == "SE2321000016-1002"
    assert me["selected_assignment_id"] is None
    assert me["modules"] == []
    assert me["administration"] == {
        "national": False,
        "central": False,
        "region_codes": [],
        "care_unit_hsa_ids": [],
    }
    units = {a["care_unit_hsa_id"]: a["assignment_id"] for a in me["assignments"]}
    first, second = _request_id(), _request_id()
    chosen = await client.put(
        "/api/staff/context",
        json={"assignment_id": units["SE2321000016-A002"]},
        headers={**staff.headers, **first},
    )
    assert chosen.status_code == 200
    modules = {m["module"] for m in chosen.json()["modules"]}
    assert {"sampling", "labels", "contact_tracing", "export", "assign_offer"} <= modules
    assert "administration" not in modules
    # The same person at another unit has only what was granted there.
    other = await client.put(
        "/api/staff/context",
        json={"assignment_id": units["SE2321000016-A003"]},
        headers={**staff.headers, **second},
    )
    assert {m["module"] for m in other.json()["modules"]} == {
        "sampling",
        "treatment_responsibility",
        "assign_offer",
    }
    for request in (first, second):
        assert await _audited(services, request) == [("staff", "select_context", "success")]
