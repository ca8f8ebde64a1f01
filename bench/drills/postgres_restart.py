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
import sys
from collections.abc import Sequence

from bench.drills import restart

DRILL = "postgres_restart"


def _mode(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=("immediate", "fast"), default="immediate")


def main(argv: Sequence[str] | None = None) -> int:
    return restart.main(
        DRILL,
        argv,
        description=__doc__.split("\n\n")[0],
        more_arguments=_mode,
        what=lambda args: f"PostgreSQL ({args.mode} stop)",
        fault=lambda args: f"PostgreSQL stop ({args.mode})",
        stop=lambda w, args: lambda: w.postgres.stop(args.mode),
        start=lambda w: w.postgres.start,
        settings=lambda args: {"mode": args.mode},
    )


if __name__ == "__main__":
    sys.exit(main())
