"""The benchmark's load generator against a trivial HTTP server of its own (not the product):
requests are counted, latency statistics are ordered, non-2xx answers count as errors, and
`{n}` makes every request unique."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bench.loadgen import RequestSpec, RequestTemplate, percentile, run_load


class TrivialServer:
    def __init__(self) -> None:
        self.keys: list[str] = []
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                path = head.split(" ", 2)[1]
                headers = dict(
                    line.lower().split(": ", 1) for line in head.split("\r\n")[1:] if line
                )
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if "idempotency-key" in headers:
                    self.keys.append(headers["idempotency-key"])
                if path == "/fail":
                    writer.write(b"HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nfail")
                elif path == "/chunked":
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                    )
                else:
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def trivial_server() -> AsyncIterator[tuple[TrivialServer, int]]:
    server = TrivialServer()
    server.server = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = server.server.sockets[0].getsockname()[1]
    yield server, port
    server.server.close()
    await server.server.wait_closed()


def test_template_fills_in_the_counter_and_the_length() -> None:
    spec = RequestSpec("POST", "/x", {"Idempotency-Key": "{run}-{n}"}, body='{"n": {n}}')
    rendered = RequestTemplate(spec, host="h:1", run_id="r1").render(42)
    assert rendered == (
        b"POST /x HTTP/1.1\r\nHost: h:1\r\nIdempotency-Key: r1-42\r\n"
        b'Content-Length: 9\r\n\r\n{"n": 42}'
    )
    assert percentile([1, 2, 3, 4], 50) == 2
    assert percentile([], 99) == 0


async def test_counts_and_latencies_are_consistent(
    trivial_server: tuple[TrivialServer, int],
) -> None:
    server, port = trivial_server
    result = await run_load(
        host="127.0.0.1",
        port=port,
        requests=[
            RequestSpec("GET", "/ok"),
            RequestSpec("GET", "/chunked"),
            RequestSpec("POST", "/ok", {"Idempotency-Key": "{run}-{n}"}, body="hello"),
        ],
        concurrency=4,
        duration=0.6,
        warmup=0.1,
    )
    assert result["requests"] > 0
    assert result["errors"] == 0
    assert result["ok"] == result["requests"]
    assert result["throughput_rps"] == pytest.approx(result["requests"] / 0.6, rel=0.01)
    latency = result["latency_ms"]
    assert 0 < latency["p50"] <= latency["p90"] <= latency["p99"] <= latency["max"]
    assert result["stuck_connections"] == 0
    # Every request got a key of its own.
    assert len(server.keys) > 0
    assert len(set(server.keys)) == len(server.keys)


async def test_non_2xx_answers_are_errors(trivial_server: tuple[TrivialServer, int]) -> None:
    _, port = trivial_server
    result = await run_load(
        host="127.0.0.1",
        port=port,
        requests=[RequestSpec("GET", "/fail"), RequestSpec("GET", "/ok")],
        concurrency=2,
        duration=0.4,
        warmup=0.05,
    )
    assert result["requests"] > 0
    assert result["status_counts"]["500"] > 0
    assert result["errors"] == result["status_counts"]["500"]
    assert result["ok"] + result["errors"] == result["requests"]


def test_cycled_values_step_through_their_list_per_request() -> None:
    spec = RequestSpec(
        "POST", "/x", {"K": "{run}-{n}"}, body='{"slot": "{slot}"}', cycle={"slot": ["a", "bb"]}
    )
    template = RequestTemplate(spec, host="h:1", run_id="r1")
    assert template.render(3).endswith(b'Content-Length: 14\r\n\r\n{"slot": "bb"}')
    assert b"K: r1-4\r\n" in template.render(4)
    assert template.render(4).endswith(b'\r\n\r\n{"slot": "a"}')
    assert template.render(5).endswith(b'\r\n\r\n{"slot": "bb"}')
    with pytest.raises(ValueError, match="at least one value"):
        RequestTemplate(RequestSpec("GET", "/", cycle={"slot": []}), host="h", run_id="r")


async def test_expected_statuses_are_not_errors(trivial_server: tuple[TrivialServer, int]) -> None:
    _, port = trivial_server
    result = await run_load(
        host="127.0.0.1",
        port=port,
        requests=[RequestSpec("GET", "/fail"), RequestSpec("GET", "/ok")],
        concurrency=2,
        duration=0.4,
        warmup=0.05,
        expected_statuses=(500,),
    )
    assert result["status_counts"]["500"] > 0
    assert result["errors"] == 0
    assert result["expected_non_2xx"] == result["status_counts"]["500"]
    assert result["ok"] + result["expected_non_2xx"] == result["requests"]
