"""The permission matrix test (issue #12): tests/permissions/matrix.py is the table; this module

1. walks the URL conf (get_resolver()) and the OpenAPI schema, and fails listing every pattern
   (every API method) that has no row, and every row whose pattern or method no longer exists;
2. loads the demo data once, signs in one user per role, and sends every row's request as every
   role in process (Django's test client), each request in a transaction rolled back afterwards
   so every row meets the same demo data whatever the previous one did;
3. compares each answer with the row's expectation, and for every refused write (POST, PUT,
   PATCH, DELETE answered 401/403/404) checks from the SQL the request ran (captured with
   connection.execute_wrapper) that it wrote nothing, except to the tables that record the
   attempt itself (ATTEMPT_TABLES).
"""

from __future__ import annotations

import copy
import re
import shutil
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from . import matrix

pytestmark = pytest.mark.timeout(900)

# Tables a refused request may still write to, because they record the attempt or the visit
# itself (not the object refused). Add the audit/lockout tables here when they arrive.
ATTEMPT_TABLES = {"django_session"}

# Router patterns with a format suffix (/api/incidents.json) reach the same views as the plain
# ones (same permissions); they are not rows of their own.
FORMAT_SUFFIX = "{format}"

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


# --- 1. the URL conf and the schema ----------------------------------------------------------------
def _template(pattern: str) -> str:
    """A URL conf pattern (route or regex) as a key: every parameter as {name}."""
    text, out, i = pattern, [], 0
    while i < len(text):  # regex named groups first, whatever their inner pattern
        if text.startswith("(?P<", i):
            name_end = text.index(">", i)
            name, depth, j = text[i + 4 : name_end], 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0) if text[j - 1] != "\\" else 0
                j += 1
            out.append("{" + name + "}")
            i = j
        else:
            out.append(text[i])
            i += 1
    text = "".join(out).replace("^", "").replace("$", "")
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)  # route converters
    text = text.replace("\\.", ".").replace("/?", "")
    return "/" + text


def url_keys() -> set[str]:
    found = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.add(_template(prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "")
    return {key for key in found if FORMAT_SUFFIX not in key}


def _canonical(key: str) -> str:
    return re.sub(r"\{\w+\}", "{}", key)


def schema_methods() -> dict[str, set[str]]:
    """canonical path -> the HTTP methods the OpenAPI schema publishes for it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    verbs = {"get", "post", "put", "patch", "delete"}
    return {_canonical(path): {m.upper() for m in ops if m in verbs} for path, ops in schema["paths"].items()}


def _covered_by_admin_wildcard(key: str) -> bool:
    return key.startswith("/admin/") and key not in {"/admin/", "/admin/login/"}


def coverage_problems() -> list[str]:
    keys = url_keys()
    api = schema_methods()
    rows: dict[str, set[str]] = {}
    for entry in matrix.ROWS:
        rows.setdefault(entry.key, set()).add(entry.method)
    problems = []
    for key in sorted(keys):
        if _covered_by_admin_wildcard(key):
            continue
        wanted = api.get(_canonical(key))
        if wanted is None:
            if key not in rows:
                problems.append(f"missing from the matrix: {key} (a page: GET, and POST if it has a form)")
            continue
        for method in sorted(wanted - rows.get(key, set())):
            problems.append(f"missing from the matrix: {key} {method}")
    canonical_keys = {_canonical(k) for k in keys}
    for key, methods in sorted(rows.items()):
        if key == "/admin/*":
            continue
        if key not in keys:
            problems.append(f"row for a pattern that no longer exists: {key}")
            continue
        stale = methods - api[_canonical(key)] if _canonical(key) in api else set()
        problems += [f"row for a method the API does not publish: {key} {m}" for m in sorted(stale)]
    assert canonical_keys  # the walk found the URL conf
    return problems


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


def test_template_of_regex_and_route_patterns():
    assert _template("^a/(?P<key>[^/]{1,64})/?$") == "/a/{key}"
    assert _template("api/^incidents/(?P<pk>[0-9]{1,18})/activate/$") == "/api/incidents/{pk}/activate/"
    assert _template(r"inventory/^export/(?P<what>catalogue|stock)\.(?P<fmt>csv|xlsx)$") == (
        "/inventory/export/{what}.{fmt}"
    )
    assert _template("drills/<int:pk>/console/") == "/drills/{pk}/console/"


# --- 2. the world: demo data, one user and client per role -----------------------------------------
USERNAMES = {
    "viewer": "viewer",
    "liaison": "liaison-fire",
    "duty": "duty",
    "depot": "depot",
    "trainer": "trainer",
    "evaluator": "evaluator",
    "admin": "admin",
}


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _build_world() -> dict:
    from backend.alerts.models import Notification
    from backend.directory import roles
    from backend.directory import services as directory_services
    from backend.directory.models import AdminArea, Contact, Department, Shift
    from backend.incidents.models import Incident, Task
    from drills.models import Drill, ImprovementItem
    from inventory.models import Depot, Item, Lot, Movement
    from plans.models import EnterprisePlanFiling, Measure, Pollutant, ResponsePlan, River, RiverFeature, TaskTemplate

    call_command("load_demo", verbosity=0)
    User = get_user_model()
    users = {role: User.objects.get(username=name) for role, name in USERNAMES.items()}
    clients = {"anonymous": _client(), **{role: _client(user) for role, user in users.items()}}
    other_trainer = directory_services.ensure_user(username="trainer-other", password="pw-123456!", role=roles.TRAINER)

    police = Department.objects.get(code="police")
    objects = {"police": police.pk, "police_code": police.code, "area": AdminArea.objects.order_by("pk").first().pk}
    objects["contact_police"] = Contact.objects.filter(department=police, active=True).order_by("pk").first().pk
    objects["contact_fire"] = Contact.objects.filter(department__code="fire", active=True).order_by("pk").first().pk
    shift = Shift.objects.filter(department=police).order_by("pk").first()
    if shift is None:
        from django.utils import timezone

        start = timezone.now()
        shift = directory_services.save_shift(
            department=police,
            contact=Contact.objects.get(pk=objects["contact_police"]),
            start=start,
            end=start + timezone.timedelta(hours=8),
        )
    objects["shift_police"] = shift.pk

    # a real incident opened by the duty officer through the API, with a task for the police
    duty = clients["duty"]
    opened = duty.post("/api/incidents/", BODY_INCIDENT, content_type="application/json")
    assert opened.status_code == 201, opened.content
    real = Incident.objects.get(pk=opened.json()["id"])
    tasked = duty.post(
        f"/api/incidents/{real.pk}/tasks/",
        {"department": "police", "text": "封控现场"},
        content_type="application/json",
    )
    assert tasked.status_code == 201, tasked.content
    objects["incident_real"] = real.pk
    objects["task_police"] = tasked.json()["id"]
    # the fire brigade must have no task on it (samples: only departments with a task)
    assert not Task.objects.filter(incident=real, department__code="fire").exists()
    # ... and a second one where the fire brigade has a task
    opened = duty.post("/api/incidents/", {**BODY_INCIDENT, "title": "矩阵测试 二"}, content_type="application/json")
    tasked = duty.post(
        f"/api/incidents/{opened.json()['id']}/tasks/",
        {"department": "fire", "text": "筑坝拦截"},
        content_type="application/json",
    )
    assert tasked.status_code == 201, tasked.content
    objects.update(incident_fire=opened.json()["id"], task_fire=tasked.json()["id"])

    ended = Drill.objects.filter(status=Drill.Status.ENDED).order_by("pk").first()
    scheduled = Drill.objects.filter(status=Drill.Status.SCHEDULED).order_by("pk").first()
    assert ended.incident_id and scheduled.trainer_id == users["trainer"].pk
    Drill.objects.filter(pk=ended.pk).update(trainer=other_trainer)  # another trainer controls it
    objects.update(
        incident_exercise=ended.incident_id,
        drill_other=ended.pk,
        drill_scheduled=scheduled.pk,
        inject_other=ended.injects.order_by("pk").first().pk,
        improvement_other=ImprovementItem.objects.filter(drill=ended).order_by("pk").first().pk,
    )
    objects["task_exercise"] = Task.objects.filter(incident_id=ended.incident_id).order_by("pk").first().pk
    notification = Notification.objects.filter(incident_id=ended.incident_id).order_by("pk").first()
    assert notification is not None, "the demo's exercise sent no notification"
    objects["notification_exercise"] = notification.pk

    for name, model in (
        ("river", River),
        ("feature", RiverFeature),
        ("pollutant", Pollutant),
        ("plan", ResponsePlan),
        ("template", TaskTemplate),
        ("measure", Measure),
        ("filing", EnterprisePlanFiling),
        ("movement", Movement),
    ):
        objects[name] = model.objects.order_by("pk").values_list("pk", flat=True).first()
    objects["river_code"] = River.objects.get(pk=objects["river"]).code
    if objects["filing"] is None:  # the demo files no enterprise plan: the duty officer files one
        risk_source = RiverFeature.objects.filter(kind=RiverFeature.Kind.RISK_SOURCE).order_by("pk").first()
        filed = duty.post(
            "/api/enterprise-filings/",
            {
                "risk_source": risk_source.pk,
                "filing_number": "MATRIX-1",
                "filed_on": "2026-01-01",
                "expires_on": "2029-01-01",
            },
            content_type="application/json",
        )
        assert filed.status_code == 201, filed.content
        objects["filing"] = filed.json()["id"]

    depot_other = Depot.objects.exclude(managers=users["depot"]).filter(lots__quantity__gt=0).order_by("pk").first()
    assert Depot.objects.filter(managers=users["depot"]).exists(), "the demo binds the depot manager"
    lot = Lot.objects.filter(depot=depot_other, quantity__gt=0).order_by("pk").first()
    objects.update(
        depot_other=depot_other.pk,
        depot_other_code=depot_other.code,
        lot_other=lot.pk,
        item=lot.item_id,
        item_code=lot.item.code,
    )
    requested = duty.post(
        "/api/dispatches/",
        {"depot": depot_other.code, "item": lot.item.code, "quantity": 1},
        content_type="application/json",
    )
    assert requested.status_code == 201, requested.content
    objects["dispatch_other"] = requested.json()["id"]
    depot_own = Depot.objects.filter(managers=users["depot"]).order_by("pk").first()
    lot_own = Lot.objects.filter(depot=depot_own, quantity__gt=0).order_by("pk").first()
    requested = duty.post(
        "/api/dispatches/",
        {"depot": depot_own.code, "item": lot_own.item.code, "quantity": 1},
        content_type="application/json",
    )
    assert requested.status_code == 201, requested.content
    objects.update(depot_own=depot_own.pk, lot_own=lot_own.pk, dispatch_own=requested.json()["id"])
    assert Item.objects.filter(pk=objects["item"]).exists()

    media = Path(settings.MEDIA_ROOT) / "matrix-probe"
    media.mkdir(parents=True, exist_ok=True)
    (media / "probe.txt").write_text("probe")
    objects["media_file"] = "matrix-probe/probe.txt"

    admin = clients["admin"]
    depot_put = admin.get(f"/api/depots/{depot_other.pk}/").json()
    bodies = {
        "police_contact": {"department": "police", "name": "矩阵 测试", "mobile": "+8619900000999"},
        "police_shift": {
            "department": "police",
            "contact": objects["contact_police"],
            "start": "2030-01-01T08:00:00+08:00",
            "end": "2030-01-01T16:00:00+08:00",
        },
        "incident": BODY_INCIDENT,
        "receipt_other": {"depot": depot_other.code, "item": lot.item.code, "quantity": 1},
        "dispatch_other": {"depot": depot_other.code, "item": lot.item.code, "quantity": 1},
        "depot_put": depot_put,
        "setlang": {"language": "en", "next": "/"},
    }
    return {"clients": clients, "objects": objects, "bodies": bodies, "media": media}


BODY_INCIDENT = {
    "title": "矩阵测试 苯酚泄漏",
    "kind": "water",
    # far from every demo river: no plan is activated, so no department but the police has a task
    "location": {"type": "Point", "coordinates": [111.2, 39.75]},
}


@pytest.fixture
def world(db):
    built = _build_world()
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
    # INSERT, UPDATE, DELETE of the department (the delete also cascades to its relations);
    # the SELECT of exists() is not a write.
    assert log.tables.count("directory_department") == 3
    assert log.tables[:2] == ["directory_department", "directory_department"]


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
                if entry.method in WRITE_METHODS and refused:
                    changed = sorted(set(tables) - ATTEMPT_TABLES)
                    if changed:
                        writes.append(f"{entry.method} {path} as {role} refused but wrote to {changed}")
        slowest.append((time.monotonic() - row_started, f"{entry.method} {entry.key}"))
    print("slowest rows:", ", ".join(f"{name} {seconds:.1f}s" for seconds, name in sorted(slowest)[-8:]))
    elapsed = time.monotonic() - started
    assert not failures + writes, f"{len(failures + writes)} of {sent} requests:\n" + "\n".join(failures + writes)
    assert sent > 1000, f"only {sent} requests sent in {elapsed:.0f}s"
