"""The enterprise portal in Debian's Chromium: its grade with reasons, and credit repair."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, screenshot, sign_in
from tests.browser.scenes import demo_enterprise, report_night_work, wait_deducted
from tests.integration.helpers import bind_new_machine

pytestmark = pytest.mark.integration


def test_an_enterprise_sees_why_its_grade_fell_and_applies_for_credit_repair(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    enterprise_id = demo_enterprise(gateway)
    ids = bind_new_machine(gateway, enterprise_id)
    report_night_work(gateway, ids["terminal_id"])
    wait_deducted(gateway, enterprise_id)
    standing = gateway.get(f"/enterprises/{enterprise_id}/credit/standing").json()
    owed = [c for c in standing["contributions"] if c["effect"] < 0 and c["in_force"]]
    assert owed, standing
    page = open_page()
    sign_in(page, console, "enterprise")
    explained = page.locator("#contributions")
    expect(explained).to_contain_text(owed[0]["zh"])
    expect(page.locator("#fleet")).to_contain_text(ids["machine_id"])
    screenshot(page, "enterprise-grade")
    target = owed[0]["event_id"]
    row = explained.locator(f"li[data-event-id='{target}']")
    row.get_by_label("整改证明").fill("已于次日停工整改,附整改照片")
    row.get_by_role("button", name="申请信用修复").click()
    repair_id = row.locator(".repair-id")
    expect(repair_id).not_to_be_empty()
    answer = gateway.get(f"/enterprises/{enterprise_id}/credit/repairs/{repair_id.inner_text()}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["target_event_id"] == target
    screenshot(page, "credit-repair")
