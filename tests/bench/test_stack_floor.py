"""The stack's floor (bench/stack_floor.py): the product's app with the baseline's data work
behind three routes. They must be reached through every middleware of the product (not
caught by the citizen SPA mounted at "/"), be tried after the same routers as the product's
profile route, start the baseline's pool inside the product's own lifespan, and answer what
the baseline answers — which the product's routes answer too."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from adapters.settings import Settings
from api.app import create_app
from api.services import Services, build_services
from bench.baseline_app import BaselineApp
from bench.run import comparable
from bench.scenarios import by_name
from bench.stack_floor import (
    IN_FRONT_OF,
    OFFERS_PATH,
    ORDERS_PATH,
    PROFILE_PATH,
    add_floor,
    included_paths,
)
from tests.conftest import BASE_URL
from tests.support.browserless_login import login
from tests.support.doubles import TestPersonRegister

Floor = tuple[FastAPI, BaselineApp, Services]


@pytest.fixture
def floor(
    settings: Settings, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Floor:
    """The product's app as create_app builds it, with both SPAs mounted (so that the
    citizen app's catch-all at "/" is in the table), and the floor added."""
    for name in ("citizen", "professional"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("<!doctype html><title>app</title>")
    with_apps = settings.model_copy(
        update={
            "citizen_app_dist": str(tmp_path / "citizen"),
            "professional_app_dist": str(tmp_path / "professional"),
        }
    )
    own = build_services(with_apps)
    # The session's registers: spare citizens are claimed once across all tests.
    own.person_register = services.person_register
    own.hsa = services.hsa
    app = create_app(with_apps, services=own)
    for client in own.oidc.values():
        client.transport = httpx.ASGITransport(app=app)
    # BaselineApp reads its settings from the environment, as in its own server.
    assert with_apps.database_url
    assert with_apps.redis_url
    monkeypatch.setenv("DATABASE_URL", with_apps.database_url)
    monkeypatch.setenv("REDIS_URL", with_apps.redis_url)
    monkeypatch.setenv("PEP_REDIS_PREFIX", with_apps.redis_prefix)
    monkeypatch.setenv("PEP_ENVIRONMENT", with_apps.environment)
    baseline = BaselineApp()
    add_floor(app, baseline)
    return app, baseline, own


def test_the_floor_routes_are_tried_after_the_routers_the_product_profile_is_tried_after(
    floor: Floor,
) -> None:
    app, _, _ = floor
    routes = app.router.routes
    [at] = [
        i
        for i, route in enumerate(routes)
        if included_paths(route) == [PROFILE_PATH, OFFERS_PATH, ORDERS_PATH]
    ]

    floor_router = routes[at].original_router  # type: ignore[attr-defined]
    assert [sorted(r.methods) for r in floor_router.routes] == [["GET"], ["GET"], ["POST"]]
    assert included_paths(routes[at + 1]) == [IN_FRONT_OF]
    # The citizen SPA's catch-all, which would answer the floor's paths in front of them.
    assert not any(isinstance(route, Mount) for route in routes[:at])
    assert any(isinstance(route, Mount) and route.path == "" for route in routes[at:])


async def test_the_floor_answers_through_the_whole_stack_as_the_product_does(
    floor: Floor, services: Services
) -> None:
    app, baseline, own = floor
    closed: list[bool] = []
    product_close = own.aclose

    async def recorded_close() -> None:
        closed.append(True)
        await product_close()

    own.aclose = recorded_close  # type: ignore[method-assign]
    register = services.person_register
    assert isinstance(register, TestPersonRegister)
    citizen = register.new_citizen()
    async with app.router.lifespan_context(app):
        assert baseline.pool is not None
        assert baseline.redis is not None
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url=BASE_URL
        ) as client:
            anonymous = await client.get(PROFILE_PATH)
            csrf = await login(client, kind="citizen", key=citizen.key)
            answers: dict[str, Any] = {}
            for name in ("citizen_profile", "citizen_offers", "place_order"):
                [product] = by_name(name)
                [floor_scenario] = by_name(f"floor_{name.removeprefix('citizen_')}")
                for scenario in (product, floor_scenario):
                    headers = {
                        key: value.replace("{csrf}", csrf)
                        .replace("{run}", f"test-{uuid.uuid4().hex}")
                        .replace("{n}", "1")
                        for key, value in scenario.headers.items()
                    }
                    answer = await client.request(
                        scenario.method, scenario.path, headers=headers, content=scenario.body
                    )
                    assert answer.status_code in (200, 201), (scenario.name, answer.text)
                    answers[scenario.name] = comparable(answer.json(), scenario.volatile)
        pool = baseline.pool

    # The baseline's answer, with the request context middleware's headers of an API answer.
    assert anonymous.status_code == 401
    assert anonymous.content == b'{"title":"not authenticated"}'
    assert anonymous.headers["x-request-id"]
    assert anonymous.headers["cache-control"] == "no-store"
    assert anonymous.headers["content-security-policy"].startswith("default-src 'none'")
    assert answers["floor_profile"] == answers["citizen_profile"]
    assert answers["floor_offers"] == answers["citizen_offers"]
    assert answers["floor_place_order"] == answers["place_order"]
    # Shut down: the baseline's pool and the product's own services.
    assert pool.is_closing()
    assert closed == [True]
