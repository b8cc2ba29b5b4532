"""The query API over a temp SQLite store filled by the subscription's handlers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from tianmen_credit.entrypoints.api import build_api
from tianmen_events.safety import BiddingSuspended, ViolationRecorded
from tianmen_runtime.service import Service
from tianmen_runtime.testing import every_page

SHANGHAI = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 10, 23, 40, tzinfo=SHANGHAI)
Deliver = Callable[..., str]


def violation(n: int) -> ViolationRecorded:
    return ViolationRecorded(
        enterprise_id="ent-1",
        violation_id=f"v{n}",
        machine_id="machine-1",
        code="night_work_without_permit",
        description="夜间违规作业 / night work outside permitted hours",
        occurred_at=T0,
        source_event_id=f"alert-{n}",
        source_event_type="tianmen.telemetry.alert_raised",
        points=5,
        rule_version="safety-points/2026.1",
    )


@pytest.fixture
def client(service: Service) -> TestClient:
    return TestClient(build_api(service))


def test_unknown_enterprise_has_the_base_score_and_no_history(client: TestClient) -> None:
    response = client.get("/enterprises/nobody/score")
    assert response.status_code == 200
    assert response.json() == {
        "enterprise_id": "nobody",
        "score": 100,
        "grade": "A",
        "procurement_restricted": False,
        "model_version": "credit/2026.3",
        "change_count": 0,
        "latest_change": None,
    }
    assert client.get("/enterprises/nobody/history").json() == {"items": [], "next_cursor": None}


def test_score_explains_every_change_with_the_events_that_caused_it(
    client: TestClient, service: Service, deliver: Deliver
) -> None:
    deliver(service, violation(1), "ce-v1", T0)
    suspended = BiddingSuspended(
        enterprise_id="ent-1", cycle_year=2026, balance=60, threshold=60, rule_version="r"
    )
    deliver(service, suspended, "ce-s1", T0 + timedelta(minutes=1))
    body = client.get("/enterprises/ent-1/score").json()
    assert (body["score"], body["grade"], body["procurement_restricted"]) == (80, "B", False)
    assert body["change_count"] == 2
    first, second = client.get("/enterprises/ent-1/history").json()["items"]
    assert body["latest_change"] == second
    assert (first["score_before"], first["score"], first["time"]) == (100, 90, T0.isoformat())
    assert first["reasons"] == [
        {
            "event_id": "ce-v1",
            "event_type": "tianmen.safety.violation_recorded",
            "description": "违法违规行为扣分（night_work_without_permit） / deduction for a "
            "violation (night_work_without_permit) (-10, until 2027-03-10T23:40:00+08:00)",
            "delta": -10,
        }
    ]
    assert (second["grade_before"], second["grade"]) == ("A", "B")
    assert [r["event_id"] for r in second["reasons"]] == ["ce-s1"]


def test_history_pages_through_every_change_once_and_the_score_stays_a_summary(
    client: TestClient, service: Service, deliver: Deliver
) -> None:
    deliver(service, violation(0), "ce-v0", T0)
    small = client.get("/enterprises/ent-1/score").json()
    for n in range(1, 9):
        deliver(service, violation(n), f"ce-v{n}", T0 + timedelta(minutes=n))
    large = client.get("/enterprises/ent-1/score").json()
    changes = every_page(client, "/enterprises/ent-1/history", limit=3)
    assert [c["reasons"][0]["event_id"] for c in changes] == [f"ce-v{n}" for n in range(9)]
    assert large["change_count"] == 9
    assert large["latest_change"] == changes[-1]
    assert large.keys() == small.keys()


def test_a_bad_cursor_is_problem_json_naming_cursor(client: TestClient) -> None:
    response = client.get("/enterprises/ent-1/history", params={"cursor": "%%%"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_digest_matches_a_store_rebuilt_from_the_same_events(
    client: TestClient,
    service: Service,
    service_factory: Callable[[str], Service],
    deliver: Deliver,
) -> None:
    rebuilt = service_factory("rebuilt")
    for n in range(3):
        deliver(service, violation(n), f"ce-v{n}")
        deliver(rebuilt, violation(n), f"ce-v{n}")
    live = client.get("/digest").json()["digest"]
    assert live == rebuilt.digest()
    assert live != service_factory("empty").digest()
