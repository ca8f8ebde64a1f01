"""What the app's own code costs per request, without HTTP, without uvicorn and without
the load generator: the ASGI app is called in-process with a prebuilt request (issue 12,
part 3), on a database of its own (migrated, demo data) and the configured Redis.

```
python -m bench.inprocess                       # CPU per request (process time; noisy when busy)
python -m bench.inprocess --instructions        # instructions per request under callgrind (exact)
python -m bench.inprocess --instructions --scenarios profile,live --requests 200
```

`--instructions` runs each scenario in a process of its own under `valgrind --tool=callgrind`
with instrumentation off, warms the app up, switches instrumentation on for the measured
requests only (`callgrind_control -i on/off`) and divides the instructions counted by the
requests: the same figure whatever else the machine is doing (valgrind is on every machine
of this kind), so a change's effect can be measured on a shared machine. User-space
instructions only: the kernel's share of a round trip (sockets) is not in it.

Scenarios: `live` (`GET /health/live`: every middleware, no dependency, no I/O — the
floor of a request in this app), `session` (`GET /api/session`), `profile`
(`GET /api/citizen/profile`), `offers` (`GET /api/citizen/offers?scope=home`), `order`
(`POST /api/citizen/orders`, the home kit 2001, a new Idempotency-Key each time); and
`floor_profile`, `floor_offers`, `floor_order` (the same requests to the stack's floor,
bench/stack_floor.py: the product's app doing the baseline's work) and `baseline_profile`,
`baseline_offers`, `baseline_order` (bench/baseline_app.py alone): app − floor is what our
code costs, floor − baseline what the stack costs.

```
python -m bench.inprocess --instructions --scenarios order,floor_order,baseline_order
```"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.scenarios import HOME_KIT_ORDER

TOLVAN = "199012129897"
SCENARIOS = ("live", "session", "profile", "offers", "order")
# The same three requests answered by the stack's floor (bench/stack_floor.py: the product's
# app doing the baseline's work) and by the baseline alone (bench/baseline_app.py, a bare
# ASGI callable): app − floor is our code's share, floor − baseline the stack's.
FLOOR_SCENARIOS = ("floor_profile", "floor_offers", "floor_order")
BASELINE_SCENARIOS = ("baseline_profile", "baseline_offers", "baseline_order")
ALL_SCENARIOS = SCENARIOS + FLOOR_SCENARIOS + BASELINE_SCENARIOS
Request = tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]


async def _call(app: Any, request: Request) -> tuple[int, bytes]:
    method, path, query, headers, body = request
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect while the app answers
        raise AssertionError("unreachable")

    status, chunks = 0, []

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def _measure(
    database_url: str, redis_url: str, scenarios: Sequence[str], requests: int, toggle: bool
) -> dict[str, Any]:
    from adapters.settings import Settings
    from api.app import create_app

    settings = Settings(
        environment="development",
        database_url=database_url,
        redis_url=redis_url,
        redis_prefix=f"pep-inprocess-{os.getpid()}",
        # Under valgrind a connect takes seconds.
        db_pool_timeout_seconds=60,
    )
    if toggle:
        import adapters.db.engine as engine_module

        engine_module.CONNECT_TIMEOUT_SECONDS = 300
    app = create_app(settings)
    baseline = None
    if any(name.startswith(("floor_", "baseline_")) for name in scenarios):
        from bench.baseline_app import BaselineApp
        from bench.stack_floor import add_floor

        # BaselineApp reads its settings from the environment, as its server does.
        os.environ.update(
            PEP_DATABASE_URL=database_url,
            PEP_REDIS_URL=redis_url,
            PEP_REDIS_PREFIX=settings.redis_prefix,
        )
        baseline = BaselineApp()
        await baseline.startup()
        add_floor(app, baseline)
    gc.freeze()  # as api/main.py does
    services = app.state.services
    token, session = await services.sessions.create(
        kind="citizen",
        subject=TOLVAN,
        given_name="Tolvan",
        family_name="Tolvansson",
        now=services.now(),
    )
    session = replace(session, extra={"region_code": "01", "protected_identity": False})
    await services.sessions.update(token, session)
    cookie = (b"cookie", f"{settings.session_cookie_name}={token}".encode())
    base = [(b"host", b"127.0.0.1"), cookie]
    ordering = [
        *base,
        (b"content-type", b"application/json"),
        (b"x-csrf-token", session.csrf_token.encode()),
    ]
    cases: dict[str, Callable[[int], Request]] = {
        "live": lambda _n: ("GET", "/health/live", b"", base, b""),
        "session": lambda _n: ("GET", "/api/session", b"", base, b""),
        "profile": lambda _n: ("GET", "/api/citizen/profile", b"", base, b""),
        "offers": lambda _n: ("GET", "/api/citizen/offers", b"scope=home", base, b""),
        "order": lambda n: _order("/api/citizen/orders", ordering, n),
        "floor_profile": lambda _n: ("GET", "/api/floor/profile", b"", base, b""),
        "floor_offers": lambda _n: ("GET", "/api/floor/offers", b"scope=home", base, b""),
        "floor_order": lambda n: _order("/api/floor/orders", ordering, n),
        "baseline_profile": lambda _n: ("GET", "/baseline/profile", b"", base, b""),
        "baseline_offers": lambda _n: ("GET", "/baseline/offers", b"scope=home", base, b""),
        "baseline_order": lambda n: _order("/baseline/orders", ordering, n),
    }
    figures: dict[str, Any] = {}
    counter = 0
    try:
        for name in scenarios:
            target = baseline if name.startswith("baseline_") else app
            if name in ("floor_profile", "baseline_profile"):
                # The baseline reads the person only from the cache the app's profile fills.
                await _call(app, cases["profile"](0))
            for _ in range(30):  # warm-up: pools filled, statements prepared
                counter += 1
                status, body = await _call(target, cases[name](counter))
                if status >= 300:
                    raise RuntimeError(f"{name}: {status} {body[:300]!r}")
            if toggle:
                subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=False,
                               capture_output=True)  # fmt: skip
            started = time.process_time()
            for _ in range(requests):
                counter += 1
                status, _body = await _call(target, cases[name](counter))
                if status >= 300:
                    raise RuntimeError(f"{name}: {status}")
            cpu = time.process_time() - started
            if toggle:
                subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=False,
                               capture_output=True)  # fmt: skip
            figures[name] = {"requests": requests, "cpu_ms_per_request": 1000 * cpu / requests}
    finally:
        await services.sessions.delete(token)
        await services.aclose()
        if baseline is not None:
            await baseline.shutdown()
    return figures


def _order(path: str, headers: list[tuple[bytes, bytes]], n: int) -> Request:
    # The home kit 2001 with a new Idempotency-Key each time.
    key = (b"idempotency-key", f"inprocess-{os.getpid()}-{n}".encode())
    return ("POST", path, b"", [*headers, key], HOME_KIT_ORDER.encode())


def _child(argv: Sequence[str]) -> int:
    """Runs the measurement in this process (the parent made the database)."""
    database_url, redis_url, scenarios, requests, toggle = argv
    figures = asyncio.run(
        _measure(database_url, redis_url, scenarios.split(","), int(requests), toggle == "1")
    )
    print(json.dumps(figures))
    return 0


def _instructions(
    database_url: str, redis_url: str, scenario: str, requests: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "callgrind.out"
        completed = subprocess.run(
            [
                "valgrind", "--tool=callgrind", "--instr-atstart=no",
                f"--callgrind-out-file={out}",
                sys.executable, "-m", "bench.inprocess", "--child",
                database_url, redis_url, scenario, str(requests), "1",
            ],
            capture_output=True,
            check=False,
        )  # fmt: skip
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr.decode(errors="replace")[-2000:])
        total = 0
        for path in Path(directory).glob("callgrind.out*"):
            # "totals:" counts what was collected; "summary:" stays 0 when the collection
            # was switched on and off by callgrind_control.
            for line in path.read_text(errors="replace").splitlines():
                if line.startswith("totals:"):
                    total += int(line.split()[1])
                    break
    return {"requests": requests, "instructions_per_request": total // requests}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=", ".join(ALL_SCENARIOS))
    parser.add_argument("--requests", type=int, default=None, help="measured per scenario")
    parser.add_argument("--instructions", action="store_true", help="count under callgrind")
    args = parser.parse_args(argv)
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(ALL_SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")

    from bench.run import database

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    with database() as database_url:
        if args.instructions:
            requests = args.requests or 150
            figures = {
                name: _instructions(database_url, redis_url, name, requests) for name in scenarios
            }
        else:
            figures = asyncio.run(
                _measure(database_url, redis_url, scenarios, args.requests or 2000, False)
            )
    for name, figure in figures.items():
        value = figure.get("instructions_per_request") or figure.get("cpu_ms_per_request")
        unit = "instructions" if args.instructions else "ms CPU"
        shown = f"{value:>14,.0f}" if args.instructions else f"{value:>14.3f}"
        print(f"{name:17s} {shown} {unit} per request ({figure['requests']} requests)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
