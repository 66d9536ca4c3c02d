"""The drills admin writes through the services (docs/architecture.md, "The admin"): a start
time edited there re-times the injects and tells the participants, like the API; injects added
or edited inline get their due time from the service; an added drill keeps its id."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry

from drills import services
from drills.models import Drill, DrillNotice, Inject
from tests.support.admin_forms import form_data, submit

from .conftest import T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root-drills", password="x-drills-1"))
    return client


def errors(response) -> str:
    import re

    html = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    rows = re.findall(r'<div class="form-row[^"]*errors[^"]*field-([a-z_]+)', html)
    return " | ".join(found + rows) or html[:2000]


def local(moment):
    from django.utils import timezone

    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


def test_adding_a_drill_in_the_admin_goes_through_the_service_and_keeps_its_id(
    admin_client, plan, trainer, departments
):
    day, time = local(T0)
    changes = {
        "title": "后台新建演练", "form": "tabletop", "scope": "single", "plan": plan.pk,
        "location": json.dumps({"type": "Point", "coordinates": [112.1, 38.5005]}),
        "scheduled_start_0": day, "scheduled_start_1": time, "duration_minutes": 90, "trainer": trainer.pk,
        "departments": [str(departments["fire"].pk)], "objectives": '["30分钟内完成拦截"]',
    }  # fmt: skip
    response = submit(admin_client, "/admin/drills/drill/add/", changes)
    assert response.status_code == 302, errors(response)
    drill = Drill.objects.get(title="后台新建演练")
    assert list(drill.departments.values_list("code", flat=True)) == ["fire"]
    entry = LogEntry.objects.latest("pk")
    assert (entry.object_id, entry.action_flag) == (str(drill.pk), ADDITION)


def test_a_start_time_edited_in_the_admin_retimes_the_injects_and_tells_the_participants(admin_client, make_drill):
    drill = make_drill(injects=[(10, "fire", "筑坝拦截"), (30, "police", "现场警戒")])
    later = T0 + timedelta(hours=2)
    day, time = local(later)
    url = f"/admin/drills/drill/{drill.pk}/change/"
    response = submit(admin_client, url, {"scheduled_start_0": day, "scheduled_start_1": time})
    assert response.status_code == 302, errors(response)
    drill.refresh_from_db()
    assert drill.scheduled_start == later
    due = sorted(Inject.objects.filter(drill=drill).values_list("due_at", flat=True))
    assert due == [later + timedelta(minutes=10), later + timedelta(minutes=30)]
    notice = DrillNotice.objects.get(drill=drill, kind="rescheduled")
    assert set(notice.departments) == {"environment", "fire", "police"}


def test_injects_added_and_edited_inline_get_their_due_time_from_the_service(admin_client, make_drill, departments):
    drill = make_drill(injects=[(10, "fire", "筑坝拦截")])
    first = Inject.objects.get(drill=drill)
    url = f"/admin/drills/drill/{drill.pk}/change/"
    data = form_data(admin_client, url)
    total = int(data["injects-TOTAL_FORMS"][0])
    row = f"injects-{total}-"
    changes = {
        "injects-TOTAL_FORMS": total + 1,
        f"{row}id": "", f"{row}drill": drill.pk, f"{row}number": 2, f"{row}offset_minutes": 45,
        f"{row}from_sender": "市应急局", f"{row}to_department": departments["police"].pk,
        f"{row}message": "下游发现死鱼", f"{row}expected_action": "核实并报告",
        "injects-0-offset_minutes": 20,  # and the existing one moves later
    }  # fmt: skip
    response = submit(admin_client, url, changes)
    assert response.status_code == 302, errors(response)
    added = Inject.objects.get(drill=drill, number=2)
    assert added.due_at == drill.scheduled_start + timedelta(minutes=45)
    first.refresh_from_db()
    assert first.offset_minutes == 20 and first.due_at == drill.scheduled_start + timedelta(minutes=20)


def test_a_drill_that_ended_is_read_only_in_the_admin(admin_client, make_drill, trainer):
    drill = make_drill()
    services.start_drill(drill, actor=trainer, now=T0)
    services.end_drill(drill, actor=trainer, now=T0 + timedelta(hours=1))
    day, time = local(T0 + timedelta(days=1))
    url = f"/admin/drills/drill/{drill.pk}/change/"
    response = submit(admin_client, url, {"scheduled_start_0": day, "scheduled_start_1": time, "title": "改写"})
    assert response.status_code == 403
    assert admin_client.get(f"/admin/drills/drill/{drill.pk}/delete/").status_code == 403
    drill.refresh_from_db()
    assert drill.title != "改写"
