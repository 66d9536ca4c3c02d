"""Escalation policies edited outside the admin: the service (rules, atomic replacement), the
API (GET/PUT, 400 naming the field, 403, 404), the duty office's pages, and the escalation
logic following an edited policy (frozen time: the services take `now`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from backend.alerts.models import Escalation, EscalationPolicy, EscalationStep
from backend.alerts.services import escalation, policies
from backend.directory import roles
from backend.directory import services as directory
from backend.incidents.models import IncidentEvent

from .conftest import T0

pytestmark = pytest.mark.django_db

T = EscalationStep.Target
DEFAULT_SUMMARY_ZH = "10 分钟后 → 本单位下一批联系人; 20 分钟后 → 局带班领导"


@pytest.fixture
def contacts(departments):
    """Contacts to list in steps: two active in fire, one inactive in police."""
    made = {
        "chief": directory.save_contact(department=departments["fire"], name="王支队长", mobile="13900000001"),
        "deputy": directory.save_contact(department=departments["fire"], name="李副支队长", mobile="13900000002"),
        "retired": directory.save_contact(department=departments["police"], name="赵退休", mobile="13900000003"),
    }
    directory.deactivate_contact(made["retired"])
    return made


@pytest.fixture
def fire_policy(departments, contacts):
    """The fire department's policy as it stands before each edit: two steps."""
    return policies.save_policy(
        departments["fire"],
        active=True,
        repeat_last=False,
        steps=[
            {"wait_minutes": 5, "target": T.NEXT_CONTACTS, "contacts": []},
            {"wait_minutes": 15, "target": T.CONTACTS, "contacts": [contacts["chief"].pk]},
        ],
    )


def snapshot(department):
    """Everything a policy save could change, to compare before and after a refusal."""
    policy = EscalationPolicy.objects.filter(department=department).first()
    if policy is None:
        return None
    steps = [
        (s.pk, s.order, s.wait_minutes, s.target, sorted(s.contacts.values_list("pk", flat=True)))
        for s in policy.steps.order_by("order")
    ]
    return (policy.pk, policy.active, policy.repeat_last, steps)


def ladder(department):
    return [(s.order, s.wait_minutes, s.target, list(s.contacts.values_list("name", flat=True))) for s in
            EscalationStep.objects.filter(policy__department=department).order_by("order")]  # fmt: skip


# --- the service -------------------------------------------------------------------------


def test_it_replaces_every_step_in_the_order_given(departments, contacts, fire_policy):
    old_ids = set(fire_policy.steps.values_list("pk", flat=True))
    policies.save_policy(
        departments["fire"],
        active=True,
        repeat_last=True,
        steps=[
            {"wait_minutes": 3, "target": T.CONTACTS, "contacts": [contacts["deputy"].pk, contacts["chief"].pk]},
            {"wait_minutes": 7, "target": T.DUTY_LEADER},
            {"wait_minutes": 30, "target": T.NEXT_CONTACTS, "contacts": []},
        ],
    )
    assert ladder(departments["fire"]) == [
        (1, 3, "contacts", ["李副支队长", "王支队长"]),
        (2, 7, "leader", []),
        (3, 30, "next", []),
    ]
    assert not EscalationStep.objects.filter(pk__in=old_ids).exists()
    assert EscalationPolicy.objects.get(department=departments["fire"]).repeat_last is True
    assert EscalationPolicy.objects.count() == 1


NEXT = {"wait_minutes": 5, "target": "next"}
BAD_STEPS = [
    ("zero wait", [{"wait_minutes": 0, "target": "next"}], "steps[0].wait_minutes"),
    ("a day and a minute", [{"wait_minutes": 1441, "target": "next"}], "steps[0].wait_minutes"),
    ("unknown target", [{"wait_minutes": 5, "target": "mayor"}], "steps[0].target"),
    ("contacts step without contacts", [{"wait_minutes": 5, "target": "contacts"}], "steps[0].contacts"),
    ("unknown contact", [{"wait_minutes": 5, "target": "contacts", "contacts": [999999]}], "steps[0].contacts"),
    ("contacts on a leader step", [NEXT, {**NEXT, "target": "leader", "contacts": ["chief"]}], "steps[1].contacts"),
    ("only an inactive contact", [NEXT, {**NEXT, "target": "contacts", "contacts": ["retired"]}], "steps[1].contacts"),
    ("eleven steps", [{"wait_minutes": 1, "target": "next"}] * 11, "steps"),
    ("active without steps", [], "steps"),
]


@pytest.mark.parametrize("case, steps, field", BAD_STEPS, ids=[c[0] for c in BAD_STEPS])
def test_it_refuses_a_bad_ladder_naming_the_field_and_writes_nothing(
    departments, contacts, fire_policy, case, steps, field
):
    by_name = {name: c.pk for name, c in contacts.items()}
    steps = [{**s, "contacts": [by_name.get(c, c) for c in s.get("contacts", [])]} for s in steps]
    before = snapshot(departments["fire"])
    with pytest.raises(ValidationError) as refused:
        policies.save_policy(departments["fire"], active=True, repeat_last=True, steps=steps)
    assert field in refused.value.message_dict
    assert snapshot(departments["fire"]) == before


def test_a_refused_first_policy_leaves_no_policy_behind(departments):
    with pytest.raises(ValidationError):
        policies.save_policy(departments["police"], steps=[{"wait_minutes": 0, "target": "next"}])
    assert not EscalationPolicy.objects.filter(department=departments["police"]).exists()


def test_a_failure_while_writing_the_steps_rolls_back_the_whole_replacement(
    departments, contacts, fire_policy, monkeypatch
):
    before = snapshot(departments["fire"])
    real_create = EscalationStep.objects.create
    calls = []

    def create_then_fail(**fields):
        calls.append(fields)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_create(**fields)

    monkeypatch.setattr(EscalationStep.objects, "create", create_then_fail)
    with pytest.raises(RuntimeError):
        policies.save_policy(
            departments["fire"],
            active=False,
            steps=[{"wait_minutes": 2, "target": "leader"}, {"wait_minutes": 4, "target": "leader"}],
        )
    assert len(calls) == 2  # the old steps were already deleted and one new step written
    assert snapshot(departments["fire"]) == before


def test_an_inactive_policy_may_have_no_steps_and_then_nothing_escalates(departments):
    policies.save_policy(departments["water"], active=False, steps=[])
    assert escalation.steps_for(departments["water"]) == ([], False)


def test_the_summary_adds_up_the_minutes_in_chinese_and_english(departments, contacts, fire_policy):
    default = policies.effective_policy(departments["police"])
    fire = policies.effective_policy(departments["fire"])
    with translation.override("zh-hans"):
        assert policies.describe(default) == DEFAULT_SUMMARY_ZH
        assert policies.describe(fire) == "5 分钟后 → 本单位下一批联系人; 20 分钟后 → 王支队长"
    with translation.override("en"):
        assert policies.describe(fire) == "after 5 min → Next contacts of the department; after 20 min → 王支队长"


# --- the API -----------------------------------------------------------------------------

URL = "/api/escalation-policies/"


def test_every_role_reads_the_policies_by_department_code(api_for, viewer, departments, contacts, fire_policy):
    listing = api_for(viewer).get(URL)
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == len(departments) and body["next"] is None
    by_code = {row["department"]: row for row in body["results"]}
    assert by_code["police"]["configured"] is False and by_code["police"]["id"] is None
    assert [(s["wait_minutes"], s["target"]) for s in by_code["police"]["steps"]] == [(10, "next"), (10, "leader")]
    fire = by_code["fire"]
    assert fire["id"] == fire_policy.pk and fire["configured"] is True
    assert [(s["order"], s["wait_minutes"], s["target"], s["contacts"]) for s in fire["steps"]] == [
        (1, 5, "next", []),
        (2, 15, "contacts", [contacts["chief"].pk]),
    ]

    detail = api_for(viewer).get(f"{URL}fire/")
    assert detail.status_code == 200 and detail.json() == fire


def test_a_duty_officer_replaces_a_policy_with_put(api_for, duty_officer, departments, contacts, fire_policy):
    body = {
        "active": True,
        "repeat_last": True,
        "steps": [
            {"wait_minutes": 8, "target": "contacts", "contacts": [contacts["deputy"].pk]},
            {"wait_minutes": 12, "target": "leader", "contacts": []},
        ],
    }
    response = api_for(duty_officer).put(f"{URL}fire/", body, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["repeat_last"] is True and answer["department"] == "fire"
    assert [(s["wait_minutes"], s["target"], s["contacts"]) for s in answer["steps"]] == [
        (8, "contacts", [contacts["deputy"].pk]),
        (12, "leader", []),
    ]
    assert ladder(departments["fire"]) == [(1, 8, "contacts", ["李副支队长"]), (2, 12, "leader", [])]


def test_put_creates_the_first_policy_of_a_department(api_for, duty_officer, departments):
    response = api_for(duty_officer).put(
        f"{URL}water/", {"steps": [{"wait_minutes": 4, "target": "leader"}]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["configured"] is True and response.json()["active"] is True
    assert ladder(departments["water"]) == [(1, 4, "leader", [])]


@pytest.mark.parametrize(
    "steps, field",
    [
        ([{"wait_minutes": 5, "target": "next"}, {"wait_minutes": 0, "target": "leader"}], "steps[1].wait_minutes"),
        ([{"wait_minutes": "soon", "target": "next"}], "steps[0].wait_minutes"),
        ([{"wait_minutes": 5, "target": "mayor"}], "steps[0].target"),
        ([{"wait_minutes": 5, "target": "contacts", "contacts": []}], "steps[0].contacts"),
        ([{"wait_minutes": 5, "target": "contacts", "contacts": ["x"]}], "steps[0].contacts[0]"),
        ("not a list", "steps"),
        (None, "steps"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(
    api_for, duty_officer, departments, fire_policy, steps, field
):
    before = snapshot(departments["fire"])
    body = {"active": True} if steps is None else {"active": True, "steps": steps}
    response = api_for(duty_officer).put(f"{URL}fire/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors and all(isinstance(m, str) for m in errors[field]), errors
    assert snapshot(departments["fire"]) == before


@pytest.mark.parametrize("persona", ["fire_liaison", "viewer"])
def test_liaisons_and_viewers_may_read_but_not_edit(request, api_for, departments, fire_policy, persona):
    client = api_for(request.getfixturevalue(persona))
    before = snapshot(departments["fire"])
    assert client.get(f"{URL}fire/").status_code == 200
    response = client.put(f"{URL}fire/", {"steps": [{"wait_minutes": 1, "target": "leader"}]}, format="json")
    assert response.status_code == 403 and "detail" in response.json()
    assert snapshot(departments["fire"]) == before


def test_an_unknown_department_is_404_and_anonymous_is_401(api_for, duty_officer, departments, client):
    put = api_for(duty_officer).put(
        f"{URL}atlantis/", {"steps": [{"wait_minutes": 1, "target": "leader"}]}, format="json"
    )
    assert put.status_code == 404
    assert api_for(duty_officer).get(f"{URL}atlantis/").status_code == 404
    assert not EscalationPolicy.objects.exists()
    assert client.get(URL).status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(api_for, viewer):
    schema = api_for(viewer).get("/api/schema/", {"format": "json"}).json()
    detail = schema["paths"]["/api/escalation-policies/{department_code}/"]
    assert {"get", "put"} <= set(detail) and "patch" not in detail
    assert "get" in schema["paths"]["/api/escalation-policies/"]


# --- the pages ---------------------------------------------------------------------------


def form_data(response, **changes) -> dict:
    """What a browser posts for the page's form as rendered, with `changes` applied
    ("steps-1-wait_minutes": "6", ...)."""
    data = {}
    policy_form, formset = response.context["policy_form"], response.context["formset"]
    for name in ("active", "repeat_last"):
        if policy_form[name].value():
            data[name] = "on"
    management = formset.management_form
    for name in management.fields:
        data[management[name].html_name] = management[name].value()
    for form in formset:
        for name in form.fields:
            value = form[name].value()
            if name == "DELETE":
                continue
            if value not in (None, "", []):
                data[form[name].html_name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_list_page_shows_each_ladder_in_chinese_with_edit_links(
    client, duty_officer, departments, contacts, fire_policy
):
    client.force_login(duty_officer)
    response = client.get(reverse("alerts:escalation-policies"))
    assert response.status_code == 200
    page = response.content.decode()
    assert DEFAULT_SUMMARY_ZH in page  # departments without a policy of their own
    assert "5 分钟后 → 本单位下一批联系人; 20 分钟后 → 王支队长" in page
    assert "逐级上报策略" in page
    assert reverse("alerts:escalation-policy-edit", args=["fire"]) in page

    client.cookies["django_language"] = "en"
    english = client.get(reverse("alerts:escalation-policies")).content.decode()
    assert "after 10 min → Next contacts of the department; after 20 min → The bureau&#x27;s duty leader" in english


def test_a_viewer_sees_the_ladders_but_no_edit_link_and_no_edit_page(client, viewer, departments):
    client.force_login(viewer)
    page = client.get(reverse("alerts:escalation-policies")).content.decode()
    assert DEFAULT_SUMMARY_ZH in page
    assert reverse("alerts:escalation-policy-edit", args=["fire"]) not in page
    assert client.get(reverse("alerts:escalation-policy-edit", args=["fire"])).status_code == 403
    assert client.post(reverse("alerts:escalation-policy-edit", args=["fire"]), {}).status_code == 403
    assert not EscalationPolicy.objects.exists()


def test_the_home_page_links_the_policies_for_the_duty_office_only(client, duty_officer, fire_liaison):
    client.force_login(duty_officer)
    assert 'href="/escalation/"' in client.get("/").content.decode()
    client.force_login(fire_liaison)
    assert 'href="/escalation/"' not in client.get("/").content.decode()


def test_posting_the_form_replaces_the_steps(client, duty_officer, departments, contacts, fire_policy):
    client.force_login(duty_officer)
    url = reverse("alerts:escalation-policy-edit", args=["fire"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="steps-0-wait_minutes"' in page.content.decode()
    data = form_data(
        page,
        **{
            # first row: wait longer; second row moves to the top and lists the deputy too;
            # third (an empty extra row) becomes the duty leader.
            "steps-0-wait_minutes": "6",
            "steps-0-ORDER": "2",
            "steps-1-ORDER": "1",
            "steps-1-contacts": [str(contacts["chief"].pk), str(contacts["deputy"].pk)],
            "steps-2-wait_minutes": "30",
            "steps-2-target": "leader",
            "repeat_last": "on",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("alerts:escalation-policies")
    assert ladder(departments["fire"]) == [
        (1, 15, "contacts", ["李副支队长", "王支队长"]),
        (2, 6, "next", []),
        (3, 30, "leader", []),
    ]
    assert EscalationPolicy.objects.get(department=departments["fire"]).repeat_last is True
    followed = client.get(response["Location"]).content.decode()
    assert "15 分钟后 → 李副支队长、王支队长; 21 分钟后 → 本单位下一批联系人; 51 分钟后 → 局带班领导" in followed


def test_deleting_a_row_removes_the_step(client, duty_officer, departments, fire_policy):
    client.force_login(duty_officer)
    url = reverse("alerts:escalation-policy-edit", args=["fire"])
    response = client.post(url, form_data(client.get(url), **{"steps-1-DELETE": "on"}))
    assert response.status_code == 302
    assert ladder(departments["fire"]) == [(1, 5, "next", [])]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"steps-1-wait_minutes": "0"}, "请输入 1 至 1440 之间的整数分钟。"),
        ({"steps-1-contacts": None}, "请至少选择一名在用的联系人。"),
        ({"steps-0-target": "leader", "steps-0-contacts": ["CHIEF"]}, "只有通知“指定联系人”的步骤才能选择联系人。"),
        ({"steps-0-wait_minutes": "soon"}, "输入整数。"),
        ({"steps-0-DELETE": "on", "steps-1-DELETE": "on"}, "启用的策略至少需要一步（或将其停用）。"),
    ],
)
def test_an_invalid_form_shows_the_error_and_changes_nothing(
    client, duty_officer, departments, contacts, fire_policy, changes, message
):
    client.force_login(duty_officer)
    url = reverse("alerts:escalation-policy-edit", args=["fire"])
    before = snapshot(departments["fire"])
    changes = {k: ([str(contacts["chief"].pk)] if v == ["CHIEF"] else v) for k, v in changes.items()}
    data = form_data(client.get(url), **changes)
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "未保存" in page
    assert snapshot(departments["fire"]) == before


# --- the escalation logic follows the edited policy ---------------------------------------


def minutes(n):
    return T0 + timedelta(minutes=n)


def escalated(department: str):
    return [e.data for e in IncidentEvent.objects.filter(event_type="escalated").order_by("seq")
            if e.data["department"] == department]  # fmt: skip


def test_an_edited_policy_is_the_ladder_escalation_then_follows(
    api_for, duty_officer, open_incident, people, departments
):
    # The police ladder is edited through the API: after 3 minutes the environment bureau's
    # second contact, after 4 more the duty leader, repeated.
    body = {
        "repeat_last": True,
        "steps": [
            {"wait_minutes": 3, "target": "contacts", "contacts": [people["environment2"].pk]},
            {"wait_minutes": 4, "target": "leader"},
        ],
    }
    assert api_for(duty_officer).put(f"{URL}police/", body, format="json").status_code == 200
    # Water has no tasks in this incident; fire is switched off.
    assert api_for(duty_officer).put(f"{URL}fire/", {"active": False, "steps": []}, format="json").status_code == 200

    incident = open_incident()
    assert not Escalation.objects.filter(incident=incident, department=departments["fire"]).exists()
    escalation.escalate_due(now=minutes(2))
    assert escalated("police") == []
    escalation.escalate_due(now=minutes(3))
    escalation.escalate_due(now=minutes(7))
    escalation.escalate_due(now=minutes(11))
    police = escalated("police")
    assert [(e["step"], e["target"], e["waited_minutes"]) for e in police] == [
        (1, "contacts", 3),
        (2, "leader", 7),
        (2, "leader", 11),
    ]
    assert [c["name"] for c in police[0]["contacts"]] == ["environment-2"]


def test_an_edit_reaches_an_escalation_already_under_way(open_incident, people, departments):
    incident = open_incident()
    police = Escalation.objects.get(incident=incident, department=departments["police"])
    assert police.next_at == minutes(10)  # the default ladder's first wait
    policies.save_policy(
        departments["police"],
        steps=[{"wait_minutes": 10, "target": "contacts", "contacts": [people["leader"].pk]}],
    )
    escalation.escalate_due(now=minutes(10))
    step = escalated("police")
    assert [(e["target"], [c["name"] for c in e["contacts"]]) for e in step] == [("contacts", ["局领导"])]
    police.refresh_from_db()
    assert police.stop_reason == "exhausted"  # the new ladder has one step


def test_role_table_lets_only_the_duty_office_edit(make_user):
    editors = {role for role in roles.ROLE_LABELS if make_user(role).has_perm("alerts.change_escalationpolicy")}
    assert editors == {roles.DUTY_OFFICER, roles.ADMINISTRATOR}


def test_a_changed_wait_moves_the_next_step_of_an_escalation_under_way(open_incident, people, departments):
    incident = open_incident()
    police = Escalation.objects.get(incident=incident, department=departments["police"])
    assert police.next_at == minutes(10)
    # Shortened: due 3 minutes after the start, not after the old 10.
    ladder = [{"wait_minutes": 3, "target": "next"}, {"wait_minutes": 10, "target": "leader"}]
    policies.save_policy(departments["police"], steps=ladder)
    police.refresh_from_db()
    assert police.next_at == minutes(3)
    escalation.escalate_due(now=minutes(3))
    assert [(e["step"], e["waited_minutes"]) for e in escalated("police")] == [(1, 3)]
    police.refresh_from_db()
    assert police.next_at == minutes(13)
    # The second wait changed after the first step: it counts from that step.
    ladder[1]["wait_minutes"] = 5
    policies.save_policy(departments["police"], steps=ladder)
    police.refresh_from_db()
    assert police.stopped_at is None and police.next_at == minutes(8)


def test_a_ladder_shortened_below_the_steps_taken_ends_the_escalation(open_incident, departments):
    incident = open_incident()
    escalation.escalate_due(now=minutes(10))  # the default ladder's first step
    police = Escalation.objects.get(incident=incident, department=departments["police"])
    assert police.steps_done == 1 and police.next_at == minutes(20)
    policies.save_policy(departments["police"], steps=[{"wait_minutes": 10, "target": "next"}])
    police.refresh_from_db()
    assert police.next_at is None and police.stop_reason == "exhausted"
    escalation.escalate_due(now=minutes(30))
    assert len(escalated("police")) == 1  # nothing more was sent


def test_the_admin_shows_a_ladder_read_only_and_sends_editors_to_the_page(client, make_user, departments, fire_policy):
    admin = make_user("administrator", username="root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    listing = client.get("/admin/alerts/escalationpolicy/")
    assert listing.status_code == 200
    assert reverse("alerts:escalation-policy-edit", args=["fire"]) in listing.content.decode()
    change_url = f"/admin/alerts/escalationpolicy/{fire_policy.pk}/change/"
    assert client.get(change_url).status_code == 200  # viewable
    before = snapshot(departments["fire"])
    # A POST to the admin cannot bypass the service's checks.
    assert client.post(change_url, {"active": "", "repeat_last": "on"}).status_code == 403
    assert client.get("/admin/alerts/escalationpolicy/add/").status_code == 403
    assert snapshot(departments["fire"]) == before
