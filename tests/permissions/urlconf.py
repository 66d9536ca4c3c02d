"""The URL conf as the permission matrix sees it: every pattern as a key (`/api/incidents/{pk}/`),
the API methods the OpenAPI schema publishes, and what the matrix misses or has in excess."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver

from . import matrix

# Router patterns with a format suffix (/api/incidents.json) reach the same views as the plain
# ones (same permissions); they are not rows of their own.
FORMAT_SUFFIX = "{format}"


def template(pattern: str) -> str:
    """A URL conf pattern (route or regex) as a key: every parameter as {name}."""
    text, out, i = pattern, [], 0
    while i < len(text):  # regex named groups first, whatever their inner pattern
        if text.startswith("(?P<", i):
            name_end = text.index(">", i)
            name, depth, j = text[i + 4 : name_end], 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0) if text[j - 1] != "\\" else 0
                j += 1
            out.append("{" + name + "}")
            i = j
        else:
            out.append(text[i])
            i += 1
    text = "".join(out).replace("^", "").replace("$", "")
    text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)  # route converters
    text = text.replace("\\.", ".").replace("/?", "")
    return "/" + text


def url_keys() -> set[str]:
    found = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.add(template(prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "")
    return {key for key in found if FORMAT_SUFFIX not in key}


def _canonical(key: str) -> str:
    return re.sub(r"\{\w+\}", "{}", key)


def schema_methods() -> dict[str, set[str]]:
    """canonical path -> the HTTP methods the OpenAPI schema publishes for it."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    verbs = {"get", "post", "put", "patch", "delete"}
    return {_canonical(path): {m.upper() for m in ops if m in verbs} for path, ops in schema["paths"].items()}


def _covered_by_admin_wildcard(key: str) -> bool:
    return key.startswith("/admin/") and key not in {"/admin/", "/admin/login/"}


def coverage_problems() -> list[str]:
    keys = url_keys()
    api = schema_methods()
    rows: dict[str, set[str]] = {}
    for entry in matrix.ROWS:
        rows.setdefault(entry.key, set()).add(entry.method)
    problems = []
    for key in sorted(keys):
        if _covered_by_admin_wildcard(key):
            continue
        wanted = api.get(_canonical(key))
        if wanted is None:
            if key not in rows:
                problems.append(f"missing from the matrix: {key} (a page: GET, and POST if it has a form)")
            continue
        for method in sorted(wanted - rows.get(key, set())):
            problems.append(f"missing from the matrix: {key} {method}")
    canonical_keys = {_canonical(k) for k in keys}
    for key, methods in sorted(rows.items()):
        if key == "/admin/*":
            continue
        if key not in keys:
            problems.append(f"row for a pattern that no longer exists: {key}")
            continue
        stale = methods - api[_canonical(key)] if _canonical(key) in api else set()
        problems += [f"row for a method the API does not publish: {key} {m}" for m in sorted(stale)]
    assert canonical_keys  # the walk found the URL conf
    return problems
