"""The viewer (观摩人员) at a desk: reads the board and the room, sees no action to take, and a
write attempt is refused in Chinese."""

from __future__ import annotations

import re

import pytest

from .conftest import open_incident

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_the_viewer_reads_but_cannot_act(journey):
    incident = open_incident("坑塘旁罐车侧翻苯酚泄漏（观摩）")
    viewer = journey("viewer", "viewer")

    viewer.goto("/board/")
    row = viewer.see(f"#real-incidents tr[data-incident='{incident.pk}']", "坑塘旁罐车侧翻苯酚泄漏（观摩）", "滹沱河")
    assert viewer.page.locator("a[href='/board/new/']").count() == 0  # no 接报, in the page or the menu
    viewer.shot("01-board")
    viewer.page.click(f"#real-incidents tr[data-incident='{incident.pk}'] a")
    viewer.act()
    viewer.page.wait_for_url(f"**/board/incidents/{incident.pk}/")
    viewer.see("#matrix", "忻州市消防救援支队")
    viewer.see("#timeline")
    assert viewer.page.locator("#matrix button").count() == 0
    for form in ("#level-form", "#status-form", "#task-form", "#supply-form", "#note-form"):
        assert not viewer.page.locator(form).is_visible(), form
    viewer.shot("02-room-read-only")

    # A write attempt (what a crafted request would do) is refused, in the viewer's language.
    answer = viewer.page.evaluate(
        """async (id) => {
            const csrf = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.split('=')[1] || '';
            const r = await fetch(`/api/incidents/${id}/notes/`, {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf}, body: JSON.stringify({text: 'x'})});
            return {status: r.status, body: await r.text()};
        }""",
        incident.pk,
    )
    assert answer["status"] == 403, answer
    assert CHINESE.search(answer["body"]), answer
    assert incident.events.filter(event_type="note").count() == 0

    viewer.goto("/board/new/")
    viewer.see("main", "403", "无权访问")
    viewer.shot("03-refused")
    assert "hutuo" not in row  # the river by its name, not its code
