"""Nothing accepted is lost or applied twice when services are killed mid-flight.

Eight machines of one enterprise work at night; while their alerts flow, telemetry, safety and
credit are each SIGKILLed (no clean shutdown, no final offset commit) and restarted. Exactly
eight violations must come out, 40 points deducted, bidding suspended once, and the credit
grade low enough to restrict public procurement.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import (
    NIGHT_REPORT,
    bind_new_machine,
    eventually,
    every_page,
    register_enterprise,
)

pytestmark = pytest.mark.integration
MACHINES = 8


def _report(terminal_id: str, minute: int) -> dict[str, object]:
    return {
        **NIGHT_REPORT,
        "terminal_id": terminal_id,
        "reported_at": f"2026-05-14T23:{minute:02d}:00+08:00",
    }


def test_killed_services_resume_without_losing_or_repeating_anything(
    gateway: httpx.Client, suite: Suite
) -> None:
    enterprise_id = register_enterprise(gateway)
    terminals = [bind_new_machine(gateway, enterprise_id)["terminal_id"] for _ in range(MACHINES)]
    half = MACHINES // 2
    for crashed, batch in (("safety", terminals[:half]), ("telemetry", terminals[half:])):
        reports = [_report(t, minute) for minute, t in enumerate(batch, start=10)]
        assert gateway.post("/telemetry/reports", json={"reports": reports}).status_code == 202
        suite.crash_and_restart(crashed)
    suite.crash_and_restart("credit")

    def settled() -> dict[str, Any] | None:
        view: dict[str, Any] = gateway.get(f"/enterprises/{enterprise_id}").json()
        done = (
            view["safety"]["violation_count"] >= MACHINES
            and view["credit"]["change_count"] >= MACHINES + 1
        )
        return view if done else None

    eventually(settled, timeout=120, what="all violations and credit changes")
    wait_until_drained(suite)  # anything applied twice has arrived by now
    view = gateway.get(f"/enterprises/{enterprise_id}").json()
    safety, credit = view["safety"], view["credit"]
    violations = every_page(gateway, view["links"]["violations"], limit=3)
    history = every_page(gateway, view["links"]["credit_history"], limit=3)
    assert safety["violation_count"] == len(violations) == MACHINES
    assert len({v["machine_id"] for v in violations}) == MACHINES
    assert safety["balance"] == safety["initial_points"] - 5 * MACHINES
    assert safety["bidding_suspended"] is True
    assert credit["change_count"] == len(history) == MACHINES + 1
    assert [reason["event_type"] for entry in history for reason in entry["reasons"]].count(
        "tianmen.safety.bidding_suspended"
    ) == 1
    assert credit["grade"] == "D" and credit["procurement_restricted"] is True
