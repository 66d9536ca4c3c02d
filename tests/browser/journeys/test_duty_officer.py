"""The duty officer at a desk (1440×900): a phone call to an open incident with its tasks sent.

From the home page: the 接报 shortcut, the place the caller names (found by name), the pollutant
and the quantity, open. The contract is the count, at most 6 actions; the wall-clock time is
printed (`-s`) and bounded only generously (a slow shared machine must not fail it).
"""

from __future__ import annotations

import time

import pytest

from backend.incidents.models import Incident, Task

pytestmark = pytest.mark.browser

MAX_ACTIONS = 6


def test_a_phone_call_becomes_an_open_incident_with_tasks_sent_in_six_actions(journey):
    officer = journey("duty", "duty")
    officer.goto("/")
    officer.see("[data-testid=home-report]", "接报")
    officer.shot("01-home")
    started = time.monotonic()

    officer.page.click("[data-testid=home-report]")
    officer.act("the 接报 shortcut")
    officer.see("h1", "接报")
    officer.page.fill("[data-testid=place-search]", "济胜桥")
    officer.act("the place the caller names")
    pick = officer.page.locator("[data-testid=place-results] button").first
    officer.see("[data-testid=place-results] button", "定襄县济胜桥断面")
    pick.click()
    officer.act("the suggestion")
    officer.see("#river-status.ok", "滹沱河")
    officer.page.select_option("select[name=pollutant]", "phenol")
    officer.act("the pollutant")
    officer.page.fill("input[name=mass_kg]", "2000")
    officer.act("the quantity")
    # The title is suggested from the place and the pollutant: nothing to type.
    assert officer.page.input_value("[data-testid=title]") == "定襄县济胜桥断面苯酚（挥发酚）泄漏"
    officer.shot("02-open-form")
    officer.page.click("[data-testid=open-submit]")
    officer.act("open")

    officer.page.wait_for_url("**/board/incidents/*/")
    incident = Incident.objects.get(title="定襄县济胜桥断面苯酚（挥发酚）泄漏")
    assert incident.river.name == "滹沱河" and float(incident.mass_kg) == 2000
    tasks = list(Task.objects.filter(incident=incident).select_related("department"))
    assert tasks, "the plan gave the incident no task"
    # The room shows each department's task sent, and the SMS to them.
    officer.see("#matrix", *{task.department.name for task in tasks})
    officer.see("#matrix .pill.status-pending")
    seconds = time.monotonic() - started
    officer.see("#sms tbody", tasks[0].department.name)
    officer.see("#room h1", incident.short_code, incident.title)
    officer.shot("03-room")
    officer.shot("04-room-tasks-sent", at="section:has(#matrix)")

    print(f"\nduty officer: phone call to open incident with tasks sent in {officer.actions} actions, {seconds:.1f} s")
    assert officer.actions <= MAX_ACTIONS
    assert seconds < 60
