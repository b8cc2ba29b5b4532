"""Hazards and orders over HTTP and the consumer (temp SQLite): a stop-use order reaches
`safety.enterprise` for the registry and telemetry, a passed re-inspection lifts it, a
rectification runs overdue when a later event's time passes its deadline; replay agrees."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tianmen_events import decode
from tianmen_runtime.db import outbox
from tianmen_runtime.service import Service
from tianmen_safety.entrypoints.api import build_api

from ..conftest import replayed_digest
from ..vouching import As, verifying

SHANGHAI = timezone(timedelta(hours=8))
FOUND = datetime(2026, 5, 6, 10, 0, tzinfo=SHANGHAI)
NOW = datetime(2026, 5, 6, 4, 0, tzinfo=UTC)
Settle = Callable[[Service], list[str]]
STOP = {
    "enterprise_id": "ent-1",
    "machine_id": "m-1",
    "severity": "grave",
    "major": True,
    "description": "cracked weld at the jib root",
    "found_at": FOUND.isoformat(),
    "order": "stop_use",
}
RECTIFY = {
    **STOP,
    "machine_id": "m-2",
    "severity": "serious",
    "major": False,
    "description": "wire rope worn past its discard criterion",
    "order": "rectify",
    "due_at": (FOUND + timedelta(days=7)).isoformat(),
}


@pytest.fixture
def client(service: Service, tmp_path: Path) -> TestClient:
    app = verifying(build_api(service, clock=lambda: NOW), tmp_path / "id.pem")
    client = TestClient(app)
    client.auth = As(tmp_path / "id.pem", "inspector-1")
    return client


def file(client: TestClient, body: dict[str, Any]) -> str:
    answer = client.post("/hazards", json=body)
    assert answer.status_code == 202, answer.text
    assert answer.json()["actor"] == "inspector-1"
    return str(answer.json()["order_id"])


def announced(service: Service) -> list[tuple[str, str]]:
    """What safety put on `safety.enterprise` for the registry and telemetry: (type, machine)."""
    query = select(outbox).where(outbox.c.topic == "safety.enterprise")
    with service.engine.connect() as conn:
        rows = conn.execute(query.order_by(outbox.c.position)).all()
    events = [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]
    return [(meta.type, getattr(event, "machine_id", "")) for event, meta in events]


def test_a_stop_use_order_is_announced_and_lifted_by_a_passed_reinspection(
    client: TestClient, service: Service, settle: Settle
) -> None:
    order_id = file(client, STOP)
    assert announced(service) == []  # on the docket; it takes effect when the desk applies it
    settle(service)
    order = client.get(f"/orders/{order_id}").json()
    assert (order["state"], order["kind"], order["ordered_by"]) == (
        "open",
        "stop_use",
        "inspector-1",
    )
    assert announced(service) == [("tianmen.safety.machine_stop_use_ordered", "m-1")]

    failed = client.post(f"/orders/{order_id}/reinspection", json={"passed": False})
    assert failed.status_code == 202
    settle(service)
    assert client.get(f"/orders/{order_id}").json()["state"] == "open"
    passed = client.post(f"/orders/{order_id}/reinspection", json={"passed": True, "note": "ok"})
    assert passed.status_code == 202
    settle(service)
    assert client.get(f"/orders/{order_id}").json()["state"] == "closed"
    assert announced(service)[-1] == ("tianmen.safety.machine_stop_use_lifted", "m-1")
    again = client.post(f"/orders/{order_id}/reinspection", json={"passed": True})
    assert again.status_code == 409


def test_a_rectification_runs_overdue_when_a_later_events_time_passes_its_deadline(
    client: TestClient,
    service: Service,
    settle: Settle,
    make_alert: Callable[..., Any],
    deliver: Callable[..., str],
) -> None:
    order_id = file(client, RECTIFY)
    settle(service)
    deliver(service, make_alert("early", FOUND + timedelta(days=6), rule="continuous_work"))
    assert client.get(f"/orders/{order_id}").json()["state"] == "open"
    deliver(service, make_alert("late", FOUND + timedelta(days=8), rule="continuous_work"))
    overdue = client.get("/orders", params={"state": ["overdue"]}).json()["items"]
    assert [o["order_id"] for o in overdue] == [order_id]
    assert announced(service) == []  # a rectification does not stop the machine


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    client: TestClient, service: Service
) -> None:
    before = service.digest()
    no_deadline = client.post("/hazards", json={**RECTIFY, "due_at": None})
    assert no_deadline.status_code == 422 and "due_at" in no_deadline.text
    major_left_working = client.post("/hazards", json={**RECTIFY, "major": True})
    assert major_left_working.status_code == 422 and "kind" in major_left_working.text
    no_zone = client.post("/hazards", json={**STOP, "found_at": "2026-05-06T10:00:00"})
    assert no_zone.status_code == 422 and "found_at" in no_zone.text
    assert client.post("/orders/nope/reinspection", json={"passed": True}).status_code == 404
    unvouched = client.post("/hazards", json=STOP, auth=None)
    assert unvouched.status_code == 401
    assert service.digest() == before


def test_the_same_finding_filed_twice_is_a_conflict_in_flight_and_after(
    client: TestClient, service: Service, settle: Settle
) -> None:
    file(client, STOP)
    assert client.post("/hazards", json=STOP).status_code == 409  # still in flight
    settle(service)
    assert client.post("/hazards", json=STOP).status_code == 409
    assert announced(service) == [("tianmen.safety.machine_stop_use_ordered", "m-1")]


def test_replaying_the_alerts_and_the_docket_gives_the_live_digest(
    client: TestClient,
    service: Service,
    service_factory: Callable[[str], Service],
    settle: Settle,
    make_alert: Callable[..., Any],
    deliver: Callable[..., str],
) -> None:
    stop_id, _ = file(client, STOP), file(client, RECTIFY)
    settle(service)
    alerts = [make_alert("late", FOUND + timedelta(days=8), rule="continuous_work")]
    deliver(service, alerts[0])
    client.post(f"/orders/{stop_id}/reinspection", json={"passed": True})
    settle(service)

    assert replayed_digest(service_factory, alerts, service) == service.digest()


def test_hazards_found_at_an_inspection_are_violations_on_the_ledger_once_and_replay_agrees(
    client: TestClient,
    service: Service,
    service_factory: Callable[[str], Service],
    settle: Settle,
) -> None:
    at_inspection = {"inspection_id": "inspection-7"}
    file(client, {**STOP, **at_inspection})
    file(client, {**RECTIFY, **at_inspection})
    file(client, {**RECTIFY, "machine_id": "m-3"})  # no inspection named: an order only
    settle(service)
    settle(service)  # nothing left: the violations are not recorded twice

    ledger = client.get("/enterprises/ent-1/ledger").json()
    assert (ledger["balance"], ledger["violation_count"]) == (100 - 12 - 3, 2)
    violations = client.get("/enterprises/ent-1/violations").json()["items"]
    assert sorted((v["code"], v["machine_id"], v["occurred_at"]) for v in violations) == [
        ("hazard_found_at_inspection", "m-2", FOUND.isoformat()),
        ("major_hazard_found_at_inspection", "m-1", FOUND.isoformat()),
    ]
    assert {v["source_event_type"] for v in violations} == {"tianmen.safety.hazard_recorded"}
    assert replayed_digest(service_factory, [], service) == service.digest()
