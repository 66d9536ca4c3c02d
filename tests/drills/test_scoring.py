"""The score formula: the worked example, its edge cases, paused time, medians, and the
GET /api/drills/{id}/score/ contract."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.incidents import services as incidents
from drills import scoring, services
from drills.scoring import TaskFacts, score_drill, score_task

from .conftest import T0


def facts(department="fire", ack=None, done=None, ratings=(), ack_minutes=10, complete_minutes=60, task=1):
    return TaskFacts(
        task=task, department=department, text="t", created_at=T0, ack_minutes=ack_minutes,
        complete_minutes=complete_minutes, acknowledged_at=None if ack is None else T0 + timedelta(minutes=ack),
        completed_at=None if done is None else T0 + timedelta(minutes=done), ratings=list(ratings),
    )  # fmt: skip


def test_the_worked_example_scores_77_5():
    part = score_task(facts(ack=8, done=90, ratings=["S"]), pauses=[])
    assert (part["ack"], part["done"], part["timeliness"], part["completion"]) == (1, 0.5, 0.75, 1)
    assert part["rating"] == pytest.approx(2 / 3)  # near exact, not 0.6667
    assert part["score"] == 77.5
    unrated = score_task(facts(ack=8, done=None), pauses=[])  # 100 × (0.5·0.5 + 0) / 0.7
    assert unrated["score"] == pytest.approx(250 / 7)


@pytest.mark.parametrize(
    ("ack", "done", "ratings", "expected"),
    [
        (10, 60, ["P"], 100.0),  # exactly on both targets
        (15, 60, ["P"], 87.5),  # ack halfway to twice its target: 0.5
        (20, 120, ["P"], 50.0),  # twice the targets: 0 and 0, completed, rated P
        (25, None, ["U"], 0.0),  # late, never completed, unable
        (None, None, [], 0.0),  # never acknowledged, never completed, unrated
        (5, 30, [], 100.0),  # unrated: 100 × (0.5 + 0.2) / 0.7
        (8, 90, [], 100 * (0.375 + 0.2) / 0.7),  # unrated: 82.14
        (8, 90, ["P", "U"], 100 * (0.375 + 0.2 + 0.3 * 0.5)),  # two evaluators: their mean
        (8, 90, ["M"], 100 * (0.375 + 0.2 + 0.1)),
    ],
)
def test_formula_cases(ack, done, ratings, expected):
    assert score_task(facts(ack=ack, done=done, ratings=ratings), pauses=[])["score"] == pytest.approx(
        expected, abs=0.01
    )


def test_acknowledged_but_never_completed_keeps_the_ack_half():
    part = score_task(facts(ack=2, done=None, ratings=["S"]), pauses=[])
    assert (part["ack"], part["done"], part["completion"]) == (1, 0, 0)
    assert part["score"] == pytest.approx(100 * (0.25 + 0 + 0.2), abs=0.01)


def test_paused_time_is_excluded_from_the_measured_times():
    pause = (T0 + timedelta(minutes=2), T0 + timedelta(minutes=32))
    part = score_task(facts(ack=38, done=90, ratings=["S"]), pauses=[pause])
    assert part["acknowledge_seconds"] == 8 * 60 and part["complete_seconds"] == 60 * 60
    assert part["score"] == pytest.approx(100 * (0.5 + 0.2 + 0.2), abs=0.01)
    # A pause before the task was created does not count for it.
    early = (T0 - timedelta(minutes=30), T0 - timedelta(minutes=1))
    assert score_task(facts(ack=8, done=90), pauses=[early])["acknowledge_seconds"] == 480


def test_departments_take_medians_and_means_and_the_total_is_the_mean_of_departments():
    result = score_drill(
        [
            facts("fire", ack=2, done=50, ratings=["P"], task=1),
            facts("fire", ack=6, done=None, ratings=["S", "M"], task=2),
            facts("fire", ack=30, done=70, task=3),
            facts("police", ack=8, done=90, ratings=["S"], task=4),
        ],
        pauses=[],
        order=["police", "fire"],
    )
    police, fire = result["departments"]
    assert (police["department"], fire["department"]) == ("police", "fire")
    assert fire["acknowledge_seconds"] == 360 and fire["complete_seconds"] == 60 * 60
    assert fire["target_seconds"] == 3600 and fire["acknowledge_target_seconds"] == 600
    assert fire["on_time"] is True and fire["acknowledge_on_time"] is True
    assert fire["rating_counts"] == {"P": 1, "S": 1, "M": 1, "U": 0}
    assert police["on_time"] is False and police["acknowledge_on_time"] is True
    task_scores = [t["score"] for t in fire["tasks"]]
    assert fire["score"] == pytest.approx(sum(task_scores) / 3, abs=0.01)
    assert result["total"] == pytest.approx((fire["score"] + police["score"]) / 2, abs=0.01)
    assert result["formula"] == scoring.FORMULA


def test_a_department_with_no_times_has_null_medians():
    result = score_drill([facts("fire")], pauses=[])
    fire = result["departments"][0]
    assert fire["acknowledge_seconds"] is None and fire["complete_seconds"] is None
    # Nothing done is not on time (the formula scores it 0); only a missing target gives null.
    assert fire["on_time"] is False and fire["acknowledge_on_time"] is False
    manual = score_drill([facts("fire", complete_minutes=None)], pauses=[])["departments"][0]
    assert manual["target_seconds"] is None and manual["on_time"] is None
    assert score_drill([], pauses=[]) == {"total": None, "departments": [], "formula": scoring.FORMULA}


@pytest.mark.django_db
def test_the_score_endpoint_reads_the_log_and_the_ratings(make_drill, departments, trainer, evaluator, api_for):
    drill = make_drill(participants=("environment",))
    services.save_inject(
        drill, offset_minutes=0, from_sender="县环保站", to_department=departments["environment"], message="水体异味",
        expected_action="采样监测", ack_minutes=10, complete_minutes=60,
    )  # fmt: skip
    drill = services.start_drill(drill, actor=trainer, now=T0)
    task = drill.injects.get().task
    services.pause_drill(drill, actor=trainer, now=T0 + timedelta(minutes=5))
    services.resume_drill(drill, actor=trainer, now=T0 + timedelta(minutes=25))
    incidents.acknowledge_task(task, now=T0 + timedelta(minutes=28))  # 8 minutes on the drill clock
    incidents.complete_task(task, "完成", now=T0 + timedelta(minutes=110))  # 90 minutes
    services.rate_task(drill, task, evaluator=evaluator, rating="S")

    body = api_for(trainer).get(f"/api/drills/{drill.pk}/score/").json()

    assert set(body) == {"total", "departments", "formula"}
    assert "0.5·timeliness + 0.2·completion + 0.3·rating" in body["formula"]
    environment = next(d for d in body["departments"] if d["department"] == "environment")
    assert set(environment) >= {
        "department", "acknowledge_seconds", "complete_seconds", "target_seconds", "on_time", "rating_counts",
        "score", "tasks",
    }  # fmt: skip
    part = next(t for t in environment["tasks"] if t["task"] == task.pk)
    assert part["acknowledge_seconds"] == 480 and part["complete_seconds"] == 5400
    assert part["score"] == 77.5 and part["inject"] == 1 and part["ratings"] == ["S"]
    assert environment["rating_counts"] == {"P": 0, "S": 1, "M": 0, "U": 0}
    # Only the participating department plays and is scored (its template tasks too).
    assert [d["department"] for d in body["departments"]] == ["environment"]
    assert body["total"] == pytest.approx(environment["score"], abs=0.01)
