"""What staff, an enterprise and a citizen see in the console, in Debian's Chromium."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import expect
from tianmen_gateway.identity.demo_users import DEMO_USCC

from tests.browser.conftest import PHONE, OpenPage, screenshot, sign_in
from tests.browser.scenes import deducted, tonight_so_far
from tests.integration.helpers import eventually, register_bound_machine, register_enterprise

pytestmark = pytest.mark.integration
LIVE = 20_000  # ms: alerts are pushed (SSE), the enterprise file refreshes every 5 s
CHAIN = 60_000  # ms: alert → violation → points → credit, through the broker


def test_liaison_sees_a_night_work_alert_arrive_and_the_enterprises_points(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    ids = register_bound_machine(gateway)
    page = open_page()
    sign_in(page, console, "city")
    expect(page.get_by_role("heading", name="总览")).to_be_visible()
    registered = len(gateway.get("/machines", params={"limit": 500}).json()["items"])
    expect(page.get_by_role("region", name="登记机械").locator(".figure")).to_have_text(
        str(registered)
    )
    screenshot(page, "dashboard")
    page.get_by_role("link", name="告警").click()
    alerts = page.locator("#alerts tbody")
    expect(page.locator("#stream-state")).to_have_text("实时推送已连接")  # pushed from here on
    expect(alerts.locator("tr")).not_to_have_count(0)  # the newest alerts, or "no alerts"
    page.evaluate("window.notReloaded = true")

    report = {
        "terminal_id": ids["terminal_id"],
        "reported_at": tonight_so_far(),
        "latitude": 30.6531,
        "longitude": 113.1661,
        "working": True,
    }
    assert gateway.post("/telemetry/reports", json={"reports": [report]}).status_code == 202
    row = alerts.locator(f"tr[data-rule='night_work']:has-text('{ids['machine_id']}')")
    expect(row).to_be_visible(timeout=LIVE + CHAIN)
    expect(row).to_contain_text("夜间施工")
    assert page.evaluate("window.notReloaded") is True, "the alert came with a reload"
    screenshot(page, "alerts")

    row.get_by_role("link", name=ids["enterprise_id"]).click()
    view = eventually(lambda: deducted(gateway, ids["enterprise_id"]), what="points deducted")
    safety = view["safety"]
    balance = page.locator("#safety-balance")
    expect(balance).to_have_text(f"{safety['balance']} / {safety['initial_points']}", timeout=LIVE)
    expect(page.locator("#credit-score")).to_have_text(str(view["credit"]["score"]), timeout=LIVE)
    expect(page.locator("#credit-reasons")).to_contain_text("night_work_without_permit")
    screenshot(page, "enterprise-file")

    page.get_by_role("link", name="地图").click()
    expect(page.get_by_role("region", name="地图")).to_be_visible()
    expect(page.locator("#positions")).to_contain_text(ids["machine_id"], timeout=LIVE)
    page.wait_for_timeout(1000)  # the boundaries' first draw
    screenshot(page, "map")


def _photo(folder: Path) -> Path:
    path = folder / "excavator.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_citizen_submits_a_tip_with_a_photo_and_follows_it_to_verified_and_its_reward(
    open_page: OpenPage, console: str, gateway: httpx.Client, tmp_path: Path
) -> None:
    page = open_page(PHONE)
    sign_in(page, console, "citizen")
    expect(page.get_by_role("heading", name="我要举报")).to_be_visible()
    screenshot(page, "citizen")
    page.get_by_label("类别").select_option("night_work")
    page.get_by_label("描述").fill("竟陵街道工地挖掘机凌晨施工")
    page.get_by_label("照片").set_input_files(str(_photo(tmp_path)))
    page.get_by_label("纬度").fill("30.6612")
    page.get_by_label("经度").fill("113.1573")
    with (
        page.expect_response("**/api/v1/media") as upload,
        page.expect_response("**/api/v1/tips") as tip,
    ):
        page.get_by_role("button", name="提交").click()
    assert upload.value.status == 201, upload.value.text()
    assert tip.value.status == 201, tip.value.text()
    tip_id = tip.value.json()["tip_id"]
    staff_view = gateway.get(f"/tips/{tip_id}")  # as an auditor
    assert staff_view.status_code == 200, staff_view.text
    assert staff_view.json()["status"] == "submitted"
    mine = page.locator("#my-tips li", has_text=tip_id)
    expect(mine.locator(".tip-status")).to_have_text("已提交")
    expect(mine.locator(".tip-steps .step-status")).to_have_text(["已提交"])
    screenshot(page, "citizen-tip")

    enterprise_id = register_enterprise(gateway)
    for step, body in [
        ("assign", None),
        ("start", None),
        ("verify", {"enterprise_id": enterprise_id, "major_hazard": False}),
    ]:
        answer = gateway.post(f"/tips/{tip_id}/{step}", json=body)  # city staff
        assert answer.status_code == 200, (step, answer.text)
    page.get_by_role("button", name="刷新").click()
    expect(mine.locator(".tip-status")).to_have_text("属实")
    steps = mine.get_by_role("list", name="办理进度").locator(".step-status")
    expect(steps).to_have_text(["已提交", "已分派", "核查中", "属实"])
    expect(mine.locator(".tip-reward")).to_have_text("奖励已核定: 50 元")  # night work, ordinary
    reward = page.locator(f"#my-rewards li[data-tip-id='{tip_id}']")
    expect(reward.locator(".reward-amount")).to_have_text("50 元")
    expect(reward.locator(".reward-state")).to_have_text("奖励已核定")
    screenshot(page, "citizen-rewards")


def test_an_enterprise_user_cannot_open_another_enterprises_page(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    own = gateway.post("/enterprises", json={"uscc": DEMO_USCC, "name": "天门市示范土石方有限公司"})
    assert own.status_code in (201, 409), own.text
    other = register_enterprise(gateway)
    page = open_page()
    sign_in(page, console, "enterprise")
    expect(page.get_by_role("heading", name="天门市示范土石方有限公司")).to_be_visible()
    screenshot(page, "enterprise-portal")
    page.goto(f"{console}#/enterprises/{other}")
    expect(page.locator("#refusal")).to_contain_text("404")
    expect(page.get_by_role("heading", level=1)).to_have_text("无法查看此企业(不存在或无权访问)")
    screenshot(page, "enterprise-refused")
    page.get_by_role("button", name="Switch to English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This enterprise cannot be shown (it does not exist or is not yours)"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
