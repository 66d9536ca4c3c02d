"""The admin writes through the services (docs/architecture.md, "The admin").

`ServiceAdminMixin` lets a ModelAdmin's save_model/save_formset call a service and:
- keep what the service saved: `adopt(obj, saved)` copies the saved row's state (its id
  first) into the object the admin holds, so the admin's redirect, log entry and inlines use
  the row the service created instead of an unsaved copy;
- answer a domain refusal or a validation error raised by the service as an error message on
  the form page, instead of a 500 (the transaction of the whole admin save is rolled back).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from backend.domain import DomainRefusal


def adopt(obj, saved):
    """Make the admin's `obj` the row the service saved (id, computed fields)."""
    state = {key: value for key, value in saved.__dict__.items() if key != "_state"}
    obj.__dict__.update(state)
    obj._state.adding = False
    obj._state.db = saved._state.db
    return obj


def refusal_text(exc: Exception) -> str:
    if isinstance(exc, DomainRefusal):
        return exc.error
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc)


class ServiceAdminMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (DomainRefusal, ValidationError) as exc:
            self.message_user(request, refusal_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainRefusal as exc:
            self.message_user(request, refusal_text(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
