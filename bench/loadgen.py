"""A small HTTP/1.1 keep-alive load generator on raw asyncio streams.

Each of N connections sends one request, reads the whole response (status line, then a
Content-Length or chunked body), and sends the next one: a closed loop at fixed concurrency.
Request bytes are built once; only `{n}` (a per-request counter, unique within the run),
`{run}` (a random id per run) and `{name}` for each list in `RequestSpec.cycle` (value
n mod len, e.g. `{slot}`) are filled in per request. Latency is taken with
time.perf_counter_ns around write-to-last-byte. A warm-up phase runs first and is not counted;
then only requests that both start and finish inside the measuring window are counted.

Used by bench.run in a process of its own (JSON spec on stdin, JSON result on stdout):

    python -m bench.loadgen --spec - < spec.json

or ad hoc:

    python -m bench.loadgen --url http://127.0.0.1:8000/api/health -c 32 -d 10 -w 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import re
import sys
import time
import uuid
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

RUN_PLACEHOLDER = "{run}"
_NAME = re.compile(r"^[a-z_]+$")
MAX_HEAD_BYTES = 64 * 1024
# Stop waiting for connections this long after the measuring window closed.
DRAIN_GRACE_SECONDS = 5.0
# Between one connection's first connect and the next one's (see _connection).
CONNECT_STAGGER_SECONDS = 0.005


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One request as the load generator sends it. `headers` and `body` may contain `{n}`
    and `{run}`, and `{name}` for each name in `cycle`: request n gets
    `cycle[name][n % len(cycle[name])]` (e.g. `{slot}` stepping through a list of slot ids).
    Host and Content-Length are added here."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    cycle: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "headers": dict(self.headers),
            "body": self.body,
            "cycle": {name: list(values) for name, values in self.cycle.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestSpec:
        return cls(
            method=data["method"],
            path=data["path"],
            headers=dict(data.get("headers") or {}),
            body=data.get("body"),
            cycle={k: list(v) for k, v in (data.get("cycle") or {}).items()},
        )


class RequestTemplate:
    """The request's bytes, pre-built; render(n) fills in `{n}` and the cycled values when
    they occur."""

    def __init__(self, spec: RequestSpec, *, host: str, run_id: str) -> None:
        self.expects_body = spec.method.upper() != "HEAD"
        lines = [f"{spec.method.upper()} {spec.path} HTTP/1.1", f"Host: {host}"]
        names = {name.lower() for name in spec.headers}
        lines += [f"{name}: {value}" for name, value in spec.headers.items()]
        body = (spec.body or "").replace(RUN_PLACEHOLDER, run_id).encode()
        send_length = spec.body is not None or spec.method.upper() in ("POST", "PUT", "PATCH")
        if "content-length" in names:
            raise ValueError("Content-Length is computed by the load generator")
        head = "\r\n".join(lines).replace(RUN_PLACEHOLDER, run_id).encode()
        for name, values in spec.cycle.items():
            if not _NAME.match(name) or name in ("n", "run") or not values:
                raise ValueError(f"cycle {name!r}: a lower-case name with at least one value")
        self._cycle = {name: [v.encode() for v in values] for name, values in spec.cycle.items()}
        pattern = re.compile(
            b"\\{(" + b"|".join(re.escape(k.encode()) for k in ["n", *self._cycle]) + b")\\}"
        )
        # Literal parts at even indexes, placeholder names at odd ones.
        self._head_parts = pattern.split(head)
        self._body_parts = pattern.split(body)
        self._send_length = send_length
        self._static: bytes | None = None
        if len(self._head_parts) == 1 and len(self._body_parts) == 1:
            self._static = self.render(0)

    def _fill(self, parts: list[bytes], n: int, number: bytes) -> bytes:
        if len(parts) == 1:
            return parts[0]
        out = []
        for index, part in enumerate(parts):
            if index % 2 == 0:
                out.append(part)
            elif part == b"n":
                out.append(number)
            else:
                values = self._cycle[part.decode()]
                out.append(values[n % len(values)])
        return b"".join(out)

    def render(self, n: int) -> bytes:
        if self._static is not None:
            return self._static
        number = str(n).encode()
        head = self._fill(self._head_parts, n, number)
        body = self._fill(self._body_parts, n, number)
        length = f"\r\nContent-Length: {len(body)}".encode() if self._send_length else b""
        return head + length + b"\r\n\r\n" + body


class ProtocolError(Exception):
    pass


async def read_response(reader: asyncio.StreamReader, *, expects_body: bool) -> tuple[int, bool]:
    """Reads one response; returns (status, whether the connection stays open)."""
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.") or len(head) < 12:
        raise ProtocolError(f"not an HTTP/1.x response: {head[:40]!r}")
    status = int(head[9:12])
    lower = head.lower()
    keep_alive = not head.startswith(b"HTTP/1.0")
    position = lower.find(b"\r\nconnection:")
    if position >= 0:
        value = lower[position + 13 : lower.index(b"\r\n", position + 2)]
        keep_alive = b"close" not in value and (keep_alive or b"keep-alive" in value)
    if not expects_body or status in (204, 304) or 100 <= status < 200:
        return status, keep_alive
    position = lower.find(b"\r\ncontent-length:")
    if position >= 0:
        length = int(lower[position + 17 : lower.index(b"\r\n", position + 2)])
        if length:
            await reader.readexactly(length)
        return status, keep_alive
    position = lower.find(b"\r\ntransfer-encoding:")
    if position >= 0 and b"chunked" in lower[position : lower.index(b"\r\n", position + 2)]:
        await _read_chunked(reader)
        return status, keep_alive
    # Neither: the body runs to the end of the connection.
    await reader.read()
    return status, False


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            # Trailers (usually none) end with an empty line.
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass
            return
        await reader.readexactly(size + 2)


@dataclass
class _Window:
    measure_start_ns: int
    measure_end_ns: int
    stop: bool = False


@dataclass
class _Tally:
    latencies_ns: list[int] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    io_errors: int = 0
    connects: int = 0
    warmup_requests: int = 0
    late_requests: int = 0


async def _connection(
    host: str,
    port: int,
    templates: Sequence[RequestTemplate],
    offset: int,
    counter: Iterator[int],
    window: _Window,
    tally: _Tally,
) -> None:
    perf = time.perf_counter_ns
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    turn = offset
    # Connections open one after another, not all at once: a uvicorn with several workers
    # shares one listening socket, and the worker that wakes first accepts every connection
    # waiting in the backlog — 32 connections opened together could all land on one worker
    # and leave the other idle (a run measuring one process). One at a time, each accept
    # goes to the worker that is free to take it, as a balancer's least-busy choice would.
    await asyncio.sleep(offset * CONNECT_STAGGER_SECONDS)
    try:
        while not window.stop:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection(host, port, limit=MAX_HEAD_BYTES)
                    tally.connects += 1
                except OSError:
                    if window.measure_start_ns <= perf() < window.measure_end_ns:
                        tally.io_errors += 1
                    await asyncio.sleep(0.05)
                    continue
            assert reader is not None
            template = templates[turn % len(templates)]
            turn += 1
            data = template.render(next(counter))
            start = perf()
            try:
                writer.write(data)
                status, keep_alive = await read_response(reader, expects_body=template.expects_body)
            except (OSError, EOFError, ValueError, ProtocolError, asyncio.LimitOverrunError):
                # IncompleteReadError is an EOFError; a bad number is a ValueError.
                if window.measure_start_ns <= start < window.measure_end_ns:
                    tally.io_errors += 1
                writer.close()
                writer = reader = None
                continue
            end = perf()
            if start < window.measure_start_ns:
                tally.warmup_requests += 1
            elif end <= window.measure_end_ns:
                tally.latencies_ns.append(end - start)
                tally.statuses[status] += 1
            else:
                tally.late_requests += 1
            if not keep_alive:
                writer.close()
                writer = reader = None
    finally:
        if writer is not None:
            writer.close()


def percentile(sorted_values: Sequence[int], p: float) -> int:
    """Nearest-rank percentile of an ascending sequence (0 for an empty one)."""
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def run_load(
    *,
    host: str,
    port: int,
    requests: Sequence[RequestSpec],
    concurrency: int,
    duration: float,
    warmup: float,
    expected_statuses: Collection[int] = (),
) -> dict[str, Any]:
    """Runs the closed loop and returns the summary (see summarize). A status in
    `expected_statuses` (e.g. 409 where a conflict is a normal answer) is not an error; 2xx
    never is."""
    if concurrency < 1 or duration <= 0 or warmup < 0 or not requests:
        raise ValueError("need concurrency >= 1, duration > 0, warmup >= 0 and a request")
    run_id = uuid.uuid4().hex[:12]
    host_header = f"{host}:{port}"
    templates = [RequestTemplate(spec, host=host_header, run_id=run_id) for spec in requests]
    counter = itertools.count(1)
    now = time.perf_counter_ns()
    window = _Window(
        measure_start_ns=now + int(warmup * 1e9),
        measure_end_ns=now + int((warmup + duration) * 1e9),
    )
    tally = _Tally()
    tasks = [
        asyncio.ensure_future(_connection(host, port, templates, index, counter, window, tally))
        for index in range(concurrency)
    ]
    try:
        await asyncio.sleep(warmup + duration)
        window.stop = True
        _, pending = await asyncio.wait(tasks, timeout=DRAIN_GRACE_SECONDS)
    finally:
        window.stop = True
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
    failures = [t.exception() for t in tasks if not t.cancelled() and t.exception() is not None]
    if failures:
        raise RuntimeError(f"a connection task failed: {failures[0]!r}") from failures[0]
    return summarize(
        tally,
        duration=duration,
        concurrency=concurrency,
        stuck_connections=len(pending),
        run_id=run_id,
        expected_statuses=expected_statuses,
    )


def summarize(
    tally: _Tally,
    *,
    duration: float,
    concurrency: int,
    stuck_connections: int,
    run_id: str,
    expected_statuses: Collection[int] = (),
) -> dict[str, Any]:
    latencies = sorted(tally.latencies_ns)
    ok = sum(count for status, count in tally.statuses.items() if 200 <= status < 300)
    expected = sum(
        count
        for status, count in tally.statuses.items()
        if status in expected_statuses and not 200 <= status < 300
    )
    measured = len(latencies)
    ms = 1e-6
    return {
        "requests": measured,
        "ok": ok,
        "expected_non_2xx": expected,
        "errors": measured - ok - expected + tally.io_errors,
        "io_errors": tally.io_errors,
        "status_counts": {str(k): v for k, v in sorted(tally.statuses.items())},
        "expected_statuses": sorted(expected_statuses),
        "throughput_rps": round(measured / duration, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * ms, 3),
            "p90": round(percentile(latencies, 90) * ms, 3),
            "p99": round(percentile(latencies, 99) * ms, 3),
            "max": round((latencies[-1] if latencies else 0) * ms, 3),
            "mean": round((sum(latencies) / measured if measured else 0) * ms, 3),
        },
        "duration_s": duration,
        "concurrency": concurrency,
        "connections_opened": tally.connects,
        "warmup_requests": tally.warmup_requests,
        "late_requests": tally.late_requests,
        "stuck_connections": stuck_connections,
        "run_id": run_id,
    }


def _run(coroutine: Any) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is in the lock file
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", help="JSON spec file, '-' for stdin (as bench.run sends it)")
    parser.add_argument("--url", help="ad hoc: GET this http:// URL")
    parser.add_argument("-H", "--header", action="append", default=[], help="'Name: value'")
    parser.add_argument("-c", "--concurrency", type=int, default=32)
    parser.add_argument("-d", "--duration", type=float, default=10.0)
    parser.add_argument("-w", "--warmup", type=float, default=2.0)
    args = parser.parse_args(argv)
    if args.spec:
        raw = sys.stdin.read() if args.spec == "-" else Path(args.spec).read_text()
        spec = json.loads(raw)
        host, port = spec["host"], int(spec["port"])
        requests = [RequestSpec.from_json(r) for r in spec["requests"]]
        concurrency, duration = int(spec["concurrency"]), float(spec["duration"])
        warmup = float(spec["warmup"])
        expected_statuses = [int(s) for s in spec.get("expected_statuses") or ()]
    elif args.url:
        url = urlsplit(args.url)
        if url.scheme != "http" or not url.hostname:
            parser.error("only http:// URLs")
        host, port = url.hostname, url.port or 80
        headers = dict(h.split(":", 1) for h in args.header)
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        requests = [RequestSpec("GET", path, {k.strip(): v.strip() for k, v in headers.items()})]
        concurrency, duration, warmup = args.concurrency, args.duration, args.warmup
        expected_statuses = []
    else:
        parser.error("give --spec or --url")
    result = _run(
        run_load(
            host=host,
            port=port,
            requests=requests,
            concurrency=concurrency,
            duration=duration,
            warmup=warmup,
            expected_statuses=expected_statuses,
        )
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
