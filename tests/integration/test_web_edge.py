"""What every API answer carries, whichever capability answers: no copy kept by browsers or
proxies, and a problem+json 404 for an API path that does not exist — also when the citizen
app is mounted at / and would otherwise answer any unknown path with its page."""

from __future__ import annotations

import httpx

from api.app import create_app
from tests.conftest import BASE_URL


async def test_answers_with_personal_data_are_not_stored_by_browsers(client, login_as):
    await login_as("citizen", "tolvan")
    for path in ("/api/citizen/profile", "/api/citizen/orders?state=ongoing", "/api/session"):
        answer = await client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "no-store", path


async def test_staff_answers_are_not_stored_by_browsers(client, login_as):
    await login_as("staff", "doctor-lund")
    answer = await client.get("/api/staff/me")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"


async def test_unknown_api_path_is_a_404_problem_beside_the_citizen_app(
    settings, services, tmp_path
):
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    app = create_app(
        settings.model_copy(update={"citizen_app_dist": str(tmp_path)}), services=services
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as http:
        page = await http.get("/Offer/Details")
        unknown = await http.get("/api/no-such-endpoint")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["type"] == "/problems/not-found"
    assert unknown.headers["cache-control"] == "no-store"


async def test_fhir_and_token_answers_are_not_stored_by_browsers(client):
    # The FHIR view carries personnummer and results; the token endpoint carries tokens.
    for answer in (
        await client.get("/fhir/metadata"),
        await client.post("/oauth/token", data={"grant_type": "client_credentials"}),
    ):
        assert answer.headers["cache-control"] == "no-store", answer.request.url
        assert answer.headers["content-security-policy"] == (
            "default-src 'none'; frame-ancestors 'none'"
        )
