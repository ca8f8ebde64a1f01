from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from adapters.db.models import PersonCacheEntry
from tests.support.browserless_login import login


async def test_cached_person_data_is_encrypted_at_rest(client, services):
    await login(client, kind="citizen", key="johan-goteborg")
    key = services.protector.lookup_hash("198812019910")
    async with services.uow() as uow:
        payload = (
            await uow.session.execute(
                select(PersonCacheEntry.payload_encrypted).where(
                    PersonCacheEntry.personnummer_hash == key
                )
            )
        ).scalar_one()
    assert b"Johan" not in payload
    assert b"198812019910" not in payload


async def test_stale_cache_is_used_and_logged_when_register_fails(client, services, caplog):
    await login(client, kind="citizen", key="ingrid-uppsala")
    register = services.person_register
    max_age = timedelta(days=services.settings.person_cache_max_age_days)
    start = services.now()
    # Log in again shortly before the cached copy turns stale (sessions last an hour idle)...
    services.now_override = start + max_age - timedelta(minutes=30)
    await login(client, kind="citizen", key="ingrid-uppsala")
    # ...and ask for the profile just after it has.
    services.now_override = start + max_age + timedelta(minutes=1)
    register.fail = True
    try:
        with caplog.at_level(logging.WARNING):
            response = await client.get("/api/citizen/profile")
    finally:
        register.fail = False
    assert response.status_code == 200
    assert response.json()["given_name"] == "Ingrid"
    assert any("stale cached copy" in r.getMessage() for r in caplog.records)
    assert not any("194303039947" in r.getMessage() for r in caplog.records)


async def test_stale_cache_is_refreshed_from_the_register(client, services):
    await login(client, kind="citizen", key="lars-malmo")
    register = services.person_register
    calls = register.calls
    assert (await client.get("/api/citizen/profile")).status_code == 200
    assert register.calls == calls  # fresh cache: the register is not asked
    services.now_override = services.now() + timedelta(days=6)
    await login(client, kind="citizen", key="lars-malmo")
    assert register.calls == calls + 1
    assert (await client.get("/api/citizen/profile")).status_code == 200
    assert register.calls == calls + 1  # refreshed once, fresh again


async def test_register_down_with_nothing_cached_answers_503(client, services):
    await login(client, kind="citizen", key="fatima-lund")
    key = services.protector.lookup_hash("199608089901")
    async with services.uow() as uow:
        await uow.session.execute(
            PersonCacheEntry.__table__.delete().where(PersonCacheEntry.personnummer_hash == key)
        )
        await uow.commit()
    services.person_register.fail = True
    try:
        response = await client.get("/api/citizen/profile")
    finally:
        services.person_register.fail = False
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/service-unavailable"
