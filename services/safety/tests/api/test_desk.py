"""The desk over a temp SQLite store: alerts delivered as Kafka would, staff decisions over
HTTP, and the docket's events brought back to the consumer as the relay and broker would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tianmen_events import EventMeta
from tianmen_runtime.projection import apply_record
from tianmen_runtime.service import Service
from tianmen_safety.entrypoints.api import build_api

from ..conftest import replayed_digest, verified_tip
from ..vouching import As, verifying

SHANGHAI = timezone(timedelta(hours=8))
MORNING = datetime(2026, 4, 2, 9, 0, tzinfo=SHANGHAI)
NOW = datetime(2026, 4, 2, 6, 0, tzinfo=UTC)
Settle = Callable[[Service], list[str]]


KEY = "identity.pem"


@pytest.fixture
def client(service: Service, tmp_path: Path) -> TestClient:
    app = verifying(build_api(service, clock=lambda: NOW), tmp_path / KEY)
    client = TestClient(app)
    client.auth = As(tmp_path / KEY, "reader")
    return client


@pytest.fixture
def open_case(
    service: Service,
    make_alert: Callable[..., Any],
    deliver: Callable[..., str],
    client: TestClient,
) -> Callable[..., dict[str, Any]]:
    """A case of overlong work (minor, decided by a person) for `enterprise_id`."""

    def make(n: int = 1, enterprise_id: str = "ent-1", at: datetime = MORNING) -> dict[str, Any]:
        alert = make_alert(f"cw-{n}", at, enterprise_id=enterprise_id, rule="continuous_work")
        deliver(service, alert)
        [case] = client.get("/cases", params={"enterprise_id": enterprise_id}).json()["items"][-1:]
        return dict(case)

    return make


def decide(
    client: TestClient, case_id: str, decision: str, actor: str = "liaison-1", **body: str
) -> Any:
    return client.post(f"/cases/{case_id}/{decision}", json=body, auth=signer(client).but(actor))


def signer(client: TestClient) -> As:
    assert isinstance(client.auth, As)
    return client.auth


def test_an_alert_opens_a_case_at_the_tier_its_severity_names(
    open_case: Callable[..., Any],
) -> None:
    case = open_case()
    assert (case["state"], case["tier"], case["severity"], case["escalations"]) == (
        "open",
        "township",
        "minor",
        0,
    )
    assert datetime.fromisoformat(case["due_at"]) == MORNING + timedelta(hours=24)


def test_staff_confirm_a_case_and_it_becomes_a_violation_naming_them(
    client: TestClient, service: Service, settle: Settle, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    ack = decide(client, case["case_id"], "acknowledge")
    assert ack.status_code == 202 and ack.json()["event_type"] == "tianmen.safety.case_acknowledged"
    confirmed = decide(client, case["case_id"], "confirm", actor="station-2")
    assert confirmed.status_code == 202
    settle(service)
    view = client.get(f"/cases/{case['case_id']}").json()
    assert (view["state"], view["acknowledged_by"], view["decided_by"]) == (
        "confirmed",
        "liaison-1",
        "station-2",
    )
    [violation] = client.get("/enterprises/ent-1/violations", params={"year": 2026}).json()["items"]
    assert (violation["violation_id"], violation["points"]) == (case["violation_id"], 2)
    assert client.get("/enterprises/ent-1/ledger", params={"year": 2026}).json()["balance"] == 98


def test_a_second_decision_in_flight_is_refused_before_the_first_is_applied(
    client: TestClient, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    assert decide(client, case["case_id"], "confirm").status_code == 202
    refused = decide(client, case["case_id"], "dismiss", reason="changed my mind")
    assert refused.status_code == 409


def test_a_dismissal_without_a_reason_is_refused_naming_the_field_and_changes_nothing(
    client: TestClient, service: Service, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    before = service.digest()
    refused = decide(client, case["case_id"], "dismiss", reason=" ")
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "reason" in refused.text
    assert service.digest() == before


def test_a_decision_the_gateway_did_not_vouch_for_is_refused_and_changes_nothing(
    client: TestClient, service: Service, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    before = service.digest()
    refused = client.post(f"/cases/{case['case_id']}/confirm", json={}, auth=None)
    assert refused.status_code == 401
    assert service.digest() == before


def test_an_unknown_case_is_404(client: TestClient) -> None:
    assert decide(client, "no-such-case", "confirm").status_code == 404
    assert client.get("/cases/no-such-case").status_code == 404


def test_a_dismissed_case_records_no_violation(
    client: TestClient, service: Service, settle: Settle, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    decide(client, case["case_id"], "dismiss", reason="the operator changed at noon")
    settle(service)
    view = client.get(f"/cases/{case['case_id']}").json()
    assert (view["state"], view["reason"]) == ("dismissed", "the operator changed at noon")
    assert client.get("/enterprises/ent-1/violations", params={"year": 2026}).json()["items"] == []


def test_a_later_event_past_the_deadline_escalates_the_case_to_the_station(
    client: TestClient, open_case: Callable[..., Any]
) -> None:
    case = open_case(1, "ent-1")
    open_case(2, "ent-2", MORNING + timedelta(hours=23))  # before the deadline: nothing moves
    assert client.get(f"/cases/{case['case_id']}").json()["tier"] == "township"
    open_case(3, "ent-3", MORNING + timedelta(hours=25))  # any event past it ticks the clock
    view = client.get(f"/cases/{case['case_id']}").json()
    assert (view["tier"], view["escalations"]) == ("station", 1)
    assert datetime.fromisoformat(view["due_at"]) == MORNING + timedelta(hours=72)
    stations = client.get("/cases", params={"tier": "station", "state": ["open"]}).json()
    assert [c["case_id"] for c in stations["items"]] == [case["case_id"]]


def test_a_verified_tip_becomes_a_violation_confirmed_by_its_verifier(
    client: TestClient, service: Service, settle: Settle
) -> None:
    tip = verified_tip("ent-9", MORNING)
    meta = EventMeta(
        id="ce-tip-1",
        source="/tianmen/reports",
        time=tip.verified_at,
        subject="tip-1",
        sequence=5,
        correlation_id="corr-tip",
    )
    from tianmen_runtime.testing import record_of

    assert service.subscription is not None
    assert apply_record(service.engine, service.subscription, record_of(tip, meta)) == "applied"
    settle(service)
    [case] = client.get("/cases", params={"enterprise_id": "ent-9"}).json()["items"]
    assert (case["state"], case["decided_by"], case["source_event_id"]) == (
        "confirmed",
        "inspector-7",
        "ce-tip-1",
    )
    [violation] = client.get("/enterprises/ent-9/violations", params={"year": 2026}).json()["items"]
    assert (violation["code"], violation["points"]) == ("unsafe_hoisting_machinery", 12)


def test_an_upheld_appeal_revokes_the_violation_and_restores_its_points(
    client: TestClient, service: Service, settle: Settle, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    decide(client, case["case_id"], "confirm")
    settle(service)
    assert decide(client, case["case_id"], "appeal", actor="city-1", reason="").status_code == 422
    assert (
        decide(client, case["case_id"], "appeal", actor="city-1", reason="break logged").status_code
        == 202
    )
    settle(service)
    assert client.get(f"/cases/{case['case_id']}").json()["state"] == "revoked"
    ledger = client.get("/enterprises/ent-1/ledger", params={"year": 2026}).json()
    assert ledger["balance"] == 100
    [restored] = client.get("/enterprises/ent-1/restorations", params={"year": 2026}).json()[
        "items"
    ]
    assert (restored["violation_id"], restored["points"], restored["balance_after"]) == (
        case["violation_id"],
        2,
        100,
    )
    assert (
        decide(client, case["case_id"], "appeal", actor="city-1", reason="again").status_code == 409
    )


def test_the_lists_as_of_a_date_show_who_was_suspended_and_listed_then(
    client: TestClient,
    service: Service,
    make_alert: Callable[..., Any],
    deliver: Callable[..., str],
) -> None:
    for n in range(9):  # stopped machine working: -12 each, self-evident
        at = MORNING + timedelta(days=n)
        deliver(
            service,
            make_alert(f"sm-{n}", at, enterprise_id="ent-5", rule="stopped_machine_working"),
        )

    def listed(name: str, as_of: datetime) -> list[str]:
        page = client.get(f"/lists/{name}", params={"as_of": as_of.isoformat()}).json()
        return [item["enterprise_id"] for item in page["items"]]

    fourth, ninth = MORNING + timedelta(days=3), MORNING + timedelta(days=8)  # 52 and 0 points
    assert listed("bidding-suspension", fourth - timedelta(seconds=1)) == []
    assert listed("bidding-suspension", fourth) == ["ent-5"]
    assert listed("key-supervision", fourth) == []
    assert listed("key-supervision", ninth) == ["ent-5"]
    new_year = datetime(2027, 1, 1, tzinfo=SHANGHAI)
    assert listed("key-supervision", new_year - timedelta(seconds=1)) == ["ent-5"]
    assert listed("key-supervision", new_year) == []  # a new cycle starts clean
    assert client.get("/lists/nonsense").status_code == 422


def test_staff_escalate_a_case_by_hand_and_it_moves_to_the_station_naming_them(
    client: TestClient, service: Service, settle: Settle, open_case: Callable[..., Any]
) -> None:
    case = open_case()
    sent = decide(client, case["case_id"], "escalate", reason="涉及多个乡镇")
    assert sent.status_code == 202, sent.text
    assert sent.json()["event_type"] == "tianmen.safety.case_escalated"
    settle(service)
    view = client.get(f"/cases/{case['case_id']}").json()
    assert (view["state"], view["tier"], view["escalations"]) == ("open", "station", 1)
    assert datetime.fromisoformat(view["due_at"]) == NOW + timedelta(hours=48)
    before = service.digest()
    assert decide(client, case["case_id"], "escalate", reason=" ").status_code == 422
    assert service.digest() == before


def test_a_rectification_period_without_new_violations_delists_at_its_end_and_replay_agrees(
    client: TestClient,
    service: Service,
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., Any],
    deliver: Callable[..., str],
) -> None:
    alerts = [
        make_alert(f"sm-{n}", MORNING + timedelta(days=n), enterprise_id="ent-5",
                   rule="stopped_machine_working")
        for n in range(9)
    ]  # fmt: skip
    ninth = MORNING + timedelta(days=8)  # 0 points: listed
    ends = ninth + timedelta(days=90)  # the rectification period (safety-points/2026.1)
    # Data-quality alerts (no violation) only move the clock: the period is event time.
    alerts += [
        make_alert(f"dq-{n}", at, enterprise_id="ent-5", rule="implausible_movement")
        for n, at in enumerate((ends - timedelta(hours=1), ends + timedelta(days=2)))
    ]

    def listed(as_of: datetime) -> list[str]:
        page = client.get("/lists/key-supervision", params={"as_of": as_of.isoformat()}).json()
        return [item["enterprise_id"] for item in page["items"]]

    def ledger() -> tuple[int, bool]:
        body = client.get("/enterprises/ent-5/ledger").json()
        return body["balance"], body["key_supervision"]

    for alert in alerts[:-1]:
        deliver(service, alert)
    assert ledger() == (0, True)  # an hour short of the period's end
    deliver(service, alerts[-1])
    assert ledger() == (0, False)
    assert listed(ends - timedelta(seconds=1)) == ["ent-5"]
    assert listed(ends) == []  # off at the period's end, not when the clock next ticked
    assert replayed_digest(service_factory, alerts, service) == service.digest()
