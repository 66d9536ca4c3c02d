"""API conventions shared by every app (see DESIGN.md, "API conventions")."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from backend import input_guard


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class DomainRefusal(Exception):
    """A rule of the domain refuses a valid request: 409 {"error": ..., **extra}."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, error: str, **extra):
        super().__init__(error)
        self.error = error
        self.extra = extra


class Unserviceable(Exception):
    """Valid input the domain cannot serve (e.g. no river near a point): 422 {"detail": ...}."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


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
        return Response({"error": "conflict with existing data", "detail": str(exc).splitlines()[0]}, status=409)
    return drf_exception_handler(exc, context)
