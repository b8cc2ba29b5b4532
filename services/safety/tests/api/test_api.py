"""The query API over a temp SQLite store filled by the subscription's handlers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from tianmen_runtime.service import Service
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
        "violations": [],
        "deductions": [],
    }


def test_ledger_shows_the_violations_and_deductions_that_lowered_it(
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
    assert [v["source_event_id"] for v in body["violations"]] == [f"ce-a{n}" for n in range(8)]
    assert body["violations"][0]["code"] == "night_work_without_permit"
    assert [d["balance_after"] for d in body["deductions"]] == list(range(95, 55, -5))
    first = body["deductions"][0]
    assert first["violation_id"] == body["violations"][0]["violation_id"]
    assert first["time"] == NIGHT.isoformat()


def test_a_new_year_shows_a_fresh_cycle_and_the_old_one_stays_queryable(
    client: TestClient,
    service: Service,
    make_alert: Callable[..., object],
    deliver: Callable[..., str],
) -> None:
    deliver(service, make_alert("old", NIGHT.replace(year=2025)))
    current = client.get("/enterprises/ent-1/ledger").json()
    assert (current["cycle_year"], current["balance"], current["violations"]) == (2026, 100, [])
    earlier = client.get("/enterprises/ent-1/ledger", params={"year": 2025}).json()
    assert (earlier["cycle_year"], earlier["balance"], len(earlier["violations"])) == (2025, 95, 1)


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
