"""Credit repair over HTTP: apply with evidence for a counted deduction, staff decide once;
each step is an event on credit's stream (and outbox), refusals change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tianmen_credit.entrypoints.api import build_api
from tianmen_events.safety import ViolationRecorded
from tianmen_runtime.db import events
from tianmen_runtime.service import Service

SH = timezone(timedelta(hours=8))
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=SH)
Deliver = Callable[..., str]


@pytest.fixture
def client(service: Service, deliver: Deliver) -> TestClient:
    deliver(
        service,
        ViolationRecorded(
            enterprise_id="ent-1",
            violation_id="v1",
            machine_id=None,
            code="night_work_without_permit",
            description="night work",
            occurred_at=NOW - timedelta(days=20),
            source_event_id="a1",
            source_event_type="tianmen.telemetry.alert_raised",
            points=5,
            rule_version="r",
        ),
        "ce-v1",
    )
    return TestClient(build_api(service, clock=lambda: NOW))


def _events(service: Service) -> list[str]:
    with service.engine.connect() as conn:
        return [r.type for r in conn.execute(select(events.c.type).order_by(events.c.position))]


def test_an_enterprise_applies_and_staff_approve_each_step_an_event(
    client: TestClient, service: Service
) -> None:
    applied = client.post(
        "/enterprises/ent-1/repairs", json={"target_event_id": "ce-v1", "evidence": ["media-1"]}
    )
    assert applied.status_code == 201, applied.text
    repair = applied.json()
    assert (repair["status"], repair["target_event_id"], repair["evidence"]) == (
        "pending",
        "ce-v1",
        ["media-1"],
    )
    decided = client.post(
        f"/enterprises/ent-1/repairs/{repair['repair_id']}/decision",
        json={"approved": True, "decided_by": "city-1", "reason": "rectified"},
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert (
        client.get(f"/enterprises/ent-1/repairs/{repair['repair_id']}").json()["status"]
        == "approved"
    )
    assert _events(service)[-2:] == [
        "tianmen.credit.credit_repair_applied",
        "tianmen.credit.credit_repair_decided",
    ]


def test_a_refused_repair_cannot_be_decided_again(client: TestClient) -> None:
    repair = client.post(
        "/enterprises/ent-1/repairs", json={"target_event_id": "ce-v1", "evidence": ["photo"]}
    ).json()
    url = f"/enterprises/ent-1/repairs/{repair['repair_id']}/decision"
    assert (
        client.post(url, json={"approved": False, "decided_by": "c", "reason": "no proof"}).json()[
            "status"
        ]
        == "refused"
    )
    again = client.post(url, json={"approved": True, "decided_by": "c", "reason": "changed mind"})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"


def test_a_repair_needs_a_counted_deduction_of_that_enterprise_and_evidence(
    client: TestClient, service: Service
) -> None:
    before = _events(service)
    other = client.post(
        "/enterprises/ent-2/repairs", json={"target_event_id": "ce-v1", "evidence": ["x"]}
    )
    assert other.status_code == 404 and "target_event_id" in other.text
    blank = client.post(
        "/enterprises/ent-1/repairs", json={"target_event_id": "ce-v1", "evidence": ["  "]}
    )
    assert blank.status_code == 422 and "evidence" in blank.text
    none = client.post(
        "/enterprises/ent-1/repairs", json={"target_event_id": "ce-v1", "evidence": []}
    )
    assert none.status_code == 422 and "evidence" in none.text
    assert _events(service) == before
    assert client.get("/enterprises/ent-1/repairs/nope").status_code == 404


def test_applying_twice_for_the_same_deduction_is_a_conflict(client: TestClient) -> None:
    body = {"target_event_id": "ce-v1", "evidence": ["m"]}
    assert client.post("/enterprises/ent-1/repairs", json=body).status_code == 201
    assert client.post("/enterprises/ent-1/repairs", json=body).status_code == 409


def test_a_candidate_model_that_is_not_a_model_is_a_422_naming_model(client: TestClient) -> None:
    answer = client.post("/audit/what-if", json={"version": "x"})
    assert answer.status_code == 422 and "model" in answer.text
