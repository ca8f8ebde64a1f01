"""What the PostgreSQL and Redis restart drills share: mixed load on the drill's world while
a dependency is stopped and started again (`drive`), the figures and the targets
(`evaluate`), the table and the JSON (`report`).

Targets: errors end within 5 s of the dependency answering again; the last `settle`
seconds are free of errors; no 500 (nor any 5xx but 503); no request over 30 s; Retry-After
on every 429/503; the same server processes before and after (it recovered by itself); the
arq worker still the same process and running its jobs again."""

from __future__ import annotations

import argparse
import asyncio
import signal
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.drills import mixed_load, world
from bench.drills.mixed_load import Clock, Load, LoadSettings
from bench.run import raise_on_signal

ERRORS_AFTER_BACK_MAX_S = 5.0
LONGEST_MAX_S = 30.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--before", type=float, default=6.0, help="seconds of load first")
    parser.add_argument("--down", type=float, default=3.0, help="seconds the dependency is away")
    parser.add_argument("--after", type=float, default=15.0, help="seconds of load after")
    parser.add_argument("--settle", type=float, default=5.0, help="error-free end, seconds")
    parser.add_argument("--users", type=int, default=12, help="citizen users (closed loops)")
    parser.add_argument(
        "--output", type=Path, help="write the JSON here only (default: bench/results/)"
    )


async def drive(
    w: world.World,
    args: argparse.Namespace,
    *,
    stop: Callable[[], None],
    start: Callable[[], None],
    what: str,
) -> dict[str, Any]:
    """Load for `before` seconds, `stop()`, `down` seconds, `start()` (returns when the
    dependency answers again), load for `after` seconds. `stop` and `start` block: they run
    in a thread, the load goes on meanwhile."""
    from adapters.demo_data import DEMO_INTEGRATION_CLIENT_ID, DEMO_INTEGRATION_SECRET

    clock = Clock()
    load = Load(
        LoadSettings(
            base_url=w.base_url,
            citizen_users=args.users,
            client_id=DEMO_INTEGRATION_CLIENT_ID,
            client_secret=DEMO_INTEGRATION_SECRET,
        ),
        clock,
    )
    await load.log_in_all()
    running = asyncio.create_task(load.run())
    events: dict[str, float] = {}
    jobs: list[tuple[float, float | None]] = []

    async def sample_jobs() -> None:
        while not load.stop.is_set():
            jobs.append((clock.now(), await asyncio.to_thread(w.jobs_done)))
            await asyncio.sleep(1.0)

    sampler = asyncio.create_task(sample_jobs())
    await asyncio.sleep(args.before)
    pids_before = w.server_pids()
    worker_before = w.worker_pid()
    logins_before = Counter(load.logins)
    events["stop"] = clock.now()
    world.log(w.drill, f"stopping {what}")
    await asyncio.to_thread(stop)
    events["stopped"] = clock.now()
    await asyncio.sleep(args.down)
    events["start"] = clock.now()
    world.log(w.drill, f"starting {what}")
    await asyncio.to_thread(start)
    events["back"] = clock.now()
    world.log(w.drill, f"{what} answers again ({events['back'] - events['start']:.2f} s to start)")
    await asyncio.sleep(args.after)
    load.stop.set()
    events["load_stopped"] = clock.now()
    await running
    await sampler
    return {
        "load": load,
        "events": events,
        "jobs": jobs,
        "logins_again": dict(load.logins - logins_before),
        "pids_before": pids_before,
        "pids_after": w.server_pids(),
        "worker_before": worker_before,
        "worker_after": w.worker_pid(),
    }


def meta(
    drill: str, fault: str, args: argparse.Namespace, w: world.World, started: float, **extra: Any
) -> dict[str, Any]:
    return {
        "drill": drill,
        "fault": fault,
        "command": world.command_line(),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "git_commit": world.git_commit(),
        "settings": {
            **extra,
            "before_s": args.before,
            "down_s": args.down,
            "after_s": args.after,
            "settle_s": args.settle,
            "citizen_users": args.users,
            "staff_users": 2,
            "integration_users": 1,
            "uvicorn_workers": 2,
            "server": w.settings,
        },
        "machine": world.machine(w),
    }


def evaluate(
    run: dict[str, Any], *, settle: float, expected: Sequence[int] = ()
) -> tuple[dict[str, Any], list[str]]:
    """The drill's figures and the targets it missed (shared with the Redis drill)."""
    load: Load = run["load"]
    events: dict[str, float] = run["events"]
    origin = events["stop"]
    summary = mixed_load.summarize(
        load.outcomes, expected=expected, origin=origin, back_at=events["back"]
    )
    settled = [
        o
        for o in load.outcomes
        if o.at >= events["load_stopped"] - settle and mixed_load.is_error(o.status, expected)
    ]
    settled_ok = sum(
        1
        for o in load.outcomes
        if o.at >= events["load_stopped"] - settle and 200 <= o.status < 400
    )
    jobs_after = [done for at, done in run["jobs"] if at > events["back"] and done is not None]
    jobs_at_back = max(
        (done for at, done in run["jobs"] if at <= events["back"] and done is not None), default=0.0
    )
    summary.update(
        {
            "events_s": {k: round(v - origin, 2) for k, v in events.items()},
            "dependency_down_s": round(events["back"] - events["stop"], 2),
            "errors_in_last_settle_s": len(settled),
            "ok_in_last_settle_s": settled_ok,
            # Users of one identity share its session: one login again per identity.
            "logins_again": run["logins_again"],
            "server_pids_before": run["pids_before"],
            "server_pids_after": run["pids_after"],
            "arq_worker_pid_before": run["worker_before"],
            "arq_worker_pid_after": run["worker_after"],
            "arq_jobs_done_at_back": jobs_at_back,
            "arq_jobs_done_at_end": max(jobs_after, default=None),
        }
    )
    missed = []
    if summary["errors_after_back_s"] > ERRORS_AFTER_BACK_MAX_S:
        missed.append(
            f"errors went on {summary['errors_after_back_s']} s after the dependency was back "
            f"(target ≤ {ERRORS_AFTER_BACK_MAX_S:g} s)"
        )
    if settled or not settled_ok:
        missed.append(
            f"not recovered: {len(settled)} errors, {settled_ok} answers in the last {settle:g} s"
        )
    if summary["server_errors_500"] or summary["server_errors_other_5xx"]:
        missed.append(
            f"{summary['server_errors_500']} answers 500 and "
            f"{summary['server_errors_other_5xx']} other 5xx than 503"
        )
    if summary["io_errors"]:
        # A connection the server closed without an answer: an error that escaped the
        # handlers (it was one: a connect refused while PostgreSQL started up, 2026-12-02).
        missed.append(f"{summary['io_errors']} requests got no answer (connection closed)")
    if summary["longest_request_s"] >= LONGEST_MAX_S or summary["hangs"]:
        missed.append(
            f"a request took {summary['longest_request_s']} s (target < {LONGEST_MAX_S:g} s)"
        )
    if summary["refusals_without_retry_after"]:
        missed.append(f"{summary['refusals_without_retry_after']} 429/503 without Retry-After")
    if run["pids_before"] != run["pids_after"]:
        missed.append(f"server processes changed: {run['pids_before']} -> {run['pids_after']}")
    if run["worker_before"] is None or run["worker_before"] != run["worker_after"]:
        missed.append(
            f"the arq worker did not stay up: pid {run['worker_before']} -> {run['worker_after']}"
        )
    elif not jobs_after or max(jobs_after) <= jobs_at_back:
        missed.append("the arq worker ran no job after the dependency was back")
    return summary, missed


def report(
    drill: str,
    run: dict[str, Any],
    summary: dict[str, Any],
    missed: list[str],
    *,
    expected: Sequence[int],
    meta: dict[str, Any],
    output: Path | None = None,
) -> int:
    events: dict[str, float] = run["events"]
    origin = events["stop"]
    rows = mixed_load.per_second(run["load"].outcomes, origin=origin, expected=expected)
    marks: dict[int, str] = {}
    for name, at in events.items():
        second = int((at - origin) // 1)
        marks[second] = (marks.get(second, "") + " " + name).strip()
    print()
    print(
        f"answers per second (second 0: the {meta['fault']}; a row counts the answers that "
        "ended in that second)"
    )
    mixed_load.print_seconds(rows, marks=marks)
    print()
    for key in (
        "requests",
        "by_status",
        "errors",
        "first_error_at_s",
        "last_error_at_s",
        "dependency_down_s",
        "errors_after_back_s",
        "errors_in_last_settle_s",
        "server_errors_500",
        "server_errors_other_5xx",
        "io_errors",
        "hangs",
        "longest_request_s",
        "longest_request",
        "latency_ms",
        "refusals_429_503",
        "refusals_without_retry_after",
        "refusal_details",
        "logins_again",
        "server_pids_before",
        "server_pids_after",
        "arq_worker_pid_before",
        "arq_worker_pid_after",
        "arq_jobs_done_at_back",
        "arq_jobs_done_at_end",
    ):
        print(f"  {key:<32}{summary.get(key)}")
    document = {**meta, "summary": summary, "per_second": rows, "targets_missed": missed}
    return world.finish(drill, document, output, missed)


def main(
    drill: str,
    argv: Sequence[str] | None,
    *,
    description: str,
    what: Callable[[argparse.Namespace], str],
    fault: Callable[[argparse.Namespace], str],
    stop: Callable[[world.World, argparse.Namespace], Callable[[], None]],
    start: Callable[[world.World], Callable[[], None]],
    expected: Sequence[int] = (),
    more_arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    settings: Callable[[argparse.Namespace], dict[str, Any]] = lambda _args: {},
) -> int:
    """A restart drill from its command line to its exit status: the world, the load while
    the dependency is stopped (`stop(world, args)`) and started again (`start(world)`), the
    figures, the targets and the report. `what` names the stop in the log, `fault` in the
    report."""
    parser = argparse.ArgumentParser(description=description)
    if more_arguments is not None:
        more_arguments(parser)
    add_arguments(parser)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, raise_on_signal)
    started = time.time()
    try:
        with world.world(drill) as w:
            world.log(drill, f"server healthy at {w.base_url}; arq worker started")
            world.wait_for_jobs(w)
            load_before = world.load_average()
            run = asyncio.run(drive(w, args, stop=stop(w, args), start=start(w), what=what(args)))
            summary, missed = evaluate(run, settle=args.settle, expected=expected)
            facts = meta(drill, fault(args), args, w, started, **settings(args))
            facts["load_average"] = {"before": load_before, "after": world.load_average()}
            return report(
                drill, run, summary, missed, expected=expected, meta=facts, output=args.output
            )
    except KeyboardInterrupt:
        world.log(drill, "interrupted; cleaned up")
        return 130
