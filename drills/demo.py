"""Demo drills (load_demo calls load() last): one finished tabletop drill on 滹沱河 with its
log, evaluations, observations and improvement plan, and one scheduled comprehensive drill.
Idempotent: drills are found by title. Everything runs through the services with `now`, so
the finished drill's log is exactly what a real run would have written."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.directory.models import Department
from backend.incidents import services as incidents
from plans.models import Pollutant, ResponsePlan

from . import services
from .models import Drill

FINISHED = "滹沱河苯酚罐车泄漏桌面演练"
SCHEDULED = "滹沱河突发水污染综合应急演练"
DEPARTMENTS = ["environment", "fire", "police", "emergency", "water"]
OBJECTIVES = ["30分钟内完成应急监测布点", "2小时内完成拦截坝构筑", "及时通报下游阳泉市及河北省"]
# (offset minutes, from, to, message, expected action, objective)
MSEL = [
    (0, "原平市应急局值班室", "environment", "108国道原平段一辆罐车侧翻，疑似化学品流入滹沱河。",
     "派员赴现场核实并开展应急监测", OBJECTIVES[0]),
    (10, "群众来电", "police", "事故点周边有群众围观取水。", "设置警戒区，疏散围观群众", ""),
    (20, "现场监测组", "fire", "下游2公里断面挥发酚超标8倍。", "在下游拦截点构筑拦截坝", OBJECTIVES[1]),
    (35, "市水利局", "water", "上游水库可调度下泄流量。", "评估调水稀释方案并报指挥部", ""),
    (50, "省生态环境厅", "environment", "省厅要求1小时内报送事件信息。", "起草并报送突发环境事件信息",
     OBJECTIVES[2]),
]  # fmt: skip
# What each department did in the finished drill: minutes to acknowledge and to complete its
# tasks (None: never), and the evaluator's rating.
PERFORMANCE = {
    "environment": (4, 45, "P"),
    "fire": (9, 150, "S"),
    "police": (3, 25, "P"),
    "emergency": (12, None, "M"),
    "water": (15, 80, "S"),
}


# Where the tanker overturns: on 滹沱河 in 原平市 (the 108 national road), between 原平's
# chemical park and the 大牛店 bridge (plans/demo/data.py places both by this fraction).
SCENARIO_FRACTION = 0.43


def _scenario_point(plan: ResponsePlan) -> Point:
    # On the course itself, so the trace snaps to this river.
    point = plan.river.geometry.interpolate_normalized(SCENARIO_FRACTION)
    return Point(point.x, point.y, srid=4326)


def _tanker_load() -> Pollutant | None:
    # A phenol tanker spills phenol. Until the catalogue has phenol (plans/reference.py),
    # petroleum stands in so the drill still has a pollutant to trace.
    return Pollutant.objects.filter(code="phenol").first() or Pollutant.objects.filter(code="petroleum").first()


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _schedule(title: str, plan, trainer, evaluator, start: datetime, form: str, scope: str) -> Drill:
    drill = services.schedule_drill(
        title=title, form=form, scope=scope, plan=plan, location=_scenario_point(plan),
        pollutant=_tanker_load(), mass_kg=2000,
        narrative="一辆装载化学品的罐车在108国道原平段侧翻，部分物料经排水沟流入滹沱河。",
        departments=list(Department.objects.filter(code__in=DEPARTMENTS)), scheduled_start=start,
        duration_minutes=180, trainer=trainer, evaluators=[evaluator], objectives=OBJECTIVES,
        actor=trainer, now=start - timedelta(days=14),
    )  # fmt: skip
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    for offset, sender, to, message, action, objective in MSEL:
        if to in departments:
            services.save_inject(
                drill, offset_minutes=offset, from_sender=sender, to_department=departments[to], message=message,
                expected_action=action, objective=objective,
            )  # fmt: skip
    return drill


def _run_finished(drill: Drill, trainer, evaluator) -> None:
    start = drill.scheduled_start
    services.tick(start)
    drill = Drill.objects.get(pk=drill.pk)
    services.tick(start + timedelta(minutes=50))
    services.pause_drill(drill, actor=trainer, now=start + timedelta(minutes=60))
    services.resume_drill(drill, actor=trainer, now=start + timedelta(minutes=70))
    for task in drill.incident.tasks.select_related("department").order_by("created_at", "pk"):
        ack, done, rating = PERFORMANCE.get(task.department.code, (10, 60, "S"))
        incidents.acknowledge_task(task, now=task.created_at + timedelta(minutes=ack))
        if done is not None:
            incidents.complete_task(task, "已完成", now=task.created_at + timedelta(minutes=done))
        services.rate_task(drill, task, evaluator=evaluator, rating=rating, notes="")
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    for kind, code, text in [
        ("strength", "police", "公安部门警戒区设置迅速，疏散有序。"),
        ("strength", "environment", "监测布点合理，数据报送及时。"),
        ("improvement", "fire", "拦截坝构筑超出目标时间，沙袋等物资调运慢。"),
        ("improvement", "emergency", "应急管理局未完成物资协调任务，联络人不明确。"),
    ]:
        services.add_observation(drill, author=evaluator, kind=kind, text=text, department=departments.get(code))
    today = timezone.localdate()
    for issue, action, code, owner, due in [
        ("拦截坝物资调运慢", "在滹沱河沿线应急空间预置沙袋和围油栏", "fire", "王队长", today - timedelta(days=3)),
        (
            "物资协调联络人不明确",
            "明确应急管理局值班联络人并纳入值班表",
            "emergency",
            "刘科长",
            today + timedelta(days=20),
        ),
    ]:
        if code in departments:
            services.save_improvement_item(
                drill=drill, issue=issue, corrective_action=action, department=departments[code], owner=owner,
                due_date=due,
            )  # fmt: skip
    services.end_drill(drill, "演练达到预期目标，拦截坝构筑偏慢。", actor=trainer, now=start + timedelta(minutes=190))


def load(stdout=None) -> None:
    User = get_user_model()
    trainer = User.objects.filter(username="trainer").first()
    evaluator = User.objects.filter(username="evaluator").first()
    plan = ResponsePlan.objects.filter(river__code="hutuo", status=ResponsePlan.Status.APPROVED).first()
    if trainer is None or evaluator is None or plan is None:
        if stdout is not None:
            stdout.write("drills: skipped (needs the trainer and evaluator users and an approved 滹沱河 plan)\n")
        return
    if not Drill.objects.filter(title=FINISHED).exists():
        drill = _schedule(FINISHED, plan, trainer, evaluator, _at(-21, 9, 30), "tabletop", "single")
        _run_finished(drill, trainer, evaluator)
    if not Drill.objects.filter(title=SCHEDULED).exists():
        _schedule(SCHEDULED, plan, trainer, evaluator, _at(14, 9, 0), "live", "comprehensive")
    if stdout is not None:
        stdout.write(f"drills: {Drill.objects.count()} drills ({FINISHED} ended, {SCHEDULED} scheduled)\n")
