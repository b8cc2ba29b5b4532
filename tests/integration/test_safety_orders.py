"""Hazards and orders over the real broker: city staff file a major hazard through the gateway,
safety's stop-use order reaches the registry (the public plate says suspended), a rectification
runs overdue by event time, a passed re-inspection reinstates the machine; replay == live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import Vouched, eventually
from tests.integration.test_registry_stop_use import registered_through_the_counter
from tests.integration.test_safety_desk import replay_matches_live

pytestmark = pytest.mark.integration


def _hazard(enterprise_id: str, machine_id: str, found_at: datetime, **order: Any) -> Any:
    return {
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "severity": "grave",
        "major": True,
        "description": "起重力矩限制器失效 (moment limiter disabled)",
        "found_at": found_at.isoformat(),
        "order": "stop_use",
        **order,
    }


def test_a_stop_use_order_suspends_until_reinspection_and_a_rectification_runs_overdue(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    enterprise_id, machine_id, number = registered_through_the_counter(gateway)
    public = httpx.Client(base_url=f"{suite.url('gateway')}/api/v1", timeout=10)

    def plate() -> str:
        return str(public.get(f"/verify/{number}").json()["status"])

    found = datetime.now(UTC) - timedelta(days=2)
    stop = gateway.post("/hazards", json=_hazard(enterprise_id, machine_id, found))
    assert stop.status_code == 202, stop.text
    stop_id = stop.json()["order_id"]
    late = _hazard(
        enterprise_id,
        machine_id,
        found,
        major=False,
        severity="serious",
        description="wire rope worn past its discard criterion",
        order="rectify",
        due_at=(found + timedelta(hours=1)).isoformat(),
    )
    rectify = gateway.post("/hazards", json=late)
    assert rectify.status_code == 202, rectify.text
    eventually(lambda: plate() == "suspended", what="the stop-use order to suspend the machine")
    rectify_id = rectify.json()["order_id"]
    eventually(
        lambda: gateway.get(f"/orders/{rectify_id}").status_code == 200, what="the rectification"
    )

    reinspected = gateway.post(f"/orders/{stop_id}/reinspection", json={"passed": True})
    assert reinspected.status_code == 202, reinspected.text
    eventually(lambda: plate() == "registered", what="the passed re-inspection to reinstate it")
    wait_until_drained(suite)
    orders = gateway.get("/orders", params={"enterprise_id": enterprise_id}).json()["items"]
    assert sorted((o["kind"], o["state"], o["overdue"]) for o in orders) == [
        ("rectify", "overdue", True),  # its deadline passed by the re-inspection's time
        ("stop_use", "closed", False),
    ]
    public.close()

    auth = Vouched(suite.identity_key_file)
    with httpx.Client(base_url=suite.url("safety"), timeout=10, auth=auth) as safety:
        replay_matches_live(safety, bootstrap_servers)
