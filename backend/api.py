"""API conventions shared by every app (README.md, "API"; docs/architecture.md)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from backend import input_guard

# The refusals live in the domain module; re-exported here for code written before the move.
from backend.domain import DomainRefusal, Unserviceable

__all__ = ["DomainRefusal", "Pagination", "Unserviceable", "exception_handler"]

log = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


def exception_handler(exc, context):
    if isinstance(exc, DomainRefusal):
        return Response({"error": exc.error, **exc.extra}, status=exc.status_code)
    if isinstance(exc, Unserviceable):
        return Response({"detail": exc.detail}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, DjangoValidationError):
        # Services validate with Django's ValidationError; answer as DRF would (400 per field).
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    answer = input_guard.answer_for(exc, context.get("request"), context.get("kwargs"))
    if answer is not None:
        return Response(answer[1], status=answer[0])
    if isinstance(exc, IntegrityError):
        # The database's own text names tables, constraints and values: log it, never send it.
        log.warning("integrity error answered as 409: %s", str(exc).splitlines()[0] if str(exc) else exc)
        return Response({"error": _("This conflicts with existing data.")}, status=409)
    return drf_exception_handler(exc, context)
