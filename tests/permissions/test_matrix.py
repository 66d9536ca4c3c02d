"""The permission matrix test (issue #12): tests/permissions/matrix.py is the table; this module

1. walks the URL conf (get_resolver()) and the OpenAPI schema, and fails listing every pattern
   (every API method) that has no row, and every row whose pattern or method no longer exists;
2. loads the demo data once, signs in one user per role, and sends every row's request as every
   role in process (Django's test client), each request in a transaction rolled back afterwards
   so every row meets the same demo data whatever the previous one did;
3. compares each answer with the row's expectation, and for every refused write (POST, PUT,
   PATCH, DELETE answered 401/403/404) and every GET checks from the SQL the request ran
   (captured with connection.execute_wrapper) that it wrote nothing, except to the tables that
   record the attempt itself (matrix.ATTEMPT_TABLES).
"""

from __future__ import annotations

import copy
import re
import shutil
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from . import matrix
from .urlconf import coverage_problems, template
from .world import build_world

pytestmark = pytest.mark.timeout(900)

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


# --- 1. the URL conf against the matrix ----------------------------------------------------------
def test_every_url_and_method_has_a_row():
    problems = coverage_problems()
    assert not problems, "\n".join(problems)


def test_a_missing_or_stale_row_is_reported(monkeypatch):
    """The check itself can fail: drop one API method's row, add a row for no pattern."""
    kept = [r for r in matrix.ROWS if (r.key, r.method) != ("/api/incidents/{pk}/close/", "POST")]
    ghost = matrix.row("/api/no-such-endpoint/", "GET", matrix.READ_ALL_USERS)
    wrong_method = matrix.row("/api/me/", "DELETE", matrix.ADMIN_ONLY)
    monkeypatch.setattr(matrix, "ROWS", [*kept, ghost, wrong_method])

    problems = coverage_problems()

    assert sorted(problems) == [
        "missing from the matrix: /api/incidents/{pk}/close/ POST",
        "row for a method the API does not publish: /api/me/ DELETE",
        "row for a pattern that no longer exists: /api/no-such-endpoint/",
    ]


def testtemplate_of_regex_and_route_patterns():
    assert template("^a/(?P<key>[^/]{1,64})/?$") == "/a/{key}"
    assert template("api/^incidents/(?P<pk>[0-9]{1,18})/activate/$") == "/api/incidents/{pk}/activate/"
    assert template(r"inventory/^export/(?P<what>catalogue|stock)\.(?P<fmt>csv|xlsx)$") == (
        "/inventory/export/{what}.{fmt}"
    )
    assert template("drills/<int:pk>/console/") == "/drills/{pk}/console/"


# --- 2. the world (world.py) ----------------------------------------------------------------------
@pytest.fixture
def world(db):
    built = build_world()
    yield built
    shutil.rmtree(built["media"], ignore_errors=True)


# --- 3. sending and judging ---------------------------------------------------------------------
def _fill(text: str, names: dict[str, str], objects: dict) -> str:
    def value(name):
        return name[1:] if name.startswith("=") else str(objects[name])

    for placeholder, name in names.items():
        text = text.replace("{" + placeholder + "}", value(name))
    return re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), text)


def _paths(entry: matrix.Row, objects: dict) -> list[str]:
    if entry.key == "/admin/*":
        return list(matrix.ADMIN_SAMPLE)
    path = _fill(entry.key, entry.args, objects)
    return [f"{path}?{_fill(entry.query, {}, objects)}" if entry.query else path]


class WriteLog:
    """The tables every INSERT/UPDATE/DELETE of a request touched."""

    def __init__(self):
        self.tables: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        found = WRITE_SQL.match(sql)
        if found:
            self.tables.append(found.group(1))
        return execute(sql, params, many, context)


def _send(client: Client, method: str, path: str, body, is_api: bool):
    saved = copy.deepcopy(client.cookies)  # a logout or a language switch must not stick
    log = WriteLog()
    with connection.execute_wrapper(log), transaction.atomic():
        if body is None:
            response = client.generic(method, path)
        elif is_api:
            response = getattr(client, method.lower())(path, body, content_type="application/json")
        else:
            response = client.post(path, body)
        transaction.set_rollback(True)  # every row meets the same data
    client.cookies = saved
    return response, log.tables


def test_the_write_log_sees_what_django_writes(db):
    """The refused-write check reads Django's own SQL: an UPDATE, INSERT and DELETE are seen."""
    from backend.directory.models import Department

    log = WriteLog()
    with connection.execute_wrapper(log):
        made = Department.objects.create(code="matrix-probe", name="探针")
        Department.objects.filter(pk=made.pk).update(name="探针2")
        made.delete()
        Department.objects.filter(pk=-1).exists()
    # INSERT, UPDATE, DELETE of the department (the delete also cascades to its relations; the
    # audit trail records the create and the delete); the SELECT of exists() is not a write.
    assert log.tables.count("directory_department") == 3
    assert log.tables[0] == "directory_department" and "auditlog_logentry" in log.tables


def _login_path() -> str:
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)  # LOGIN_URL is the pattern's name


def _is_login_redirect(response, login: str) -> bool:
    return response.status_code in (301, 302) and response.get("Location", "").startswith(login)


def judged(expected: str, response, role: str, is_api: bool, entry: matrix.Row) -> bool:
    status = response.status_code
    if expected == matrix.OK:
        if (status == 503 and entry.unavailable_ok) or (entry.lands_on_login and status == 302):
            return True
        return (
            status not in (401, 403, 404)
            and status < 500
            and not _is_login_redirect(response, _login_path())
            and not _is_login_redirect(response, "/admin/login/")
        )
    if expected == matrix.HIDDEN:
        return status == 404
    if expected == matrix.REFUSED:
        return status == 403
    if expected == matrix.STAFF_LOGIN:
        return _is_login_redirect(response, "/admin/login/")
    if role == "anonymous":
        return status == 401 if is_api else _is_login_redirect(response, _login_path())
    return status == 403


def _answer(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def test_every_role_gets_the_expected_answer(world, settings):
    # /healthz waits this long for a Celery worker that this test does not run (8 roles x 2 rows)
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.2
    clients, objects, bodies = world["clients"], world["objects"], world["bodies"]
    # The capture sees a real request's writes, and the rollback undoes them (the next row meets
    # the same data): one allowed write, first.
    from backend.directory.models import Contact

    response, tables = _send(clients["admin"], "POST", "/api/contacts/", bodies["police_contact"], True)
    assert response.status_code == 201 and "directory_contact" in tables, (response.status_code, tables)
    assert not Contact.objects.filter(pk=response.json()["id"]).exists()
    failures, writes, sent, slowest = [], [], 0, []
    started = time.monotonic()
    for entry in matrix.ROWS:
        row_started = time.monotonic()
        body = bodies[entry.body] if isinstance(entry.body, str) else entry.body
        is_api = entry.key.startswith("/api/")
        for path in _paths(entry, objects):
            for role in matrix.ROLES:
                expected = entry.expect[role]
                response, tables = _send(clients[role], entry.method, path, body, is_api)
                sent += 1
                if not judged(expected, response, role, is_api, entry):
                    failures.append(f"{entry.method} {path} as {role}: expected {expected}, got {_answer(response)}")
                refused = response.status_code in (401, 403, 404)
                changed = sorted(set(tables) - matrix.ATTEMPT_TABLES)
                if changed and entry.method in WRITE_METHODS and refused:
                    writes.append(f"{entry.method} {path} as {role} refused but wrote to {changed}")
                elif changed and entry.method == "GET":  # a link scanner's GET must change nothing
                    writes.append(f"GET {path} as {role} wrote to {changed}")
        slowest.append((time.monotonic() - row_started, f"{entry.method} {entry.key}"))
    print("slowest rows:", ", ".join(f"{name} {seconds:.1f}s" for seconds, name in sorted(slowest)[-8:]))
    elapsed = time.monotonic() - started
    assert not failures + writes, f"{len(failures + writes)} of {sent} requests:\n" + "\n".join(failures + writes)
    assert sent > 1000, f"only {sent} requests sent in {elapsed:.0f}s"
