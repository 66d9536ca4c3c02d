"""Who may see an exercise incident is one rule (backend/incidents/visibility.py), a queryset
filter: the API list, can_view and the pages agree, and the list costs the same number of
queries however many exercises there are (the old loop made one query per exercise)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.directory import roles
from backend.incidents import permissions, visibility
from backend.incidents.models import Incident
from drills import services

from .conftest import T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def observer(make_user):
    return make_user(roles.VIEWER, username="observer")


def visible_ids(user) -> set[int]:
    return set(visibility.visible_incidents(user, Incident.objects.all()).values_list("pk", flat=True))


def test_one_rule_for_lists_can_view_and_the_api(
    make_drill, observer, viewer, fire_liaison, police_liaison, trainer, api_for, open_water_incident
):
    real = open_water_incident()["id"]
    fire_only = services.start_drill(make_drill(participants=("fire",), observers=[observer]), now=T0)
    exercise = fire_only.incident_id

    expected = {
        trainer: {real, exercise},  # drill staff see every exercise
        observer: {real, exercise},  # the drill's observer: the drills app's registered audience
        fire_liaison: {real, exercise},  # a department with a task on it
        police_liaison: {real},  # not in this drill
        viewer: {real},
    }
    for user, ids in expected.items():
        assert visible_ids(user) == ids, user.username
        for incident in Incident.objects.all():
            assert permissions.can_view(user, incident) == (incident.pk in ids), (user.username, incident.pk)
        listed = api_for(user).get("/api/incidents/?exercise=true").json()["results"]
        assert {i["id"] for i in listed} == ids & {exercise}, user.username
        detail = api_for(user).get(f"/api/incidents/{exercise}/")
        assert detail.status_code == (200 if exercise in ids else 404), user.username


def test_the_rule_is_one_query_however_many_exercises(make_drill, observer):
    def count_queries() -> int:
        observer_fresh = type(observer).objects.get(pk=observer.pk)  # no cached permissions
        with CaptureQueriesContext(connection) as queries:
            visible_ids(observer_fresh)
        return len(queries)

    services.start_drill(make_drill(observers=[observer], title="演练一"), now=T0)
    one = count_queries()
    for n in range(3):
        services.start_drill(make_drill(observers=[observer], title=f"演练{n + 2}"), now=T0)
    assert visible_ids(observer) == set(Incident.objects.filter(exercise=True).values_list("pk", flat=True))
    assert count_queries() == one
