"""A machine's track, the fleet as an AEMP 2.0 snapshot, terminals online per jurisdiction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from tianmen_events.registry import FuelTankAmended
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


def _worked_a_morning(service: Service, tank_litres: float | None = None) -> None:
    """08:00-09:00 working, standing the first half hour, 111 m off for the rest; 12 % of the
    tank used; stopped at 09:00."""
    machine = registered().model_copy(update={"fuel_tank_litres": tank_litres})
    apply(service, machine, "machine-1")
    apply(service, bound(), "bind-1")
    for n, (minute, lat, fuel) in enumerate(
        [(0, 30.6531, 70.0), (10, 30.6531, 68.0), (20, 30.6531, 66.0), (30, 30.6531, 64.0),
         (40, 30.6541, 62.0), (50, 30.6551, 60.0), (60, 30.6561, 58.0)]
    ):  # fmt: skip
        when = START + timedelta(minutes=minute)
        fix = reported(when, working=minute < 60, latitude=lat, fuel_level_pct=fuel)
        apply(service, fix, f"report-{n}")


def test_the_daily_usage_is_each_local_day_with_reports_in_hours_and_percent(
    service: Service, client: TestClient
) -> None:
    _worked_a_morning(service)

    response = client.get(f"/machines/{MACHINE}/usage", params={"from": "2026-05-05"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "machine_id": MACHINE,
        "from": "2026-05-05",
        "to": "2026-05-11",  # today in Tianmen, by the clock
        "days": [
            {
                "day": "2026-05-11",
                "operating_hours": 1.0,
                "idle_hours": 0.5,
                "fuel_used_pct": 12.0,
                "windows": 1,
                "longest_window_hours": 50 / 60,  # to the last working report
            }
        ],
    }
    earlier = client.get(f"/machines/{MACHINE}/usage", params={"to": "2026-05-10"})
    assert (earlier.json()["from"], earlier.json()["days"]) == ("2026-05-04", [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-05-11", "to": "2026-05-10"}, "to"),
        ({"from": "2025-05-09", "to": "2026-05-10"}, "from"),  # 366 days and one
        ({"from": "11 May"}, "from"),
    ],
)
def test_the_daily_usage_refuses_a_range_backwards_too_long_or_not_dates(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    response = client.get(f"/machines/{MACHINE}/usage", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in response.text


def test_a_full_year_of_daily_usage_is_allowed(client: TestClient) -> None:
    params = {"from": "2025-05-11", "to": "2026-05-11"}  # 366 days, both included
    assert client.get(f"/machines/{MACHINE}/usage", params=params).status_code == 200


def test_the_fleet_snapshot_gives_idle_hours_and_fuel_used_over_all_days(
    service: Service, client: TestClient
) -> None:
    _worked_a_morning(service)
    nextday = START + timedelta(days=1)
    for n, (minute, fuel) in enumerate([(0, 90.0), (10, 87.5)]):  # refuelled, standing
        fix = reported(nextday + timedelta(minutes=minute), fuel_level_pct=fuel)
        apply(service, fix, f"next-{n}")

    (equipment,) = client.get(f"/enterprises/{ENTERPRISE}/fleet").json()["Fleet"]["Equipment"]
    last = "2026-05-12T00:10:00Z"
    assert equipment["CumulativeIdleHours"] == {"datetime": last, "Hour": 0.5 + 10 / 60}
    assert equipment["FuelUsed"] == {
        "datetime": last,
        "FuelUnits": "percent",
        "FuelConsumed": 12.0 + 2.5,
    }


def test_the_fleet_snapshot_gives_fuel_used_in_litres_of_the_registered_tank(
    service: Service, client: TestClient
) -> None:
    """The same morning (12 % of the tank used) on a machine registered with a 400 L tank."""
    _worked_a_morning(service, tank_litres=400.0)

    (equipment,) = client.get(f"/enterprises/{ENTERPRISE}/fleet").json()["Fleet"]["Equipment"]
    assert equipment["FuelUsed"]["FuelUnits"] == "litre"
    assert equipment["FuelUsed"]["FuelConsumed"] == 48.0


def test_a_tank_amended_mid_history_leaves_the_past_days_litres_and_levels_the_later_ones(
    service: Service, client: TestClient
) -> None:
    """Given the morning's 12 % of a 400 L tank (48 L), the tank amended to 200 L from the next
    local day, then 2.5 % used that day (5 L) and a buffered report from before the amendment
    arriving after it (2 % of the old tank, 8 L), the snapshot's FuelUsed is 61 L; main
    rescaled every day with the latest tank ((12 + 2 + 2.5) % of 200 L = 33 L)."""
    _worked_a_morning(service, tank_litres=400.0)
    nextday = START + timedelta(days=1)
    amended = FuelTankAmended(
        machine_id=MACHINE, enterprise_id=ENTERPRISE, fuel_tank_litres=200.0, previous_litres=400.0
    )
    apply(service, amended, "amended", when=at("2026-05-12T00:00:00"))
    late = reported(at("2026-05-11T23:00:00"), working=False, fuel_level_pct=56.0)
    apply(service, late, "late")  # made before the amendment, applied after it
    for n, (minute, fuel) in enumerate([(0, 90.0), (10, 87.5)]):  # refuelled, standing
        fix = reported(nextday + timedelta(minutes=minute), fuel_level_pct=fuel)
        apply(service, fix, f"next-{n}")

    (equipment,) = client.get(f"/enterprises/{ENTERPRISE}/fleet").json()["Fleet"]["Equipment"]
    assert equipment["FuelUsed"]["FuelUnits"] == "litre"
    assert equipment["FuelUsed"]["FuelConsumed"] == 48.0 + 8.0 + 5.0


def test_the_fleet_snapshot_gives_the_latest_odometer_its_terminal_gave_as_distance(
    service: Service, client: TestClient
) -> None:
    """Given a terminal that gave its mileage at 08:00 and not at 09:00 (item 0x01 is sent
    now and then), and a report from 07:00 that arrives late with a smaller one, when the fleet
    is asked, then its `Distance` is the 08:00 odometer, dated 08:00, in kilometres."""
    apply(service, registered(), "machine-1")
    apply(service, bound(), "bind-1")
    apply(service, reported(START, mileage_km=1234.5), "report-1")
    apply(service, reported(START + timedelta(hours=1)), "report-2")
    apply(service, reported(START - timedelta(hours=1), mileage_km=1200.0), "report-0")

    (equipment,) = client.get(f"/enterprises/{ENTERPRISE}/fleet").json()["Fleet"]["Equipment"]
    assert equipment["Distance"] == {
        "datetime": "2026-05-11T00:00:00Z",
        "OdometerUnits": "kilometre",
        "Odometer": 1234.5,
    }
    assert equipment["Location"]["datetime"] == "2026-05-11T01:00:00Z"


def test_lawful_twin_a_terminal_that_never_gave_its_mileage_has_no_distance_not_a_zero(
    service: Service, client: TestClient
) -> None:
    apply(service, registered(), "machine-1")
    apply(service, bound(), "bind-1")
    apply(service, reported(START, engine_hours=10.0), "report-1")

    (equipment,) = client.get(f"/enterprises/{ENTERPRISE}/fleet").json()["Fleet"]["Equipment"]
    assert "Distance" not in equipment
    assert equipment["CumulativeOperatingHours"]["Hour"] == 10.0
