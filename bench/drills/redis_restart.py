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

import sys
from collections.abc import Sequence

from bench.drills import restart

DRILL = "redis_restart"
# A session that Redis lost: the user logs in again.
EXPECTED = (401,)


def main(argv: Sequence[str] | None = None) -> int:
    return restart.main(
        DRILL,
        argv,
        description=__doc__.split("\n\n")[0],
        what=lambda _args: "Redis (SIGKILL)",
        fault=lambda _args: "Redis SIGKILL",
        stop=lambda w, _args: w.redis.kill,
        start=lambda w: w.redis.start,
        expected=EXPECTED,
    )


if __name__ == "__main__":
    sys.exit(main())
