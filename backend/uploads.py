"""Uploads, checked in one place (issue #12): a size limit (UPLOAD_MAX_BYTES), the extensions
allowed for each purpose, and for spreadsheets (.xlsx is a zip archive) the total unpacked size
and compression ratio, read from the archive's directory before anything opens it, so a zip
bomb is refused without being inflated. Every upload endpoint and form calls `validate` (the
model field of a filing carries `FileValidator`).

Uploads are served only by `serve_media`: to signed-in users, as attachments with
`X-Content-Type-Options: nosniff` and a neutral content type, so that nothing uploaded is ever
rendered as a page of this origin (an uploaded .html would otherwise run with the user's session).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils._os import safe_join
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

__all__ = [
    "ValidationError", "validate", "check_spreadsheet_archive", "FileValidator", "OversizeUploadHandler", "serve_media",
]  # fmt: skip

# What each kind of upload may be. Filings are the enterprises' plan documents as they exist in
# the bureau (PDF, Word/WPS, OFD, scans); nothing a browser would run.
PURPOSES = {
    "spreadsheet": (".csv", ".xlsx"),
    "filing": (".pdf", ".doc", ".docx", ".wps", ".ofd", ".jpg", ".jpeg", ".png"),
}
# A member smaller than this is no bomb whatever its ratio (tiny XML parts compress very well).
RATIO_FLOOR_BYTES = 1 << 20
# Room for a form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 64 << 10
MAX_MEMBERS = 1000


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def too_big_message() -> str:
    return _("The file is larger than %(limit)s MB.") % {"limit": round(max_bytes() / (1 << 20), 1)}


def validate(upload, purpose: str) -> None:
    """Raise ValidationError (one message) when the upload is not acceptable for `purpose`."""
    allowed = PURPOSES[purpose]
    name = getattr(upload, "name", "") or ""
    if PurePosixPath(name.replace("\\", "/")).suffix.lower() not in allowed:
        raise ValidationError(_("Use a file of type: %(types)s.") % {"types": ", ".join(allowed)}, code="extension")
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes():
        raise ValidationError(too_big_message(), code="size")
    # By name or by content: the MSEL import reads any zip as a workbook, whatever its name.
    if purpose == "spreadsheet" and (name.lower().endswith(".xlsx") or _is_zip(upload)):
        check_spreadsheet_archive(upload)


def _is_zip(upload) -> bool:
    position = upload.tell()
    try:
        return upload.read(4) == b"PK\x03\x04"
    finally:
        upload.seek(position)


def check_spreadsheet_archive(fileobj) -> None:
    """Read the zip directory only (nothing is inflated) and refuse what would unpack to too much."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(_("This is not a readable Excel (.xlsx) file."), code="unreadable") from None
    finally:
        if hasattr(fileobj, "seek"):
            fileobj.seek(position)
    total = sum(member.file_size for member in members)
    ratio = float(settings.UPLOAD_XLSX_MAX_RATIO)
    inflated = any(
        member.file_size > RATIO_FLOOR_BYTES and member.file_size > ratio * max(member.compress_size, 1)
        for member in members
    )
    if len(members) > MAX_MEMBERS or total > int(settings.UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES) or inflated:
        raise ValidationError(_("This spreadsheet unpacks to too much data; it was not opened."), code="bomb")


class OversizeUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: a request whose body is larger than the limit allows has
    its files read and dropped, never written to memory or disk; each arrives as an empty
    stand-in that carries the request's size, so `validate` answers with the size message
    instead of the disk filling with a file that would be refused anyway."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.oversize = content_length > max_bytes() + FORM_OVERHEAD_BYTES
        self.request_length = content_length  # new_file() sets content_length per file

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.oversize:
            raise StopFutureHandlers()  # the default handlers open no buffer or temporary file

    def receive_data_chunk(self, raw_data, start):
        return None if self.oversize else raw_data

    def file_complete(self, file_size):
        if not self.oversize:
            return None
        return _Oversize(self.file_name, self.content_type, self.request_length)


class _Oversize(UploadedFile):
    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


@deconstructible
class FileValidator:
    """A model field's validator: `validate(file, purpose)` for a file being uploaded now (a
    file already stored was checked when it came)."""

    def __init__(self, purpose: str):
        self.purpose = purpose

    def __call__(self, value):
        if not value or (isinstance(value, FieldFile) and value._committed):
            return
        validate(value, self.purpose)

    def __eq__(self, other):
        return isinstance(other, FileValidator) and other.purpose == self.purpose


@login_required
@require_GET
def serve_media(request, path: str):
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception:  # SuspiciousFileOperation: a path that leaves MEDIA_ROOT
        raise Http404("No such file.") from None
    if not full.is_file():
        raise Http404("No such file.")
    response = FileResponse(full.open("rb"), as_attachment=True, filename=full.name)
    # Never what the extension says: a browser must not render or sniff an upload as a page.
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
