"""Pages for CSV/Excel exchange: download the catalogue or the stock, upload an import.

Same rules as the management commands (inventory.exchange): all or nothing, errors by row
and field.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend import uploads

from . import exchange, permissions

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ImportForm(forms.Form):
    what = forms.ChoiceField(
        label=gettext_lazy("Import"),
        choices=[("catalogue", gettext_lazy("Item catalogue")), ("stock", gettext_lazy("Stock (receipts)"))],
    )
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Type, size and (for .xlsx) a zip bomb, before the file is written or opened.
        uploads.validate(upload, "spreadsheet")
        return upload


@login_required
@permission_required("inventory.view_lot", raise_exception=True)
def export(request, what: str, fmt: str):
    dataset = exchange.export_catalogue() if what == "catalogue" else exchange.export_stock()
    body = exchange.export(dataset, fmt)
    if fmt == "csv":
        body = "\ufeff" + body  # a BOM, so Excel opens the UTF-8 (Chinese) text correctly
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{what}-{timezone.localdate():%Y%m%d}.{fmt}"'
    return response


@login_required
def import_file(request):
    # Imports write to every depot at once: the duty office (or an administrator) only.
    if not (permissions.coordinates_all_depots(request.user) and request.user.has_perm("inventory.add_movement")):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.read())
            try:
                dataset = exchange.read(path)
                if form.cleaned_data["what"] == "catalogue":
                    count = exchange.import_catalogue(dataset)
                else:
                    count = exchange.import_stock(dataset, actor=request.user, reason=f"import {upload.name}")
            except exchange.ImportFailed as failed:
                errors = failed.errors
            except Exception as exc:  # an unreadable file: say so instead of a 500
                form.add_error("file", _("The file cannot be read: %(error)s") % {"error": exc})
            else:
                messages.success(request, _("Imported %(n)d row(s).") % {"n": count})
                return redirect("inventory:import")
    return render(request, "inventory/import.html", {"form": form, "errors": errors})
