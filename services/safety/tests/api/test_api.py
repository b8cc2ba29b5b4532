"""The query API over a temp SQLite store filled by the subscription's handlers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from tianmen_runtime.service import Service
from tianmen_runtime.testing import every_page
from tianmen_safety.entrypoints.api import build_api

SHANGHAI = timezone(timedelta(hours=8))
NIGHT = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)
TODAY = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)


@pytest.fixture
def client(service: Service) -> TestClient:
    return TestClient(build_api(service, clock=lambda: TODAY))


def test_enterprise_without_violations_has_its_full_initial_balance(client: TestClient) -> None:
    response = client.get("/enterprises/nobody/ledger")
    assert response.status_code == 200
    assert response.json() == {
        "enterprise_id": "nobody",
        "cycle_year": 2026,
        "initial_points": 100,
        "balance": 100,
        "bidding_suspended": False,
        "key_supervision": False,
        "rule_version": "safety-points/2026.1",
        "warning_level": "normal",
        "violation_count": 0,
        "deduction_count": 0,
    }
    empty: dict[str, object] = {"items": [], "next_cursor": None}
    assert client.get("/enterprises/nobody/violations").json() == empty
    assert client.get("/enterprises/nobody/deductions").json() == empty


def test_ledger_counts_the_violations_and_deductions_that_lowered_it(
    client: TestClient,
    service: Service,
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    for n in range(8):
        deliver(service, make_alert(f"a{n}", NIGHT + timedelta(days=n)), event_id=f"ce-a{n}")
    body = client.get("/enterprises/ent-1/ledger").json()
    assert (body["balance"], body["bidding_suspended"], body["key_supervision"]) == (
        60,
        True,
        False,
    )
    assert (body["violation_count"], body["deduction_count"]) == (8, 8)
    violations = client.get("/enterprises/ent-1/violations").json()["items"]
    deductions = client.get("/enterprises/ent-1/deductions").json()["items"]
    assert [v["source_event_id"] for v in violations] == [f"ce-a{n}" for n in range(8)]
    assert violations[0]["code"] == "night_work_without_permit"
    assert violations[0]["occurred_at"] == NIGHT.isoformat()
    assert [d["balance_after"] for d in deductions] == list(range(95, 55, -5))
    assert deductions[0]["violation_id"] == violations[0]["violation_id"]
    assert deductions[0]["time"] == NIGHT.isoformat()


def test_many_violations_page_through_once_each_and_the_ledger_stays_a_summary(
    client: TestClient,
    service: Service,
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    deliver(service, make_alert("a0", NIGHT), event_id="ce-a0")
    small = client.get("/enterprises/ent-1/ledger").json()
    for n in range(1, 150):
        deliver(service, make_alert(f"a{n}", NIGHT + timedelta(days=n % 200, minutes=n)))
    large = client.get("/enterprises/ent-1/ledger").json()
    violations = every_page(client, "/enterprises/ent-1/violations", limit=7)
    assert len(violations) == 150
    assert len({v["violation_id"] for v in violations}) == 150
    assert violations[0]["source_event_id"] == "ce-a0"
    assert large["violation_count"] == 150
    assert large.keys() == small.keys()
    assert not any(isinstance(value, list | dict) for value in large.values())


def test_a_cursor_not_issued_by_the_list_is_problem_json_naming_cursor(
    client: TestClient,
    service: Service,
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    for n in range(3):
        deliver(service, make_alert(f"a{n}", NIGHT + timedelta(days=n)))
    issued = client.get("/enterprises/ent-1/violations", params={"limit": 1}).json()
    assert issued["next_cursor"]
    for bad in ("not base64!", "W10", issued["next_cursor"] + "A", "WyJ4Il0", "eyJhIjoxfQ"):
        response = client.get("/enterprises/ent-1/violations", params={"cursor": bad})
        assert response.status_code == 422, bad
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"]
    assert client.get("/enterprises/ent-1/violations", params={"limit": 501}).status_code == 422


def test_a_new_year_shows_a_fresh_cycle_and_the_old_one_stays_queryable(
    client: TestClient,
    service: Service,
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    deliver(service, make_alert("old", NIGHT.replace(year=2025)))
    current = client.get("/enterprises/ent-1/ledger").json()
    assert (current["cycle_year"], current["balance"], current["violation_count"]) == (2026, 100, 0)
    assert client.get("/enterprises/ent-1/violations").json()["items"] == []
    earlier = client.get("/enterprises/ent-1/ledger", params={"year": 2025}).json()
    assert (earlier["cycle_year"], earlier["balance"], earlier["violation_count"]) == (2025, 95, 1)
    listed = client.get("/enterprises/ent-1/violations", params={"year": 2025}).json()
    assert len(listed["items"]) == 1


def test_a_bad_year_is_problem_json_naming_the_field(client: TestClient) -> None:
    response = client.get("/enterprises/ent-1/ledger", params={"year": "last"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["year"]


def test_digest_matches_a_store_rebuilt_from_the_same_alerts(
    client: TestClient,
    service: Service,
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    rebuilt = service_factory("rebuilt")
    for n in range(3):
        alert = make_alert(f"a{n}", NIGHT + timedelta(hours=n))
        deliver(service, alert)
        deliver(rebuilt, alert)
    live = client.get("/digest").json()["digest"]
    assert live == rebuilt.digest()
    assert live != service_factory("empty").digest()
