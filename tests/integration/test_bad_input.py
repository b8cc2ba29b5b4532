"""Bad input gets a 4xx problem+json naming the field, and changes nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import create_engine, text
from tianmen_devkit.supervisor import Suite

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import new_uscc, register_bound_machine

pytestmark = pytest.mark.integration


def _stored_events(suite: Suite, service: str) -> int:
    engine = create_engine(suite.database_url(service))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("select count(*) from events")).scalar_one())
    finally:
        engine.dispose()


def _assert_problem(response: httpx.Response, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert field in [error["field"] for error in body["errors"]], body


def test_malformed_json_is_refused_and_nothing_is_written(
    gateway: httpx.Client, suite: Suite
) -> None:
    before = _stored_events(suite, "registry")
    response = gateway.post(
        "/enterprises", content=b'{"uscc": "9142', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _stored_events(suite, "registry") == before


def test_invalid_uscc_check_character_is_refused_naming_the_field(
    gateway: httpx.Client, suite: Suite
) -> None:
    valid = new_uscc()
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    before = _stored_events(suite, "registry")
    response = gateway.post("/enterprises", json={"uscc": wrong, "name": "某某建设有限公司"})
    _assert_problem(response, 422, "uscc")
    assert _stored_events(suite, "registry") == before


def test_report_from_unknown_terminal_is_refused_and_nothing_accepted(
    gateway: httpx.Client, suite: Suite
) -> None:
    known = register_bound_machine(gateway)
    terminal_id, machine_id = known["terminal_id"], known["machine_id"]
    # Working at 23:45 local: had this report been accepted, it would raise a night-work alert.
    night = {
        "reported_at": "2026-05-12T23:45:00+08:00",
        "latitude": 30.65,
        "longitude": 113.17,
        "working": True,
    }
    batch = [{**night, "terminal_id": terminal_id}, {**night, "terminal_id": "19999999999"}]
    response = gateway.post("/telemetry/reports", json={"reports": batch})
    _assert_problem(response, 422, "reports.1.terminal_id")

    wait_until_drained(suite)  # a night report published anyway would have raised its alert
    alerts = gateway.get("/alerts", params={"machine_id": machine_id})
    assert alerts.status_code == 200, alerts.text
    assert alerts.json()["items"] == []
