"""What the browser tests set up through the gateway before a user looks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from tianmen_gateway.identity.demo_users import DEMO_USCC, demo_users

from tests.integration.helpers import eventually

CHINA = timezone(timedelta(hours=8))


def tonight_so_far() -> str:
    """A working report's time that the night-work rule flags: 00:30 today in Tianmen (or a
    few minutes ago if that is still to come), so it is today's alert in this year's cycle."""
    local = datetime.now(UTC).astimezone(CHINA)
    at = local.replace(hour=0, minute=30) if local.hour >= 1 else local - timedelta(minutes=5)
    return at.isoformat(timespec="seconds")


def china_day(days_ago: int = 0) -> str:
    return (datetime.now(UTC).astimezone(CHINA) - timedelta(days=days_ago)).date().isoformat()


def report_night_work(gateway: httpx.Client, terminal_id: str) -> None:
    report = {
        "terminal_id": terminal_id,
        "reported_at": tonight_so_far(),
        "latitude": 30.6531,
        "longitude": 113.1661,
        "working": True,
    }
    assert gateway.post("/telemetry/reports", json={"reports": [report]}).status_code == 202


def deducted(gateway: httpx.Client, enterprise_id: str) -> dict[str, Any] | None:
    """The enterprise's view once its points were deducted and its credit changed."""
    answer = gateway.get(f"/enterprises/{enterprise_id}")
    if answer.status_code != 200:  # an upstream slow to answer on a loaded machine: ask again
        return None
    view: dict[str, Any] = answer.json()
    safety, credit = view["safety"], view["credit"]
    return view if safety["balance"] < safety["initial_points"] and credit["change_count"] else None


def wait_deducted(gateway: httpx.Client, enterprise_id: str) -> dict[str, Any]:
    return eventually(lambda: deducted(gateway, enterprise_id), timeout=120, what="deduction")


def open_case(gateway: httpx.Client, enterprise_id: str) -> dict[str, Any]:
    """The enterprise's open case, once safety has opened it from the alert."""

    def found() -> dict[str, Any] | None:
        params = {"state": "open", "enterprise_id": enterprise_id}
        items: list[dict[str, Any]] = gateway.get("/cases", params=params).json()["items"]
        return items[0] if items else None

    return eventually(found, timeout=120, what="a case opened from the alert")


def demo_enterprise(gateway: httpx.Client) -> str:
    """The demo enterprise user's enterprise, registered once for the suite."""
    own = gateway.post("/enterprises", json={"uscc": DEMO_USCC, "name": "天门市示范土石方有限公司"})
    assert own.status_code in (201, 409), own.text
    return str(demo_users()["enterprise"].enterprise_id)
