"""The after-action report: a PDF with Chinese text, charts and the per-department table."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.incidents import services as incidents
from drills import services
from drills.report import render_report_document

from .conftest import T0

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    """All the text WeasyPrint laid out, page by page (no poppler on this machine)."""
    found = []

    def walk(box):
        if getattr(box, "text", None):
            found.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return "".join(found)


@pytest.fixture
def finished_drill(make_drill, trainer, evaluator, departments):
    drill = make_drill(injects=[(0, "fire", "筑坝拦截"), (20, "police", "封闭道路")])
    drill.injects.filter(number=1).update(objective="30分钟内完成拦截")
    drill = services.start_drill(drill, actor=trainer, now=T0)
    fire_task = drill.injects.get(number=1).task
    incidents.acknowledge_task(fire_task, now=T0 + timedelta(minutes=4))
    incidents.complete_task(fire_task, "坝已筑好", now=T0 + timedelta(minutes=50))
    services.tick(T0 + timedelta(minutes=20))
    services.rate_task(drill, fire_task, evaluator=evaluator, rating="P", notes="迅速")
    services.add_observation(
        drill, author=evaluator, kind="strength", text="消防响应迅速", department=departments["fire"]
    )
    services.add_observation(drill, author=evaluator, kind="improvement", text="公安封路滞后")
    services.save_improvement_item(
        drill=drill, issue="封路滞后", corrective_action="建立联动机制", department=departments["police"],
        owner="李科长", due_date=(T0 + timedelta(days=30)).date(),
    )  # fmt: skip
    return services.end_drill(drill, "演练达到预期", actor=trainer, now=T0 + timedelta(minutes=70))


def test_the_aar_pdf_renders_with_the_department_table(finished_drill, api_for, trainer):
    response = api_for(trainer).get(f"/api/drills/{finished_drill.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    document = render_report_document(finished_drill)
    # The Chinese font is embedded (a subset of Noto Sans CJK; visible once streams are not compressed).
    assert b"NotoSansCJK" in document.write_pdf(uncompressed_pdf=True)

    text = _text(document)
    for expected in (
        "忻州市消防救援支队",
        "忻州市公安局",
        "忻州市生态环境局",
        "消防响应迅速",
        "建立联动机制",
        "筑坝拦截",
    ):
        assert expected in text, expected
    assert "Department" in text or "部门" in text
    assert "【演练】" in text  # the drill mark, in the report's language (Chinese by default)
    assert "100.0" in text or "100" in text


def test_objectives_are_met_by_the_scores_of_their_injects_tasks(finished_drill):
    from drills.report import report_context

    objectives = {o["text"]: o for o in report_context(finished_drill)["objectives"]}
    assert objectives["30分钟内完成拦截"]["met"] is True and objectives["30分钟内完成拦截"]["score"] == 100
    assert objectives["通报下游"]["met"] is None  # no inject serves it: not assessed


def test_the_aar_page_shows_the_report(finished_drill, client, trainer):
    client.force_login(trainer)
    page = client.get(f"/drills/{finished_drill.pk}/report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="department-table"' in html and "<svg" in html and "忻州市消防救援支队" in html
