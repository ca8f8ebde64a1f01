"""`python -m bench.drills.redis_restart`: Redis killed and started again under mixed load
(issue 12, part 4). Sessions live in Redis: a restart without persistence ends them all,
so users are asked to log in again (401) — expected, and they do. Everything else must be
clean: 503 with Retry-After while Redis is away, never a 500, never a hang, recovery within
~5 s of Redis being back, and the arq worker (its queue is in Redis) running its jobs again.

A Redis of the drill's own (never the machine's shared one; no persistence) and a
PostgreSQL of its own serve the real server (2 uvicorn workers) and an arq worker, under the
mixed load of bench/drills/mixed_load.py. After `--before` seconds Redis gets SIGKILL, stays
down `--down` seconds and is started again on the same port, empty; the load goes on
`--after` seconds. Users whose session ended log in again through the real OIDC flow.

Targets as the PostgreSQL drill's (bench/drills/restart.py), with 401 counted as expected.
Figures: a table per second, and bench/results/redis_restart-latest.json.

    python -m bench.drills.redis_restart [--before 6] [--down 3] [--after 15] [--settle 5]
                                         [--users 12]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections.abc import Sequence

from bench.drills import restart, world

DRILL = "redis_restart"
# A session that Redis lost: the user logs in again.
EXPECTED = (401,)


def _raise_on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    restart.add_arguments(parser)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_on_signal)
    started = time.time()
    try:
        with world.world(DRILL) as w:
            world.log(DRILL, f"server healthy at {w.base_url}; arq worker started")
            world.wait_for_jobs(w)
            load_before = world.load_average()
            run = asyncio.run(
                restart.drive(
                    w, args, stop=w.redis.kill, start=w.redis.start, what="Redis (SIGKILL)"
                )
            )
            summary, missed = restart.evaluate(run, settle=args.settle, expected=EXPECTED)
            meta = restart.meta(DRILL, "Redis SIGKILL", args, w, started)
            meta["load_average"] = {"before": load_before, "after": world.load_average()}
            return restart.report(
                DRILL, run, summary, missed, expected=EXPECTED, meta=meta, output=args.output
            )
    except KeyboardInterrupt:
        world.log(DRILL, "interrupted; cleaned up")
        return 130


if __name__ == "__main__":
    sys.exit(main())
