"""Bad input stops at the edge of the API, with a 400 naming the field, at one place in the stack.

Schema fuzzing (tests/test_api_fuzzing.py) found the same few kinds of input reaching the
database or Python's conversions as a 500, endpoint after endpoint. Each kind is answered here:

- `JSONParser` (DRF's default JSON parser for every API view): a body that is not a JSON object,
  a GeoJSON Feature whose `properties` or `geometry` is not an object, a string holding NUL
  (PostgreSQL text cannot store it), an integer beyond 64 bits, or a date-time whose UTC offset
  PostgreSQL refuses (beyond ±15:59) → 400 naming the field (`a.b[2]`).
- `FormParser`, `MultiPartParser`: NUL in a form field, and GeoJSON members sent as form fields.
- `QueryGuardMiddleware`: NUL in the path or in a query parameter, a query parameter given more
  than once where the API takes one value, or a date-time with an offset PostgreSQL refuses → 400
  naming the parameter.
- `IdRouter` (backend/routers.py): a detail URL whose id is not a number matches no route → 404
  (was a ValueError).
- `answer_for(exc, request)`, called by backend.api.exception_handler: what still slips through a
  query filter (a non-numeric id, a number out of the column's range) → 400 naming the parameter;
  any other database error → 400 without the database's text.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import DataError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import NotFound, ValidationError

INT64 = 2**63 - 1
# An ISO 8601 date-time with a UTC offset, as JSON bodies carry them.
_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-])(\d{2}):?(\d{2})$")
# PostgreSQL's timestamptz accepts offsets up to 15:59 ("time zone displacement out of range").
_MAX_OFFSET_MINUTES = 15 * 60 + 59
# Query parameters that legitimately repeat (none today); every other one takes one value.
REPEATABLE_PARAMETERS: set[str] = set()


def _path(parent: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]" if parent else f"[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def problems_in(value: Any, where: str = "") -> dict[str, list[str]]:
    """Field path → messages, for what the database or Python would choke on."""
    found: dict[str, list[str]] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                name = _path(where, str(key).replace("\x00", "\\0"))
                found[name] = [_("Field names may not contain NUL characters.")]
                continue
            found.update(problems_in(item, _path(where, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(problems_in(item, _path(where, index)))
    elif isinstance(value, str):
        if "\x00" in value:
            found[where or "non_field_errors"] = [_("NUL characters are not allowed.")]
        else:
            match = _OFFSET.match(value)
            if match and int(match.group(2)) * 60 + int(match.group(3)) > _MAX_OFFSET_MINUTES:
                found[where or "non_field_errors"] = [_("The UTC offset is out of range (at most ±15:59).")]
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64:
        found[where or "non_field_errors"] = [_("The number is out of range.")]
    return found


def geojson_shape_problems(data: dict) -> dict[str, list[str]]:
    """A GeoJSON Feature's `properties` and `geometry` are objects (or null): the GeoJSON
    serializers index into them before any field validation runs."""
    # rest_framework_gis reads `properties` whenever the key is there, typed as a Feature or not.
    features = [("", data)] if data.get("type") == "Feature" or "properties" in data else []
    if data.get("type") == "FeatureCollection":
        if not isinstance(data.get("features"), list):
            return {"features": [_("A list of GeoJSON features is required.")]}
        features = [(f"features[{i}].", f) for i, f in enumerate(data["features"])]
    found = {}
    for prefix, feature in features:
        if not isinstance(feature, dict):
            found[prefix.rstrip(".") or "non_field_errors"] = [_("A GeoJSON feature must be an object.")]
            continue
        for member in ("properties", "geometry"):
            if feature.get(member) is not None and not isinstance(feature[member], dict):
                found[f"{prefix}{member}"] = [_("Must be an object.")]
    return found


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing what no endpoint takes (see the module's docstring)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": [_("The request body must be a JSON object.")]})
        found = problems_in(data) or geojson_shape_problems(data)
        if found:
            raise ValidationError(found)
        return data


def _form_problems(data) -> dict[str, list[str]]:
    found = {}
    for name, values in data.lists():
        if any("\x00" in str(v) for v in values) or "\x00" in name:
            found[name.replace("\x00", "\\0")] = [_("NUL characters are not allowed.")]
    for member in ("properties", "geometry"):
        if member in data:  # GeoJSON only comes as JSON; a form field of that name is a string
            found[member] = [_("Send GeoJSON as a JSON body.")]
    return found


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        found = _form_problems(data)
        if found:
            raise ValidationError(found)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        found = _form_problems(parsed.data)
        if found:
            raise ValidationError(found)
        return parsed


class QueryGuardMiddleware:
    """NUL in the path or query, and repeated single-valued parameters, on /api/ (400 JSON)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            refusal = self.refusal(request)
            if refusal is not None:
                return JsonResponse(refusal, status=400)
        return self.get_response(request)

    @staticmethod
    def refusal(request) -> dict | None:
        if "\x00" in request.path:
            return {"detail": _("The URL may not contain NUL characters.")}
        found = {}
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                found[name.replace("\x00", "\\0")] = [_("NUL characters are not allowed.")]
            elif len(values) > 1 and name not in REPEATABLE_PARAMETERS:
                found[name] = [_("Give this parameter once.")]
            else:
                found.update(problems_in(values[0], name))
        return found or None


_EXPECTED_NUMBER = re.compile(r"^Field '(?P<field>[^']+)' expected a number but got (?P<value>.+)\.$")


def _parameter_with(request, value: str) -> str | None:
    for name, values in getattr(request, "GET", {}).lists() if request is not None else ():
        if value in values:
            return name
    return None


def _out_of_range_parameter(request) -> str | None:
    for name, values in getattr(request, "GET", {}).lists() if request is not None else ():
        for value in values:
            try:
                number = float(value)
            except ValueError:
                continue
            if abs(number) > INT64 or number != number:
                return name
    return None


def answer_for(exc: Exception, request, url_kwargs: dict | None = None) -> tuple[int, dict] | None:
    """(status, body) for an input error that reached the ORM, or None when it is not one.
    `url_kwargs`: the view's URL arguments (a bad one is a 404, not a 400)."""
    if isinstance(exc, ValueError | TypeError):
        match = _EXPECTED_NUMBER.match(str(exc))
        if match is None:
            return None
        value = match.group("value").strip("'\"")
        if value in {str(v) for v in (url_kwargs or {}).values()}:
            return 404, {"detail": str(NotFound.default_detail)}
        name = _parameter_with(request, value) or match.group("field")
        return 400, {name: [_("A whole number is required.")]}
    if isinstance(exc, DataError):
        name = _out_of_range_parameter(request)
        if name is not None:
            return 400, {name: [_("The number is out of range.")]}
        # Never the database's own text: it names tables and internals.
        return 400, {"detail": _("A value in the request is out of range or malformed.")}
    return None
