"""Inspections, a campaign and an accident over the real broker, through the gateway: a
third-party test that has run out is lapsed by the next event's time and announced to telemetry
as `ThirdPartyTestExpired` on `safety.enterprise`; a spot check and a hazard filed under a
campaign make its report; accidents are counted year on year; replay == live."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.faults import read_topic
from tests.integration.helpers import Vouched, eventually
from tests.integration.test_registry_stop_use import registered_through_the_counter
from tests.integration.test_safety_desk import replay_matches_live

pytestmark = pytest.mark.integration


def _filed(gateway: httpx.Client, path: str, body: dict[str, Any]) -> str:
    answer = gateway.post(path, json=body)
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def a_test(
    enterprise_id: str, machine_id: str, agency: str, now: datetime, days: tuple[int, int]
) -> dict[str, Any]:
    """A passed third-party test of the machine, tested and valid until `days` from `now`."""
    tested, until = (now + timedelta(days=d) for d in days)
    return {
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "agency": agency,
        "passed": True,
        "certificate_number": f"TC-{machine_id[:8]}",
        "tested_at": tested.isoformat(),
        "valid_until": until.isoformat(),
    }


def _expired_announced(bootstrap_servers: str, machine_id: str) -> list[dict[str, Any]]:
    found = []
    for record in read_topic(bootstrap_servers, "safety.enterprise"):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") == "tianmen.safety.third_party_test_expired":
            payload = json.loads(record.value)
            if payload["machine_id"] == machine_id:
                found.append(payload)
    return found


def test_a_lapsed_test_reaches_telemetry_and_a_campaign_reports_its_findings(
    gateway: httpx.Client, suite: Suite, bootstrap_servers: str
) -> None:
    enterprise_id, machine_id, _ = registered_through_the_counter(gateway)
    now = datetime.now(UTC)
    test = a_test(enterprise_id, machine_id, "湖北省特种设备检验检测研究院", now, days=(-400, -35))
    test_id = _filed(gateway, "/inspections/third-party-tests", test)
    machine = gateway.get(f"/machines/{machine_id}").json()
    where = {"jurisdiction": machine["jurisdiction_code"] or "429006"}
    campaign = {
        "title": f"起重机械重大隐患专项整治 {machine_id[:8]}",
        "jurisdictions": ["429006"],
        "categories": sorted({"tower_crane", machine["kind"]}),
        "starts_at": (now - timedelta(days=30)).isoformat(),
        "ends_at": (now + timedelta(days=60)).isoformat(),
    }
    campaign_id = _filed(gateway, "/campaigns", campaign)
    spot = {
        "enterprise_id": enterprise_id,
        "inspected_at": (now - timedelta(days=3)).isoformat(),
        "departments": ["housing_and_construction", "emergency_management", "transport"],
        "findings": [{"machine_id": machine_id, "passed": False, "note": "limiter disabled"}],
        "campaign_id": campaign_id,
        **where,
    }
    _filed(gateway, "/inspections/spot-checks", spot)
    hazard = {
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "severity": "grave",
        "major": True,
        "description": "起重力矩限制器失效 (moment limiter disabled)",
        "found_at": (now - timedelta(days=3)).isoformat(),
        "order": "stop_use",
        "campaign_id": campaign_id,
        "machine_kind": machine["kind"],
        **where,
    }
    assert gateway.post("/hazards", json=hazard).status_code == 202
    outside = {**hazard, "machine_kind": "loader", "description": "another"}
    refused = gateway.post("/hazards", json=outside)  # a kind the campaign does not cover
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "machine_kind"
    accident = {
        "enterprise_id": enterprise_id,
        "machine_id": machine_id,
        "occurred_at": (now - timedelta(days=1)).isoformat(),
        "severity": "general",
        "deaths": 0,
        "injuries": 1,
        "description": "吊物摆动撞击脚手架 (load swung into the scaffold)",
    }
    _filed(gateway, "/accidents", accident)

    def expired() -> list[dict[str, Any]]:
        return _expired_announced(bootstrap_servers, machine_id)

    [announced] = eventually(expired, timeout=90, what="ThirdPartyTestExpired on safety.enterprise")
    assert announced["test_id"] == test_id
    assert datetime.fromisoformat(announced["expired_at"]) == datetime.fromisoformat(
        str(test["valid_until"])
    )
    wait_until_drained(suite)
    assert len(expired()) == 1  # once, however many batches have ticked since
    tests = gateway.get("/inspections", params={"machine_id": machine_id, "kind": "third_party"})
    assert [t["state"] for t in tests.json()["items"]] == ["expired"]
    report = gateway.get(f"/campaigns/{campaign_id}/report").json()
    assert (report["machines_checked"], report["stop_use_orders"]) == (1, 1)
    assert report["hazards_by_severity"] == {"grave": 1}
    stats = gateway.get("/accident-stats", params={"enterprise_id": enterprise_id})
    assert stats.status_code == 200, stats.text
    assert gateway.get("/accidents", params={"enterprise_id": enterprise_id}).json()["items"]

    auth = Vouched(suite.identity_key_file)
    with httpx.Client(base_url=suite.url("safety"), timeout=10, auth=auth) as safety:
        replay_matches_live(safety, bootstrap_servers)
