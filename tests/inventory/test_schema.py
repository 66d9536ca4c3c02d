"""Every inventory endpoint is described in the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator


def test_the_schema_covers_the_inventory_endpoints():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in [
        "/api/depots/",
        "/api/depots/{id}/",
        "/api/depots/nearest/",
        "/api/items/",
        "/api/lots/",
        "/api/movements/",
        "/api/receipts/",
        "/api/dispatches/",
        "/api/dispatches/{id}/approve/",
        "/api/dispatches/{id}/dispatch/",
        "/api/dispatches/{id}/deliver/",
        "/api/dispatches/{id}/close/",
        "/api/dispatches/{id}/cancel/",
    ]:
        assert path in paths, path
    nearest = paths["/api/depots/nearest/"]["get"]
    assert {p["name"] for p in nearest["parameters"]} == {"lon", "lat", "item", "quantity"}
    assert nearest["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
