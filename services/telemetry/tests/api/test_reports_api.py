"""POST /reports: the whole batch or nothing; every refusal is problem+json naming the field."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tianmen_events import derive_id
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.service import Service
from tianmen_telemetry.entrypoints.api import build_api
from tianmen_telemetry.service_layer.ports import SinkUnavailable

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, FakeSink, apply, at, bound

NOW = at("2026-05-11T23:40:00")

REPORT = {
    "terminal_id": TERMINAL,
    "reported_at": "2026-05-11T23:30:00+08:00",
    "latitude": 30.6531,
    "longitude": 113.1661,
    "working": True,
    "engine_hours": 1532.5,
    "fuel_level_pct": 61.0,
}


@pytest.fixture
def sink() -> FakeSink:
    return FakeSink()


@pytest.fixture
def client(service: Service, sink: FakeSink) -> Iterator[TestClient]:
    apply(service, bound(), "bind-1")
    with TestClient(build_api(service, sink, clock=lambda: NOW)) as client:
        yield client


def _post(client: TestClient, *reports: dict[str, Any]) -> Any:
    return client.post("/reports", json={"reports": list(reports)})


def _fields(response: Any) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


def test_reports_from_bound_terminals_are_accepted_once_published(
    client: TestClient, sink: FakeSink
) -> None:
    response = _post(client, REPORT, {**REPORT, "reported_at": "2026-05-11T23:35:00+08:00"})
    assert response.status_code == 202
    assert response.json() == {"accepted": 2}
    first = sink.published[0]
    assert (first.machine_id, first.enterprise_id) == (MACHINE, ENTERPRISE)
    assert first.report_id == derive_id("report", TERMINAL, "2026-05-11T15:30:00+00:00")


def test_the_same_instant_in_another_offset_is_the_same_report(
    client: TestClient, sink: FakeSink
) -> None:
    response = _post(client, REPORT, {**REPORT, "reported_at": "2026-05-11T15:30:00Z"})
    assert response.json() == {"accepted": 1}
    [once] = sink.published
    assert once.report_id == derive_id("report", TERMINAL, "2026-05-11T15:30:00+00:00")


def test_a_report_dated_1970_is_refused_naming_it(client: TestClient, sink: FakeSink) -> None:
    response = _post(client, REPORT, {**REPORT, "reported_at": "1970-01-01T08:00:00+08:00"})
    assert response.status_code == 422
    assert _fields(response) == ["reports.1.reported_at"]
    assert "more than 7 days in the past" in response.json()["errors"][0]["message"]
    assert sink.published == []


def test_a_buffered_report_six_days_late_is_accepted(client: TestClient, sink: FakeSink) -> None:
    response = _post(client, {**REPORT, "reported_at": "2026-05-05T23:45:00+08:00"})
    assert response.status_code == 202


def test_a_report_right_after_the_bind_waits_for_the_binding(
    service: Service, sink: FakeSink
) -> None:
    other = "13800000009"
    bind_lands = threading.Timer(
        0.1, apply, (service, bound(terminal_id=other, machine_id="m-9"), "b9")
    )
    with TestClient(build_api(service, sink, clock=lambda: NOW)) as client:
        bind_lands.start()
        response = _post(client, {**REPORT, "terminal_id": other})
    assert response.status_code == 202
    assert [r.machine_id for r in sink.published] == ["m-9"]


def test_a_report_dated_more_than_ten_minutes_ahead_refuses_the_batch(
    client: TestClient, sink: FakeSink
) -> None:
    tolerated = {**REPORT, "reported_at": "2026-05-11T23:50:00+08:00"}
    ahead = {**REPORT, "reported_at": "2026-05-11T15:50:01Z"}
    response = _post(client, tolerated, ahead)
    assert response.status_code == 422
    assert _fields(response) == ["reports.1.reported_at"]
    assert sink.published == []
    assert _post(client, tolerated).status_code == 202


def test_the_wall_clock_is_the_default(service: Service, sink: FakeSink) -> None:
    apply(service, bound(), "bind-1")
    with TestClient(build_api(service, sink)) as client:
        response = _post(client, {**REPORT, "reported_at": "2999-01-01T00:00:00+08:00"})
    assert _fields(response) == ["reports.0.reported_at"]


def test_an_unknown_terminal_refuses_the_whole_batch(client: TestClient, sink: FakeSink) -> None:
    response = _post(client, REPORT, {**REPORT, "terminal_id": "13999999999"})
    assert response.status_code == 422
    assert _fields(response) == ["reports.1.terminal_id"]
    assert sink.published == []


def test_a_lone_unknown_terminal_is_named_by_index(client: TestClient, sink: FakeSink) -> None:
    response = _post(client, {**REPORT, "terminal_id": "13999999999"})
    assert response.status_code == 422
    assert _fields(response) == ["reports.0.terminal_id"]
    assert sink.published == []


def test_malformed_json_is_refused(client: TestClient, sink: FakeSink) -> None:
    response = client.post(
        "/reports", content=b'{"reports": [', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert sink.published == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reported_at": "2026-05-11T23:30:00"}, "reports.0.reported_at"),
        ({"latitude": 91}, "reports.0.latitude"),
        ({"longitude": -180.5}, "reports.0.longitude"),
        ({"terminal_id": "1380000"}, "reports.0.terminal_id"),
        ({"terminal_id": "1380000000A"}, "reports.0.terminal_id"),
        ({"fuel_level_pct": 120}, "reports.0.fuel_level_pct"),
        ({"working": "yes"}, "reports.0.working"),
        ({"working": 1}, "reports.0.working"),
        ({"reported_at": 1778513400}, "reports.0.reported_at"),
        ({"latitude": "30.6531"}, "reports.0.latitude"),
        ({"terminal_id": 13800000001}, "reports.0.terminal_id"),
        ({"mileage_km": -0.1}, "reports.0.mileage_km"),
        ({"mileage_km": 429_496_729.6}, "reports.0.mileage_km"),  # past JT/T 808's DWORD
        ({"mileage_km": "1234.5"}, "reports.0.mileage_km"),
    ],
)
def test_invalid_report_fields_are_refused_by_name(
    client: TestClient, sink: FakeSink, change: dict[str, Any], field: str
) -> None:
    response = _post(client, REPORT, {**REPORT, **change})
    assert response.status_code == 422
    assert _fields(response) == [field.replace("reports.0", "reports.1")]
    assert sink.published == []


def test_an_empty_batch_is_refused(client: TestClient) -> None:
    assert _fields(client.post("/reports", json={"reports": []})) == ["reports"]


class _DownSink:
    def publish(self, reports: Sequence[TerminalReported]) -> None:
        raise SinkUnavailable("broker unreachable")


def test_reports_not_made_durable_are_not_accepted(service: Service) -> None:
    apply(service, bound(), "bind-1")
    with TestClient(build_api(service, _DownSink(), clock=lambda: NOW)) as client:
        response = _post(client, REPORT)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    detail = response.json()["detail"]
    # Some reports may have been stored before the failure: never claim none were.
    assert "nothing" not in detail
    assert "not confirmed" in detail and "retrying it is safe" in detail


def test_tamper_alarms_are_carried_and_unknown_alarms_refused(
    client: TestClient, sink: FakeSink
) -> None:
    assert _fields(_post(client, {**REPORT, "alarms": ["door_ajar"]})) == ["reports.0.alarms.0"]
    assert _post(client, {**REPORT, "alarms": ["power_cut", "antenna_cut"]}).status_code == 202
    assert sink.published[0].alarms == ("antenna_cut", "power_cut")


def test_a_reported_mileage_is_carried_on_the_published_report(
    client: TestClient, sink: FakeSink
) -> None:
    """Given an HTTP report with the terminal's odometer, then the published report carries
    it; the lawful twin without one carries none (never a zero)."""
    without = {**REPORT, "reported_at": "2026-05-11T23:35:00+08:00"}
    assert _post(client, {**REPORT, "mileage_km": 1234.5}, without).status_code == 202
    assert [r.mileage_km for r in sink.published] == [1234.5, None]
