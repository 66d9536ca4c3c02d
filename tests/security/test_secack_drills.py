"""Issue #12, items 3 and 12: while a drill runs, its players read neither the whole event list
(future injects) nor the staff's observations through the after-action report page or PDF;
trainers edit only the improvement items of drills they control."""

from __future__ import annotations

from datetime import timedelta

import pytest

from drills import services
from tests.drills import conftest as drill_fixtures

pytestmark = pytest.mark.django_db

hebei, river, plan = drill_fixtures.hebei, drill_fixtures.river, drill_fixtures.plan
trainer, other_trainer, evaluator = drill_fixtures.trainer, drill_fixtures.other_trainer, drill_fixtures.evaluator
make_drill, T0 = drill_fixtures.make_drill, drill_fixtures.T0
SECRET_INJECT = "模拟信息（45 分钟）"


@pytest.fixture
def running(make_drill, trainer, evaluator, departments):
    drill = make_drill(injects=[(0, "fire", "筑坝拦截"), (45, "police", "封闭道路")])
    drill = services.start_drill(drill, actor=trainer, now=T0)
    services.add_observation(drill, author=evaluator, kind="improvement", text="消防指挥员犹豫不决")
    return drill


def test_a_player_cannot_read_the_report_of_a_running_drill(running, client, fire_liaison, api_for):
    client.force_login(fire_liaison)
    page = client.get(f"/drills/{running.pk}/report/")
    assert page.status_code == 403
    assert SECRET_INJECT not in page.content.decode() and "犹豫不决" not in page.content.decode()
    assert api_for(fire_liaison).get(f"/api/drills/{running.pk}/report.pdf").status_code == 403
    # Nor is it offered to them.
    assert f"/drills/{running.pk}/report/" not in client.get(f"/drills/{running.pk}/").content.decode()


def test_the_staff_read_the_report_while_it_runs(running, client, evaluator, api_for):
    client.force_login(evaluator)
    page = client.get(f"/drills/{running.pk}/report/")
    assert page.status_code == 200 and SECRET_INJECT in page.content.decode()
    assert f"/drills/{running.pk}/report/" in client.get(f"/drills/{running.pk}/score/").content.decode()
    pdf = api_for(evaluator).get(f"/api/drills/{running.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_players_read_the_report_once_the_drill_ended(running, client, fire_liaison, trainer):
    services.end_drill(running, "结束", actor=trainer, now=T0 + timedelta(minutes=90))
    client.force_login(fire_liaison)
    page = client.get(f"/drills/{running.pk}/report/")
    assert page.status_code == 200 and SECRET_INJECT in page.content.decode()


@pytest.fixture
def item(running, departments):
    return services.save_improvement_item(
        drill=running, issue="封路滞后", corrective_action="建立联动机制", department=departments["police"],
        owner="李科长", due_date=(T0 + timedelta(days=30)).date(),
    )  # fmt: skip


def test_a_trainer_edits_only_the_improvement_items_of_drills_they_control(item, api_for, other_trainer, trainer):
    url = f"/api/improvement-items/{item.pk}/"
    refused = api_for(other_trainer).patch(url, {"owner": "王某"}, format="json")
    assert refused.status_code == 403
    item.refresh_from_db()
    assert item.owner == "李科长"
    assert api_for(trainer).patch(url, {"owner": "王科长"}, format="json").status_code == 200
    item.refresh_from_db()
    assert item.owner == "王科长"
