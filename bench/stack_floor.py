"""The floor of the product's own stack (issue 12, part 3): `api.main`'s app — every
middleware, the whole routing table, FastAPI's request handling and the application-wide
dependency — answering three routes with the baseline's data work (one
`bench.baseline_app.BaselineApp`: raw asyncpg pool, redis-py) instead of the product's code:

- `GET /api/floor/profile` → `BaselineApp.profile` (the work of GET /api/citizen/profile);
- `GET /api/floor/offers` → `BaselineApp.offers` (GET /api/citizen/offers);
- `POST /api/floor/orders` → `BaselineApp.place_order` (POST /api/citizen/orders).

Its throughput over the baseline's is the most the product's ratio can reach with FastAPI
and the product's middleware kept, whatever our own code does (bench/README.md, "The
stack's floor"). `bench.run` starts it as the server "floor" for the `floor_*` scenarios:

    python -m uvicorn bench.stack_floor:app --workers 2 --loop uvloop --http httptools

The routes sit under /api/ as the product's do, so that the request context middleware
does the same work for them (an API answer's Content-Security-Policy and Cache-Control),
and their router in front of the product's profile router (IN_FRONT_OF says why); the
answers are the baseline's own (status and body), and the request headers are the
same (session cookie, X-CSRF-Token, Idempotency-Key: BaselineApp reads them from the scope).
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.routing import BaseRoute, Mount

from bench.baseline_app import BaselineApp, Scope

PROFILE_PATH = "/api/floor/profile"
OFFERS_PATH = "/api/floor/offers"
ORDERS_PATH = "/api/floor/orders"


def floor_router(baseline: BaselineApp) -> APIRouter:
    """The three routes, each taking only the request (no dependency of their own), and the
    baseline's pool and Redis client opened and closed by the router's lifespan — which
    FastAPI runs inside the product's own (include_router merges them)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await baseline.startup()
        try:
            yield
        finally:
            await baseline.shutdown()

    router = APIRouter(lifespan=lifespan, include_in_schema=False)
    # request.scope is the ASGI scope itself (a dict; Starlette types it MutableMapping).

    @router.get(PROFILE_PATH)
    async def floor_profile(request: Request) -> Response:
        status, body = await baseline.profile(cast(Scope, request.scope), orm_round_trips=False)
        return Response(body, status_code=status, media_type="application/json")

    @router.get(OFFERS_PATH)
    async def floor_offers(request: Request) -> Response:
        status, body = await baseline.offers(cast(Scope, request.scope))
        return Response(body, status_code=status, media_type="application/json")

    @router.post(ORDERS_PATH)
    async def floor_place_order(request: Request) -> Response:
        status, body = await baseline.place_order(cast(Scope, request.scope), await request.body())
        return Response(body, status_code=status, media_type="application/json")

    return router


# Where the floor's router goes: in front of the product's router holding this route (the
# first of the three hot routes in the table), so that each floor route is found after the
# same routers as the product's profile route — and never after more. FastAPI (0.165) tries
# the routes one by one, nested in one included router per capability: finding a route
# at the end of the table (~140 routes, before the mounts) took about 450 µs here, the
# product's profile about 60 µs (bench/README.md, "The stack's floor"). Routes at the end
# would measure the table's far end, not a floor under the product's hot routes.
IN_FRONT_OF = "/api/citizen/profile"


def add_floor(
    app: FastAPI, baseline: BaselineApp, *, in_front_of: str | None = IN_FRONT_OF
) -> None:
    """Includes the floor's router as create_app includes a capability's, then moves it in
    front of the product's router holding the route `in_front_of` — or, with None, to the
    end of the API routes: after the product's last router, before the mounts (the
    embedded IdP's and the SPAs'; the citizen SPA at "/" answers every path that reaches
    it, so a route left after it would never be reached)."""
    routes = app.router.routes
    app.include_router(floor_router(baseline))
    included = routes.pop()
    if in_front_of is None:
        at = next((i for i, r in enumerate(routes) if isinstance(r, Mount)), len(routes))
    else:
        at = next(i for i, r in enumerate(routes) if in_front_of in included_paths(r))
    routes.insert(at, included)


def included_paths(route: BaseRoute) -> list[str]:
    """The paths of the routes of an included router (none for any other route)."""
    router = getattr(route, "original_router", None)
    return [] if router is None else [getattr(r, "path", "") for r in router.routes]


def _stack_floor_app() -> FastAPI:
    # The product's app exactly as uvicorn serves it (logging configured, collector frozen).
    from api.main import app

    add_floor(app, BaselineApp())
    # What the floor added lives as long as the worker too (api/main.py says why).
    gc.freeze()
    return app


def __getattr__(name: str) -> Any:
    """`app` is built on first access (uvicorn's import of bench.stack_floor:app), so that
    importing floor_router or add_floor builds no product app from the environment, nor
    configures logging or freezes the collector."""
    if name == "app":
        app = _stack_floor_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
