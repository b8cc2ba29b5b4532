"""A machine's track, the fleet as an AEMP 2.0 snapshot, terminals online per jurisdiction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from tianmen_runtime.service import Service
from tianmen_telemetry.entrypoints.api import build_api

from ..helpers import ENTERPRISE, MACHINE, FakeSink, apply, at, bound, registered, reported

NOW = at("2026-05-11T12:00:00")
START = at("2026-05-11T08:00:00")


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(build_api(service, FakeSink(), clock=lambda: NOW)) as client:
        yield client


def _track(client: TestClient, **params: str) -> dict[str, object]:
    query = {"from": START.isoformat(), "to": NOW.isoformat(), **params}
    response = client.get(f"/machines/{MACHINE}/track", params=query)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_a_track_is_the_machines_positions_in_the_range_oldest_first_in_pages(
    service: Service, client: TestClient
) -> None:
    apply(service, bound(), "bind-1")
    for minute in (0, 30, 60, 90, 240):  # the last is at 12:00, outside [08:00, 12:00)
        when = START + timedelta(minutes=minute)
        apply(service, reported(when, latitude=30.65 + minute / 1e4), f"report-{minute}")
    apply(service, reported(START + timedelta(minutes=30)), "report-30")  # redelivered

    first = _track(client, limit="3")
    assert [p["reported_at"] for p in first["items"]] == [  # type: ignore[attr-defined]
        "2026-05-11T00:00:00Z",
        "2026-05-11T00:30:00Z",
        "2026-05-11T01:00:00Z",
    ]
    rest = _track(client, limit="3", cursor=str(first["next_cursor"]))
    assert [p["reported_at"] for p in rest["items"]] == ["2026-05-11T01:30:00Z"]  # type: ignore[attr-defined]
    assert rest["next_cursor"] is None


def test_a_track_refuses_a_range_that_ends_before_it_starts(client: TestClient) -> None:
    query = {"from": NOW.isoformat(), "to": START.isoformat()}
    response = client.get(f"/machines/{MACHINE}/track", params=query)
    assert response.status_code == 422
    assert "to" in response.text


def test_the_fleet_snapshot_names_each_machine_and_its_latest_state_in_aemp_terms(
    service: Service, client: TestClient
) -> None:
    apply(service, registered(), "machine-1")
    apply(service, registered("machine-2"), "machine-2")
    apply(service, bound(), "bind-1")
    fix = reported(START, engine_hours=1234.5, fuel_level_pct=61.0)
    apply(service, fix, "report-1")

    fleet = client.get(f"/enterprises/{ENTERPRISE}/fleet").json()["Fleet"]
    assert (fleet["version"], fleet["snapshotTime"]) == ("2", "2026-05-11T04:00:00Z")
    reporting, silent = fleet["Equipment"]
    assert reporting["EquipmentHeader"] == {
        "OEMName": "SANY",
        "Model": "SY215C",
        "EquipmentID": MACHINE,
        "SerialNumber": f"SN-{MACHINE}",
        "PIN": f"SN-{MACHINE}",
    }
    assert reporting["Location"] == {
        "datetime": "2026-05-11T00:00:00Z",
        "Latitude": fix.latitude,
        "Longitude": fix.longitude,
    }
    assert reporting["CumulativeOperatingHours"]["Hour"] == 1234.5
    assert reporting["FuelRemaining"]["Percent"] == 61.0
    assert set(silent) == {"EquipmentHeader"}


def test_terminals_online_are_counted_per_jurisdiction(
    service: Service, client: TestClient
) -> None:
    apply(service, registered(jurisdiction="429006101"), "machine-1")
    apply(service, registered("machine-2", "429006101"), "machine-2")
    apply(service, registered("machine-3", "429006102"), "machine-3")
    apply(service, bound(), "bind-1")
    apply(service, bound("13800000002", "machine-2"), "bind-2")
    apply(service, bound("13800000003", "machine-3"), "bind-3")
    apply(service, reported(NOW - timedelta(minutes=5)), "report-1")  # online
    stale = reported(NOW - timedelta(hours=1), machine_id="machine-3", terminal_id="13800000003")
    apply(service, stale, "report-3")  # offline; machine-2 never reported: offline

    body = client.get("/terminal-status").json()
    assert body["online_window_s"] == 600
    assert body["jurisdictions"] == [
        {"jurisdiction": "429006101", "online": 1, "offline": 1},
        {"jurisdiction": "429006102", "online": 0, "offline": 1},
    ]
