"""The API's router (backend/input_guard.py explains why ids are digits only)."""

from rest_framework import routers


class IdRouter(routers.DefaultRouter):
    """Detail routes of objects looked up by id accept digits only (at most 18: a bigint)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        if lookup_field in ("pk", "id") and not hasattr(viewset, "lookup_value_regex"):
            url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
            return f"(?P<{lookup_prefix}{url_kwarg}>[0-9]{{1,18}})"
        return super().get_lookup_regex(viewset, lookup_prefix)
