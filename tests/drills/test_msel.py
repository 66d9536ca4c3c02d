"""MSEL import/export as CSV and Excel: a round trip, and a bad row that names its row and
field and writes nothing."""

from __future__ import annotations

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from drills import msel

pytestmark = pytest.mark.django_db

CSV = """number,offset_minutes,from,to,message,expected_action,objective,ack_minutes,complete_minutes
1,0,县应急局,fire,罐车侧翻，河面见油膜,筑坝拦截,30分钟内完成拦截,,
2,15,群众,police,下游村民围观,现场警戒,,5,30
,30,省厅,environment,省厅要求报告,报送信息,,,
"""


def _upload(api, drill, content: bytes, name: str):
    return api.post(f"/api/drills/{drill.pk}/msel/", {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_a_csv_msel_imports_and_exports_again(api_for, trainer, make_drill):
    drill = make_drill()
    api = api_for(trainer)
    response = _upload(api, drill, CSV.encode("utf-8"), "msel.csv")
    assert response.status_code == 200, response.content
    assert response.json() == {"imported": 3}
    injects = list(drill.injects.order_by("number").values_list("number", "offset_minutes", "to_department__code"))
    assert injects == [(1, 0, "fire"), (2, 15, "police"), (3, 30, "environment")]
    assert drill.injects.get(number=2).ack_minutes == 5

    exported = api.get(f"/api/drills/{drill.pk}/msel/", {"file_format": "csv"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    rows = tablib.Dataset().load(exported.content.decode("utf-8-sig"), format="csv")
    assert rows.headers == msel.COLUMNS
    assert [r[3] for r in rows] == ["fire", "police", "environment"] and rows[0][4] == "罐车侧翻，河面见油膜"

    # Re-importing an edited export updates by number instead of duplicating.
    assert _upload(api, drill, exported.content.replace(b"police", b"water"), "msel.csv").status_code == 200
    assert drill.injects.count() == 3 and drill.injects.get(number=2).to_department.code == "water"


def test_an_excel_msel_round_trips(api_for, trainer, make_drill):
    source, target = make_drill(title="甲"), make_drill(title="乙")
    api = api_for(trainer)
    assert _upload(api, source, CSV.encode("gb18030"), "msel.csv").status_code == 200  # Excel's Chinese CSV
    xlsx = api.get(f"/api/drills/{source.pk}/msel/", {"file_format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert _upload(api, target, xlsx.content, "msel.xlsx").json() == {"imported": 3}
    assert list(target.injects.values_list("message", flat=True)) == list(
        source.injects.values_list("message", flat=True)
    )


def test_a_bad_row_reports_row_and_field_and_writes_nothing(api_for, trainer, make_drill):
    drill = make_drill()
    bad = CSV.replace("2,15,群众,police", "2,soon,群众,nobody")
    response = _upload(api_for(trainer), drill, bad.encode("utf-8"), "msel.csv")
    assert response.status_code == 400
    rows = response.json()["rows"]
    assert {(r["row"], r["field"]) for r in rows} == {(2, "offset_minutes"), (2, "to")}
    assert all(r["line"] == 3 for r in rows)
    assert "row 2" in " ".join(response.json()["file"])
    assert drill.injects.count() == 0


def test_a_file_without_the_columns_is_refused(api_for, trainer, make_drill):
    drill = make_drill()
    response = _upload(api_for(trainer), drill, b"a,b\n1,2\n", "msel.csv")
    assert response.status_code == 400 and {r["field"] for r in response.json()["rows"]} >= {"to", "message"}


def test_only_the_trainer_imports(api_for, evaluator, make_drill):
    drill = make_drill()
    assert _upload(api_for(evaluator), drill, CSV.encode(), "msel.csv").status_code == 403
    assert drill.injects.count() == 0
