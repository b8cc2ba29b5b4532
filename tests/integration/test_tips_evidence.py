"""A tip near a machine's track: routed, the machine shown as evidence, verified on reports.tip."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import Vouched, eventually, register_bound_machine
from tests.integration.test_citizen_tips import tip_messages

pytestmark = pytest.mark.integration


def verified_on_topic(bootstrap_servers: str, tip_id: str) -> dict[str, object] | None:
    for headers, value in tip_messages(bootstrap_servers, tip_id):
        if headers["ce_type"] == b"tianmen.reports.tip_verified":
            body: dict[str, object] = json.loads(value)
            return body
    return None


def test_a_tip_near_a_machines_track_shows_it_and_its_verification_is_published(
    suite: Suite, gateway: httpx.Client, bootstrap_servers: str
) -> None:
    machine = register_bound_machine(gateway)
    point = {
        "terminal_id": machine["terminal_id"],
        "reported_at": datetime.now(UTC).isoformat(),
        "latitude": 30.6532,
        "longitude": 113.1662,
        "working": True,
    }
    sent = gateway.post("/telemetry/reports", json={"reports": [point]})
    assert sent.status_code in (200, 201, 202), sent.text

    with httpx.Client(
        base_url=suite.url("reports"), timeout=10, auth=Vouched(suite.identity_key_file)
    ) as reports:
        tip = {
            "category": "unlicensed_operation",
            "description": "挖机司机无证",
            "latitude": 30.6531,
            "longitude": 113.1661,
            "anonymous": True,
        }
        tip_id = reports.post("/tips", json=tip).json()["tip_id"]
        assert reports.get(f"/tips/{tip_id}/progress").json()["jurisdiction"] == "429006001"

        def shown() -> list[dict[str, object]] | None:
            found: list[dict[str, object]] = reports.get(f"/staff/tips/{tip_id}/evidence").json()
            return [m for m in found if m["machine_id"] == machine["machine_id"]] or None

        [evidence] = eventually(shown, what="the machine as evidence")
        assert evidence["enterprise_id"] == machine["enterprise_id"]
        for path, body in [
            ("assign", {"assignee": "s"}),
            ("start", {"verifier": "s"}),
            (
                "verify",
                {
                    "verifier": "s",
                    "enterprise_id": machine["enterprise_id"],
                    "machine_id": machine["machine_id"],
                    "major_hazard": False,
                },
            ),
        ]:
            reports.post(f"/staff/tips/{tip_id}/{path}", json=body).raise_for_status()

    published = eventually(
        lambda: verified_on_topic(bootstrap_servers, tip_id), what="TipVerified on reports.tip"
    )
    assert (published["machine_id"], published["violation_code"]) == (
        machine["machine_id"],
        "unlicensed_operator",
    )
