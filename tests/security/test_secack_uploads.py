"""Issue #12, item 8: uploads are limited in size and extension per purpose (enterprise
filings, MSEL, inventory imports), a spreadsheet that would unpack to far more than it weighs
(a zip bomb) is refused before it is opened, and uploads are never served from the
application's origin as something a browser would render (HTML)."""

from __future__ import annotations

import io
import zipfile

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopFutureHandlers

from backend import uploads
from drills.models import Inject
from inventory.models import Item
from plans.models import EnterprisePlanFiling
from tests.drills import conftest as drill_fixtures
from tests.inventory import conftest as inventory_fixtures
from tests.plans.test_api import point_feature, river_feature

pytestmark = pytest.mark.django_db

hebei, river, plan = drill_fixtures.hebei, drill_fixtures.river, drill_fixtures.plan
trainer, evaluator, make_drill = drill_fixtures.trainer, drill_fixtures.evaluator, drill_fixtures.make_drill
admin_user = inventory_fixtures.admin_user


def bomb(rows: tablib.Dataset | None = None, megabytes: int = 8) -> bytes:
    """A readable workbook with one member that inflates ~1000:1."""
    rows = rows or tablib.Dataset(["x"], headers=["code"])
    buffer = io.BytesIO(rows.export("xlsx"))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (megabytes << 20))
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def risk_source(api_for, duty_officer, departments):
    api = api_for(duty_officer)
    api.post("/api/rivers/", river_feature(), format="json")
    return api.post("/api/river-features/", point_feature("risk_source", 38.4, source_type="enterprise"), format="json")


def file_a_plan(api, risk_source, document):
    body = {"risk_source": risk_source.json()["id"], "filing_number": "140900-2026-015", "filed_on": "2026-01-10",
            "expires_on": "2029-01-10", "document": document}  # fmt: skip
    return api.post("/api/enterprise-filings/", body, format="multipart")


def test_a_filing_document_must_be_a_document(media, risk_source, api_for, duty_officer):
    api = api_for(duty_officer)
    page = SimpleUploadedFile("plan.html", b"<script>alert(1)</script>", content_type="text/html")
    refused = file_a_plan(api, risk_source, page)
    assert refused.status_code == 400 and "document" in refused.json()
    assert not EnterprisePlanFiling.objects.exists() and not list(media.rglob("*.html"))


def test_a_filing_document_has_a_size_limit(media, risk_source, api_for, duty_officer, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 " + b"x" * 2000, content_type="application/pdf")
    refused = file_a_plan(api_for(duty_officer), risk_source, big)
    assert refused.status_code == 400 and "document" in refused.json()
    assert not EnterprisePlanFiling.objects.exists()


def test_uploads_are_served_as_attachments_never_as_a_page(media, risk_source, api_for, duty_officer, client):
    pdf = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>", content_type="text/html")
    created = file_a_plan(api_for(duty_officer), risk_source, pdf)
    assert created.status_code == 201, created.content
    url = created.json()["document"]
    path = url[url.index("/media/") :]
    # One left from before the limits, with an extension a browser would render.
    (media / "filings").mkdir(exist_ok=True)
    (media / "filings" / "old.html").write_text("<script>alert(1)</script>")

    assert client.get(path).status_code in (302, 401, 403)  # signed-in users only
    client.force_login(duty_officer)
    for url in (path, "/media/filings/old.html"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "html" not in response["Content-Type"]
    assert client.get("/media/../settings.py").status_code == 404


def msel_upload(api, drill, name, content):
    return api.post(f"/api/drills/{drill.pk}/msel/", {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_a_msel_upload_is_a_spreadsheet_within_the_limits(api_for, trainer, make_drill, settings):
    drill = make_drill()
    api = api_for(trainer)
    msel = "offset_minutes,from,to,message\n5,县应急局,fire,罐车侧翻\n".encode()
    wrong = msel_upload(api, drill, "msel.html", msel)
    assert wrong.status_code == 400 and "file" in wrong.json()
    settings.UPLOAD_MAX_BYTES = 20
    assert msel_upload(api, drill, "msel.csv", msel).status_code == 400
    settings.UPLOAD_MAX_BYTES = 10 << 20
    rows = tablib.Dataset([5, "县应急局", "fire", "罐车侧翻"], headers=["offset_minutes", "from", "to", "message"])
    exploded = msel_upload(api, drill, "msel.xlsx", bomb(rows))
    assert exploded.status_code == 400 and "file" in exploded.json()
    assert not Inject.objects.exists()
    assert msel_upload(api, drill, "msel.csv", msel).status_code == 200


def test_the_inventory_import_refuses_a_zip_bomb_before_opening_it(client, admin_user):
    client.force_login(admin_user)
    rows = tablib.Dataset(["bag", "沙袋", "source_cutoff", "bag"], headers=["code", "name", "category", "unit"])
    upload = SimpleUploadedFile("catalogue.xlsx", bomb(rows))
    response = client.post("/inventory/import/", {"what": "catalogue", "file": upload})
    assert response.status_code == 200
    assert not Item.objects.exists()
    page = response.content.decode()
    assert "unpacks to too much data" in page or "解压后数据过大" in page


def test_the_check_looks_at_the_archive_only():
    with pytest.raises(uploads.ValidationError):
        uploads.check_spreadsheet_archive(io.BytesIO(bomb()))
    ok = tablib.Dataset(["x"] * 3, headers=["a", "b", "c"]).export("xlsx")
    uploads.check_spreadsheet_archive(io.BytesIO(ok))
    with pytest.raises(uploads.ValidationError):
        uploads.check_spreadsheet_archive(io.BytesIO(b"PK\x03\x04 not a zip"))


def test_an_oversized_request_is_dropped_while_it_is_read(api_for, trainer, make_drill, settings):
    """The file of a request over the limit is never stored: the view sees an empty stand-in
    of the request's size, and answers with the size message."""
    settings.UPLOAD_MAX_BYTES = 100 << 10
    handler = uploads.OversizeUploadHandler()
    handler.handle_raw_input(None, {}, (100 << 10) + (65 << 10), b"b")
    with pytest.raises(StopFutureHandlers):  # the default handlers open nothing for it
        handler.new_file("file", "msel.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * 1000, 0) is None
    stand_in = handler.file_complete(1000)
    assert stand_in.size == (165 << 10) and stand_in.read() == b""
    with pytest.raises(uploads.ValidationError, match="MB"):
        uploads.validate(stand_in, "spreadsheet")

    drill = make_drill()
    big = b"offset_minutes,from,to,message\n" + b"5,x,fire,y\n" * 20000
    response = msel_upload(api_for(trainer), drill, "msel.csv", big)
    assert response.status_code == 400 and "MB" in str(response.json()["file"])
    assert not Inject.objects.exists()
