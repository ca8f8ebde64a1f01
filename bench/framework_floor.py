"""The floor the framework sets (issue 12, part 3): what a request costs the server when it
does no work at all, on the same stack as the product (uvicorn with uvloop and httptools,
2 workers, FastAPI, pydantic), beside `bench.run`'s framework-free baseline doing the
profile's whole data work.

`python -m bench.framework_floor` starts two servers of its own, no database, no Redis:

- **fastapi_constant**: `bench.framework_floor:app` — a FastAPI app with one route,
  `GET /floor`, answering a constant profile-sized document through a response model (what
  every product route pays at least, before middleware, dependencies and any I/O);
- **asgi_constant**: `bench.framework_floor:bare` — the same bytes from a bare ASGI
  callable under the same uvicorn (what the baseline pays for HTTP alone);

and the product's own floor, `GET /health/live` of `api.main:app` (every middleware of the
product, no dependency, no I/O) — which needs the database settings `bench.run` gives it, so
it is measured by `bench.run` runs instead (see bench/README.md).

Each runs 2 s warm-up + 8 s at concurrency 32 with `bench.loadgen`; the table gives req/s
and the server's CPU per request. If the bare FastAPI route alone costs a large part of
the baseline's whole request, no amount of work in our code brings the product's ratio to
the baseline above what that floor allows."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from starlette.types import Receive, Scope, Send

_DOCUMENT = {
    "personnummer": "19901212-9897",
    "given_name": "Tolvan",
    "family_name": "Tolvansson",
    "age": 36,
    "legal_sex": "M",
    "address": {
        "care_of": None,
        "street": "Landsvägen 12",
        "postal_code": "17263",
        "city": "Sundbyberg",
    },
    "region": {"code": "01", "name": "Region Stockholm"},
    "municipality_code": "0183",
    "protected_identity": False,
}


class _Address(BaseModel):
    care_of: str | None
    street: str
    postal_code: str
    city: str


class _Region(BaseModel):
    code: str
    name: str


class _Profile(BaseModel):
    personnummer: str
    given_name: str
    family_name: str
    age: int
    legal_sex: str
    address: _Address | None
    region: _Region | None
    municipality_code: str | None
    protected_identity: bool


app = FastAPI()


@app.get("/floor")
async def floor() -> _Profile:
    return _Profile.model_validate(_DOCUMENT)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


_BODY = json.dumps(_DOCUMENT, ensure_ascii=False, separators=(",", ":")).encode()
_HEALTH = b'{"status":"ok"}'


async def bare(scope: Scope, _receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    body = _HEALTH if scope["path"] == "/health" else _BODY
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def main(argv: Sequence[str] | None = None) -> int:
    from bench.run import database

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    results_dir = Path(__file__).resolve().parent / "results"
    results_dir.mkdir(exist_ok=True)
    rows: list[dict[str, Any]] = []
    with database() as database_url, tempfile.TemporaryDirectory() as tmp:
        product_env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "PEP_REDIS_PREFIX": f"pep-floor-{os.getpid()}",
            "PEP_IDP_KEY_FILE": str(Path(tmp) / "idp-signing-key.json"),
            "PEP_ENVIRONMENT": "development",
        }
        for name, target, path, health, env in (
            ("asgi_constant", "bench.framework_floor:bare", "/floor", "/health", os.environ),
            ("fastapi_constant", "bench.framework_floor:app", "/floor", "/health", os.environ),
            ("product_health_live", "api.main:app", "/health/live", "/api/health", product_env),
        ):
            rows.append(_measure(name, target, path, health, dict(env), args, results_dir))
            time.sleep(1)
    print(f"\n{'scenario':20s} {'req/s':>8s} {'p50 ms':>8s} {'p99 ms':>8s} {'srv cpu ms/req':>15s}")
    for row in rows:
        print(
            f"{row['scenario']:20s} {row['throughput_rps']:8.0f} {row['p50_ms']:8.2f} "
            f"{row['p99_ms']:8.2f} {row['cpu'].get('server_ms_per_request', 0):15.3f}"
        )
    out = results_dir / "framework_floor-latest.json"
    out.write_text(json.dumps({"results": rows, "argv": sys.argv[1:]}, indent=2))
    return 0 if all(row["errors"] == 0 for row in rows) else 1


def _measure(
    name: str,
    target: str,
    path: str,
    health: str,
    env: dict[str, str],
    args: argparse.Namespace,
    results_dir: Path,
) -> dict[str, Any]:
    from bench.loadgen import RequestSpec
    from bench.run import CpuMeter, ServerProcess, free_port, log, run_load_process

    server = ServerProcess(
        name,
        target,
        port=free_port(),
        workers=args.workers,
        env=env,
        log_dir=results_dir,
    )
    try:
        server.wait_healthy(health)
        meter = CpuMeter(server)
        result = run_load_process(
            server,
            [RequestSpec(method="GET", path=path)],
            concurrency=args.concurrency,
            duration=args.duration,
            warmup=args.warmup,
        )
        cpu = meter.report(result)
    finally:
        server.stop()
    log(f"{name}: {result['throughput_rps']:.0f} req/s")
    return {
        "scenario": name,
        "throughput_rps": result["throughput_rps"],
        "errors": result["errors"],
        "p50_ms": result["latency_ms"]["p50"],
        "p99_ms": result["latency_ms"]["p99"],
        "cpu": cpu,
    }


if __name__ == "__main__":
    raise SystemExit(main())
