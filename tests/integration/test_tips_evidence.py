"""A tip near a machine's track: routed, the machine shown as evidence, verified on reports.tip;
then a violation on the enterprise's safety ledger and a complaint in its credit standing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite

from tests.integration.helpers import Vouched, eventually, register_bound_machine
from tests.integration.test_citizen_tips import tip_messages
from tests.integration.test_tips_canary import a_photo

pytestmark = pytest.mark.integration


def verified_on_topic(bootstrap_servers: str, tip_id: str) -> dict[str, object] | None:
    for headers, value in tip_messages(bootstrap_servers, tip_id):
        if headers["ce_type"] == b"tianmen.reports.tip_verified":
            body: dict[str, object] = json.loads(value)
            return body
    return None


def tip_case(gateway: httpx.Client, enterprise_id: str) -> dict[str, Any] | None:
    """The enterprise's case opened from a verified tip, once safety has confirmed it."""
    params = {"enterprise_id": enterprise_id, "state": "confirmed"}
    items: list[dict[str, Any]] = gateway.get("/cases", params=params).json()["items"]
    found = [c for c in items if c["source_event_type"] == "tianmen.reports.tip_verified"]
    return found[0] if found else None


def deducted_for(gateway: httpx.Client, enterprise_id: str, violation_id: str) -> bool:
    answer = gateway.get(f"/enterprises/{enterprise_id}/safety/deductions")
    items: list[dict[str, Any]] = answer.json()["items"] if answer.status_code == 200 else []
    return any(item["violation_id"] == violation_id for item in items)


def complaints(gateway: httpx.Client, enterprise_id: str) -> list[dict[str, Any]] | None:
    answer = gateway.get(f"/enterprises/{enterprise_id}/credit/standing")
    if answer.status_code != 200:
        return None
    found = [c for c in answer.json()["contributions"] if c["kind"] == "tip_verified"]
    return found or None


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
        photo = reports.post("/media", files={"file": ("site.jpg", a_photo())})
        assert photo.status_code == 201, photo.text
        tip = {
            "category": "unlicensed_operation",
            "description": "挖机司机无证",
            "latitude": 30.6531,
            "longitude": 113.1661,
            "anonymous": True,
            "media_ids": [photo.json()["media_id"]],
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

    # The verifier's finding is the decision: safety records the violation (the points fall)
    # and credit counts the complaint, each from the event on reports.tip.
    enterprise_id = machine["enterprise_id"]
    case = eventually(lambda: tip_case(gateway, enterprise_id), timeout=120, what="tip's case")
    assert (case["code"], case["machine_id"]) == ("unlicensed_operator", machine["machine_id"])
    assert case["decided_by"] == "s"
    eventually(
        lambda: deducted_for(gateway, enterprise_id, case["violation_id"]) or None,
        timeout=120,
        what="the tip's violation on the safety ledger",
    )
    [complaint] = eventually(
        lambda: complaints(gateway, enterprise_id), timeout=120, what="complaint in credit"
    )
    assert complaint["effect"] < 0 and complaint["in_force"]
