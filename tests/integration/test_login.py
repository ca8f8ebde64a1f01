from __future__ import annotations

from sqlalchemy import select

from adapters.db.models import AuditEntry


async def test_citizen_logs_in_through_oidc_and_reads_own_profile(login_as, client):
    await login_as("citizen", "tolvan")
    response = await client.get("/api/citizen/profile")
    assert response.status_code == 200
    profile = response.json()
    assert profile["personnummer"] == "19901212-9897"
    assert profile["given_name"] == "Tolvan"
    assert profile["region"] == {"code": "01", "name": "Region Stockholm"}
    assert profile["legal_sex"] == "M"
