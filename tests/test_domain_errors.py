"""Domain refusals live apart from DRF (backend/domain.py), and database error text never
reaches a client."""

from __future__ import annotations

import inspect

from django.db import IntegrityError

import backend.domain
from backend import api


def test_the_refusals_are_domain_exceptions_that_the_api_translates():
    assert api.DomainRefusal is backend.domain.DomainRefusal
    assert api.Unserviceable is backend.domain.Unserviceable
    assert "rest_framework" not in inspect.getsource(backend.domain)
    refused = api.exception_handler(backend.domain.DomainRefusal("no stock", available=3), {})
    assert (refused.status_code, refused.data) == (409, {"error": "no stock", "available": 3})
    unserviceable = api.exception_handler(backend.domain.Unserviceable("no river near"), {})
    assert (unserviceable.status_code, unserviceable.data) == (422, {"detail": "no river near"})


def test_an_integrity_error_answers_409_without_the_databases_words():
    exc = IntegrityError(
        'duplicate key value violates unique constraint "plans_river_code_key"\n'
        "DETAIL:  Key (code)=(hutuo) already exists."
    )
    response = api.exception_handler(exc, {})
    assert response.status_code == 409
    text = str(response.data)
    assert set(response.data) == {"error"}
    for leak in ("duplicate key", "plans_river", "Key (code)", "hutuo"):
        assert leak not in text
