"""Mixed load for the fault drills, and what it saw, request by request.

Users are closed loops, each on a keep-alive HTTP/1.1 connection of its own (raw asyncio
streams, as bench/loadgen.py; the answer's head is kept for its status and Retry-After):

- citizens (the six demo citizens, several users each): profile, offers, Pågående
  beställningar, and placing an order of the home kit 2001 (a new Idempotency-Key each);
- staff: a nurse at Vårdcentralen Solna reading Tilldelade erbjudanden;
- an integration client (the demo laboratory system): its order list, with a bearer token.

A user whose session has ended (401: Redis lost its sessions) logs in again through the
real OIDC flow, as a person would, and goes on; so does a client whose token is refused.
Every answer of those logins is recorded too. After a 429, a 503 or a connection error a
user pauses briefly (`backoff`, not the whole Retry-After: the drills measure how soon the
service answers again, so they keep asking). No request may take longer than
`request_timeout`; one that does is recorded as a hang (status -1) and its connection closed.

`summarize` turns the outcomes into the drills' figures: outcomes per second, the error
window, the longest request, 500s, Retry-After on every 429/503."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.login import _login
from bench.scenarios import HOME_KIT_ORDER

CITIZENS = ("tolvan", "anna-stockholm", "erik-stockholm", "lars-malmo", "johan-goteborg",
            "ingrid-uppsala")  # fmt: skip
NURSE, SOLNA = "nurse-solna", "SE2321000016-A001"
MAX_HEAD = 64 * 1024
IO_ERROR, HANG = 0, -1


@dataclass(frozen=True, slots=True)
class Outcome:
    at: float  # when the request was sent, seconds since the drill's clock started
    seconds: float
    name: str  # profile, offers, orders, order, assigned_offers, integration_orders, login
    status: int  # HTTP status; 0: connection error; -1: no answer within the timeout
    retry_after: bool
    detail: str | None = None  # the problem's type and detail of a 429/5xx

    @property
    def end(self) -> float:
        return self.at + self.seconds


class Clock:
    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.t0


# --- a keep-alive HTTP/1.1 connection ----------------------------------------------------


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[int, dict[bytes, bytes], bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=MAX_HEAD
            )
        assert self._reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        head = await self._reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        fields: dict[bytes, bytes] = {}
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name:
                fields[name.strip().lower()] = value.strip()
        if b"content-length" in fields:
            data = await self._reader.readexactly(int(fields[b"content-length"]))
        elif b"chunked" in fields.get(b"transfer-encoding", b""):
            data = await self._read_chunked()
        elif status in (204, 304):
            data = b""
        else:
            data = await self._reader.read()
            self.close()
        if fields.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, fields, data

    async def _read_chunked(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while await self._reader.readuntil(b"\r\n") != b"\r\n":
                    pass
                return b"".join(parts)
            parts.append((await self._reader.readexactly(size + 2))[:-2])


# --- users -------------------------------------------------------------------------------


@dataclass
class LoadSettings:
    base_url: str
    cookie_name: str = "pep_session"
    citizen_users: int = 12
    staff_users: int = 2
    integration_users: int = 1
    think: float = 0.02  # seconds between a user's requests
    backoff: float = 0.1  # after a 429/503/connection error
    request_timeout: float = 60.0
    client_id: str = ""
    client_secret: str = ""


@dataclass
class Load:
    """The users of one drill. Users of the same identity share its session (and the
    client its token), as tabs of one browser do: a session Redis lost is logged in again
    once, by whichever of them meets the 401 first."""

    settings: LoadSettings
    clock: Clock
    outcomes: list[Outcome] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    logins: Counter[str] = field(default_factory=Counter)
    _sessions: dict[str, tuple[str, str]] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    @property
    def host_port(self) -> tuple[str, int]:
        rest = self.settings.base_url.split("://", 1)[1]
        host, _, port = rest.partition(":")
        return host, int(port)

    def _record_httpx(self, name: str) -> Callable[[httpx.Response], Any]:
        async def hook(response: httpx.Response) -> None:
            started = response.request.extensions.get("drill_started")
            seconds = (
                self.clock.now() - started
                if isinstance(started, float)
                else response.elapsed.total_seconds()
            )
            at = self.clock.now() - seconds
            detail = None
            if response.status_code == 429 or response.status_code >= 500:
                await response.aread()
                detail = _problem_detail(response.content)
            self.outcomes.append(
                Outcome(
                    at,
                    seconds,
                    name,
                    response.status_code,
                    "retry-after" in response.headers,
                    detail,
                )  # fmt: skip
            )

        return hook

    def _httpx(self, name: str) -> httpx.AsyncClient:
        async def stamp(request: httpx.Request) -> None:
            request.extensions["drill_started"] = self.clock.now()

        return httpx.AsyncClient(
            base_url=self.settings.base_url,
            timeout=self.settings.request_timeout,
            event_hooks={"request": [stamp], "response": [self._record_httpx(name)]},
        )

    async def session(self, kind: str, key: str, *, ended: str | None = None) -> tuple[str, str]:
        """(session cookie, CSRF token) of `kind`/`key`: the one the users share, or — when it
        is missing or the one that `ended` — a new login."""
        identity = f"{kind}:{key}"
        async with self._locks.setdefault(identity, asyncio.Lock()):
            known = self._sessions.get(identity)
            if known is None or known[0] == ended:
                self._sessions[identity] = await self._until_logged_in(kind, key)
            return self._sessions[identity]

    async def token(self, *, ended: str | None = None) -> str:
        async with self._locks.setdefault("client", asyncio.Lock()):
            known = self._sessions.get("client")
            if known is None or known[0] == ended:
                self._sessions["client"] = (await self._until_token(), "")
            return self._sessions["client"][0]

    async def _until_logged_in(self, kind: str, key: str) -> tuple[str, str]:
        """(session cookie, CSRF token): the OIDC flow, again until it succeeds."""
        while not self.stop.is_set():
            async with self._httpx("login") as client:
                try:
                    session = await _login(client, kind, key, self.settings.cookie_name)
                    if kind == "staff":
                        await _choose_unit(client, session.csrf_token, SOLNA)
                    self.logins[kind] += 1
                    return session.cookie, session.csrf_token
                except (httpx.HTTPError, RuntimeError, KeyError, StopIteration, ValueError):
                    pass  # the failing answer is recorded by the hook; a connection error is
                    # the outage itself
            await asyncio.sleep(self.settings.backoff * 2)
        return "", ""

    async def _until_token(self) -> str:
        while not self.stop.is_set():
            async with self._httpx("login") as client:
                with contextlib.suppress(httpx.HTTPError):
                    answer = await client.post(
                        "/oauth/token",
                        data={"grant_type": "client_credentials"},
                        auth=(self.settings.client_id, self.settings.client_secret),
                    )
                    if answer.status_code == 200:
                        self.logins["integration"] += 1
                        return str(answer.json()["access_token"])
            await asyncio.sleep(self.settings.backoff * 2)
        return ""

    async def _send(
        self,
        connection: Connection,
        name: str,
        method: str,
        path: str,
        headers: dict[str, str],
        body: bytes | None = None,
    ) -> int:
        started = self.clock.now()
        status, retry_after, detail = IO_ERROR, False, None
        try:
            async with asyncio.timeout(self.settings.request_timeout):
                status, fields, data = await connection.request(method, path, headers, body)
            retry_after = b"retry-after" in fields
            if status == 429 or status >= 500:
                detail = _problem_detail(data)
        except TimeoutError:
            status = HANG
            connection.close()
        except (OSError, EOFError, ValueError, asyncio.LimitOverrunError, IndexError):
            connection.close()
        self.outcomes.append(
            Outcome(started, self.clock.now() - started, name, status, retry_after, detail)
        )
        return status

    async def _pause(self, status: int) -> None:
        if status in (IO_ERROR, HANG, 429, 503) or status >= 500:
            await asyncio.sleep(self.settings.backoff)
        elif self.settings.think:
            await asyncio.sleep(self.settings.think)

    async def citizen(self, key: str, offset: int) -> None:
        host, port = self.host_port
        connection = Connection(host, port)
        cookie, csrf = await self.session("citizen", key)
        turn = offset
        order_body = HOME_KIT_ORDER.encode()
        try:
            while not self.stop.is_set():
                base = {"Cookie": f"{self.settings.cookie_name}={cookie}"}
                step = turn % 4
                turn += 1
                if step == 0:
                    status = await self._send(connection, "profile", "GET",
                                              "/api/citizen/profile", base)  # fmt: skip
                elif step == 1:
                    status = await self._send(connection, "offers", "GET",
                                              "/api/citizen/offers?scope=home", base)  # fmt: skip
                elif step == 2:
                    status = await self._send(
                        connection, "orders", "GET", "/api/citizen/orders?state=ongoing", base
                    )
                else:
                    headers = {
                        **base,
                        "Content-Type": "application/json",
                        "X-CSRF-Token": csrf,
                        "Idempotency-Key": uuid.uuid4().hex,
                    }
                    status = await self._send(
                        connection, "order", "POST", "/api/citizen/orders", headers, order_body
                    )
                if status == 401:
                    cookie, csrf = await self.session("citizen", key, ended=cookie)
                    continue
                await self._pause(status)
        finally:
            connection.close()

    async def staff(self) -> None:
        host, port = self.host_port
        connection = Connection(host, port)
        cookie, _ = await self.session("staff", NURSE)
        try:
            while not self.stop.is_set():
                status = await self._send(
                    connection,
                    "assigned_offers",
                    "GET",
                    "/api/staff/assigned-offers?page_size=25",
                    {"Cookie": f"{self.settings.cookie_name}={cookie}"},
                )
                if status == 401:
                    cookie, _ = await self.session("staff", NURSE, ended=cookie)
                    continue
                await self._pause(status)
        finally:
            connection.close()

    async def integration(self) -> None:
        host, port = self.host_port
        connection = Connection(host, port)
        token = await self.token()
        try:
            while not self.stop.is_set():
                status = await self._send(
                    connection,
                    "integration_orders",
                    "GET",
                    "/api/integration/v1/orders?limit=20",
                    {"Authorization": f"Bearer {token}"},
                )
                if status == 401:
                    token = await self.token(ended=token)
                    continue
                await self._pause(status)
        finally:
            connection.close()

    async def log_in_all(self) -> None:
        """Every identity's first login (before the load, so that a drill's clock starts
        with everybody at work)."""
        for key in CITIZENS[: self.settings.citizen_users]:
            await self.session("citizen", key)
        if self.settings.staff_users:
            await self.session("staff", NURSE)
        if self.settings.client_id and self.settings.integration_users:
            await self.token()

    async def run(self) -> None:
        """Until `stop` is set; then every user finishes the request it is in."""
        s = self.settings
        users = [self.citizen(CITIZENS[i % len(CITIZENS)], i) for i in range(s.citizen_users)]
        users += [self.staff() for _ in range(s.staff_users)]
        if s.client_id:
            users += [self.integration() for _ in range(s.integration_users)]
        random.shuffle(users)
        await asyncio.gather(*users)


async def _choose_unit(client: httpx.AsyncClient, csrf: str, unit: str) -> None:
    me = await client.get("/api/staff/me")
    me.raise_for_status()
    assignment = next(
        a["assignment_id"] for a in me.json()["assignments"] if a["care_unit_hsa_id"] == unit
    )
    chosen = await client.put(
        "/api/staff/context", json={"assignment_id": assignment}, headers={"X-CSRF-Token": csrf}
    )
    chosen.raise_for_status()


def _problem_detail(data: bytes) -> str | None:
    try:
        problem = json.loads(data)
    except ValueError:
        return data[:80].decode(errors="replace") or None
    if not isinstance(problem, dict):
        return None
    return f"{problem.get('type')}: {problem.get('detail')}"


# --- figures -----------------------------------------------------------------------------


def category(status: int, expected: Collection[int]) -> str:
    if status == IO_ERROR:
        return "io_error"
    if status == HANG:
        return "hang"
    if 200 <= status < 400:
        return "ok"
    if status in expected:
        return f"{status}_expected"
    return str(status)


def is_error(status: int, expected: Collection[int]) -> bool:
    return category(status, expected) not in ("ok", *(f"{s}_expected" for s in expected))


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


def per_second(
    outcomes: Sequence[Outcome], *, origin: float, expected: Collection[int]
) -> list[dict[str, Any]]:
    """Answers by the second they arrived in (relative to `origin`), by category."""
    buckets: dict[int, Counter[str]] = {}
    for o in outcomes:
        second = math.floor(o.end - origin)
        buckets.setdefault(second, Counter())[category(o.status, expected)] += 1
    return [{"second": s, **dict(sorted(buckets[s].items()))} for s in sorted(buckets)]


def summarize(
    outcomes: Sequence[Outcome],
    *,
    expected: Collection[int] = (),
    origin: float = 0.0,
    back_at: float | None = None,
) -> dict[str, Any]:
    """The figures every drill reports. `expected`: statuses that are not errors (401 when
    sessions are lost); `back_at`: when the failed dependency answered again."""
    errors = [o for o in outcomes if is_error(o.status, expected)]
    refusals = [o for o in outcomes if o.status in (429, 503)]
    statuses = Counter(o.status for o in outcomes)
    by_name: dict[str, Counter[str]] = {}
    for o in outcomes:
        by_name.setdefault(o.name, Counter())[category(o.status, expected)] += 1
    latencies = [o.seconds for o in outcomes if o.status not in (IO_ERROR, HANG)]
    longest = max(outcomes, key=lambda o: o.seconds, default=None)
    first_error = min((o.at for o in errors), default=None)
    last_error = max((o.end for o in errors), default=None)
    summary: dict[str, Any] = {
        "requests": len(outcomes),
        "by_status": {str(k): v for k, v in sorted(statuses.items())},
        "by_request": {name: dict(sorted(c.items())) for name, c in sorted(by_name.items())},
        "errors": len(errors),
        "server_errors_500": statuses.get(500, 0),
        "server_errors_other_5xx": sum(
            n for s, n in statuses.items() if s >= 500 and s not in (500, 503)
        ),
        "io_errors": statuses.get(IO_ERROR, 0),
        "hangs": statuses.get(HANG, 0),
        "refusals_429_503": len(refusals),
        "refusals_without_retry_after": sum(1 for o in refusals if not o.retry_after),
        "refusal_details": dict(Counter(o.detail or "" for o in refusals).most_common()),
        "longest_request_s": round(longest.seconds, 3) if longest else 0.0,
        "longest_request": None
        if longest is None
        else {
            "name": longest.name,
            "status": longest.status,
            "at_s": round(longest.at - origin, 2),
        },
        "latency_ms": {
            "p50": round(1000 * percentile(latencies, 50), 1),
            "p99": round(1000 * percentile(latencies, 99), 1),
            "max": round(1000 * max(latencies, default=0.0), 1),
        },
        "first_error_at_s": None if first_error is None else round(first_error - origin, 2),
        "last_error_at_s": None if last_error is None else round(last_error - origin, 2),
    }
    if back_at is not None:
        summary["errors_after_back_s"] = (
            0.0 if last_error is None else round(max(0.0, last_error - back_at), 2)
        )
    return summary


def print_seconds(rows: Sequence[dict[str, Any]], *, marks: dict[int, str]) -> None:
    """The per-second table: one row a second, a column per category."""
    columns = sorted({k for row in rows for k in row if k != "second"}, key=_column_order)
    header = f"{'s':>5} " + "".join(f"{c:>13}" for c in columns) + "  "
    print(header)
    print("-" * len(header))
    for row in rows:
        mark = marks.get(row["second"], "")
        cells = "".join(f"{row.get(c, ''):>13}" for c in columns)
        print(f"{row['second']:>5} {cells}  {mark}")


def _column_order(name: str) -> tuple[int, str]:
    order = ["ok", "401_expected", "429", "503", "500", "io_error", "hang"]
    return (order.index(name), name) if name in order else (len(order), name)
