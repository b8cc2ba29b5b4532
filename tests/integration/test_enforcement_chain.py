"""The enforcement chain, driven through the gateway only, then proven by replay."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import (
    NIGHT_REPORT,
    enterprise_view,
    env_with,
    eventually,
    every_page,
    register_bound_machine,
)

pytestmark = pytest.mark.integration


def test_night_work_becomes_violation_points_and_lower_credit(gateway: httpx.Client) -> None:
    ids = register_bound_machine(gateway)
    accepted = gateway.post(
        "/telemetry/reports",
        json={"reports": [{**NIGHT_REPORT, "terminal_id": ids["terminal_id"]}]},
    )
    assert accepted.status_code == 202, accepted.text

    view = eventually(
        lambda: enterprise_view(gateway, ids["enterprise_id"]),
        what="violation, points and credit score for the night work",
    )

    [violation] = every_page(gateway, view["links"]["violations"])
    assert violation["code"] == "night_work_without_permit"
    assert violation["machine_id"] == ids["machine_id"]
    assert view["safety"]["balance"] == view["safety"]["initial_points"] - violation["points"]
    credit = view["credit"]
    assert credit["score"] < credit["latest_change"]["score_before"]
    reasons = credit["latest_change"]["reasons"]
    assert reasons[0]["event_type"] == "tianmen.safety.violation_recorded"
    assert "night_work_without_permit" in reasons[0]["description"]
    assert reasons[0]["event_id"]


def test_same_night_reported_twice_is_one_violation(gateway: httpx.Client, suite: Suite) -> None:
    ids = register_bound_machine(gateway)
    later = {**NIGHT_REPORT, "reported_at": "2026-05-13T01:10:00+08:00"}
    batch = [{**r, "terminal_id": ids["terminal_id"]} for r in (NIGHT_REPORT, later)]
    for _ in range(2):
        assert gateway.post("/telemetry/reports", json={"reports": batch}).status_code == 202
    eventually(lambda: enterprise_view(gateway, ids["enterprise_id"]), what="the violation")
    wait_until_drained(suite)  # a second violation, had there been one, has arrived by now
    view = gateway.get(f"/enterprises/{ids['enterprise_id']}").json()
    alerts = gateway.get("/alerts", params={"machine_id": ids["machine_id"]}).json()["items"]
    assert len(alerts) == 1
    assert len(every_page(gateway, view["links"]["violations"])) == 1
    assert len(every_page(gateway, view["links"]["credit_history"])) == 1


def _replayed_digest(service: str, bootstrap_servers: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", f"tianmen_{service}", "replay"],
        env=env_with(bootstrap_servers),
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert "applied=" in lines.get("events", ""), result.stdout + result.stderr
    return lines["digest"]


@pytest.mark.parametrize("service", ["safety", "credit", "telemetry"])
def test_replay_from_zero_gives_the_live_digest(
    service: str, gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    ids = register_bound_machine(gateway)
    report = {**NIGHT_REPORT, "terminal_id": ids["terminal_id"]}
    assert gateway.post("/telemetry/reports", json={"reports": [report]}).status_code == 202
    eventually(lambda: enterprise_view(gateway, ids["enterprise_id"]), what="the chain")

    def settled() -> tuple[str, str] | None:
        live = gateway.get("/audit/digests").json()[service]
        replayed = _replayed_digest(service, bootstrap_servers)
        return (live, replayed) if live == replayed else None

    live, replayed = eventually(settled, timeout=120, what=f"{service} replay to match live")
    assert live == replayed


def test_replay_as_of_a_date_leaves_out_what_came_later(
    gateway: httpx.Client, bootstrap_servers: str
) -> None:
    ids = register_bound_machine(gateway)
    report = {**NIGHT_REPORT, "terminal_id": ids["terminal_id"]}
    assert gateway.post("/telemetry/reports", json={"reports": [report]}).status_code == 202
    eventually(lambda: enterprise_view(gateway, ids["enterprise_id"]), what="the chain")

    def replay(as_of: str) -> dict[str, str]:
        result = subprocess.run(
            [sys.executable, "-m", "tianmen_credit", "replay", "--as-of", as_of],
            env=env_with(bootstrap_servers),
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        return dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)

    before = replay("2026-05-12T23:00:00+08:00")
    after = replay("2026-05-13T00:00:00+08:00")
    # Other tests may have put older history on the topics (test_safety_year's starts a year
    # back): what the hour between the two moments adds is this chain's night work.
    early, late = _counts(before["events"]), _counts(after["events"])
    assert late.get("applied", 0) > early.get("applied", 0)
    assert early["after_as_of"] > late.get("after_as_of", 0)
    assert before["digest"] != after["digest"]


def _counts(line: str) -> dict[str, int]:
    """`after_as_of=46, applied=14, ignored=12` as numbers."""
    pairs = (part.strip().split("=", 1) for part in line.split(",") if "=" in part)
    return {name: int(number) for name, number in pairs}
