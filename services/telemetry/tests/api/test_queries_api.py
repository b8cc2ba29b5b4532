"""GET /terminals/{id} and GET /alerts, read from the projections the worker keeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from tianmen_runtime.service import Service
from tianmen_runtime.testing import every_page
from tianmen_telemetry.entrypoints.api import build_api

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, FakeSink, apply, at, bound, reported


@pytest.fixture
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(build_api(service, FakeSink())) as client:
        yield client


def test_a_bound_terminal_shows_its_machine_and_latest_report(
    service: Service, client: TestClient
) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(at("2026-05-11T10:00:00"), latitude=30.7), "report-1")
    body = client.get(f"/terminals/{TERMINAL}").json()
    assert body == {
        "terminal_id": TERMINAL,
        "machine_id": MACHINE,
        "enterprise_id": ENTERPRISE,
        "last_report_at": "2026-05-11T02:00:00Z",
        "latitude": 30.7,
        "longitude": 113.1661,
        "working": True,
    }


def test_a_bound_terminal_that_never_reported_has_no_position(
    service: Service, client: TestClient
) -> None:
    apply(service, bound(), "bind-1")
    body = client.get(f"/terminals/{TERMINAL}").json()
    assert (body["machine_id"], body["last_report_at"], body["working"]) == (MACHINE, None, None)


def test_a_terminal_does_not_show_the_report_of_the_terminal_its_machine_had_before(
    service: Service, client: TestClient
) -> None:
    apply(service, bound(), "bind-1", at("2026-05-11T09:00:00"))  # bound before it reported
    apply(service, reported(at("2026-05-11T10:00:00")), "report-1")
    apply(service, bound(terminal_id="13800000002"), "bind-2", at("2026-05-11T11:00:00"))
    body = client.get("/terminals/13800000002").json()
    assert (body["machine_id"], body["last_report_at"], body["latitude"]) == (MACHINE, None, None)


def test_an_unknown_terminal_is_not_found(client: TestClient) -> None:
    response = client.get("/terminals/13999999999")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_alerts_are_listed_by_machine_and_enterprise(service: Service, client: TestClient) -> None:
    apply(service, reported(at("2026-05-11T23:30:00")), "report-1")
    apply(service, reported(at("2026-05-11T23:30:00"), machine_id="machine-2"), "report-2")
    by_machine = client.get("/alerts", params={"machine_id": MACHINE}).json()["items"]
    by_enterprise = client.get("/alerts", params={"enterprise_id": ENTERPRISE}).json()["items"]
    other = client.get("/alerts", params={"enterprise_id": "enterprise-2"}).json()["items"]
    assert [a["machine_id"] for a in by_machine] == [MACHINE]
    assert by_machine[0]["rule_version"] == "night-work/2"
    assert len(by_enterprise) == 2
    assert other == []


def test_alerts_page_newest_first_through_every_alert_once(
    service: Service, client: TestClient
) -> None:
    for n in range(7):
        apply(service, reported(at(f"2026-05-{11 + n}T23:30:00")), f"report-{n}")
    alerts = every_page(client, "/alerts", limit=3, machine_id=MACHINE)
    seen = [alert["observed_at"] for alert in alerts]
    assert len(seen) == 7
    assert seen == sorted(seen, reverse=True)


def test_a_cursor_that_is_not_an_instant_is_problem_json_naming_cursor(
    client: TestClient,
) -> None:
    forged = "WyJ5ZXN0ZXJkYXkiLCJhIl0"  # ["yesterday","a"]
    response = client.get("/alerts", params={"cursor": forged})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_findings_are_listed_by_machine(service: Service, client: TestClient) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(at("2026-05-11T10:00:00"), latitude=0.0, longitude=0.0), "r-1")
    [finding] = client.get("/findings", params={"machine_id": MACHINE}).json()["findings"]
    assert (finding["terminal_id"], finding["finding"]) == (TERMINAL, "position_outside_area")
    assert (finding["latitude"], finding["longitude"]) == (0.0, 0.0)
    assert client.get("/findings", params={"machine_id": "machine-x"}).json() == {"findings": []}


def test_an_alert_is_listed_with_its_evidence(service: Service, client: TestClient) -> None:
    apply(service, bound(), "bind-1")
    night = reported(at("2026-05-11T23:30:00"))
    apply(service, night, "r-1")
    [alert] = client.get("/alerts", params={"machine_id": MACHINE}).json()["items"]
    assert alert["evidence"] == [
        {
            "report_id": night.report_id,
            "reported_at": "2026-05-11T15:30:00Z",
            "latitude": 30.6531,
            "longitude": 113.1661,
            "working": True,
        }
    ]
