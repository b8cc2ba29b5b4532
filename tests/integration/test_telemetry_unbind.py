"""A terminal unbound through the gateway, over the real broker: once telemetry has applied the
registry's `TerminalUnbound`, its next report (dated after the unbind) is refused naming the
terminal, while a buffered report dated before the unbind is still its machine's (decision 92).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import eventually, every_page, register_bound_machine

pytestmark = pytest.mark.integration

SITE = {"latitude": 30.6531, "longitude": 113.1661}
NIGHT = datetime.fromisoformat("2026-05-12T23:30:00+08:00")  # long before the unbind


def _post(
    gateway: httpx.Client, terminal_id: str, at: datetime, working: bool = True
) -> httpx.Response:
    report: dict[str, Any] = {
        "terminal_id": terminal_id,
        "reported_at": at.isoformat(),
        "working": working,
        **SITE,
    }
    return gateway.post("/telemetry/reports", json={"reports": [report]})


def test_an_unbound_terminals_next_report_is_refused_and_a_buffered_one_kept(
    gateway: httpx.Client, suite: Suite
) -> None:
    ids = register_bound_machine(gateway)
    terminal_id, machine_id = ids["terminal_id"], ids["machine_id"]
    idle = _post(gateway, terminal_id, datetime.now(UTC) - timedelta(minutes=1), working=False)
    assert idle.status_code == 202, idle.text

    unbound = gateway.delete(f"/machines/{machine_id}/terminal")
    assert unbound.status_code == 200, unbound.text
    assert unbound.json()["terminal_id"] is None
    eventually(
        lambda: gateway.get(f"/terminals/{terminal_id}").status_code == 404,
        what="telemetry to apply the unbind",
    )

    refused = _post(gateway, terminal_id, datetime.now(UTC))
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in refused.json()["errors"]] == ["reports.0.terminal_id"]

    buffered = _post(gateway, terminal_id, NIGHT)  # a 0x0704 batch from before the unbind
    assert buffered.status_code == 202, buffered.text
    eventually(
        lambda: every_page(gateway, f"/alerts?machine_id={machine_id}") or None,
        what="the buffered night report's alert, charged to the machine",
    )
    wait_until_drained(suite)
    [alert] = every_page(gateway, f"/alerts?machine_id={machine_id}")
    assert (alert["rule"], alert["enterprise_id"]) == ("night_work", ids["enterprise_id"])
