"""Token authentication and the API conventions on the first endpoints."""

from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_it_issues_a_token_for_good_credentials(make_user):
    make_user("duty_officer", "environment", username="officer", password="s3cret-pass!")
    response = APIClient().post("/api/auth/token/", {"username": "officer", "password": "s3cret-pass!"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/").json()
    assert me["username"] == "officer"
    assert me["roles"] == ["duty_officer"]
    assert me["department"] == "environment"


def test_it_refuses_a_token_for_a_wrong_password(make_user):
    make_user("viewer", username="v", password="right-pass-1")
    response = APIClient().post("/api/auth/token/", {"username": "v", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert "token" not in response.json()


def test_every_api_endpoint_needs_authentication(departments):
    client = APIClient()
    for url in ["/api/me/", "/api/departments/", "/api/contacts/", "/api/shifts/"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert "detail" in response.json()


def test_a_forged_token_is_refused(departments):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/departments/").status_code == 401


def test_lists_are_paginated_and_reference_by_code(api_for, viewer, departments):
    body = api_for(viewer).get("/api/departments/?page_size=3").json()
    assert body["count"] == len(departments)
    assert len(body["results"]) == 3
    assert body["next"] is not None
    first = body["results"][0]
    assert {"id", "code", "name", "name_en"} <= set(first)


def test_the_openapi_schema_is_published(api_for, viewer):
    response = api_for(viewer).get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/contacts/" in text
    assert "/api/auth/token/" in text
    assert "/healthz" in text  # every endpoint is described, the health check too


def test_the_openapi_schema_validates_without_warnings():
    # Warnings (ambiguous enum names, views drf-spectacular cannot describe) make clients
    # generated from the schema guess; the command fails on any of them.
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)
