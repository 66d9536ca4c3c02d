"""Faults: nothing lost, nothing doubled, no manual restart (issue 11).

Against the suite's own PostgreSQL and Redis and real processes (cluster.py): SIGKILL of the
ASGI server under socket load, SIGKILL of the Celery worker while SMS are in flight to a slow
provider, an empty Redis and a PostgreSQL restart under load. Recovery times are printed
(`pytest -s`) and reported in the README."""

from __future__ import annotations

import signal
import time
from collections import Counter

import httpx
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
    assert writer.written >= 5  # notes were being written between the kills
    assert_exactly_once_in_order(followers, final)


def notifications(cluster, incident: int) -> list[tuple]:
    return cluster.sql(
        'SELECT id, "to", status, provider_sid FROM alerts_notification WHERE incident_id = %s', (incident,)
    )


def test_worker_killed_mid_send_sends_nothing_twice_and_leaves_nothing_sending(cluster):
    before = len(cluster.sandbox_messages())
    incident = cluster.open_incident(cluster.departments)  # 4 departments x 5 on-duty contacts
    total = len(notifications(cluster, incident))
    assert total == 20
    # The provider answers each request after SMS_HOLD_SECONDS: kill while requests are held.
    wait_until(lambda: len(cluster.sandbox_messages()) > before, 30, what="a request at the provider")
    time.sleep(0.5)
    cluster.kill("worker", signal.SIGKILL)  # worker2 lives on, as another machine would
    killed = time.monotonic()
    # Claimed and not answered when the worker died: the provider may have taken them or not.
    in_flight = {row[0] for row in notifications(cluster, incident) if row[2] == "sending" and not row[3]}
    bound = cluster.SMS_SENDING_TIMEOUT_SECONDS + cluster.SWEEP_SECONDS
    settled = {"accepted", "sent", "delivered", "unknown"}

    def every_notification_settled():
        return all(row[2] in settled for row in notifications(cluster, incident))

    # The sends the kill interrupted: answered meanwhile, or `unknown` by the sweep.
    wait_until(lambda: all(r[2] in settled for r in notifications(cluster, incident) if r[0] in in_flight), 60,
               step=0.2, what="the interrupted sends settled")  # fmt: skip
    in_flight_took = time.monotonic() - killed
    cluster.start("worker")  # back for the rest of the alert and the next scenarios
    wait_until(every_notification_settled, 90, step=0.2, what="every notification settled")
    took = time.monotonic() - killed
    rows = notifications(cluster, incident)
    statuses = Counter(row[2] for row in rows)
    arrived = Counter(m["to"] for m in cluster.sandbox_messages()[before:])
    report(
        f"worker SIGKILL mid-send: the {len(in_flight)} interrupted sends settled {in_flight_took:.1f} s after the "
        f"kill (bound {bound} s = SMS_SENDING_TIMEOUT_SECONDS + sweep period), all {total} after {took:.1f} s: "
        f"{dict(statuses)}; "
        f"{sum(arrived.values())} requests at the provider for {len(arrived)} numbers"
    )
    assert [to for to, n in arrived.items() if n > 1] == [], "an SMS reached the provider twice"
    assert statuses["unknown"] >= 1, "the kill should have caught a send in flight"
    # `unknown` carries the resend button on the board.
    unknown = [row[0] for row in rows if row[2] == "unknown"]
    listing = httpx.get(f"{cluster.base_url}/api/notifications/", params={"incident": incident, "page_size": 100},
                        headers=cluster.headers, timeout=10)  # fmt: skip
    listing.raise_for_status()
    body = listing.json()
    items = {item["id"]: item for item in (body["results"] if isinstance(body, dict) else body)}
    assert all(items[pk]["can_resend"] for pk in unknown)
    assert in_flight and in_flight_took <= bound, f"interrupted sends settled {in_flight_took:.1f} s after the kill"


def _healthz_ok(cluster) -> bool:
    return httpx.get(f"{cluster.base_url}/healthz", timeout=5).status_code == 200


def _recovers(cluster, fault: str, restart) -> None:
    """Under sockets and notes: apply the fault, then time /healthz, live socket delivery and a
    new incident with its SMS coming back, with nobody restarting anything by hand."""
    incident = cluster.open_incident([])
    followers = follow(cluster, incident)
    wait_until(lambda: all(f.seqs for f in followers), 30, what="every socket following")
    writer = NoteWriter(cluster.base_url, cluster.token, incident)
    writer.start()
    time.sleep(2)
    down = time.monotonic()
    restart()
    back = time.monotonic()
    wait_until(lambda: _healthz_ok(cluster), 120, step=0.5, what="/healthz 200")
    healthz_s = time.monotonic() - back
    # Live delivery: a note written now reaches every socket.
    marker = wait_until(lambda: last_seq(cluster, incident) if writer.written else None, 60, what="notes again")
    wait_until(lambda: all(f.has(marker + 1) for f in followers), 120, step=0.2, what="live delivery")
    live_s = time.monotonic() - back
    started = time.monotonic()
    fresh = wait_until(lambda: cluster.open_incident(cluster.departments[:1], title=f"{fault}后新事件"), 60,
                       step=1, what="a new incident")  # fmt: skip
    wait_until(
        lambda: {r[2] for r in notifications(cluster, fresh)} <= {"accepted", "sent", "delivered"}
        and len(notifications(cluster, fresh)) == 5,
        120, step=0.5, what="the new incident's SMS sent",
    )  # fmt: skip
    sms_s = time.monotonic() - back
    final = settle(cluster, incident, followers, writer)
    report(
        f"{fault} (server down {back - down:.1f} s; times from its return): /healthz 200 after {healthz_s:.1f} s, "
        f"live socket delivery after {live_s:.1f} s, "
        f"a new incident's 5 SMS sent after {sms_s:.1f} s (incident opened {started - back:.1f} s after); "
        f"{final} events on the followed incident, each socket got each once"
    )
    assert_exactly_once_in_order(followers, final)


def test_redis_restarted_empty_under_load_comes_back_by_itself(cluster):
    def restart():
        cluster.kill_redis()
        cluster.start_redis()

    _recovers(cluster, "Redis restarted empty", restart)


def test_postgresql_restarted_under_load_comes_back_by_itself(cluster):
    def restart():
        cluster.stop_postgres("fast")
        cluster.start_postgres()

    _recovers(cluster, "PostgreSQL restarted", restart)
