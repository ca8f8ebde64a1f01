"""Many instances on one machine (issue 13): three API instances and two arq workers behind
Debian's HAProxy (round-robin, no stickiness, health checks on /health/ready) against one
PostgreSQL database and one Redis, under mixed load — citizens ordering with booking, a nurse
sampling and printing, two copies of a laboratory system polling with leases and posting
results, the workers delivering the outbox — while one API instance and one worker are
killed with SIGKILL and then every instance is restarted in turn with SIGTERM.

The scenario is deploy/local/many_instances.py (operators run the same); this test owns the
database and the Redis prefix, and asserts what the database holds afterwards."""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path

import pytest

from bench.run import _load_demo_data
from deploy.local.cluster import Cluster
from deploy.local.many_instances import EXPIRING_ORDERS, Proof, forget, summary
from tests.support import environment
from tests.support.bootstrap import HAPROXY_INSTALL, haproxy_binary


@pytest.fixture
def database():
    name, url = environment.create_database("pep_many")
    try:
        environment.migrate(url)
        asyncio.run(_load_demo_data(url))
        yield url
    finally:
        environment.drop_database(name)


@pytest.mark.slow
def test_three_instances_and_two_workers_lose_and_double_nothing_through_kills_and_a_roll(
    database, tmp_path: Path, capsys
):
    assert haproxy_binary(), f"HAProxy is missing. Run: {HAPROXY_INSTALL}"
    prefix = f"pep-many-{uuid.uuid4().hex[:8]}"
    cluster = Cluster(
        database_url=database,
        redis_url=environment.REDIS_URL,
        redis_prefix=prefix,
        workdir=tmp_path,
        # A killed worker's outbox claim runs out soon, so the other worker redelivers.
        extra_env={"PEP_OUTBOX_LEASE_SECONDS": "3"},
    )
    try:
        cluster.start(workers=False)
        figures = asyncio.run(Proof(cluster, database, load_seconds=20).run())
    except BaseException:
        sys.stderr.write(cluster.logs() + "\n")
        raise
    finally:
        cluster.stop()
        asyncio.run(forget(environment.REDIS_URL, prefix))
    with capsys.disabled():
        sys.stdout.write("\n" + summary(figures) + "\n")
    checks = figures.checks

    # Whichever instance answers: one session, CSRF, idempotency keys, the kit lockout.
    assert checks["session_served_by"] == ["api1", "api2", "api3"]
    assert {status for status, _ in checks["csrf_refused"]} == {403}
    assert len({server for _, server in checks["csrf_refused"]}) == 3
    assert checks["idempotency"]["same_order"] is True
    assert len(set(checks["idempotency"]["served_by"])) == 2
    statuses = [status for status, _ in checks["kit_attempts"]]
    assert statuses == [404] * 5 + [429] * 2, checks["kit_attempts"]
    assert len({server for _, server in checks["kit_attempts"]}) == 3
    assert checks["usage_limit"]["statuses"] == [201] * 4 + [403] * 2
    assert len(checks["usage_limit"]["served_by"]) >= 2
    # A deep link from the journal is used once: the second use is refused elsewhere too.
    assert [status for status, _ in checks["deep_link_uses"]] == [200, 403]
    assert len({server for _, server in checks["deep_link_uses"]}) == 2

    # Nothing accepted lost, nothing doubled (read back from the database).
    accepted = figures.orders_accepted
    assert accepted > 0
    assert figures.orders_in_database == accepted
    assert checks["keys_per_order"] == [(1, accepted)]
    assert checks["overbooked_slots"] == 0
    assert figures.orders_sampled == accepted
    assert checks["prints_per_sampled_order"] == [(1, accepted)]
    assert figures.orders_answered == accepted
    assert figures.results_stored == checks["lines"]
    assert checks["overlapping_leases"] == 0
    assert checks["undelivered_events"] == 0
    assert checks["notifications_per_event"] == [(1, checks["result_events"])]

    # Kill -9: HAProxy routed around api2, which answered again after its restart.
    assert figures.kill_detected_seconds < 10
    assert checks["api2_answers_after_rejoining"] > 0
    # The rolling restart (drain, SIGTERM, start, ready): not one failed request.
    assert len(figures.roll_steps) == 3
    assert figures.failures_during_roll == 0

    # The schedule: each run time once across both workers; each due order expired once,
    # although every worker start runs the expiry (two starts and one restart, each a run of
    # its own whichever worker takes it; a start-up run the kill cut short is not repeated
    # until arq's in-progress mark runs out, hence "at least two").
    assert figures.max_runs_per_run_time == 1
    assert figures.scheduled_runs[f"cron:{prefix}:drain_outbox"] >= 3
    assert figures.expiry_runs >= 2
    assert checks["expired_orders"] == [(("expired", 8), EXPIRING_ORDERS)]
    assert checks["expired_items_summed_over_runs"] == EXPIRING_ORDERS
