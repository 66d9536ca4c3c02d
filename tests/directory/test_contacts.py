"""Contacts: numbers normalised to E.164, bad numbers refused with a clear message, and
who may edit which department's contacts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from backend.directory.models import Contact
from backend.directory.phones import normalise_mobile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("+86 138-1234-5678", "+8613812345678"),
        ("008613812345678", "+8613812345678"),
        ("+1 201 555 0123", "+12015550123"),
    ],
)
def test_it_normalises_mobile_numbers_to_e164(raw, e164):
    assert normalise_mobile(raw) == e164


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "required"),
        ("not a number", "is not a phone number"),
        ("1381234567", "not a valid mobile number"),
        ("010 6552 9988", "landline"),
    ],
)
def test_it_rejects_bad_numbers_with_a_clear_message(raw, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        normalise_mobile(raw)
    assert fragment in " ".join(caught.value.messages)


def test_the_message_is_in_chinese_by_default():
    with pytest.raises(ValidationError) as caught:
        normalise_mobile("010 6552 9988")
    assert caught.value.messages == ["“010 6552 9988”是座机或服务号码；短信告警需要手机号码。"]


def test_the_api_stores_e164_and_names_the_bad_field(api_for, duty_officer):
    client = api_for(duty_officer)
    ok = client.post("/api/contacts/", {"department": "fire", "name": "陈磊", "mobile": "13812345678"}, format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["mobile"] == "+8613812345678"
    assert ok.json()["department"] == "fire"

    bad = client.post("/api/contacts/", {"department": "fire", "name": "杨帆", "mobile": "12345"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["mobile"]
    assert "12345" in bad.json()["mobile"][0]
    assert Contact.objects.count() == 1


def test_an_unknown_department_code_is_a_400(api_for, duty_officer):
    response = api_for(duty_officer).post(
        "/api/contacts/", {"department": "nosuch", "name": "x", "mobile": "13812345678"}, format="json"
    )
    assert response.status_code == 400
    assert "department" in response.json()


def test_the_same_number_twice_in_a_department_is_refused(api_for, duty_officer):
    client = api_for(duty_officer)
    body = {"department": "police", "name": "张伟", "mobile": "13900001111"}
    assert client.post("/api/contacts/", body, format="json").status_code == 201
    again = client.post("/api/contacts/", {**body, "mobile": "+86 139 0000 1111"}, format="json")
    assert again.status_code == 400
    assert "mobile" in again.json()


@pytest.fixture
def contacts(departments):
    from backend.directory import services

    return {
        code: services.save_contact(department=departments[code], name=f"{code}-1", mobile=mobile)
        for code, mobile in [("fire", "13800000001"), ("police", "13800000002")]
    }


def test_a_viewer_can_read_but_not_edit(api_for, viewer, contacts):
    client = api_for(viewer)
    assert client.get("/api/contacts/").status_code == 200
    response = client.post(
        "/api/contacts/", {"department": "fire", "name": "x", "mobile": "13800000009"}, format="json"
    )
    assert response.status_code == 403
    patch = client.patch(f"/api/contacts/{contacts['fire'].pk}/", {"name": "changed"}, format="json")
    assert patch.status_code == 403
    contacts["fire"].refresh_from_db()
    assert contacts["fire"].name == "fire-1"


def test_a_liaison_edits_only_their_own_department(api_for, fire_liaison, contacts):
    client = api_for(fire_liaison)
    own = client.patch(f"/api/contacts/{contacts['fire'].pk}/", {"duty_role": "联络员"}, format="json")
    assert own.status_code == 200
    other = client.patch(f"/api/contacts/{contacts['police'].pk}/", {"duty_role": "联络员"}, format="json")
    assert other.status_code == 403
    moved = client.patch(f"/api/contacts/{contacts['fire'].pk}/", {"department": "police"}, format="json")
    assert moved.status_code == 403
    created = client.post(
        "/api/contacts/", {"department": "police", "name": "x", "mobile": "13800000019"}, format="json"
    )
    assert created.status_code == 403
    contacts["police"].refresh_from_db()
    assert contacts["police"].duty_role == ""


def test_a_duty_officer_edits_any_department(api_for, duty_officer, contacts):
    response = api_for(duty_officer).patch(
        f"/api/contacts/{contacts['police'].pk}/", {"mobile": "139 0000 2222"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["mobile"] == "+8613900002222"


def test_deleting_a_contact_deactivates_it(api_for, duty_officer, contacts):
    response = api_for(duty_officer).delete(f"/api/contacts/{contacts['fire'].pk}/")
    assert response.status_code == 204
    contacts["fire"].refresh_from_db()
    assert contacts["fire"].active is False
