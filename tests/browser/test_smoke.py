"""A person logs in with a real browser against the real ASGI server: Chinese first, then
English on request."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_duty_officer_logs_in_sees_chinese_then_switches_to_english(browser, live_asgi, make_user):
    make_user("duty_officer", "environment", username="duty", password="Demo!2026")
    # An English browser: the product still opens in Chinese until the user chooses.
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{live_asgi}/")
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", "duty")
        page.fill("input[name=password]", "Demo!2026")
        page.click("button[type=submit].primary")
        page.wait_for_selector("text=您的角色")

        assert page.url.rstrip("/") == live_asgi
        assert page.get_attribute("html", "lang") == "zh-hans"
        assert page.locator("[data-role=duty_officer]").inner_text() == "值班员"
        assert "环境应急响应协同与演练管理系统" in page.inner_text("h1")
        # The stylesheet is served by the app itself (no CDN).
        css = page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
        assert css == "rgb(11, 93, 140)"

        # Each language is offered under its own name.
        assert page.inner_text("[data-testid=lang-en]") == "English"
        page.click("[data-testid=lang-en]")
        page.wait_for_selector("text=Your role")
        assert page.get_attribute("html", "lang") == "en"
        assert page.inner_text("[data-testid=lang-zh-hans]") == "简体中文"
        assert page.locator("[data-role=duty_officer]").inner_text() == "Duty officer"
        assert "您的角色" not in page.content()
    finally:
        context.close()


def test_a_wrong_password_is_refused_in_the_browser(browser, live_asgi, make_user):
    make_user("viewer", username="viewer", password="Demo!2026")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{live_asgi}/accounts/login/")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit].primary")
        page.wait_for_selector("text=用户名或密码错误")
        assert "/accounts/login/" in page.url
    finally:
        context.close()
