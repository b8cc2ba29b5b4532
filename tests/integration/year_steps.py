"""The year-of-events scenario's filings (test_safety_year): the campaign with its inspections,
and the stop-use order that the registry and telemetry react to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
from tianmen_devkit.supervisor import Suite

from tests.integration import year
from tests.integration.cab import jt808_process, texts_to_the_cab
from tests.integration.drain import wait_until_drained
from tests.integration.helpers import eventually

NOON = time(10, 0)


@dataclass
class Year:
    """Who takes part (enterprises and their machines by letter) and when the cycle turns."""

    boundary: datetime
    enterprises: dict[str, str] = field(default_factory=dict)
    machines: dict[str, dict[str, str]] = field(default_factory=dict)
    escalated: str = ""


def _filed(gateway: httpx.Client, path: str, body: dict[str, Any]) -> str:
    answer = gateway.post(path, json=body)
    assert answer.status_code == 202, answer.text
    return str(answer.json().get("id") or answer.json().get("order_id"))


def _where(gateway: httpx.Client, machine_id: str) -> dict[str, str]:
    machine = gateway.get(f"/machines/{machine_id}").json()
    return {"jurisdiction": machine["jurisdiction_code"] or "429006", "kind": machine["kind"]}


def _spot_check(y: Year, who: str, days: int, passed: bool) -> dict[str, Any]:
    return {
        "enterprise_id": y.enterprises[who],
        "inspected_at": year.on(y.boundary, days, NOON).isoformat(),
        "departments": ["emergency_management", "housing_and_construction", "transport"],
        "findings": [{"machine_id": y.machines[who]["machine_id"], "passed": passed, "note": ""}],
    }


def file_campaign(gateway: httpx.Client, y: Year) -> str:
    """C's two self-inspections; a campaign in the old cycle's second half with a spot check of
    each enterprise (B's failed) and a third-party test of B's machine by an agency."""
    for days in (-300, -120):
        inspected = year.on(y.boundary, days, NOON).isoformat()
        body = {"enterprise_id": y.enterprises["c"], "inspected_at": inspected}
        _filed(
            gateway, "/inspections/self", body | {"machine_ids": [y.machines["c"]["machine_id"]]}
        )
    where = _where(gateway, y.machines["b"]["machine_id"])
    campaign = {
        "title": f"起重机械重大隐患专项整治 {y.enterprises['b'][:8]}",
        "jurisdictions": ["429006"],
        "categories": sorted({"tower_crane", where["kind"]}),
        "starts_at": year.on(y.boundary, -200, time(0)).isoformat(),
        "ends_at": year.on(y.boundary, -20, time(0)).isoformat(),
    }
    campaign_id = _filed(gateway, "/campaigns", campaign)
    under = {"campaign_id": campaign_id, "jurisdiction": where["jurisdiction"]}
    for who, days, passed in (("a", -180, True), ("b", -100, False), ("c", -90, True)):
        _filed(gateway, "/inspections/spot-checks", _spot_check(y, who, days, passed) | under)
    tested = year.on(y.boundary, -110, NOON)
    test = {
        "enterprise_id": y.enterprises["b"],
        "machine_id": y.machines["b"]["machine_id"],
        "agency": "湖北省特种设备检验检测研究院",
        "passed": True,
        "certificate_number": f"TC-{y.machines['b']['machine_id'][:8]}",
        "tested_at": tested.isoformat(),
        "valid_until": (datetime.now(UTC) + timedelta(days=180)).isoformat(),
        "machine_kind": where["kind"],
    }
    _filed(gateway, "/inspections/third-party-tests", test | under)
    return campaign_id


def _hazard(y: Year, campaign_id: str, where: dict[str, str], **order: Any) -> dict[str, Any]:
    return {
        "enterprise_id": y.enterprises["b"],
        "machine_id": y.machines["b"]["machine_id"],
        "found_at": year.on(y.boundary, -100, NOON).isoformat(),
        "campaign_id": campaign_id,
        "jurisdiction": where["jurisdiction"],
        "machine_kind": where["kind"],
        **order,
    }


def order_stop_use(
    gateway: httpx.Client, suite: Suite, y: Year, campaign_id: str
) -> tuple[datetime, list[dict[str, Any]]]:
    """B's hazards: a major one ordered out of use, a minor one to rectify within a month. The
    registry suspends the machine; telemetry's JT/T 808 process tells the cab (returned: what
    it recorded) and telemetry charges its working while suspended (returned: when); a passed
    re-inspection closes both orders and the registry reinstates it."""
    machine_id = y.machines["b"]["machine_id"]
    where = _where(gateway, machine_id)
    stop = _hazard(
        y, campaign_id, where, severity="grave", major=True, order="stop_use",
        description="起重力矩限制器失效 (moment limiter disabled)",
    )  # fmt: skip
    due = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    rectify = _hazard(
        y, campaign_id, where, severity="serious", major=False, order="rectify", due_at=due,
        description="钢丝绳断丝超标 (wire rope worn past its discard criterion)",
    )  # fmt: skip

    def status() -> str:
        return str(gateway.get(f"/machines/{machine_id}").json()["status"])

    with jt808_process(suite):
        orders = [_filed(gateway, "/hazards", body) for body in (stop, rectify)]
        eventually(lambda: status() == "suspended", what="the order to suspend the machine")
        texts = eventually(
            lambda: texts_to_the_cab(suite.bootstrap_servers, orders[0]),
            timeout=90,
            what="telemetry's JT/T 808 process to send the order to the cab",
        )
    wait_until_drained(suite)  # telemetry has heard of the suspension too
    charged_at = datetime.now(UTC)
    year.send(gateway, [year.report(y.machines["b"]["terminal_id"], charged_at)])

    def charged() -> bool:
        alerts = gateway.get("/alerts", params={"machine_id": machine_id}).json()["items"]
        return "stopped_machine_working" in {alert["rule"] for alert in alerts}

    eventually(charged, what="telemetry to charge the suspended machine's work")
    for order_id in orders:
        _reinspected(gateway, order_id)
    eventually(lambda: status() == "registered", what="the re-inspection to reinstate it")
    return charged_at, texts


def _reinspected(gateway: httpx.Client, order_id: str) -> None:
    """Once the order is applied, a re-inspection that passes."""

    def applied() -> bool:
        return gateway.get(f"/orders/{order_id}").status_code == 200

    eventually(applied, what=f"order {order_id} to be applied")
    passed = gateway.post(f"/orders/{order_id}/reinspection", json={"passed": True})
    assert passed.status_code == 202, passed.text
