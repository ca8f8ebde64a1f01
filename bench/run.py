"""`make bench`: load-tests the real server against a framework-free baseline.

1. a fresh database on the local PostgreSQL (or DATABASE_URL), migrated, demo data loaded;
   Redis from REDIS_URL with a key prefix of its own;
2. the real server (uvicorn api.main:app) and the baseline (uvicorn bench.baseline_app:app)
   as subprocesses with the same workers, loop and HTTP parser (and, for the floor_*
   scenarios, the product's stack doing the baseline's work: bench.stack_floor:app);
3. a few demo citizens logged in through the real OIDC flow (embedded IdP);
4. for the booking scenarios, free slots at Huddinge topped up in the database and dealt
   out (enough places for --bookings-per-second over warm-up + measuring window per side);
5. each scenario (bench/scenarios.py) driven by bench/loadgen.py in a process of its own;
6. results to bench/results/<UTC timestamp>.json and bench/results/latest.json, a table on
   stdout; servers stopped, Redis keys removed and the database dropped, also on failure.

    python -m bench.run [--duration 10] [--warmup 2] [--concurrency 32] [--workers 2]
                        [--scenarios citizen_profile,baseline_profile]
                        [--bookings-per-second 1500]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bench.loadgen import RequestSpec
from bench.login import LoggedInCitizen, login_citizen
from bench.scenarios import HUDDINGE, STOCKHOLM_CITIZENS, Scenario, by_name

if TYPE_CHECKING:
    import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_CITIZENS = "tolvan,anna-stockholm,erik-stockholm,lars-malmo,johan-goteborg,ingrid-uppsala"
HEALTH_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
# The most bookings a second either side is expected to make here (both answered about
# 1,000 cheap 409s a second when their slots were full): each booking scenario gets places
# for this rate over warm-up + measuring window, so that neither runs out (--bookings-per-second).
BOOKINGS_PER_SECOND = 1500
# Places per slot, as in the demo data: few bookings share one slot row's lock.
SLOT_PLACES = 3
# How far ahead slots may lie: the slots API lists at most 60 days (GET …/slots?days=).
BOOKING_WINDOW = timedelta(days=60)
# Booking scenarios may answer a 409 slot-not-available this rarely (their slots never run
# out and no two concurrent requests book the same slot: in practice none).
MAX_CONFLICT_FRACTION = 0.001


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- database and Redis -----------------------------------------------------------------


@contextlib.contextmanager
def database() -> Iterator[str]:
    """DATABASE_URL when set (migrated, never dropped), else a fresh database of its own."""
    from tests.support import environment

    given = os.environ.get("DATABASE_URL")
    name = None
    if given:
        url = given
        log("using DATABASE_URL (it is migrated and loaded, not dropped)")
    else:
        name, url = environment.create_database("pep_bench")
        log(f"created database {name}")
    try:
        environment.migrate(url)
        asyncio.run(_load_demo_data(url))
        log("migrated, demo data loaded")
        yield url
    finally:
        if name is not None:
            environment.drop_database(name)
            log(f"dropped database {name}")


async def _load_demo_data(url: str) -> None:
    from adapters.db.engine import create_engine, create_session_factory
    from adapters.demo_data import load_demo_data
    from adapters.protection import DataProtector
    from adapters.settings import Settings

    # The same environment (PEP_SECRET_KEY, PEP_DATA_ENCRYPTION_KEY) the servers get.
    settings = Settings(environment="development", database_url=url)
    protector = DataProtector(
        hash_key=settings.secret_key, encryption_key=settings.data_encryption_key
    )
    engine = create_engine(settings)
    try:
        async with create_session_factory(engine)() as session:
            await load_demo_data(session, protector=protector)
            await session.commit()
    finally:
        await engine.dispose()


async def _delete_redis_keys(redis_url: str, prefix: str) -> int:
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    deleted = 0
    try:
        async for key in redis.scan_iter(match=f"{prefix}:*", count=500):
            deleted += int(await redis.delete(key))
    finally:
        await redis.aclose()
    return deleted


# --- server processes -------------------------------------------------------------------


class ServerProcess:
    """A uvicorn started in a session of its own, so that stopping it reaches its workers."""

    def __init__(
        self, name: str, app: str, *, port: int, workers: int, env: dict[str, str], log_dir: Path
    ) -> None:
        self.name = name
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log_path = log_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "uvicorn", app,
            "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers),
            "--loop", "uvloop", "--http", "httptools", "--no-access-log",
        ]  # fmt: skip
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log(f"started {name} (pid {self.process.pid}) on {self.base_url} with {workers} workers")

    def wait_healthy(self, path: str) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
        last = "no answer"
        with httpx.Client(base_url=self.base_url, timeout=5.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"{self.name} exited with {self.process.returncode}\n" + self.log_tail()
                    )
                try:
                    response = client.get(path)
                    if response.status_code == 200 and response.json().get("status") == "ok":
                        return
                    last = f"{response.status_code} {response.text[:200]}"
                except httpx.HTTPError as error:
                    last = repr(error)
                time.sleep(0.2)
        raise RuntimeError(
            f"{self.name} not healthy after {HEALTH_TIMEOUT_SECONDS}s: {last}\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(f"  {self.name}| {line}" for line in text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            # The process group is the one this process created (start_new_session).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        # Workers left behind by a killed master would still be in the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()
        # Kept for a look afterwards (errors, tracebacks): bench/results/<name>.log.
        with contextlib.suppress(OSError):
            RESULTS.mkdir(parents=True, exist_ok=True)
            (RESULTS / f"{self.name}.log").write_bytes(self.log_path.read_bytes())
        log(f"stopped {self.name}")


# --- scenarios --------------------------------------------------------------------------


def scenario_citizens(
    scenario: Scenario, citizens: Sequence[LoggedInCitizen]
) -> list[LoggedInCitizen]:
    if scenario.citizens is None:
        return list(citizens)
    chosen = [c for c in citizens if c.key in scenario.citizens]
    if not chosen:
        raise RuntimeError(
            f"{scenario.name} needs one of the citizens {', '.join(scenario.citizens)} logged in"
        )
    return chosen


def request_specs(
    scenario: Scenario,
    citizens: Sequence[LoggedInCitizen],
    cookie_name: str,
    *,
    slots: BookingSlots | None = None,
    for_probe: bool = False,
) -> list[RequestSpec]:
    """One request per citizen; connection i of the load generator uses citizen i mod n.
    The probes of both booking scenarios book the same slots (`slots.probe`, one per
    citizen: two places of three), so that their answers can be compared."""
    cycle: dict[str, list[str]] = {}
    if scenario.slot_share is not None:
        share = (
            []
            if slots is None
            else list(slots.probe if for_probe else slots.shares[scenario.slot_share])
        )
        if not share:
            raise RuntimeError(f"{scenario.name}: no free slots to book")
        cycle["slot"] = share
    specs = []
    for citizen in scenario_citizens(scenario, citizens):
        headers = {
            name: value.replace("{csrf}", citizen.csrf_token)
            for name, value in scenario.headers.items()
        }
        headers["Cookie"] = f"{cookie_name}={citizen.cookie}"
        body = (
            None if scenario.body is None else scenario.body.replace("{csrf}", citizen.csrf_token)
        )
        specs.append(RequestSpec(scenario.method, scenario.path, headers, body, cycle))
    return specs


@dataclass(frozen=True, slots=True)
class BookingSlots:
    """Free slots of offer 1004 at Huddinge, dealt out: `probe` are booked by both sides'
    probes (the same ones, one per citizen, so that their answers can be compared: two places
    of each), `shares[i]` are stepped through by the scenario with `slot_share=i` (slots 0, 2,
    4, … and 1, 3, 5, … of the rest), so that the two sides never book the same slot."""

    probe: list[str]
    shares: tuple[list[str], list[str]]


def booking_places(*, seconds: float, per_second: int, concurrency: int) -> int:
    """Bookings one side may make in `seconds` (warm-up + measuring window) at `per_second`,
    plus the requests still open when the window closes."""
    return math.ceil(seconds * per_second) + concurrency


def deal_booking_slots(
    connection: psycopg.Connection[Any],
    *,
    sampling_unit_id: uuid.UUID,
    probes: int,
    places_per_share: int,
    now: datetime,
) -> BookingSlots:
    """Tops up the sampling unit's free slots (straight into the bench database, in the
    caller's transaction) and deals them out. Each slot taken has at least SLOT_PLACES free
    places and starts between a day from `now` and the end of BOOKING_WINDOW, so none passes
    during the run; a share has just enough slots for `places_per_share` bookings when each
    takes SLOT_PLACES (request n books slot n mod len(share): concurrent requests take
    different slots, and a slot's places fill on successive passes)."""
    per_share = math.ceil(places_per_share / SLOT_PLACES)
    needed = probes + 2 * per_share
    after, until = now + timedelta(days=1), now + BOOKING_WINDOW
    free = _free_slots(connection, sampling_unit_id=sampling_unit_id, after=after, until=until)
    if len(free) < needed:
        _add_slots(
            connection,
            sampling_unit_id=sampling_unit_id,
            count=needed - len(free),
            after=after,
            until=until,
        )
        free = _free_slots(connection, sampling_unit_id=sampling_unit_id, after=after, until=until)
    if len(free) < needed:
        raise RuntimeError(f"booking scenarios: {len(free)} free slots, {needed} needed")
    rest = free[probes:needed]
    return BookingSlots(probe=free[:probes], shares=(rest[0::2], rest[1::2]))


def _free_slots(
    connection: psycopg.Connection[Any],
    *,
    sampling_unit_id: uuid.UUID,
    after: datetime,
    until: datetime,
) -> list[str]:
    rows = connection.execute(
        "SELECT id FROM sampling_slots"
        " WHERE sampling_unit_id = %s AND starts_at > %s AND starts_at < %s"
        " AND capacity - booked >= %s ORDER BY starts_at, id",
        (sampling_unit_id, after, until, SLOT_PLACES),
    ).fetchall()
    return [str(row[0]) for row in rows]


def _add_slots(
    connection: psycopg.Connection[Any],
    *,
    sampling_unit_id: uuid.UUID,
    count: int,
    after: datetime,
    until: datetime,
) -> None:
    """`count` slots of SLOT_PLACES places after the unit's last slot (the demo's weekday
    times stay as they are), evenly up to `until`, at most 15 minutes apart."""
    row = connection.execute(
        "SELECT max(starts_at) FROM sampling_slots WHERE sampling_unit_id = %s",
        (sampling_unit_id,),
    ).fetchone()
    last = None if row is None else row[0]
    first = after if last is None else max(after, last)
    step = min((until - first) / (count + 1), timedelta(minutes=15))
    whole = 60 if step >= timedelta(minutes=1) else 1  # whole minutes where they fit
    step = timedelta(seconds=int(step.total_seconds()) // whole * whole)
    if step < timedelta(seconds=1):
        raise RuntimeError(
            f"booking scenarios: {count} more slots do not fit before {until:%Y-%m-%d} "
            "(a long run at a high --bookings-per-second, or a reused DATABASE_URL)"
        )
    connection.execute(
        "INSERT INTO sampling_slots (id, sampling_unit_id, starts_at, ends_at, capacity)"
        " SELECT gen_random_uuid(), %(unit)s, %(first)s + k * %(step)s,"
        " %(first)s + (k + 1) * %(step)s, %(places)s"
        " FROM generate_series(1, %(count)s) AS k",
        {
            "unit": sampling_unit_id,
            "first": first,
            "step": step,
            "places": SLOT_PLACES,
            "count": count,
        },
    )


def booking_slots(database_url: str, *, places_per_share: int) -> BookingSlots:
    """deal_booking_slots for offer 1004 at Huddinge in the bench database, committed."""
    import psycopg

    url = database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    with psycopg.connect(url, connect_timeout=10) as connection:
        return deal_booking_slots(
            connection,
            sampling_unit_id=uuid.UUID(HUDDINGE),
            probes=len(STOCKHOLM_CITIZENS),
            places_per_share=places_per_share,
            now=datetime.now(UTC),
        )


def booking_check(
    scenario: Scenario, result: Mapping[str, Any], slots: BookingSlots
) -> dict[str, Any]:
    """What a booking scenario booked against what it had; a run whose bookings met full
    slots stops here, since it measured conflicts rather than bookings."""
    share = slots.shares[scenario.slot_share or 0]
    sent = sum(int(result.get(key, 0)) for key in ("warmup_requests", "requests", "late_requests"))
    conflicts = int(result.get("status_counts", {}).get("409", 0))
    if conflicts > MAX_CONFLICT_FRACTION * max(int(result["requests"]), 1):
        raise RuntimeError(
            f"{scenario.name}: {conflicts} of {result['requests']} bookings measured were "
            f"409 slot-not-available ({sent} sent in all against {len(share)} slots of "
            f"{SLOT_PLACES} places): raise --bookings-per-second"
        )
    return {"slots": len(share), "places": len(share) * SLOT_PLACES, "sent": sent}


def _render_for_probe(
    template: str, *, n: int, run: str, cycle: Mapping[str, Sequence[str]]
) -> str:
    text = template.replace("{n}", str(n)).replace("{run}", run)
    for name, values in cycle.items():
        text = text.replace("{" + name + "}", values[n % len(values)])
    return text


def first_difference(app: Any, baseline: Any, where: str = "answers") -> str:
    """Where two JSON documents first differ, for the warning."""
    if isinstance(app, dict) and isinstance(baseline, dict):
        for key in sorted(set(app) | set(baseline)):
            if app.get(key, "<missing>") != baseline.get(key, "<missing>"):
                return first_difference(
                    app.get(key, "<missing>"), baseline.get(key, "<missing>"), f"{where}.{key}"
                )
    elif isinstance(app, list) and isinstance(baseline, list):
        if len(app) != len(baseline):
            return f"{where}: {len(app)} items (app) vs {len(baseline)} (baseline)"
        for index, (a, b) in enumerate(zip(app, baseline, strict=True)):
            if a != b:
                return first_difference(a, b, f"{where}[{index}]")
    return f"{where}: {str(app)[:200]!r} (app) vs {str(baseline)[:200]!r} (baseline)"


def comparable(answer: Any, volatile: Sequence[str]) -> Any:
    """The answer without the fields that differ between any two orders: a name drops a
    top-level field, `outer.inner` the field `inner` of each item of the top-level list
    `outer` (e.g. `steps.at`: when each step was reached)."""
    if not isinstance(answer, dict) or not volatile:
        return answer
    inner: dict[str, set[str]] = {}
    for name in volatile:
        if "." in name:
            outer, field_name = name.split(".", 1)
            inner.setdefault(outer, set()).add(field_name)
    kept = {}
    for key, value in answer.items():
        if key in volatile:
            continue
        if key in inner and isinstance(value, list):
            value = [
                {k: v for k, v in item.items() if k not in inner[key]}
                if isinstance(item, dict)
                else item
                for item in value
            ]
        kept[key] = value
    return kept


async def probe(base_url: str, specs: Sequence[RequestSpec], *, run: str) -> list[Any]:
    """Sends each request once (before the load) and returns the JSON answers; a non-2xx
    answer stops the run, since a benchmark of errors measures nothing. `{run}` becomes
    `run` (each scenario its own, so the app's and the baseline's Idempotency-Keys differ)
    and `{n}` the request's index."""
    answers = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0) as client:
        for n, spec in enumerate(specs):
            body = (
                None
                if spec.body is None
                else _render_for_probe(spec.body, n=n, run=run, cycle=spec.cycle)
            )
            headers = {
                k: _render_for_probe(v, n=n, run=run, cycle=spec.cycle)
                for k, v in spec.headers.items()
            }
            response = await client.request(spec.method, spec.path, headers=headers, content=body)
            if not response.is_success:
                raise RuntimeError(
                    f"probe {spec.method} {spec.path}: {response.status_code} {response.text[:300]}"
                )
            try:
                answers.append(response.json())
            except ValueError:
                answers.append(response.text)
    return answers


def run_load_process(
    server: ServerProcess,
    specs: Sequence[RequestSpec],
    *,
    concurrency: int,
    duration: float,
    warmup: float,
    expected_statuses: Sequence[int] = (),
) -> dict[str, Any]:
    spec = {
        "host": "127.0.0.1",
        "port": server.port,
        "concurrency": concurrency,
        "duration": duration,
        "warmup": warmup,
        "requests": [s.to_json() for s in specs],
        "expected_statuses": list(expected_statuses),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "bench.loadgen", "--spec", "-"],
        cwd=ROOT,
        input=json.dumps(spec).encode(),
        capture_output=True,
        timeout=warmup + duration + 60,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"load generator failed ({completed.returncode}):\n"
            + completed.stderr.decode(errors="replace")[-3000:]
        )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_seconds(
    *, database: str | None = None, group: int | None = None
) -> dict[int, float] | None:
    """User + system CPU so far of each process (from /proc) serving `database` — a
    PostgreSQL backend whose title names it (`postgres: … <database> …`) — or in the process
    group `group` (a server and its workers). Processes gone meanwhile are not counted; None
    where /proc cannot be read."""
    seconds: dict[int, float] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    needle = f" {database} ".encode() if database is not None else None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            if needle is not None:
                title = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
                if not title.startswith(b"postgres: ") or needle not in title:
                    continue
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        fields = stat[stat.rindex(")") + 2 :].split()
        if needle is None and int(fields[2]) != group:  # pgrp
            continue
        seconds[int(entry)] = (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime
    return seconds


def group_cpu_seconds(group: int) -> float | None:
    """User + system CPU of the processes in a process group (a server and its workers),
    from /proc; None where /proc is not there."""
    each = process_cpu_seconds(group=group)
    return None if each is None else sum(each.values())


def machine_busy_seconds() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    ticks = [int(v) for v in first[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks) - idle) / _CLOCK_TICKS, sum(ticks) / _CLOCK_TICKS


class CpuMeter:
    """CPU used during one scenario: by the server under test, by the load generator, and
    by the whole machine (PostgreSQL, Redis and anything else running included)."""

    def __init__(self, server: ServerProcess) -> None:
        self.group = server.process.pid
        self.server = group_cpu_seconds(self.group)
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.machine = machine_busy_seconds()
        self.wall = time.monotonic()

    def report(self, result: dict[str, Any]) -> dict[str, Any]:
        wall = time.monotonic() - self.wall
        done = result["requests"] + result["warmup_requests"] + result["late_requests"]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        loadgen = (children.ru_utime + children.ru_stime) - (
            self.children.ru_utime + self.children.ru_stime
        )
        report: dict[str, Any] = {
            "note": "over warm-up + measuring; ms per request over all requests done",
            "wall_s": round(wall, 2),
            "load_generator_cores": round(loadgen / wall, 2),
            "load_generator_ms_per_request": round(1000 * loadgen / done, 3) if done else None,
        }
        server = group_cpu_seconds(self.group)
        if server is not None and self.server is not None:
            report["server_cores"] = round((server - self.server) / wall, 2)
            report["server_ms_per_request"] = (
                round(1000 * (server - self.server) / done, 3) if done else None
            )
        machine = machine_busy_seconds()
        if machine is not None and self.machine is not None:
            busy, total = machine[0] - self.machine[0], machine[1] - self.machine[1]
            report["machine_busy_pct"] = round(100 * busy / total, 1) if total else None
            report["machine_ms_per_request"] = round(1000 * busy / done, 3) if done else None
        return report


def postgres_sessions(database_url: str) -> int | None:
    """Sessions ever opened to the database (pg_stat_database.sessions, PostgreSQL 14+)."""
    import psycopg

    try:
        with psycopg.connect(database_url, connect_timeout=5) as connection:
            connection.execute("SELECT pg_stat_clear_snapshot()")
            row = connection.execute(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()
    except psycopg.Error:
        return None
    return None if row is None else int(row[0])


def checkpoint(database_url: str) -> None:
    """Writes PostgreSQL's dirty pages out before a scenario that writes: otherwise the
    checkpoint the previous writing scenario made due lands in the next one, and whichever
    of the app and the baseline runs second pays for the first's orders (measured: the
    order of the two changed placing an order's ratio by a third)."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5, autocommit=True) as connection:
        connection.execute("CHECKPOINT")


# --- report -----------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    versions = {}
    for package in (
        "uvicorn",
        "fastapi",
        "starlette",
        "sqlalchemy",
        "asyncpg",
        "redis",
        "uvloop",
        "httptools",
        "pydantic",
        "orjson",
    ):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return versions


def _git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD") or None,
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def _cpu_model() -> str | None:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return None


def machine_info(database_url: str, redis_url: str) -> dict[str, Any]:
    import psycopg
    import redis

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": _versions(),
    }
    with contextlib.suppress(Exception):
        with psycopg.connect(database_url, connect_timeout=5) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            info["postgresql"] = row[0] if row else None
    with contextlib.suppress(Exception):
        client = redis.Redis.from_url(redis_url, socket_timeout=5)
        info["redis"] = client.info("server").get("redis_version")
        client.close()
    return info


def print_table(results: Sequence[dict[str, Any]]) -> None:
    header = (
        f"{'scenario':<28}{'requests':>9}{'errors':>7}{'req/s':>9}"
        f"{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'max ms':>8}{'ratio':>7}"
        f"{'srv cpu ms/req':>16}{'lg cores':>9}  statuses"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        lat = r["latency_ms"]
        ratio = r.get("ratio_to_baseline")
        cpu = r.get("cpu", {})
        server_ms = cpu.get("server_ms_per_request")
        print(
            f"{r['scenario']:<28}{r['requests']:>9}{r['errors']:>7}{r['throughput_rps']:>9.0f}"
            f"{lat['p50']:>8.2f}{lat['p90']:>8.2f}{lat['p99']:>8.2f}{lat['max']:>8.1f}"
            f"{'' if ratio is None else f'{ratio:.2f}x':>7}"
            f"{'' if server_ms is None else f'{server_ms:.3f}':>16}"
            f"{cpu.get('load_generator_cores', ''):>9}"
            f"  {' '.join(f'{k}:{v}' for k, v in r.get('status_counts', {}).items())}"
        )
    print(
        "req/s counts every completed request (a 409 slot-not-available of a booking scenario "
        "too); errors = answers not expected (non-2xx, 409 where expected excepted) + I/O "
        "errors; statuses = answers per HTTP status."
    )
    print(
        "ratio = req/s / baseline req/s; srv cpu = the server's CPU per request; "
        "lg cores = CPU the load generator used (the machine has "
        f"{os.cpu_count()} cores in all)"
    )
    print()


def write_results(document: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}.json"
    text = json.dumps(document, indent=2) + "\n"
    path.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    return path


# --- main -------------------------------------------------------------------------------


def raise_on_signal(signum: int, _frame: object) -> None:
    """SIGTERM (and SIGHUP) end a run as Ctrl-C does: servers stopped, databases dropped."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds first")
    parser.add_argument("--concurrency", type=int, default=32, help="open connections")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers per server")
    parser.add_argument("--scenarios", help="comma-separated names (default: the defaults)")
    parser.add_argument(
        "--citizens",
        default=DEFAULT_CITIZENS,
        help="demo citizens to log in (keys), comma-separated",
    )
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between scenarios")
    parser.add_argument(
        "--bookings-per-second",
        type=int,
        default=BOOKINGS_PER_SECOND,
        help="free places each booking scenario gets: this rate over warm-up + duration",
    )
    args = parser.parse_args(argv)
    if not (0 < args.duration <= 600 and 0 <= args.warmup <= 120):
        parser.error("--duration must be in (0, 600] and --warmup in [0, 120]")
    if not (1 <= args.concurrency <= 1024 and 1 <= args.workers <= 64):
        parser.error("--concurrency must be in [1, 1024] and --workers in [1, 64]")
    if not 1 <= args.bookings_per_second <= 100_000:
        parser.error("--bookings-per-second must be in [1, 100000]")
    scenarios = by_name(args.scenarios)
    citizen_keys = [k.strip() for k in args.citizens.split(",") if k.strip()]
    # Interruptible also when started with SIGINT ignored (a background job of a script).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_on_signal)
    signal.signal(signal.SIGHUP, raise_on_signal)
    os.chdir(ROOT)

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis_prefix = f"pep-bench-{uuid.uuid4().hex[:10]}"
    servers: dict[str, ServerProcess] = {}
    started = datetime.now(UTC)
    try:
        with contextlib.ExitStack() as stack:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pep-bench-")))
            stack.callback(lambda: asyncio.run(_delete_redis_keys(redis_url, redis_prefix)))
            database_url = stack.enter_context(database())
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "PEP_REDIS_PREFIX": redis_prefix,
                "PEP_COOKIE_SECURE": "false",
                "PEP_IDP_KEY_FILE": str(tmp / "idp-signing-key.json"),
                "PEP_ENVIRONMENT": "development",
                "PYTHONUNBUFFERED": "1",
            }
            needed = {s.server for s in scenarios}
            for name, app, health in (
                ("app", "api.main:app", "/api/health"),
                ("baseline", "bench.baseline_app:app", "/baseline/health"),
                # The product's stack doing the baseline's work (bench/stack_floor.py).
                ("floor", "bench.stack_floor:app", "/api/health"),
            ):
                if name != "app" and name not in needed:
                    continue  # the app is always needed: citizens log in there
                port = free_port()
                server_env = {**env, "PEP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
                server = ServerProcess(
                    name, app, port=port, workers=args.workers, env=server_env, log_dir=tmp
                )
                servers[name] = server
                stack.callback(server.stop)
                server.wait_healthy(health)
            log(f"{' and '.join(servers)} healthy")

            from adapters.settings import Settings

            cookie_name = Settings().session_cookie_name
            citizens = asyncio.run(_login_all(servers["app"].base_url, citizen_keys, cookie_name))
            log(f"logged in {len(citizens)} citizens: {', '.join(c.key for c in citizens)}")

            slots: BookingSlots | None = None
            if any(s.slot_share is not None for s in scenarios):
                places = booking_places(
                    seconds=args.warmup + args.duration,
                    per_second=args.bookings_per_second,
                    concurrency=args.concurrency,
                )
                slots = booking_slots(database_url, places_per_share=places)
                log(
                    f"{len(slots.shares[0])} free slots of {SLOT_PLACES} places for each "
                    f"booking scenario ({places} bookings, {args.bookings_per_second}/s)"
                )

            probes: dict[str, list[Any]] = {}
            for scenario in scenarios:
                specs = request_specs(scenario, citizens, cookie_name, slots=slots, for_probe=True)
                server = servers[scenario.server]
                try:
                    probes[scenario.name] = asyncio.run(
                        probe(server.base_url, specs, run=f"probe-{scenario.name}")
                    )
                except RuntimeError as error:
                    raise RuntimeError(f"{error}\n{server.log_tail()}") from error
            same_answers = {
                s.name: [comparable(a, s.volatile) for a in probes[s.name]]
                == [comparable(a, s.volatile) for a in probes[s.baseline]]
                for s in scenarios
                if s.baseline and s.baseline in probes
            }
            for scenario in scenarios:
                if same_answers.get(scenario.name) is False:
                    log(
                        f"WARNING: {scenario.name} and its baseline answer differently: "
                        + first_difference(
                            [comparable(a, scenario.volatile) for a in probes[scenario.name]],
                            [
                                comparable(a, scenario.volatile)
                                for a in probes[scenario.baseline or ""]
                            ],
                        )
                    )

            results: list[dict[str, Any]] = []
            for index, scenario in enumerate(scenarios):
                if index:
                    time.sleep(args.pause)
                if scenario.method != "GET":
                    checkpoint(database_url)
                log(
                    f"{scenario.name}: {args.warmup:g}s warm-up, {args.duration:g}s at "
                    f"concurrency {args.concurrency} against {scenario.server}"
                )
                sessions_before = postgres_sessions(database_url)
                meter = CpuMeter(servers[scenario.server])
                result = run_load_process(
                    servers[scenario.server],
                    request_specs(scenario, citizens, cookie_name, slots=slots),
                    concurrency=args.concurrency,
                    duration=args.duration,
                    warmup=args.warmup,
                    expected_statuses=scenario.expected_statuses,
                )
                result["cpu"] = meter.report(result)
                if scenario.slot_share is not None and slots is not None:
                    result["booking"] = booking_check(scenario, result, slots)
                sessions_after = postgres_sessions(database_url)
                if sessions_before is not None and sessions_after is not None:
                    # Includes warm-up: connections a pool opened (a churning pool shows here).
                    result["postgres_connections_opened"] = sessions_after - sessions_before
                results.append(
                    {
                        "scenario": scenario.name,
                        "server": scenario.server,
                        "method": scenario.method,
                        "path": scenario.path,
                        "description": scenario.description,
                        "citizens": [c.key for c in scenario_citizens(scenario, citizens)],
                        **result,
                    }
                )
                for server in servers.values():
                    if server.process.poll() is not None:
                        raise RuntimeError(
                            f"{server.name} died during {scenario.name}\n" + server.log_tail()
                        )
            by_scenario = {r["scenario"]: r for r in results}
            for scenario, result in zip(scenarios, results, strict=True):
                base = by_scenario.get(scenario.baseline or "")
                if base is not None and base["throughput_rps"] > 0:
                    result["baseline"] = scenario.baseline
                    result["ratio_to_baseline"] = round(
                        result["throughput_rps"] / base["throughput_rps"], 3
                    )
                    result["same_answer_as_baseline"] = same_answers.get(scenario.name)

            document = {
                "started_at": started.isoformat(),
                "finished_at": datetime.now(UTC).isoformat(),
                "git": _git_commit(),
                "machine": machine_info(database_url, redis_url),
                "settings": {
                    "workers": args.workers,
                    "concurrency": args.concurrency,
                    "duration_s": args.duration,
                    "warmup_s": args.warmup,
                    "citizens": [c.key for c in citizens],
                    "uvicorn": "--loop uvloop --http httptools --no-access-log",
                    "load_generator": "bench/loadgen.py (asyncio streams on uvloop, "
                    "HTTP/1.1 keep-alive, own process)",
                },
                "results": results,
            }
            path = write_results(document)
            print_table(results)
            log(f"results written to {path.relative_to(ROOT)} and bench/results/latest.json")
    except KeyboardInterrupt:
        log("interrupted; cleaned up")
        return 130
    except Exception as error:
        log(f"FAILED: {error}")
        return 1
    return 0


async def _login_all(base_url: str, keys: Sequence[str], cookie_name: str) -> list[LoggedInCitizen]:
    return [await login_citizen(base_url, key, cookie_name=cookie_name) for key in keys]


if __name__ == "__main__":
    raise SystemExit(main())
