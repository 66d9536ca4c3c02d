"""The drill pages render for the drill's people and not for others."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from backend.incidents import services as incidents
from drills import services

from .conftest import T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran(make_drill, trainer, evaluator):
    drill = services.start_drill(make_drill(injects=[(0, "fire", "筑坝拦截"), (30, "police", "封路")]), now=T0)
    task = drill.injects.get(number=1).task
    incidents.acknowledge_task(task, now=T0 + timedelta(minutes=4))
    return drill, task


def test_every_page_renders_for_the_trainer(client, trainer, ran):
    drill, _task = ran
    client.force_login(trainer)
    pages = ["/drills/", "/drills/new/", "/drills/calendar/?month=2026-06", "/drills/trends/", "/drills/improvement/"]
    pages += [f"/drills/{drill.pk}/{suffix}" for suffix in ("", "console/", "score/", "report/", "evaluate/")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    calendar = client.get("/drills/calendar/?month=2026-06").content.decode()
    assert drill.title in calendar
    score = client.get(f"/drills/{drill.pk}/score/").content.decode()
    assert "0.5·timeliness + 0.2·completion + 0.3·rating" in score
    assert 'data-testid="ack-fire"' in score and "240 s" in score  # the fire inject task: acknowledged in 4 min


def test_the_evaluator_page_prefills_observed_times_from_the_log(client, evaluator, ran):
    drill, task = ran
    client.force_login(evaluator)
    html = client.get(f"/drills/{drill.pk}/evaluate/").content.decode()
    acknowledged = timezone.localtime(T0 + timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M")
    assert f'data-task="{task.pk}"' in html and f'value="{acknowledged}"' in html
    assert client.get(f"/drills/{drill.pk}/console/").status_code == 403


def test_outsiders_get_404_on_drill_pages(client, viewer, ran):
    drill, _task = ran
    client.force_login(viewer)
    for suffix in ("", "console/", "evaluate/", "score/", "report/"):
        assert client.get(f"/drills/{drill.pk}/{suffix}").status_code == 404, suffix
    assert drill.title not in client.get("/drills/").content.decode()


def test_the_home_widget_lists_overdue_improvement_items_for_trainers(make_drill, trainer, viewer, departments):
    drill = make_drill()
    services.save_improvement_item(
        drill=drill, issue="沙袋储备不足", corrective_action="补充", department=departments["fire"], owner="王",
        due_date=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    template = Template("{% load drills_tags %}{% overdue_improvements %}")
    for user, shown in ((trainer, True), (viewer, False)):
        request = RequestFactory().get("/")
        request.user = user
        html = template.render(Context({"request": request}))
        assert ("沙袋储备不足" in html) is shown
