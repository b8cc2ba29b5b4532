"""Staff steps over HTTP; the reporter follows them; duplicates suggested and merged."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from tianmen_runtime.db import events
from tianmen_runtime.service import Service


def a_tip(**changes: Any) -> dict[str, Any]:
    return {
        "category": "unsafe_hoisting",
        "description": "塔吊吊钩无防脱装置",
        "latitude": 30.6631,
        "longitude": 113.1661,
        "anonymous": True,
        **changes,
    }


def submit(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = client.post("/tips", json=a_tip(**changes))
    assert response.status_code == 201, response.text
    receipt: dict[str, Any] = response.json()
    return receipt


def test_a_tip_goes_from_submitted_to_closed_and_the_reporter_sees_each_step(
    client: TestClient, service: Service
) -> None:
    tip_id = submit(client)["tip_id"]
    for path, body in [
        ("assign", {"assignee": "staff-07"}),
        ("start", {"verifier": "staff-07"}),
        (
            "verify",
            {
                "verifier": "staff-07",
                "enterprise_id": "ent-1",
                "machine_id": "mac-1",
                "major_hazard": True,
            },
        ),
        ("close", {"actor": "staff-01"}),
    ]:
        response = client.post(f"/staff/tips/{tip_id}/{path}", json=body)
        assert response.status_code == 200, (path, response.text)

    progress = client.get(f"/tips/{tip_id}/progress").json()
    assert [s["status"] for s in progress["steps"]] == [
        "submitted",
        "assigned",
        "verifying",
        "verified",
        "closed",
    ]
    assert (progress["status"], progress["jurisdiction"]) == ("closed", "429006001")
    assert "staff-07" not in json.dumps(progress)
    with service.engine.connect() as conn:
        payloads = [json.loads(p) for p in conn.execute(select(events.c.payload)).scalars()]
    verified = next(p for p in payloads if "violation_code" in p)
    assert verified["violation_code"] == "unsafe_hoisting_machinery"
    assert (verified["enterprise_id"], verified["major_hazard"]) == ("ent-1", True)


def test_a_step_out_of_order_is_409_and_changes_nothing(client: TestClient) -> None:
    tip_id = submit(client)["tip_id"]
    response = client.post(
        f"/staff/tips/{tip_id}/verify",
        json={"verifier": "s", "enterprise_id": "e", "major_hazard": False},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "status"
    assert client.get(f"/tips/{tip_id}/progress").json()["status"] == "submitted"


def test_a_nearby_tip_of_the_same_kind_is_suggested_and_staff_merge_it(
    client: TestClient,
) -> None:
    first = submit(client)["tip_id"]
    second = submit(client, latitude=30.6635)  # ~45 m away
    assert second["similar_tips"] == [first]
    assert submit(client, category="dust_and_noise")["similar_tips"] == []

    merged = client.post(
        f"/staff/tips/{second['tip_id']}/merge", json={"into_tip_id": first, "actor": "staff-1"}
    )
    assert merged.status_code == 200
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("duplicate", first)
    missing = client.post(
        f"/staff/tips/{first}/merge", json={"into_tip_id": "nope", "actor": "staff-1"}
    )
    assert (missing.status_code, missing.json()["errors"][0]["field"]) == (404, "into_tip_id")
