"""A machine's daily usage through the real broker: reports in through the gateway, the worker
keeps each local day's operating and idle hours and fuel used, served per day and in the AEMP
snapshot; a report sent again counts nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import eventually, register_bound_machine

pytestmark = pytest.mark.integration

MORNING = datetime.fromisoformat("2026-05-12T08:00:00+08:00")
DAY = {"from": "2026-05-12", "to": "2026-05-12"}


def _report(terminal_id: str, minute: int, latitude: float, fuel: float) -> dict[str, Any]:
    return {
        "terminal_id": terminal_id,
        "reported_at": (MORNING + timedelta(minutes=minute)).isoformat(),
        "working": minute < 60,
        "latitude": latitude,
        "longitude": 113.1661,
        "fuel_level_pct": fuel,
    }


def _usage(gateway: httpx.Client, machine_id: str) -> list[dict[str, Any]]:
    response = gateway.get(f"/machines/{machine_id}/usage", params=DAY)
    assert response.status_code == 200, response.text
    days: list[dict[str, Any]] = response.json()["days"]
    return days


def test_reports_in_give_the_days_usage_and_the_snapshots_idle_hours_and_fuel_used(
    gateway: httpx.Client, suite: Suite
) -> None:
    ids = register_bound_machine(gateway)
    terminal, machine = ids["terminal_id"], ids["machine_id"]
    # standing 08:00-08:30, 111 m a fix after; 2 % of the tank every 10 minutes; stops at 09:00
    plan = [(0, 30.6531), (10, 30.6531), (20, 30.6531), (30, 30.6531), (40, 30.6541)]
    plan += [(50, 30.6551), (60, 30.6561)]
    reports = [_report(terminal, m, lat, 70.0 - m / 5) for m, lat in plan]
    response = gateway.post("/telemetry/reports", json={"reports": reports})
    assert response.status_code == 202, response.text

    expected = {
        "day": "2026-05-12",
        "operating_hours": 1.0,
        "idle_hours": 0.5,
        "fuel_used_pct": 12.0,
        "windows": 1,
        "longest_window_hours": 50 / 60,
    }
    eventually(lambda: _usage(gateway, machine) == [expected] or None, what="the day's usage")
    again = gateway.post("/telemetry/reports", json={"reports": reports[2:4]})  # sent again
    assert again.status_code == 202, again.text
    wait_until_drained(suite)
    assert _usage(gateway, machine) == [expected]

    fleet = gateway.get(f"/enterprises/{ids['enterprise_id']}/fleet").json()["Fleet"]
    [equipment] = [e for e in fleet["Equipment"] if e["EquipmentHeader"]["EquipmentID"] == machine]
    last = "2026-05-12T01:00:00Z"
    assert equipment["CumulativeIdleHours"] == {"datetime": last, "Hour": 0.5}
    assert equipment["FuelUsed"] == {"datetime": last, "FuelUnits": "percent", "FuelConsumed": 12.0}
