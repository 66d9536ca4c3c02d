"""Information reports are records (issue 15): 初报 once, 续报 numbered 1, 2, ..., 处理结果报告
once; immutable after issue; their required fields in the page and in the PDF, in Chinese
whatever the interface language."""

from __future__ import annotations

import io

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from backend.incidents.models import IncidentEvent, InformationReport

pytestmark = pytest.mark.django_db

ISSUE = {
    "signatory": "李明",
    "contact": {"name": "张华", "phone": "0350-3033110"},
    "source": "群众电话举报（12369）",
    "cause": "罐车侧翻，化学需氧量高的废液泄漏入河",
    "next_steps": "加密下游监测频次",
}


@pytest.fixture
def incident(open_water_incident, api_for, duty_officer):
    body = open_water_incident(pollutant="cod", mass_kg=50_000)
    api_for(duty_officer).post(
        f"/api/incidents/{body['id']}/samples/",
        {"location": {"type": "Point", "coordinates": [112.3, 38.5]}, "pollutant": "cod", "value_mg_l": 48.5,
         "sampled_by": "市监测站"},
        format="json",
    )  # fmt: skip
    api_for(duty_officer).post(f"/api/incidents/{body['id']}/impact/", {"poisoned": 3}, format="json")
    return body


def issue(client, incident_id, kind, **extra):
    return client.post(f"/api/incidents/{incident_id}/reports/", {"kind": kind, **ISSUE, **extra}, format="json")


def test_an_initial_report_is_issued_once_with_who_and_when(api_for, duty_officer, incident):
    client = api_for(duty_officer)
    response = issue(client, incident["id"], "initial")
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["kind"] == "initial" and report["number"] == 1
    assert report["issued_by"] == "duty" and report["signatory"] == "李明"
    assert report["contact"] == {"name": "张华", "phone": "0350-3033110"}
    assert report["unit"] == "忻州市生态环境局"
    assert report["issued_at"] and set(report["content"]) >= {"time", "place", "source", "trend", "map_svg"}
    again = issue(client, incident["id"], "initial")
    assert again.status_code == 409 and "error" in again.json()
    assert IncidentEvent.objects.filter(incident_id=incident["id"], event_type="report_issued").count() == 1


def test_follow_ups_are_numbered_and_a_result_comes_once(api_for, duty_officer, incident):
    client = api_for(duty_officer)
    assert issue(client, incident["id"], "followup").status_code == 409  # the initial report first
    issue(client, incident["id"], "initial")
    first = issue(client, incident["id"], "followup", changes="石坝拦截完成").json()
    second = issue(client, incident["id"], "followup").json()
    assert (first["number"], second["number"]) == (1, 2)
    assert "石坝拦截完成" in first["content"]["changes"]
    assert second["content"]["previous"]["kind"] == "followup" and second["content"]["previous"]["number"] == 1
    result = issue(client, incident["id"], "result", results="污染已消除", accountability="移交公安机关")
    assert result.status_code == 201 and result.json()["number"] == 1
    assert issue(client, incident["id"], "result").status_code == 409
    # A correction after the result report is a new follow-up.
    assert issue(client, incident["id"], "followup").json()["number"] == 3
    listed = client.get(f"/api/incidents/{incident['id']}/reports/").json()
    assert [(r["kind"], r["number"]) for r in listed] == [
        ("initial", 1), ("followup", 1), ("followup", 2), ("result", 1), ("followup", 3),
    ]  # fmt: skip


def test_an_issued_report_cannot_be_changed_or_deleted(api_for, duty_officer, incident):
    client = api_for(duty_officer)
    report = issue(client, incident["id"], "initial").json()
    url = f"/api/reports/{report['id']}/"
    assert client.get(url).status_code == 200
    assert client.put(url, {"signatory": "x"}, format="json").status_code == 405
    assert client.patch(url, {"signatory": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    stored = InformationReport.objects.get(pk=report["id"])
    stored.signatory = "篡改"
    with pytest.raises(IntegrityError), transaction.atomic():
        stored.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationReport.objects.filter(pk=report["id"]).delete()
    assert client.get(url).json()["signatory"] == "李明"


def test_a_report_needs_its_signatory_and_contact(api_for, duty_officer, viewer, incident):
    client = api_for(duty_officer)
    response = client.post(f"/api/incidents/{incident['id']}/reports/", {"kind": "initial"}, format="json")
    assert response.status_code == 400 and {"signatory", "contact"} <= set(response.json())
    wrong = issue(client, incident["id"], "initial", accountability="x")  # a field of the result report only
    assert wrong.status_code == 400 and "accountability" in wrong.json()
    assert issue(api_for(viewer), incident["id"], "initial").status_code == 403
    assert api_for(viewer).get(f"/api/incidents/{incident['id']}/reports/").status_code == 200


REQUIRED = [
    "事件发生时间", "事件发生地点", "东经112.10000°，北纬38.50050°", "信息来源", "群众电话举报（12369）",
    "事件起因和性质", "罐车侧翻", "基本过程", "主要污染物和数量", "化学需氧量，约50000千克", "监测数据",
    "48.5 mg/L", "模型预测", "人员伤亡", "中毒或重伤3人", "饮用水水源地", "县城水源地：预测超标", "事件发展趋势",
    "处置情况", "拟采取的措施", "加密下游监测频次", "报送单位：忻州市生态环境局", "签发人：李明", "联系人：张华",
    "联系电话：0350-3033110", "重大（II级）",
]  # fmt: skip


def _pdf_text(content: bytes) -> str:
    # Lines wrap where the page ends them: compare without spaces and line breaks.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return text.replace(" ", "").replace("\n", "")


def test_the_report_page_and_pdf_carry_every_required_field_in_chinese(client, api_for, duty_officer, incident):
    report = issue(api_for(duty_officer), incident["id"], "initial").json()
    client.force_login(duty_officer)
    client.cookies["django_language"] = "en"  # the interface in English: the report stays Chinese
    page = client.get(f"/board/reports/{report['id']}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    for text in REQUIRED:
        assert text in html, text
    assert "<svg" in html and "县城水源地" in html  # the map of the receptors
    response = api_for(duty_officer).get(f"/api/reports/{report['id']}/pdf/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for required in REQUIRED:
        assert required.replace(" ", "") in text, required


def test_the_result_report_adds_results_harm_losses_impact_problems_and_accountability(api_for, duty_officer, incident):
    client = api_for(duty_officer)
    issue(client, incident["id"], "initial")
    report = issue(
        client, incident["id"], "result", results="污染团已消除", indirect_harm="下游灌溉暂停两日", losses="约80万元",
        social_impact="舆情平稳", problems="河道底泥待清理", accountability="肇事企业移交公安机关",
    ).json()  # fmt: skip
    text = _pdf_text(client.get(f"/api/reports/{report['id']}/pdf/").content)
    added = [
        "处置结果", "污染团已消除", "潜在或间接危害", "下游灌溉暂停两日", "损失情况", "约80万元", "社会影响",
        "舆情平稳", "遗留问题", "河道底泥待清理", "责任追究", "肇事企业移交公安机关",
    ]  # fmt: skip
    for required in added:
        assert required in text, required


def test_a_hidden_incidents_reports_are_404(api_for, duty_officer, viewer, open_water_incident):
    drill = open_water_incident(exercise=True)
    report = issue(api_for(duty_officer), drill["id"], "initial").json()
    assert report["content"]["title"].startswith("【演练】")
    assert api_for(viewer).get(f"/api/reports/{report['id']}/").status_code == 404
    assert api_for(viewer).get(f"/api/reports/{report['id']}/pdf/").status_code == 404


def test_the_admin_shows_issued_reports_read_only(client, make_user, api_for, duty_officer, incident):
    issue(api_for(duty_officer), incident["id"], "initial")
    admin = make_user("administrator", username="root")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(f"/admin/incidents/incident/{incident['id']}/change/").content.decode()
    assert "李明" in page and "0350-3033110" in page


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("reports", {"kind": "final", "signatory": "李明", "contact": {"name": "张华", "phone": "1"}}, "kind"),
        ("reports", {"kind": "initial", "signatory": "李明", "contact": "张华 0350"}, "contact"),
        ("reports", {"kind": "initial", "signatory": "", "contact": {"name": "张华", "phone": "1"}}, "signatory"),
        ("intakes", {"feature": "abc", "suspended": True}, "feature"),
        ("intakes", {"feature": 2**40, "suspended": True}, "feature"),
        ("intakes", {"feature": 1, "suspended": "maybe"}, "suspended"),
        ("reporting-procedure", {"trigger": ["officer"]}, "trigger"),
    ],
)
def test_bad_input_to_the_new_endpoints_is_a_400_naming_the_field(api_for, duty_officer, incident, path, body, field):
    response = api_for(duty_officer).post(f"/api/incidents/{incident['id']}/{path}/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content


def test_a_reporting_task_refuses_a_malformed_delivery(api_for, duty_officer, incident):
    task = next(t for t in incident["tasks"] if t["source"] == "reporting")
    url = f"/api/tasks/{task['id']}/complete/"
    body = {"reported_by": "王伟", "reported_to": "忻州市人民政府", "via": "fax"}
    response = api_for(duty_officer).post(url, body, format="json")
    assert response.status_code == 400 and {"reported_to", "via"} <= set(response.json())
