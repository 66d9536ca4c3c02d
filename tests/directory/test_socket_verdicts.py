"""The sockets' re-check shares one verdict per token (or user) per process for a short while
(backend/directory/sockets.py): hundreds of sockets of one wall display cost a few queries per
period, and a revoked token is still seen within the 30 s promise."""

from __future__ import annotations

import time

from backend.directory import sockets


def test_a_verdict_is_shared_only_while_fresh():
    key = ("token", "k" * 40)
    sockets._verdicts.pop(key, None)
    assert sockets._shared_verdict(key, 0.2) is None  # nobody checked yet: query
    sockets._remember_verdict(key, True, 0.2)
    assert sockets._shared_verdict(key, 0.2) is True  # a second socket takes it
    sockets._remember_verdict(key, False, 0.2)
    assert sockets._shared_verdict(key, 0.2) is False  # a refusal is shared too
    time.sleep(0.25)
    assert sockets._shared_verdict(key, 0.2) is None  # stale: the next socket queries again


def test_a_session_touch_is_never_shared():
    sockets._remember_verdict(None, True, 5)
    assert None not in sockets._verdicts
    assert sockets._shared_verdict(None, 5) is None


def test_stale_verdicts_are_forgotten_when_many():
    sockets._verdicts.clear()
    for n in range(300):
        sockets._verdicts[("user", n)] = (time.monotonic() - 10, True)
    sockets._remember_verdict(("user", "fresh"), True, 1.0)
    assert list(sockets._verdicts) == [("user", "fresh")]


def test_the_shared_age_keeps_the_30_second_promise():
    # The longest period plus the longest a shared verdict may be reused.
    assert sockets.MAX_RECHECK_SECONDS * 1.1 < 30
