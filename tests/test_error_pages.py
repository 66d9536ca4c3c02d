"""Error pages 400, 403, 404, 410, 500 are the system's own, in Chinese and in English; a bad
acknowledgement link never shows Django's debug page, even with DEBUG on."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db

TEXT = {
    "zh-hans": {400: "请求有误", 403: "无权访问", 404: "页面不存在", 410: "已失效", 500: "服务器错误"},
    "en": {400: "Bad request", 403: "Permission denied", 404: "Page not found", 410: "expired", 500: "Server error"},
}


def in_language(client, language):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_404_403_400_are_the_systems_own(client, make_user, language):
    in_language(client, language)
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    body = page.content.decode()
    assert 'data-testid="error-page"' in body and TEXT[language][404] in body

    bad = client.get("/", HTTP_HOST="evil.invalid")
    assert bad.status_code == 400
    assert TEXT[language][400] in bad.content.decode()

    client.force_login(make_user("viewer", username="viewer"))
    denied = client.get("/board/new/")
    assert denied.status_code == 403
    assert TEXT[language][403] in denied.content.decode()
    assert 'class="mainnav"' in denied.content.decode()  # still a page of the system: one can go on


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_500_is_the_systems_own(language):
    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert TEXT[language][500] in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_bad_acknowledgement_link_is_the_systems_404_even_with_debug(client, settings, language):
    settings.DEBUG = True
    in_language(client, language)
    page = client.get("/a/not-a-token/")
    assert page.status_code == 404
    body = page.content.decode()
    assert TEXT[language][404] in body
    assert "Django" not in body and "URLconf" not in body


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_api_permission_errors_follow_the_language(api_for, fire_liaison, language):
    client = api_for(fire_liaison)
    in_language(client, language)
    answer = client.post("/api/incidents/", {"title": "x", "kind": "water", "location": None}, format="json")
    if answer.status_code == 400:  # the body is checked first; send a valid one
        answer = client.post(
            "/api/incidents/",
            {"title": "x", "kind": "water", "location": {"type": "Point", "coordinates": [112.1, 38.5]}},
            format="json",
        )
    assert answer.status_code == 403
    expected = "只有值班员可以接报事件。" if language == "zh-hans" else "Only duty officers open incidents."
    assert answer.json() == {"detail": expected}
