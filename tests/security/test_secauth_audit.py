"""The audit trail (issue #12, item 6): who created, changed or deleted contacts, shifts, users
and roles, policies, supplies, plans and drills, with old and new values; the /audit/ page for
administrators and each object's history in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from backend.audit.registry import AUDITED
from backend.directory import roles, services
from backend.directory.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(departments):
    return services.save_contact(department=departments["fire"], name="王强", mobile="13800001111", priority=1)


@pytest.fixture
def administrator(make_user):
    return make_user(roles.ADMINISTRATOR, username="auditor", password="Audit-pass-1!")


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def test_a_liaison_changing_a_colleagues_mobile_leaves_a_trace(api_for, fire_liaison, colleague):
    response = api_for(fire_liaison).patch(f"/api/contacts/{colleague.pk}/", {"mobile": "13900002222"}, format="json")
    assert response.status_code == 200, response.content
    change = entries_for(colleague).filter(action=LogEntry.Action.UPDATE).last()
    assert change is not None
    assert change.actor == fire_liaison  # authenticated by token, inside DRF
    assert change.changes_dict["mobile"] == ["+8613800001111", "+8613900002222"]
    assert change.remote_addr == "127.0.0.1"


def test_creation_and_deletion_of_a_shift_are_kept(api_for, duty_officer, colleague):
    client = api_for(duty_officer)
    start = timezone.now().replace(microsecond=0)
    body = {
        "department": "fire",
        "contact": colleague.pk,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=8)).isoformat(),
    }
    created = client.post("/api/shifts/", body, format="json")
    assert created.status_code == 201, created.content
    shift_id = created.json()["id"]
    assert client.delete(f"/api/shifts/{shift_id}/").status_code == 204
    trail = LogEntry.objects.filter(content_type__model="shift", object_pk=str(shift_id)).order_by("pk")
    assert [e.action for e in trail] == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]
    assert {e.actor for e in trail} == {duty_officer}
    assert trail[0].changes_dict["contact"][1] == str(colleague.pk)


def test_a_change_of_roles_is_kept_and_passwords_are_masked(client, administrator, make_user):
    target = make_user(roles.VIEWER, username="promoted")
    client.force_login(administrator)
    duty_group = Group.objects.get(name=roles.DUTY_OFFICER)
    page = client.post(
        f"/admin/auth/user/{target.pk}/change/",
        {
            "username": "promoted",
            "is_active": "on",
            "groups": [duty_group.pk],
            "date_joined_0": "2026-12-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert page.status_code == 302, page.content.decode()[:3000]
    m2m = entries_for(target).filter(changes__has_key="groups").last()
    assert m2m is not None and m2m.actor == administrator
    assert m2m.changes["groups"]["objects"] == [str(duty_group)]

    target.set_password("New-secret-42!")
    target.save()
    masked = entries_for(target).filter(changes__has_key="password").last()
    assert "New-secret" not in str(masked.changes) and "pbkdf2" not in str(masked.changes)
    assert masked.actor is None  # outside a request: no actor (fine for tasks and commands)


def test_every_model_the_issue_names_is_audited():
    wanted = [
        "directory.Contact", "directory.Shift", "auth.User", "auth.Group", "alerts.EscalationPolicy",
        "inventory.Depot", "inventory.Lot", "inventory.Item", "plans.River", "plans.RiverFeature",
        "plans.ResponsePlan", "plans.Measure", "plans.TaskTemplate", "plans.Pollutant", "drills.Drill",
    ]  # fmt: skip
    for label in wanted:
        assert label in AUDITED and auditlog.contains(apps.get_model(label)), label


def test_administrators_browse_and_filter_the_trail(client, administrator, api_for, fire_liaison, colleague):
    api_for(fire_liaison).patch(f"/api/contacts/{colleague.pk}/", {"mobile": "13900003333"}, format="json")
    client.force_login(administrator)
    page = client.get("/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "审计日志" in text and "liaison-fire" in text and "+8613900003333" in text
    assert "修改" in text  # the action, in Chinese (auditlog itself ships no Chinese)

    by_actor = client.get("/audit/", {"actor": "liaison-fire", "model": "directory.contact", "object": colleague.pk})
    assert "+8613900003333" in by_actor.content.decode()
    nobody = client.get("/audit/", {"actor": "someone-else"}).content.decode()
    assert "+8613900003333" not in nobody and "没有记录" in nobody
    later = client.get("/audit/", {"from": (timezone.localdate() + timedelta(days=1)).isoformat()}).content.decode()
    assert "+8613900003333" not in later
    assert client.get("/audit/", {"from": "not-a-date", "page": "x"}).status_code == 200


def test_only_administrators_see_the_trail(client, duty_officer, fire_liaison):
    assert Client().get("/audit/").status_code == 302  # to the login page
    for user in (duty_officer, fire_liaison):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403


def test_the_admin_shows_each_objects_history(client, administrator, api_for, fire_liaison, colleague):
    api_for(fire_liaison).patch(f"/api/contacts/{colleague.pk}/", {"mobile": "13900004444"}, format="json")
    client.force_login(administrator)
    page = client.get(f"/admin/directory/contact/{colleague.pk}/history/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "+8613900004444" in text and "liaison-fire" in text and "审计日志" in text
    assert Contact.objects.get(pk=colleague.pk).mobile == "+8613900004444"
