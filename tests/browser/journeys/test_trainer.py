"""The trainer at a desk: opens the scheduled drill, starts it from the console and sees the
injects go out (the first at once, the next on "deliver now")."""

from __future__ import annotations

import pytest

from drills.models import Drill, Inject

pytestmark = pytest.mark.browser

SCHEDULED = "滹沱河突发水污染综合应急演练"  # drills/demo.py


def test_the_trainer_starts_a_drill_and_sees_the_injects_go_out(journey):
    drill = Drill.objects.get(title=SCHEDULED)
    first, second = Inject.objects.filter(drill=drill).order_by("offset_minutes", "number")[:2]
    trainer = journey("trainer", "trainer")

    trainer.goto("/drills/")
    trainer.see(f"[data-testid=drill-list] tr[data-drill='{drill.pk}']", SCHEDULED, "计划")
    trainer.page.click(f"[data-testid=drill-list] tr[data-drill='{drill.pk}'] a")
    trainer.act()
    trainer.see("h1", "【演练】", SCHEDULED)
    trainer.shot("01-drill")
    trainer.page.click(".drill-tabs a[href$='/console/']")
    trainer.act()
    trainer.see(f"#injects tr[data-id='{first.pk}']", first.message[:12], "待发")
    trainer.shot("02-console-scheduled")

    trainer.page.click("#console button[data-action=start]")
    trainer.act()
    trainer.see("[data-testid=drill-status]", "进行中")
    # The inject due at minute 0 goes out with the start; the console shows it delivered.
    trainer.see(f"#injects tr[data-id='{first.pk}']", first.to_department.name, "已发送")
    trainer.page.click(f"#injects tr[data-id='{second.pk}'] button[data-inject=deliver]")
    trainer.act()
    trainer.see(f"#injects tr[data-id='{second.pk}']", second.message[:12], second.to_department.name, "已发送")
    # The event log reads as sentences in the trainer's language, not event names.
    log = trainer.see("#events", "演练开始", f"第{second.number}条演练信息发至{second.to_department.name}")
    for raw in ("inject_delivered", "drill_control", "task_created", "plan_activated"):
        assert raw not in log
    drill.refresh_from_db()
    assert drill.status == "running" and drill.incident_id
    assert Inject.objects.filter(drill=drill, delivered_at__isnull=False).count() >= 2
    trainer.shot("03-console-running")
    trainer.shot("04-event-log", at="#events")
    trainer.page.reload()  # the tabs are drawn by the server: now with the exercise incident
    trainer.see(".drill-tabs", drill.incident.short_code)
