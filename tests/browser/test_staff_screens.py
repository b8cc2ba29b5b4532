"""The staff console's files and desks in Debian's Chromium: the auditor's as-of and bundle,
the published statistics and their workbook, a machine's file with its track replayed, the
applications queue with its countdown."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import OpenPage, screenshot, sign_in
from tests.browser.scenes import (
    CHINA,
    china_day,
    report_night_work,
    wait_deducted,
)
from tests.browser.test_supervision_screens import _applied, _campaign_with_findings
from tests.integration.helpers import (
    eventually,
    every_page,
    register_bound_machine,
    register_enterprise,
    submit_registration,
)

pytestmark = pytest.mark.integration


def _as_of(gateway: httpx.Client, enterprise_id: str, day: str) -> dict[str, object]:
    answer = gateway.get(
        f"/enterprises/{enterprise_id}/credit/as-of", params={"at": f"{day}T23:59:59+08:00"}
    )
    assert answer.status_code == 200, answer.text
    known_then: dict[str, object] = answer.json()["known_then"]
    return known_then


def _show_audit(page: Page, enterprise_id: str, day: str) -> None:
    page.get_by_label("截至日期").fill(day)
    page.get_by_label("企业").select_option(enterprise_id)
    page.get_by_role("button", name="查询").click()


def test_auditor_sees_the_standing_as_known_on_a_day_and_exports_the_bundle(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    ids = register_bound_machine(gateway)
    report_night_work(gateway, ids["terminal_id"])
    wait_deducted(gateway, ids["enterprise_id"])
    before, today = _as_of(gateway, ids["enterprise_id"], china_day(1)), china_day()

    def changed() -> dict[str, object] | None:
        now_known = _as_of(gateway, ids["enterprise_id"], today)
        return now_known if now_known["score"] != before["score"] else None

    after = eventually(changed, what="the as-of to see today's violation")
    page = open_page()
    sign_in(page, console, "auditor")
    page.goto(f"{console}#/audit")
    _show_audit(page, ids["enterprise_id"], china_day(1))
    expect(page.locator("#known-then .score")).to_have_text(str(before["score"]))
    _show_audit(page, ids["enterprise_id"], today)
    expect(page.locator("#known-then .score")).to_have_text(str(after["score"]))
    expect(page.locator("#known-then .grade")).to_have_text(str(after["grade"]))
    expect(page.locator("#known-then")).to_contain_text("-")  # the violation's contribution
    shown = {
        s: page.locator(f"#digests td[data-service='{s}']").inner_text()
        for s in ("telemetry", "safety", "credit")
    }
    assert all(re.fullmatch(r"[0-9a-f]{16,}", digest) for digest in shown.values()), shown
    screenshot(page, "audit")
    with page.expect_download() as saved:
        page.get_by_role("button", name="导出审计包").click()
    bundle = json.loads(Path(saved.value.path()).read_text(encoding="utf-8"))
    assert bundle["enterprise_id"] == ids["enterprise_id"] and bundle["day"] == today
    assert bundle["digests"] == shown
    assert bundle["as_of"]["known_then"]["score"] == after["score"]
    assert any(change["score"] == after["score"] for change in bundle["credit_history"])


def _alerts_between(gateway: httpx.Client, start: datetime, end: str) -> int:
    """How many alerts were observed in [start, end), as the gateway lists them."""
    until = datetime.fromisoformat(end)
    observed = [
        datetime.fromisoformat(alert["observed_at"])
        for alert in every_page(gateway, "/alerts", limit=500)
    ]
    return sum(start <= (t if t.tzinfo else t.replace(tzinfo=UTC)) < until for t in observed)


def _summary_on_page(page: Page) -> dict[str, str]:
    rows = page.locator("#stats-0 tbody tr")
    return {
        rows.nth(n).locator("td").nth(0).inner_text(): rows.nth(n).locator("td").nth(1).inner_text()
        for n in range(rows.count())
    }


def test_statistics_for_a_period_match_the_services_and_export_to_xlsx(
    open_page: OpenPage, console: str, gateway: httpx.Client, tmp_path: Path
) -> None:
    tip = {
        "category": "night_work",
        "description": "统计测试举报",
        "latitude": 30.66,
        "longitude": 113.15,
        "anonymous": True,
        "media_ids": [],
    }
    assert gateway.post("/tips", json=tip).status_code == 201
    campaign = _campaign_with_findings(gateway)
    report = _applied(gateway, campaign)
    hazards = report["hazards"]
    assert hazards >= 1
    title = gateway.get(f"/campaigns/{campaign['campaign_id']}").json()["title"]
    ids = register_bound_machine(gateway)
    report_night_work(gateway, ids["terminal_id"])
    eventually(
        lambda: gateway.get("/alerts", params={"machine_id": ids["machine_id"]}).json()["items"],
        what="the night-work alert",
    )
    first, last = china_day(6), china_day()
    end = (datetime.fromisoformat(f"{last}T00:00:00+08:00") + timedelta(days=1)).isoformat()
    alerts = _alerts_between(gateway, datetime.fromisoformat(f"{first}T00:00:00+08:00"), end)
    assert alerts >= 1
    figures = gateway.get(
        "/tip-stats", params={"start": f"{first}T00:00:00+08:00", "end": end}
    ).json()["figures"]
    assert figures["received"] >= 1
    page = open_page()
    sign_in(page, console, "city")
    page.goto(f"{console}#/statistics")
    page.get_by_label("起始日期").fill(first)
    page.get_by_label("截止日期").fill(last)
    page.get_by_role("button", name="查询").click()
    received = page.locator("#stats-0 tr", has_text="收到举报").locator("td").nth(1)
    expect(received).to_have_text(str(figures["received"]))
    shown = _summary_on_page(page)
    per_campaign = page.locator("#stats-5 tr", has_text=title).locator("td")
    expect(per_campaign.nth(2)).to_have_text(str(hazards))
    expect(per_campaign.nth(4)).to_have_text(str(report["stop_use_orders"]))
    screenshot(page, "statistics")
    with page.expect_download() as saved:
        page.get_by_role("button", name="导出 Excel").click()
    assert saved.value.suggested_filename == f"tianmen-statistics-{first}-{last}.xlsx"
    workbook = tmp_path / saved.value.suggested_filename
    saved.value.save_as(workbook)
    book = load_workbook(workbook)
    assert book.sheetnames == [
        "汇总",
        "告警按规则",
        "重点监管名单",
        "限制政府采购企业",
        "业务办理时长",
        "各专项行动隐患数",
    ]
    sheet = book["汇总"]
    assert sheet["A1"].value == f"{first} — {last}"
    in_book = {str(r[0]): str(r[1]) for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert in_book == shown
    assert in_book["收到举报"] == str(figures["received"])
    assert in_book["查实举报"] == str(figures["verified"])
    assert in_book["期间告警"] == str(alerts)
    campaigns = {
        r[0]: r[2:] for r in book["各专项行动隐患数"].iter_rows(min_row=3, values_only=True)
    }
    figures_of = (hazards, report["major_hazard_machines"], report["stop_use_orders"])
    assert campaigns[title] == figures_of


def test_machine_file_shows_its_timeline_and_replays_its_track(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    ids = register_bound_machine(gateway)
    now = datetime.now(UTC).astimezone(CHINA)
    reports = [
        {
            "terminal_id": ids["terminal_id"],
            "working": n % 2 == 0,
            "latitude": 30.650 + n / 100,
            "longitude": 113.160 + n / 100,
            "reported_at": (now - timedelta(minutes=30 - 10 * n)).isoformat(timespec="seconds"),
        }
        for n in range(3)
    ]
    assert gateway.post("/telemetry/reports", json={"reports": reports}).status_code == 202
    path = f"/machines/{ids['machine_id']}/track"
    eventually(lambda: len(gateway.get(path).json()["items"]) == 3, what="the track")
    page = open_page()
    sign_in(page, console, "city")
    page.goto(f"{console}#/machines/{ids['machine_id']}")
    expect(page.locator("#timeline tbody tr").first).to_be_visible()
    expect(page.get_by_role("region", name="轨迹回放").first).to_be_visible()
    slider, at = page.get_by_label("回放位置"), page.locator("#replay-at")
    expect(at).to_contain_text("30.67000, 113.18000")
    slider.focus()
    page.keyboard.press("Home")
    expect(at).to_contain_text("30.65000, 113.16000")
    expect(at).to_contain_text("作业中")
    page.keyboard.press("ArrowRight")
    expect(at).to_contain_text("30.66000, 113.17000")
    expect(at).to_contain_text("停机")
    page.wait_for_timeout(1000)  # the track's first draw
    screenshot(page, "machine-file")


def _submit_application(gateway: httpx.Client, enterprise_id: str) -> dict[str, object]:
    submitted = submit_registration(gateway, enterprise_id)
    accepted = gateway.post(f"/applications/{submitted['application_id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    application: dict[str, object] = accepted.json()
    return application


def test_applications_queue_counts_down_to_the_working_day_deadline(
    open_page: OpenPage, console: str, gateway: httpx.Client
) -> None:
    application = _submit_application(gateway, register_enterprise(gateway))
    due = datetime.fromisoformat(str(application["due_at"]))
    due = due if due.tzinfo else due.replace(tzinfo=UTC)  # the registry answers SQLite's naive UTC
    days = int((due - datetime.now(UTC)).total_seconds() // 3600) // 24
    page = open_page()
    sign_in(page, console, "city")
    page.goto(f"{console}#/applications")
    row = page.locator(f"tr[data-application-id='{application['application_id']}']")
    expect(row).to_contain_text("登记")
    expect(row.locator(".countdown")).to_have_text(re.compile(rf"剩余 {days}天 \d+小时"))
    screenshot(page, "applications")


def test_a_period_asked_for_is_not_overwritten_by_the_default_periods_late_answer(
    open_page: OpenPage, console: str, tmp_path: Path
) -> None:
    """The view's first load (this month so far) answering after the period the user then asked
    for must not replace it: the table and the workbook are the asked period's."""
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    first, last = china_day(45), china_day(10)  # never this month's first day through today
    page = open_page()
    sign_in(page, console, "city")
    page.route("**/api/v1/tip-stats*", hold_the_first)
    page.goto(f"{console}#/statistics")
    for _ in range(300):  # the handler runs while Playwright waits, not while Python sleeps
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the view's first load never asked for the figures"
    page.get_by_label("起始日期").fill(first)
    page.get_by_label("截止日期").fill(last)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("button", name="导出 Excel")).to_be_visible()
    with page.expect_response(lambda r: r.request == held[0].request):
        held[0].continue_()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as saved:
        page.get_by_role("button", name="导出 Excel").click()
    assert saved.value.suggested_filename == f"tianmen-statistics-{first}-{last}.xlsx"
    workbook = tmp_path / saved.value.suggested_filename
    saved.value.save_as(workbook)
    assert load_workbook(workbook)["汇总"]["A1"].value == f"{first} — {last}"
