"""`python -m bench.drills.postgres_restart`: PostgreSQL restarted under mixed load (issue 12,
part 4). The service must answer 503 with Retry-After while the database is away — never a
500, never a hang — and recover by itself within ~5 s of PostgreSQL being back.

A PostgreSQL of the drill's own (never the machine's shared one) serves the real server
(2 uvicorn workers) and an arq worker; citizens read and order, a nurse reads Tilldelade
erbjudanden, the laboratory's system reads its orders (bench/drills/mixed_load.py). After
`--before` seconds PostgreSQL is stopped (`pg_ctl -m immediate`: every backend gone at once,
crash recovery at the next start; or `--mode fast`: sessions ended with an administrator
shutdown), left down `--down` seconds, started again on the same data directory and port,
and the load goes on `--after` seconds.

Targets (exit status 1 when one is missed; bench/drills/restart.py): errors end within 5 s of
PostgreSQL accepting connections again and the last `--settle` seconds are free of them; no
500; no request over 30 s; Retry-After on every 429/503; the same server processes before
and after; the arq worker alive and running its jobs again. Figures: a table per second,
and bench/results/postgres_restart-latest.json.

    python -m bench.drills.postgres_restart [--mode immediate|fast] [--before 6] [--down 3]
                                            [--after 15] [--settle 5] [--users 12]
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from collections.abc import Sequence

from bench.drills import restart, world

DRILL = "postgres_restart"


def _raise_on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("immediate", "fast"), default="immediate")
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
                    w,
                    args,
                    stop=lambda: w.postgres.stop(args.mode),
                    start=w.postgres.start,
                    what=f"PostgreSQL ({args.mode} stop)",
                )
            )
            summary, missed = restart.evaluate(run, settle=args.settle)
            meta = restart.meta(
                DRILL, f"PostgreSQL stop ({args.mode})", args, w, started, mode=args.mode
            )
            meta["load_average"] = {"before": load_before, "after": world.load_average()}
            return restart.report(
                DRILL, run, summary, missed, expected=(), meta=meta, output=args.output
            )
    except KeyboardInterrupt:
        world.log(DRILL, "interrupted; cleaned up")
        return 130


if __name__ == "__main__":
    sys.exit(main())
