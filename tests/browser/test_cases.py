"""The case desk in Debian's Chromium: an alert a person must judge waits on the desk until
staff confirm it in the browser; then the enterprise's points and grade fall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, screenshot, sign_in
from tests.browser.scenes import CHINA, open_case, wait_deducted
from tests.integration.helpers import register_enterprise
from tests.integration.test_safety_desk import TOWNSHIP, _alert, _publish

pytestmark = pytest.mark.integration
JINGLING = "429006001"  # 竟陵街道: the demo township liaison's
LIVE = 30_000  # ms: the desk refreshes every 5 s; a decision is applied after a round trip


def test_staff_confirm_an_overlong_work_case_and_the_points_and_grade_fall(
    open_page: OpenPage, console: str, gateway: httpx.Client, bootstrap_servers: str
) -> None:
    enterprise_id = register_enterprise(gateway)
    an_hour_ago = datetime.now(UTC).astimezone(CHINA) - timedelta(hours=1)
    _publish(bootstrap_servers, _alert(enterprise_id, 1, "continuous_work", an_hour_ago))
    case = open_case(gateway, enterprise_id)
    assert case["jurisdiction"] == TOWNSHIP
    before = gateway.get(f"/enterprises/{enterprise_id}").json()
    assert before["safety"]["balance"] == before["safety"]["initial_points"], "moved undecided"
    page = open_page()
    sign_in(page, console, "city")
    page.get_by_role("link", name="案件", exact=True).click()
    row = page.locator(f"#cases tr[data-case-id='{case['case_id']}']")
    expect(row.locator(".state")).to_have_text("待处理", timeout=LIVE)
    screenshot(page, "cases")
    row.get_by_role("button", name="确认违规").click()
    expect(page.locator("#main .notice")).to_contain_text("已记录")
    page.get_by_label("状态").select_option("confirmed")
    expect(row.locator(".state")).to_contain_text("已确认", timeout=LIVE)
    row.get_by_role("link", name=enterprise_id, exact=True).click()
    after = wait_deducted(gateway, enterprise_id)
    safety, credit = after["safety"], after["credit"]
    balance = f"{safety['balance']} / {safety['initial_points']}"
    expect(page.locator("#safety-balance")).to_have_text(balance, timeout=LIVE)
    expect(page.locator("#credit-score")).to_have_text(str(credit["score"]), timeout=LIVE)
    expect(page.locator("#credit-grade")).to_have_text(str(credit["grade"]), timeout=LIVE)
    assert credit["score"] < before["credit"]["score"]
    screenshot(page, "case-confirmed")


def test_a_liaison_escalates_a_case_to_the_station_with_a_reason(
    open_page: OpenPage, console: str, gateway: httpx.Client, bootstrap_servers: str
) -> None:
    enterprise_id = register_enterprise(gateway)
    an_hour_ago = datetime.now(UTC).astimezone(CHINA) - timedelta(hours=1)
    alert = _alert(enterprise_id, 2, "continuous_work", an_hour_ago)
    _publish(bootstrap_servers, alert.model_copy(update={"jurisdiction": JINGLING}))
    case = open_case(gateway, enterprise_id)
    assert (case["tier"], case["jurisdiction"]) == ("township", JINGLING)
    page = open_page()
    sign_in(page, console, "township")
    page.get_by_role("link", name="案件", exact=True).click()
    row = page.locator(f"#cases tr[data-case-id='{case['case_id']}']")
    expect(row.locator(".tier")).to_contain_text("乡镇", timeout=LIVE)
    row.get_by_role("button", name="上报上级").click()  # no reason: refused, nothing moves
    expect(page.locator("#main .notice")).to_contain_text("reason")
    row.get_by_label("理由(驳回或上报上级时必填)").fill("涉及多个乡镇的工地")
    row.get_by_role("button", name="上报上级").click()
    expect(page.locator("#main .notice")).to_contain_text("已记录")
    expect(row.locator(".tier")).to_contain_text("站(县区) (已上报 ×1)", timeout=LIVE)
    moved = gateway.get(f"/cases/{case['case_id']}").json()
    assert (moved["tier"], moved["state"], moved["escalations"]) == ("station", "open", 1)
    screenshot(page, "case-escalated")
