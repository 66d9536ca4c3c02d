"""The event contract's conformance check over the whole suite (docs/events.md).

1. Every event written in this test process is checked against its schema as it is stored: the
   log already validates at append time (backend/eventtypes.py); here the data is also passed
   through JSON (what PostgreSQL stores and clients read) and checked again, so a value that only
   Python accepts (a tuple, a Decimal, a naive time) fails the test that produced it.
2. Every registered type must be produced by at least one test. That is only knowable on a full
   run, so it is checked at session finish when pytest ran its default test paths without a
   selection (-k, -m, --deselect), as `make test` does; ERC_EVENT_COVERAGE=1 forces it on any run,
   ERC_EVENT_COVERAGE=0 turns it off. Events written by subprocesses (the Celery worker, uvicorn)
   are validated there at append time but not counted here.
"""

from __future__ import annotations

import json
import os

import pytest

produced: set[str] = set()
violations: list[str] = []


def _check(sender, incident, event, **kwargs):
    from backend import eventtypes

    produced.add(event.event_type)
    try:
        stored = json.loads(json.dumps(event.data))
    except (TypeError, ValueError) as exc:
        violations.append(f"{event.event_type}: not JSON ({exc})")
        raise eventtypes.EventSchemaError(f"event {event.event_type!r} is not JSON: {exc}") from exc
    problems = eventtypes.get(event.event_type).problems(stored)
    if problems:
        violations.append(f"{event.event_type}: {'; '.join(problems)}")
        raise eventtypes.EventSchemaError(f"event {event.event_type!r} as stored: {'; '.join(problems)}")


def pytest_sessionstart(session):
    from backend.incidents.signals import event_recorded

    event_recorded.connect(_check, dispatch_uid="tests.event_conformance")


def _full_run(config) -> bool:
    forced = os.environ.get("ERC_EVENT_COVERAGE")
    if forced is not None:
        return forced == "1"
    selected = config.getoption("keyword") or config.getoption("markexpr") or config.getoption("deselect")
    return config.args_source == pytest.Config.ArgsSource.TESTPATHS and not selected


def missing_types() -> list[str]:
    from backend import eventtypes

    return sorted(set(eventtypes.EVENT_TYPES.keys()) - produced)


def pytest_sessionfinish(session, exitstatus):
    if not _full_run(session.config) or session.testscollected == 0:
        return
    missing = missing_types()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if missing:
        if reporter is not None:
            reporter.write_line(f"event contract: no test produced these event types: {', '.join(missing)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter is not None:
        reporter.write_line(f"event contract: all {len(produced)} event types produced and valid", green=True)
