"""The directory's admin writes through the services (docs/architecture.md, "The admin");
a user who acted is deactivated, never deleted."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import ProtectedError

from backend.directory import services, users
from backend.directory.models import Contact
from backend.domain import DomainRefusal
from tests.support.admin_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, departments):
    client.force_login(django_user_model.objects.create_superuser("root-admin", password="x-admin-1"))
    return client


def test_adding_a_contact_in_the_admin_goes_through_the_service_and_keeps_its_id(admin_client, departments):
    response = submit(
        admin_client,
        "/admin/directory/contact/add/",
        {"department": departments["fire"].pk, "name": "王强", "mobile": "139 0000 0001", "priority": 1},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(name="王强")
    assert contact.mobile == "+8613900000001"  # normalised by the service
    entry = LogEntry.objects.latest("pk")
    assert entry.object_id == str(contact.pk) and entry.action_flag == 1


def test_changing_a_refused_number_in_the_admin_clears_its_status(admin_client, departments):
    contact = services.save_contact(department=departments["fire"], name="李明", mobile="13900000002")
    services.mark_number_bad(contact, "21211 invalid number")
    contact.refresh_from_db()
    assert contact.number_status != Contact.NumberStatus.OK
    response = submit(admin_client, f"/admin/directory/contact/{contact.pk}/change/", {"mobile": "13900000003"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.mobile == "+8613900000003"
    assert contact.number_status == Contact.NumberStatus.OK  # the service saw the number change


def test_a_duplicate_number_added_in_the_admin_is_refused_with_a_message(admin_client, departments):
    services.save_contact(department=departments["fire"], name="李明", mobile="13900000002")
    response = submit(
        admin_client,
        "/admin/directory/contact/add/",
        {"department": departments["fire"].pk, "name": "李明二", "mobile": "13900000002", "priority": 1},
    )
    assert response.status_code == 302  # back to the form, with the refusal as a message
    assert not Contact.objects.filter(name="李明二").exists()
    assert "该部门已有使用此号码的联系人" in " ".join(m.message for m in response.wsgi_request._messages)


@pytest.fixture
def acted(duty_officer):
    """A user named as the actor of an incident event."""
    from django.contrib.gis.geos import Point

    from backend.incidents import services as incidents

    incidents.open_incident(title="测试", kind="air", location=Point(112.7, 38.4, srid=4326), actor=duty_officer)
    return duty_officer


def test_a_user_who_acted_is_deactivated_never_deleted(acted, make_user, admin_client):
    assert users.has_acted(acted)
    with pytest.raises(DomainRefusal) as refused:
        users.delete_user(acted)
    assert "请停用该账户" in refused.value.error
    with pytest.raises(ProtectedError):  # the database's own guard, under the service
        acted.delete()
    assert admin_client.get(f"/admin/auth/user/{acted.pk}/delete/").status_code == 403
    users.deactivate_user(acted)
    acted.refresh_from_db()
    assert acted.is_active is False

    newcomer = make_user("viewer", username="never-acted")
    assert admin_client.get(f"/admin/auth/user/{newcomer.pk}/delete/").status_code == 200
    users.delete_user(newcomer)
    assert not type(newcomer).objects.filter(pk=newcomer.pk).exists()
