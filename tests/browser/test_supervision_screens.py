"""The staff console's supervision desks in Debian's Chromium: a county station user opens the
inspections, campaigns and orders filed through the API; a liaison opens the tips queue and
sees a tip with the machine whose track passed near it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage, screenshot, sign_in
from tests.browser.scenes import demo_enterprise
from tests.integration.helpers import (
    DemoLogin,
    eventually,
    every_page,
    new_machine,
    register_bound_machine,
    register_enterprise,
)
from tests.integration.test_tips_canary import a_photo

pytestmark = pytest.mark.integration
TOWNSHIP = "429006001"  # 竟陵街道, under the demo station (城区站) the "station" user staffs


def _filed(gateway: httpx.Client, path: str, body: dict[str, Any]) -> str:
    answer = gateway.post(path, json=body)
    assert answer.status_code == 202, answer.text
    return str(answer.json().get("id") or answer.json()["order_id"])


def _machine_in_township(gateway: httpx.Client) -> tuple[str, str, str]:
    enterprise_id = register_enterprise(gateway)
    body = {**new_machine(enterprise_id), "jurisdiction_code": TOWNSHIP}
    machine = gateway.post("/machines", json=body)
    assert machine.status_code == 201, machine.text
    return enterprise_id, str(machine.json()["machine_id"]), str(body["kind"])


def _campaign_with_findings(gateway: httpx.Client) -> dict[str, str]:
    """A campaign, a joint spot check under it that failed a machine, and the stop-use order."""
    enterprise_id, machine_id, kind = _machine_in_township(gateway)
    now = datetime.now(UTC)
    campaign_id = _filed(
        gateway,
        "/campaigns",
        {
            "title": f"起重机械专项整治 {machine_id[:8]}",
            "jurisdictions": ["429006"],
            "categories": ["excavator", "tower_crane"],
            "starts_at": (now - timedelta(days=10)).isoformat(),
            "ends_at": (now + timedelta(days=30)).isoformat(),
        },
    )
    spot = {
        "enterprise_id": enterprise_id,
        "inspected_at": (now - timedelta(days=1)).isoformat(),
        "departments": ["housing_and_construction", "emergency_management"],
        "findings": [{"machine_id": machine_id, "passed": False, "note": "限位器失效"}],
        "jurisdiction": TOWNSHIP,
        "campaign_id": campaign_id,
    }
    inspection_id = _filed(gateway, "/inspections/spot-checks", spot)
    hazard = {
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "severity": "grave",
        "major": True,
        "description": "起重力矩限制器失效",
        "found_at": (now - timedelta(days=1)).isoformat(),
        "order": "stop_use",
        "jurisdiction": TOWNSHIP,
        "machine_kind": kind,  # a campaign's scope is checked on filing (decision 54)
        "campaign_id": campaign_id,
    }
    order_id = _filed(gateway, "/hazards", hazard)
    ids = {"enterprise_id": enterprise_id, "machine_id": machine_id, "campaign_id": campaign_id}
    return {**ids, "inspection_id": inspection_id, "order_id": order_id}


def _applied(gateway: httpx.Client, ids: dict[str, str]) -> dict[str, Any]:
    """The campaign's report once safety has applied the spot check and the order."""

    def report() -> dict[str, Any] | None:
        answer = gateway.get(f"/campaigns/{ids['campaign_id']}/report")
        found: dict[str, Any] = answer.json() if answer.status_code == 200 else {}
        return found if found.get("stop_use_orders") == 1 and found["machines_checked"] else None

    return eventually(report, what="the campaign's report")


def test_a_station_user_sees_the_inspections_campaigns_and_orders_filed_through_the_api(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    ids = _campaign_with_findings(gateway)
    report = _applied(gateway, ids)
    page = open_page()
    sign_in(page, console, "station")

    page.get_by_role("link", name="检查", exact=True).click()
    page.get_by_label("类型").select_option(label="联合抽查")
    page.get_by_label("辖区").select_option(TOWNSHIP)
    page.get_by_role("button", name="查询").click()
    row = page.locator(f"#inspections tr[data-inspection-id='{ids['inspection_id']}']")
    expect(row).to_contain_text("联合抽查")
    expect(row).to_contain_text("住房和城乡建设")
    expect(row).to_contain_text("应急管理")
    row.locator("summary").click()
    finding = row.locator(f"tr[data-machine-id='{ids['machine_id']}']")
    expect(finding).to_contain_text("不合格")
    expect(finding).to_contain_text("限位器失效")
    screenshot(page, "inspections")

    page.get_by_role("link", name="专项行动").click()
    listed = page.locator(f"#campaigns tr[data-campaign-id='{ids['campaign_id']}']")
    expect(listed.locator(".hazards")).to_have_text(str(report["hazards"]))
    expect(listed.locator(".ordered-out")).to_have_text(str(report["major_hazard_machines"]))
    supervised = str(report["key_supervision_enterprises"])  # safety's figure, not today's list
    expect(listed.locator(".key-supervised")).to_have_text(supervised)
    screenshot(page, "campaigns")
    listed.get_by_role("link").click()
    figures = page.locator("#campaign-figures")
    expect(figures.locator("tr[data-figure='stopUseOrders'] td").nth(1)).to_have_text("1")
    with_hazards = figures.locator("tr[data-figure='machinesWithHazards'] td").nth(1)
    expect(with_hazards).to_have_text(str(report["hazard_machines"]))
    inspected = page.locator(
        f"#campaign-inspections tr[data-inspection-id='{ids['inspection_id']}']"
    )
    expect(inspected).to_be_visible()
    expect(page.locator(f"#campaign-orders tr[data-order-id='{ids['order_id']}']")).to_be_visible()
    screenshot(page, "campaign")

    page.get_by_role("link", name="整改与停用指令").click()
    order = page.locator(f"#orders tr[data-order-id='{ids['order_id']}']")
    expect(order).to_contain_text("停止使用")
    expect(order).to_contain_text("已下达")
    expect(order).to_contain_text(ids["machine_id"])
    expect(order).to_contain_text(ids["enterprise_id"])
    screenshot(page, "orders")


def _photo_sent_by_a_citizen(console: str) -> str:
    url = console.removesuffix("/console/")
    with httpx.Client(base_url=f"{url}/api/v1", auth=DemoLogin(url, "citizen")) as citizen:
        sent = citizen.post("/media", files={"file": ("site.jpg", a_photo())})
    assert sent.status_code == 201, sent.text
    media_id: str = sent.json()["media_id"]
    return media_id


def test_a_liaison_opens_the_tips_queue_sees_a_tips_photo_and_evidence_and_verifies_it(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    machine = register_bound_machine(gateway)
    point = {
        "terminal_id": machine["terminal_id"],
        "reported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "latitude": 30.6532,
        "longitude": 113.1662,
        "working": False,  # parked: no night-work alert whatever the hour
    }
    assert gateway.post("/telemetry/reports", json={"reports": [point]}).status_code == 202
    description = f"挖机司机无证 {machine['machine_id'][:8]}"
    media_id = _photo_sent_by_a_citizen(console)
    tip = {
        "category": "unlicensed_operation",
        "description": description,
        "latitude": 30.6531,
        "longitude": 113.1661,
        "anonymous": True,
        "media_ids": [media_id],
    }
    submitted = gateway.post("/tips", json=tip)
    assert submitted.status_code == 201, submitted.text
    tip_id = submitted.json()["tip_id"]

    def near() -> list[dict[str, Any]] | None:
        found: list[dict[str, Any]] = gateway.get(f"/tips/{tip_id}/evidence").json()
        return [m for m in found if m["machine_id"] == machine["machine_id"]] or None

    [evidence] = eventually(near, what="the machine as the tip's evidence")
    page = open_page()
    sign_in(page, console, "city")
    waiting = len(every_page(gateway, "/api/v1/tips", limit=500))
    card = page.get_by_role("region", name="待核查举报").locator(".figure")
    expect(card).to_have_text(str(waiting))
    page.get_by_role("link", name="举报核查").click()
    row = page.locator(f"#tips tr[data-tip-id='{tip_id}']")
    expect(row).to_contain_text(description)
    expect(row).to_contain_text("无证作业")
    expect(row).to_contain_text(TOWNSHIP)
    photo = row.get_by_role("img", name=f"举报照片 {media_id}")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 32  # not broken
    row.get_by_text("遥测佐证").click()
    nearby = row.locator(f"tr[data-machine-id='{machine['machine_id']}']")
    expect(nearby).to_contain_text(machine["enterprise_id"])
    expect(nearby).to_contain_text(f"{evidence['closest_m']:.1f}")
    screenshot(page, "tips-queue")

    row.get_by_role("button", name="领取").click()
    expect(row.locator(".state")).to_have_text("已分派")
    row.get_by_role("button", name="开始核查").click()
    expect(row.locator(".state")).to_have_text("核查中")
    row.get_by_label("涉及企业编号").fill(machine["enterprise_id"])
    row.get_by_label("涉及机械编号").fill(machine["machine_id"])
    row.get_by_role("button", name="属实").click()
    expect(row).to_have_count(0)  # no longer waiting
    progress = gateway.get(f"/tips/{tip_id}")
    assert progress.json()["status"] == "verified", progress.text
    page.get_by_label("状态").select_option(label="属实")
    expect(row.locator(".state")).to_have_text("属实")


def test_an_enterprise_sees_its_self_inspections_in_its_portal(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    enterprise_id = demo_enterprise(gateway)
    machine = gateway.post("/machines", json=new_machine(enterprise_id))
    assert machine.status_code == 201, machine.text
    note = f"自查 {machine.json()['machine_id'][:8]}:限位器、钢丝绳完好"
    filed = {
        "enterprise_id": enterprise_id,
        "inspected_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        "machine_ids": [machine.json()["machine_id"]],
        "findings": note,
    }
    inspection_id = _filed(gateway, "/inspections/self", filed)

    def applied() -> bool:
        listed = gateway.get("/inspections", params={"enterprise_id": enterprise_id}).json()
        return any(item["inspection_id"] == inspection_id for item in listed["items"])

    eventually(applied, what="the self-inspection applied")
    page = open_page()
    sign_in(page, console, "enterprise")
    row = page.locator(f"#self-inspections tr[data-inspection-id='{inspection_id}']")
    expect(row).to_contain_text("企业自查")
    row.locator("summary").click()
    expect(row).to_contain_text(note)
    screenshot(page, "self-inspections")
