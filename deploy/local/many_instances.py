"""Three API instances and two arq workers behind HAProxy on this machine, under mixed load,
with an instance and a worker killed (-9) and a rolling restart (SIGTERM, one at a time):
the proof that nothing in the product assumes one process (docs/operations.md).

    python -m deploy.local.many_instances            # run the proof, print the figures
    python -m deploy.local.many_instances --serve    # only start it and keep it running

It makes a database of its own on the local PostgreSQL (PEP_TEST_POSTGRES_URL, or
postgresql://postgres@127.0.0.1:5432) with the demo region, a Redis key prefix of its own on
REDIS_URL (redis://127.0.0.1:6379/0), and removes both at the end. Needs Debian's haproxy.

The load, all through HAProxy (round-robin, no stickiness), one request at a time per actor:
- Stockholm citizens log in (OIDC against the development IdP) and order offer 1004 with a
  booked time at Huddinge, each order with an Idempotency-Key kept for its retries;
- a nurse at Huddinge opens each order (ETag) and samples it with If-Match, which prints
  its labels;
- two copies of the laboratory's system poll with leases (OAuth2 client credentials), post
  a result per line (Idempotency-Key) and acknowledge;
- the workers deliver the outbox (the citizens' notifications) and run the schedule.
Then it reads the database: every accepted order once, every booking within its slot, one
print per sampling, one result per line, one notification per event, each due order
expired once, each scheduled run once."""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import statistics
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import psycopg

from adapters.identity.launch import create_launch_token
from adapters.settings import DEVELOPMENT_SECRET
from deploy.local.cluster import Cluster
from domain.codes import KIT_BODY_LENGTH, RID_BODY_LENGTH, new_code

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HUDDINGE_HSA = "SE2321000016-P001"
HUDDINGE_STAFF_UNIT = "SE2321000016-A003"  # the nurses of Huddinge hold their assignment here
STOCKHOLM_CITIZENS = ("tolvan", "anna-stockholm", "erik-stockholm")
LAB_CLIENT = ("pep-demo-kul", "demo-kul-secret-development-only-not-for-production")
EXPIRING_ORDERS = 5
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def log(message: str) -> None:
    print(f"[many-instances {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# --- recording every attempt ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempt:
    actor: str
    operation: str
    at: float
    status: int | None
    served_by: str | None

    @property
    def failed(self) -> bool:
        """What a client sees as a failure: no answer, or a gateway/server error."""
        return self.status is None or self.status >= 500


@dataclass
class Recorder:
    attempts: list[Attempt] = field(default_factory=list)

    async def request(
        self,
        client: httpx.AsyncClient,
        actor: str,
        operation: str,
        method: str,
        url: str,
        **kw: Any,
    ) -> httpx.Response | None:
        try:
            response = await client.request(method, url, **kw)
        except httpx.TransportError:
            self.attempts.append(Attempt(actor, operation, time.monotonic(), None, None))
            return None
        self.attempts.append(
            Attempt(
                actor,
                operation,
                time.monotonic(),
                response.status_code,
                response.headers.get("x-served-by"),
            )
        )
        return response

    async def answered(
        self, send: Callable[[], Awaitable[httpx.Response | None]], *, tries: int = 60
    ) -> httpx.Response:
        """Sends until an answer that is not a gateway or server error: what a client does
        with a request that carries an Idempotency-Key (or If-Match), so a retry is safe."""
        for _ in range(tries):
            response = await send()
            if response is not None and response.status_code < 500:
                return response
            await asyncio.sleep(0.2)
        raise RuntimeError("no answer after retrying")

    def failures_between(self, start: float, end: float) -> int:
        return sum(1 for a in self.attempts if a.failed and start <= a.at <= end)


# --- logging in without a browser (the steps of bench/login.py) --------------------------


async def login(client: httpx.AsyncClient, kind: str, key: str) -> str:
    """The OIDC flow through the load balancer: every step may land on another instance.
    Returns the session's CSRF token."""
    start = await client.get(f"/auth/{kind}/login")
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    page = await client.get(authorize)
    assert page.status_code == 200, page.text
    form = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page.text)}
    form["identity"] = key
    chosen = await client.post(urlsplit(authorize).path, data=form)
    assert chosen.status_code == 303, chosen.text
    back = await client.get(chosen.headers["location"])
    assert back.status_code == 303, back.text
    assert "inloggning=" not in back.headers["location"], back.headers["location"]
    session = (await client.get("/api/session")).json()
    assert session["authenticated"], session
    return str(session["csrf_token"])


# --- the proof --------------------------------------------------------------------------


@dataclass
class Figures:
    requests: int = 0
    failed_requests: int = 0
    failures_during_kill: int = 0
    failures_during_roll: int = 0
    kill_detected_seconds: float = 0.0
    rejoined_seconds: float = 0.0
    roll_steps: list[dict[str, float]] = field(default_factory=list)
    served_by: dict[str, int] = field(default_factory=dict)
    orders_accepted: int = 0
    orders_in_database: int = 0
    orders_sampled: int = 0
    orders_answered: int = 0
    results_stored: int = 0
    notifications: int = 0
    scheduled_runs: dict[str, int] = field(default_factory=dict)
    max_runs_per_run_time: int = 0
    expiry_runs: int = 0
    orders_expired: int = 0
    checks: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0


class Proof:
    # The load and the pipeline's drain must end within this (seconds).
    load_timeout = 240.0

    def __init__(self, cluster: Cluster, database_url: str, *, load_seconds: float = 30.0) -> None:
        self.cluster = cluster
        self.database_url = database_url
        self.load_seconds = load_seconds
        self.recorder = Recorder()
        self.figures = Figures()
        self.stop = asyncio.Event()
        self.citizens_done = asyncio.Event()
        self.to_sample: asyncio.Queue[str] = asyncio.Queue()
        self.accepted: dict[str, str] = {}  # Idempotency-Key → order id
        self.sampled: set[str] = set()
        self.claims: list[tuple[str, str, float, float]] = []  # poller, order, from, until
        self.results_posted: set[tuple[str, int]] = set()
        self.kill_window = (0.0, 0.0)
        self.roll_window = (0.0, 0.0)
        self.started_at = datetime.now(UTC)
        self.chaos_error: BaseException | None = None

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.cluster.base_url, timeout=30.0)

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    # -- before the load: what must hold whichever instance answers -----------------------

    async def prove_shared_state(self) -> None:
        checks = self.figures.checks
        async with self.client() as citizen:
            csrf = await login(citizen, "citizen", "johan-goteborg")
            served = {
                (await citizen.get("/api/session")).headers.get("x-served-by") for _ in range(6)
            }
            checks["session_served_by"] = sorted(s for s in served if s)
            # CSRF: refused by every instance without the session's token.
            refusals = [
                (await citizen.post("/api/citizen/kits", json={"kit_number": "1", "rid": "1"}))
                for _ in range(3)
            ]
            checks["csrf_refused"] = sorted(
                {(r.status_code, r.headers.get("x-served-by")) for r in refusals}
            )
            # One Idempotency-Key, two instances: one order, the same answer twice.
            body = {
                "catalog_id": "2001",
                "contact": {"phone": "0701234567"},
                "delivery_address": {
                    "street": "Storgatan 1",
                    "postal_code": "111 22",
                    "city": "Göteborg",
                },
                "answers": {"symptoms": False},
            }
            key = f"same-{uuid.uuid4().hex}"
            headers = {"X-CSRF-Token": csrf, "Idempotency-Key": key}
            first = await citizen.post("/api/citizen/orders", json=body, headers=headers)
            again = await citizen.post("/api/citizen/orders", json=body, headers=headers)
            checks["idempotency"] = {
                "statuses": [first.status_code, again.status_code],
                "served_by": [first.headers.get("x-served-by"), again.headers.get("x-served-by")],
                "same_order": first.json().get("order_id") == again.json().get("order_id"),
            }
            # Kit lockout in Redis: the sixth attempt is refused, whichever instance counts.
            statuses = []
            for _ in range(7):
                answer = await citizen.post(
                    "/api/citizen/kits",
                    json={
                        "kit_number": new_code(random.randrange, KIT_BODY_LENGTH),
                        "rid": new_code(random.randrange, RID_BODY_LENGTH),
                    },
                    headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
                )
                statuses.append((answer.status_code, answer.headers.get("x-served-by")))
            checks["kit_attempts"] = statuses
        # A usage limit (offer 1001: four a year) holds for orders sent at once to every
        # instance.
        async with self.client() as citizen:
            csrf = await login(citizen, "citizen", "anna-stockholm")
            limited = {**body, "catalog_id": "1001"}
            answers = await asyncio.gather(
                *(
                    citizen.post(
                        "/api/citizen/orders",
                        json=limited,
                        headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
                    )
                    for _ in range(6)
                )
            )
            checks["usage_limit"] = {
                "statuses": sorted(a.status_code for a in answers),
                "served_by": sorted({a.headers.get("x-served-by") or "-" for a in answers}),
            }
        # A journal's deep link is used once, whichever instance sees it again.
        async with self.client() as staff:
            csrf = await login(staff, "staff", "nurse-sti")
            token = create_launch_token(
                issuer="dev-journal",
                secret=DEVELOPMENT_SECRET,
                personnummer="199608089901",
                care_unit_hsa_id=HUDDINGE_STAFF_UNIT,
                staff_hsa_id="SE2321000016-1002",
                now=datetime.now(UTC),
            )
            uses = [
                await staff.post(
                    "/api/staff/launch", json={"token": token}, headers={"X-CSRF-Token": csrf}
                )
                for _ in range(2)
            ]
            checks["deep_link_uses"] = [(u.status_code, u.headers.get("x-served-by")) for u in uses]
        # Orders that are due to expire, for the workers' start-up runs (they start later).
        async with self.client() as citizen:
            csrf = await login(citizen, "citizen", "lars-malmo")
            expiring = []
            for _ in range(EXPIRING_ORDERS):
                answer = await citizen.post(
                    "/api/citizen/orders",
                    json=body,
                    headers={"X-CSRF-Token": csrf, "Idempotency-Key": uuid.uuid4().hex},
                )
                assert answer.status_code == 201, answer.text
                expiring.append(answer.json()["order_id"])
        self.sql(
            "UPDATE orders SET status = 'handled', handled_at = now() - interval '31 days',"
            " expires_at = now() - interval '1 hour', version = 7"
            " WHERE id = ANY(%s::uuid[])",
            expiring,
        )
        self.expiring = expiring

    # -- the load -------------------------------------------------------------------------

    async def citizen(self, key: str, slots: list[str]) -> None:
        actor = f"citizen:{key}"
        async with self.client() as http:
            csrf = await login(http, "citizen", key)
            for n, slot in enumerate(slots):
                # Orders no faster than the nurse samples them: the pipeline ends soon
                # after the load does.
                while self.to_sample.qsize() > 6 and not self.stop.is_set():
                    await asyncio.sleep(0.1)
                if self.stop.is_set():
                    return
                idempotency_key = uuid.uuid4().hex
                body = {
                    "catalog_id": "1004",
                    "contact": {"email": "prov@example.se"},
                    "answers": {"symptoms": False},
                    "booking": {"sampling_unit_id": self.huddinge, "slot_id": slot},
                }
                headers = {"X-CSRF-Token": csrf, "Idempotency-Key": idempotency_key}
                answer = await self.recorder.answered(
                    lambda b=body, h=headers: self.recorder.request(
                        http, actor, "place_order", "POST", "/api/citizen/orders", json=b, headers=h
                    )
                )
                if answer.status_code in (200, 201):
                    order_id = answer.json()["order_id"]
                    self.accepted[idempotency_key] = order_id
                    await self.to_sample.put(order_id)
                elif answer.status_code != 409:
                    raise AssertionError(f"order refused: {answer.status_code} {answer.text}")
                if n % 3 == 0:
                    await self.recorder.answered(
                        lambda: self.recorder.request(
                            http, actor, "list_orders", "GET", "/api/citizen/orders"
                        )
                    )
                await asyncio.sleep(0.3)

    async def nurse(self) -> None:
        actor = "staff:nurse-sti"
        async with self.client() as http:
            csrf = await login(http, "staff", "nurse-sti")
            me = (await http.get("/api/staff/me")).json()
            assignment = next(
                a["assignment_id"]
                for a in me["assignments"]
                if a["care_unit_hsa_id"] == HUDDINGE_STAFF_UNIT
            )
            chosen = await http.put(
                "/api/staff/context",
                json={"assignment_id": assignment},
                headers={"X-CSRF-Token": csrf},
            )
            assert chosen.status_code == 200, chosen.text
            done = 0
            while not (self.citizens_done.is_set() and self.to_sample.empty()):
                try:
                    order_id = await asyncio.wait_for(self.to_sample.get(), timeout=0.5)
                except TimeoutError:
                    continue
                await self.sample(http, actor, csrf, order_id)
                done += 1
                if done % 5 == 0:
                    await self.recorder.answered(
                        lambda: self.recorder.request(
                            http, actor, "print_log", "GET", "/api/staff/sampling/print-log"
                        )
                    )

    async def sample(self, http: httpx.AsyncClient, actor: str, csrf: str, order_id: str) -> None:
        url = f"/api/staff/sampling/orders/{order_id}"
        for _ in range(30):
            opened = await self.recorder.answered(
                lambda: self.recorder.request(
                    http, actor, "open_order", "GET", url, params={"laboratory_code": "KUL"}
                )
            )
            assert opened.status_code == 200, opened.text
            if opened.json()["order"]["status"] == "sampled":
                # An earlier attempt was stored but its answer was lost: done, not again.
                self.sampled.add(order_id)
                return
            answer = await self.recorder.request(
                http,
                actor,
                "sample",
                "POST",
                f"{url}/sample",
                json={"laboratory_code": "KUL", "sampled_at": datetime.now(UTC).isoformat()},
                headers={"X-CSRF-Token": csrf, "If-Match": opened.headers["etag"]},
            )
            if answer is not None and answer.status_code == 200:
                self.sampled.add(order_id)
                return
            if answer is not None and answer.status_code not in (409, 412, 502, 503, 504):
                raise AssertionError(f"sampling refused: {answer.status_code} {answer.text}")
            await asyncio.sleep(0.1)
        raise AssertionError(f"order {order_id} could not be sampled")

    async def lab(self, name: str) -> None:
        actor = f"lab:{name}"
        async with self.client() as http:
            token = await self.recorder.answered(
                lambda: self.recorder.request(
                    http,
                    actor,
                    "token",
                    "POST",
                    "/oauth/token",
                    data={"grant_type": "client_credentials"},
                    auth=LAB_CLIENT,
                )
            )
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
            while not (self.citizens_done.is_set() and self.pipeline_done()):
                key = {**bearer, "Idempotency-Key": uuid.uuid4().hex}
                claimed = await self.recorder.answered(
                    lambda h=key: self.recorder.request(
                        http,
                        actor,
                        "claim",
                        "POST",
                        "/api/integration/v1/orders/claim",
                        json={"limit": 10, "lease_seconds": 10},
                        headers=h,
                    )
                )
                assert claimed.status_code == 200, claimed.text
                orders = claimed.json()["orders"]
                now = time.monotonic()
                for order in orders:
                    self.claims.append((name, order["id"], now, now + 10))
                    if order["status"] == "sampled":
                        await self.answer(http, actor, bearer, order)
                if orders:
                    leases = [o["lease"]["lease_id"] for o in orders]
                    ack_headers = {**bearer, "Idempotency-Key": uuid.uuid4().hex}
                    acked = await self.recorder.answered(
                        lambda h=ack_headers, b={"lease_ids": leases}: self.recorder.request(
                            http,
                            actor,
                            "ack",
                            "POST",
                            "/api/integration/v1/orders/ack",
                            json=b,
                            headers=h,
                        )  # fmt: skip
                    )
                    assert acked.status_code == 200, acked.text
                    done = time.monotonic()
                    self.claims[-len(orders) :] = [
                        (n, o, start, min(until, done))
                        for n, o, start, until in self.claims[-len(orders) :]
                    ]
                else:
                    await asyncio.sleep(0.3)

    async def answer(
        self, http: httpx.AsyncClient, actor: str, bearer: dict[str, str], order: dict[str, Any]
    ) -> None:
        # The sampling date is Sweden's date of the sampling time (between 23:00 and 01:00
        # UTC the UTC date is the day before, and "before the order was placed").
        sampled = datetime.fromisoformat(order["sampled_at"]).astimezone(STOCKHOLM).date()
        for line in order["lines"]:
            headers = {**bearer, "Idempotency-Key": f"res-{order['id']}-{line['line_no']}"}
            body = {
                "rid": order["rid"],
                "line_no": line["line_no"],
                "analysis_code": line["lab_code"],
                "value": "Ej påvisad",
                "reference_range": "Ej påvisad",
                "sampling_date": sampled.isoformat(),
                "lab_result_id": f"MI-{order['rid']}-{line['line_no']}",
                "lab_version": 1,
                "insight": "negative",
            }
            stored = await self.recorder.answered(
                lambda b=body, h=headers: self.recorder.request(
                    http,
                    actor,
                    "post_result",
                    "POST",
                    "/api/integration/v1/results",
                    json=b,
                    headers=h,
                )
            )
            assert stored.status_code in (200, 201), stored.text
            self.results_posted.add((order["id"], line["line_no"]))

    def more_load(self) -> list[Awaitable[None]]:
        """Further actors running alongside the others until `stop` (none here; the fault
        drills in bench/drills add their own)."""
        return []

    async def progress(self) -> None:
        while True:
            await asyncio.sleep(5)
            log(
                f"{len(self.recorder.attempts)} requests, {len(self.accepted)} orders accepted,"
                f" {len(self.sampled)} sampled, {len(self.results_posted)} results posted"
            )

    def pipeline_done(self) -> bool:
        accepted = list(self.accepted.values())
        if not accepted or len(self.sampled) < len(accepted):
            return False
        rows = self.sql(
            "SELECT count(*) FILTER (WHERE status <> 'answered') FROM orders"
            " WHERE id = ANY(%s::uuid[])",
            accepted,
        )
        return rows[0][0] == 0

    # -- failures on purpose --------------------------------------------------------------

    def chaos(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            self._chaos()
        except BaseException as error:
            self.chaos_error = error
        finally:
            loop.call_soon_threadsafe(self.stop.set)

    def _chaos(self) -> None:
        cluster = self.cluster
        time.sleep(min(6.0, self.load_seconds / 4))
        log("kill -9: api2 and worker1")
        killed_at = time.monotonic()
        cluster.apis[1].kill()
        cluster.workers[0].kill()
        self.figures.kill_detected_seconds = cluster.wait_status("api2", "DOWN")
        time.sleep(1.0)
        cluster.workers[0].start()
        cluster.restart_api(1)
        cluster.wait_status("api2", "UP")
        cluster.wait_worker(0)
        back_at = time.monotonic()
        self.figures.rejoined_seconds = back_at - killed_at
        # Requests that were in flight at the kill end within a few seconds.
        self.kill_window = (killed_at, back_at + 1.0)
        log(f"api2 is back after {self.figures.rejoined_seconds:.1f}s; rolling restart next")
        time.sleep(2.0)
        roll_start = time.monotonic()
        for index in range(cluster.api_count):
            self.figures.roll_steps.append(cluster.roll(index))
        self.roll_window = (roll_start, time.monotonic())
        log(f"rolling restart done in {self.roll_window[1] - roll_start:.1f}s")
        remaining = self.load_seconds - (time.monotonic() - self.load_started)
        time.sleep(max(1.0, remaining))

    # -- run and check --------------------------------------------------------------------

    async def run(self) -> Figures:
        started = time.monotonic()
        self.huddinge = self.sql(
            "SELECT id::text FROM sampling_units WHERE hsa_id = %s", HUDDINGE_HSA
        )[0][0]
        await self.prove_shared_state()
        self.cluster.start_workers()
        async with self.client() as http:
            csrf = await login(http, "citizen", STOCKHOLM_CITIZENS[0])
            del csrf
            free = (
                await http.get(
                    "/api/citizen/offers/1004/slots",
                    params={"sampling_unit_id": self.huddinge, "days": 60},
                )
            ).json()
        slots = [s["slot_id"] for s in free for _ in range(s["free"])]
        shares = [slots[i :: len(STOCKHOLM_CITIZENS)] for i in range(len(STOCKHOLM_CITIZENS))]
        self.load_started = time.monotonic()
        loop = asyncio.get_running_loop()
        chaos = threading.Thread(target=self.chaos, args=(loop,), daemon=True)
        chaos.start()

        async def citizens() -> None:
            try:
                await asyncio.gather(
                    *(self.citizen(k, s) for k, s in zip(STOCKHOLM_CITIZENS, shares, strict=True))
                )
            finally:
                self.citizens_done.set()

        tasks = [
            citizens(),
            self.nurse(),
            self.lab("poller-1"),
            self.lab("poller-2"),
            *self.more_load(),
        ]
        progress = asyncio.create_task(self.progress())
        try:
            # Bounded: the chaos ends the load (stop), then the pipeline drains.
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=self.load_timeout)
        finally:
            progress.cancel()
        await asyncio.to_thread(chaos.join, 60)
        if self.chaos_error is not None:
            raise self.chaos_error
        await self.settle()
        self.figures.seconds = time.monotonic() - started
        return self.check()

    async def settle(self, timeout: float = 30.0) -> None:
        """The workers deliver what the load left in the outbox."""
        deadline = time.monotonic() + timeout
        accepted = list(self.accepted.values())
        while time.monotonic() < deadline:
            waiting = self.sql(
                "SELECT count(*) FROM outbox_events WHERE status <> 'delivered'"
                " AND payload->>'order_id' = ANY(%s)",
                accepted,
            )[0][0]
            if waiting == 0:
                return
            await asyncio.sleep(0.5)
        raise AssertionError("the outbox was not delivered in time")

    def check(self) -> Figures:
        f = self.figures
        attempts = self.recorder.attempts
        f.requests = len(attempts)
        f.failed_requests = sum(1 for a in attempts if a.failed)
        f.failures_during_kill = self.recorder.failures_between(*self.kill_window)
        f.failures_during_roll = self.recorder.failures_between(*self.roll_window)
        f.served_by = dict(Counter(a.served_by or "-" for a in attempts))
        f.checks["api2_answers_after_rejoining"] = sum(
            1 for a in attempts if a.served_by == "api2" and a.at > self.kill_window[1]
        )
        accepted = list(self.accepted.values())
        f.orders_accepted = len(accepted)
        f.orders_in_database = self.sql(
            "SELECT count(*) FROM orders WHERE catalog_id = '1004' AND created_at >= %s",
            self.started_at,
        )[0][0]
        f.orders_sampled = len(self.sampled)
        f.orders_answered = self.sql(
            "SELECT count(*) FROM orders WHERE status = 'answered' AND id = ANY(%s::uuid[])",
            accepted,
        )[0][0]
        f.results_stored = self.sql(
            "SELECT count(*) FROM results r JOIN order_lines l ON l.id = r.order_line_id"
            " WHERE l.order_id = ANY(%s::uuid[])",
            accepted,
        )[0][0]
        # What the citizen is told of a result: an inbox message per event (origin_id), or
        # in older schemas a row of citizen_notifications per event.
        inbox = self.sql("SELECT to_regclass('inbox_messages') IS NOT NULL")[0][0]
        told, by_event = (
            ("inbox_messages", "origin_id") if inbox else ("citizen_notifications", "event_id")
        )
        f.notifications = self.sql(
            f"SELECT count(*) FROM {told} WHERE order_id = ANY(%s::uuid[])", accepted
        )[0][0]
        checks = f.checks
        # Each Idempotency-Key made one order of its own.
        checks["keys_per_order"] = sorted(Counter(Counter(accepted).values()).items())
        checks["overbooked_slots"] = self.sql(
            "SELECT count(*) FROM sampling_slots s WHERE s.booked > s.capacity OR s.booked <>"
            " (SELECT count(*) FROM orders o WHERE o.slot_id = s.id AND o.status <> 'cancelled')"
        )[0][0]
        checks["prints_per_sampled_order"] = sorted(
            Counter(
                n
                for (n,) in self.sql(
                    "SELECT count(*) FROM label_prints WHERE kind = 'sample'"
                    " AND order_id = ANY(%s::uuid[]) GROUP BY order_id",
                    sorted(self.sampled),
                )
            ).items()
        )
        checks["lines"] = self.sql(
            "SELECT count(*) FROM order_lines WHERE order_id = ANY(%s::uuid[])", accepted
        )[0][0]
        events = self.sql(
            f"SELECT e.id, e.status, (SELECT count(*) FROM {told} n"
            f" WHERE n.{by_event} = e.id) FROM outbox_events e"
            " WHERE e.kind = 'result_available' AND e.payload->>'order_id' = ANY(%s)",
            accepted,
        )
        checks["result_events"] = len(events)
        checks["notifications_per_event"] = sorted(Counter(n for _, _, n in events).items())
        checks["undelivered_events"] = self.sql(
            "SELECT count(*) FROM outbox_events WHERE status <> 'delivered'"
            " AND payload->>'order_id' = ANY(%s)",
            accepted,
        )[0][0]
        checks["overlapping_leases"] = self._overlapping_leases()
        expired = self.sql(
            "SELECT status, version FROM orders WHERE id = ANY(%s::uuid[])", self.expiring
        )
        checks["expired_orders"] = sorted(Counter(expired).items())
        f.orders_expired = sum(
            1 for status, version in expired if status == "expired" and version == 8
        )
        self._scheduled_runs()
        return f

    def _overlapping_leases(self) -> int:
        """Two pollers holding the same order at the same time under a lease."""
        held: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        for poller, order, start, until in self.claims:
            held[order].append((poller, start, until))
        overlaps = 0
        for spans in held.values():
            for i, (p1, s1, u1) in enumerate(spans):
                for p2, s2, u2 in spans[i + 1 :]:
                    if p1 != p2 and s1 < u2 and s2 < u1:
                        overlaps += 1
        return overlaps

    def _scheduled_runs(self) -> None:
        """From the workers' JSON logs: each job's start line names its arq job id."""
        runs: Counter[str] = Counter()
        expired_items = 0
        expiry_runs = 0
        for worker in self.cluster.workers:
            for line in worker.log_path.read_text(errors="replace").splitlines():
                if not line.startswith("{"):
                    continue
                entry = json.loads(line)
                message = entry.get("message", "")
                if message.startswith("job ") and " started: " in message:
                    job, job_id = message[len("job ") :].split(" started: ", 1)
                    runs[job_id] += 1
                    if job == "expire_orders":
                        expiry_runs += 1
                if message.startswith("expired ") and message.endswith(" orders"):
                    expired_items += int(message.split()[1])
        per_job: Counter[str] = Counter()
        for job_id in runs:
            per_job[job_id.rsplit(":", 1)[0]] += 1
        self.figures.scheduled_runs = dict(per_job)
        self.figures.max_runs_per_run_time = max(runs.values(), default=0)
        self.figures.expiry_runs = expiry_runs
        self.figures.checks["expired_items_summed_over_runs"] = expired_items


def summary(figures: Figures) -> str:
    steps = [round(s["step_seconds"], 1) for s in figures.roll_steps]
    lines = [
        f"requests through HAProxy: {figures.requests} "
        f"(served by {dict(sorted(figures.served_by.items()))})",
        "failed attempts (no answer or 5xx, then retried by the client): "
        f"{figures.failed_requests}",
        f"  during the kill of api2 and worker1: {figures.failures_during_kill} "
        f"(HAProxy saw api2 down after {figures.kill_detected_seconds:.1f}s, "
        f"back after {figures.rejoined_seconds:.1f}s)",
        f"  during the rolling restart: {figures.failures_during_roll} "
        f"(steps {steps} s, median {statistics.median(steps) if steps else 0} s)",
        f"orders: {figures.orders_accepted} accepted, {figures.orders_in_database} in the database,"
        f" {figures.orders_sampled} sampled, {figures.orders_answered} answered,"
        f" {figures.results_stored} results, {figures.notifications} notifications",
        f"scheduled runs per job: {figures.scheduled_runs}; "
        f"most runs of one run time: {figures.max_runs_per_run_time}",
        f"expiry: {figures.expiry_runs} runs, {figures.orders_expired} of {EXPIRING_ORDERS}"
        f" due orders expired, each once",
        f"checks: {json.dumps(figures.checks, default=str)}",
        f"took {figures.seconds:.0f}s",
    ]
    return "\n".join(lines)


# --- the operator's command ------------------------------------------------------------


async def forget(redis_url: str, prefix: str) -> int:
    """Removes the run's keys from Redis: its own (`<prefix>:…`) and arq's job, result and
    in-progress keys of its scheduled runs (`arq:…:cron:<prefix>:…`, not under the prefix)."""
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    deleted = 0
    try:
        for pattern in (f"{prefix}:*", f"arq:*:cron:{prefix}:*"):
            async for key in redis.scan_iter(match=pattern, count=500):
                deleted += int(await redis.delete(key))
    finally:
        await redis.aclose()
    return deleted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="only run the cluster")
    parser.add_argument("--load-seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=0, help="HAProxy's port (default: free)")
    args = parser.parse_args()

    from bench.run import _load_demo_data
    from tests.support import environment

    redis_url = os.environ.get("REDIS_URL", environment.REDIS_URL)
    prefix = f"pep-many-{uuid.uuid4().hex[:8]}"
    name, url = environment.create_database("pep_many")
    try:
        environment.migrate(url)
        asyncio.run(_load_demo_data(url))
        with tempfile.TemporaryDirectory(prefix="pep-many-") as work:
            cluster = Cluster(
                database_url=url,
                redis_url=redis_url,
                redis_prefix=prefix,
                workdir=Path(work),
                port=args.port,
                extra_env={"PEP_OUTBOX_LEASE_SECONDS": "3"},
            )
            try:
                if args.serve:
                    cluster.start()
                    log(f"HAProxy on {cluster.base_url} (admin socket {cluster.admin_socket})")
                    log("Ctrl-C stops everything")
                    while True:
                        time.sleep(3600)
                cluster.start(workers=False)
                figures = asyncio.run(Proof(cluster, url, load_seconds=args.load_seconds).run())
                print(summary(figures), flush=True)
            except KeyboardInterrupt:
                pass
            finally:
                cluster.stop()
    finally:
        environment.drop_database(name)
        asyncio.run(forget(redis_url, prefix))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
