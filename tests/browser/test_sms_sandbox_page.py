"""The SMS sandbox page: phones named by contact and department, links clickable, and new
messages appear in place without a reload that would lose a reply being typed."""

from __future__ import annotations

import pytest

from backend.alerts.sandbox.server import SmsSandbox
from backend.directory import services as directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sandbox():
    server = SmsSandbox(port=0, auto_callbacks=False).start()
    yield server
    server.stop()


def sms(server, to, body):
    status, _ = server.accept(
        server.account_sid, (server.account_sid, server.auth_token), {"To": to, "From": "+1500", "Body": body}
    )
    assert status == 201


def test_phones_are_named_links_work_and_updates_keep_what_is_typed(browser, sandbox, departments):
    fire = directory.save_contact(department=departments["fire"], name="赵消防", mobile="13900000011")
    sms(sandbox, fire.mobile, "【演练】筑坝拦截 确认：http://127.0.0.1:9/a/xyz")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(sandbox.url + "/")
        card = page.locator(f"section.phone[id='{fire.mobile}']")
        header = card.locator(".to").inner_text()
        assert "赵消防" in header and departments["fire"].name in header and fire.mobile in header
        assert card.locator("a[href='http://127.0.0.1:9/a/xyz']").count() == 1
        assert page.locator("meta[http-equiv=refresh]").count() == 0

        page.fill(f"section.phone[id='{fire.mobile}'] input[name=body]", "N6HA 收")
        page.evaluate("() => { window.notReloaded = true; }")
        sms(sandbox, fire.mobile, "第二条任务")
        page.wait_for_function("() => document.body.innerText.includes('第二条任务')", timeout=10000)
        assert page.evaluate("() => window.notReloaded === true")
        assert page.input_value(f"section.phone[id='{fire.mobile}'] input[name=body]") == "N6HA 收"
    finally:
        context.close()
