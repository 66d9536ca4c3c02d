"""POST /api/incidents/ with an Idempotency-Key: a double click or retry opens one incident."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from backend.incidents.models import Incident, Task

from .conftest import SPILL

BODY = {"title": "罐车侧翻泄漏", "kind": "water", "location": SPILL, "description": ""}


def post(client, body, key):
    # Keys live 24 h in the shared test Redis: a run-unique suffix keeps runs apart.
    return client.post("/api/incidents/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"{key}-{RUN}")


RUN = uuid.uuid4().hex


@pytest.mark.django_db
def test_a_repeat_with_the_same_key_answers_the_first_incident_and_creates_nothing(api_for, duty_officer, river):
    client = api_for(duty_officer)
    first = post(client, BODY, "k-repeat-1")
    tasks = Task.objects.count()
    again = post(client, BODY, "k-repeat-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Incident.objects.count() == 1
    assert Task.objects.count() == tasks


@pytest.mark.django_db
def test_the_same_key_with_a_different_body_is_refused_with_422(api_for, duty_officer, river):
    client = api_for(duty_officer)
    assert post(client, BODY, "k-diff-1").status_code == 201
    other = post(client, {**BODY, "title": "另一起"}, "k-diff-1")
    assert other.status_code == 422
    assert "detail" in other.json()
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_user_and_no_key_means_no_memory(api_for, duty_officer, make_user, river):
    from backend.directory import roles

    other = make_user(roles.DUTY_OFFICER, "environment", username="duty2")
    assert post(api_for(duty_officer), BODY, "k-user-1").status_code == 201
    assert post(api_for(other), BODY, "k-user-1").status_code == 201
    assert api_for(duty_officer).post("/api/incidents/", BODY, format="json").status_code == 201
    assert Incident.objects.count() == 3


@pytest.mark.django_db
def test_a_refused_request_frees_its_key_for_a_corrected_body(api_for, duty_officer, river):
    client = api_for(duty_officer)
    assert post(client, {**BODY, "title": ""}, "k-fix-1").status_code == 400
    assert post(client, BODY, "k-fix-1").status_code == 201
    assert Incident.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_open_one_incident_and_get_the_same_answer(
    api_for, duty_officer, river, monkeypatch
):
    """The second request arrives while the first is still inside open_incident: it waits."""
    from backend.incidents import services

    entered, release = threading.Event(), threading.Event()
    real_open = services.open_incident

    def slow_open(**kwargs):
        entered.set()
        release.wait(10)  # hold the first request until the second is waiting on the key
        return real_open(**kwargs)

    monkeypatch.setattr(services, "open_incident", slow_open)
    answers = {}

    def run(name):
        try:
            answers[name] = post(api_for(duty_officer), BODY, "k-race-1")
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert entered.wait(10)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second request must wait for the first"
    release.set()
    first.join(20)
    second.join(20)
    assert answers["first"].status_code == answers["second"].status_code == 201
    assert answers["second"].json() == answers["first"].json()
    assert Incident.objects.count() == 1
