"""The world the permission matrix runs in: the demo data, a few objects added through the API so
every object-level rule has an object that shows it, and one signed-in client per role."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

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


def build_world() -> dict:
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

    # an information report issued on the exercise incident, and a river reach (legal, trace)
    issued = duty.post(
        f"/api/incidents/{objects['incident_exercise']}/reports/",
        {"kind": "initial", "signatory": "矩阵", "contact": {"name": "值班员", "phone": "0350-3030000"}},
        content_type="application/json",
    )
    assert issued.status_code == 201, issued.content
    objects["report_exercise"] = issued.json()["id"]
    reach = duty.post(
        "/api/river-reaches/",
        {"river": objects["river_code"], "from_chainage_m": 0, "to_chainage_m": 1000, "flow_m3s": 20,
         "velocity_ms": 0.5, "dispersion_m2s": 30},
        content_type="application/json",
    )  # fmt: skip
    assert reach.status_code == 201, reach.content
    objects["reach"] = reach.json()["id"]

    media = Path(settings.MEDIA_ROOT) / "matrix-probe"
    media.mkdir(parents=True, exist_ok=True)
    (media / "probe.txt").write_text("probe")
    objects["media_file"] = "matrix-probe/probe.txt"

    admin = clients["admin"]
    depot_put = admin.get(f"/api/depots/{depot_other.pk}/").json()
    # the scheduled drill as read, rescheduled for another trainer (read-only fields are ignored)
    drill_for_other = {**admin.get(f"/api/drills/{scheduled.pk}/").json(), "trainer": other_trainer.username}
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
        "drill_for_other_trainer": drill_for_other,
        "setlang": {"language": "en", "next": "/"},
    }
    return {"clients": clients, "objects": objects, "bodies": bodies, "media": media}


BODY_INCIDENT = {
    "title": "矩阵测试 苯酚泄漏",
    "kind": "water",
    # far from every demo river: no plan is activated, so no department but the police has a task
    "location": {"type": "Point", "coordinates": [111.2, 39.75]},
}
