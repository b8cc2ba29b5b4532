"""Inspections, campaigns and accidents over HTTP and the consumer (temp SQLite): a third-party
test that runs out (by a later event's time) reaches telemetry as `ThirdPartyTestExpired`, a
newer test keeps the machine covered; a missed self-inspection deadline becomes an event; a
campaign's report counts what was filed under it; accidents year on year; replay agrees."""

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
from tianmen_events.safety.inspections import SelfInspectionMissed
from tianmen_runtime.db import outbox
from tianmen_runtime.service import Service
from tianmen_safety.entrypoints.api import build_api

from ..conftest import Deliver, MakeAlert, replayed_digest
from ..vouching import As, verifying
from .test_orders import RECTIFY, STOP, announced

SHANGHAI = timezone(timedelta(hours=8))
TESTED = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
Settle = Callable[[Service], list[str]]
Tick = Callable[[datetime], None]
TEST = {
    "enterprise_id": "ent-1",
    "machine_id": "m-1",
    "agency": "Hubei Special Equipment Inspection Institute",
    "passed": True,
    "certificate_number": "TC-2026-0042",
    "tested_at": TESTED.isoformat(),
    "valid_until": (TESTED + timedelta(days=30)).isoformat(),
}
FINDINGS = [{"machine_id": "m-1", "passed": False}, {"machine_id": "m-3", "passed": True}]
SPOT = {
    "enterprise_id": "ent-1",
    "inspected_at": TESTED.isoformat(),
    "departments": ["housing_and_construction", "emergency_management"],
    "findings": FINDINGS,
    "jurisdiction": "429006100",
}


CAMPAIGN = {
    "title": "Hoisting machinery major-hazard drive 2026",
    "jurisdictions": ["429006100", "429006101"],
    "categories": ["tower_crane", "construction_hoist"],
    "starts_at": "2026-03-01T00:00:00+08:00",
    "ends_at": "2026-06-30T00:00:00+08:00",
}
IN_SCOPE = {"jurisdiction": "429006100", "machine_kind": "tower_crane"}


@pytest.fixture
def client(service: Service, tmp_path: Path) -> TestClient:
    app = verifying(build_api(service, clock=lambda: NOW), tmp_path / "id.pem")
    client = TestClient(app)
    client.auth = As(tmp_path / "id.pem", "inspector-1")
    return client


@pytest.fixture
def tick(service: Service, make_alert: Callable[..., Any], deliver: Callable[..., str]) -> Tick:
    """An event at `at` from elsewhere (a data-quality alert, which opens no case and puts no
    enterprise on the docket): time has come."""

    def at(when: datetime) -> None:
        alert = make_alert(f"tick-{when}", when, enterprise_id="ent-9", rule="implausible_movement")
        deliver(service, alert)

    return at


def post(client: TestClient, path: str, body: dict[str, Any]) -> str:
    answer = client.post(path, json=body)
    assert answer.status_code == 202, answer.text
    assert answer.json()["actor"] == "inspector-1"
    return str(answer.json()["id"])


def test_a_test_that_runs_out_is_announced_to_telemetry_once_at_its_expiry(
    client: TestClient, service: Service, settle: Settle, tick: Tick
) -> None:
    test_id = post(client, "/inspections/third-party-tests", TEST)
    settle(service)
    tick(TESTED + timedelta(days=29))
    assert announced(service) == []
    tick(TESTED + timedelta(days=31))
    tick(TESTED + timedelta(days=32))
    assert announced(service) == [("tianmen.safety.third_party_test_expired", "m-1")]
    [test] = client.get("/inspections", params={"kind": ["third_party"]}).json()["items"]
    assert (test["inspection_id"], test["state"]) == (test_id, "expired")
    assert test["certificate_number"] == "TC-2026-0042"


def test_a_newer_passed_test_keeps_the_machine_covered(
    client: TestClient, service: Service, settle: Settle, tick: Tick
) -> None:
    post(client, "/inspections/third-party-tests", TEST)
    renewed = {**TEST, "tested_at": (TESTED + timedelta(days=20)).isoformat()}
    renewed["valid_until"] = (TESTED + timedelta(days=385)).isoformat()
    post(client, "/inspections/third-party-tests", {**renewed, "certificate_number": "TC-2"})
    failed = {**TEST, "machine_id": "m-2", "passed": False, "certificate_number": "TC-F"}
    post(client, "/inspections/third-party-tests", failed)
    settle(service)
    tick(TESTED + timedelta(days=40))
    assert announced(service) == []
    states = {i["certificate_number"]: i["state"] for i in _items(client, "/inspections")}
    assert states == {"TC-2026-0042": "superseded", "TC-2": "valid", "TC-F": None}


def test_an_agencys_tests_are_listed_and_read_by_the_agency_that_filed_them(
    client: TestClient, service: Service, settle: Settle, tmp_path: Path
) -> None:
    lab = As(tmp_path / "id.pem", "lab", "testing_agency")
    filed = client.post(
        "/inspections/third-party-tests", json={**TEST, "agency": "lab-1"}, auth=lab
    )
    assert (filed.status_code, filed.json()["actor"]) == (202, "lab")
    other = {**TEST, "machine_id": "m-2", "agency": "lab-2", "certificate_number": "TC-9"}
    post(client, "/inspections/third-party-tests", other)
    settle(service)
    test_id = filed.json()["id"]
    listed = client.get("/inspections", params={"agency": "lab-1"}).json()["items"]
    assert [(i["inspection_id"], i["recorded_by"]) for i in listed] == [(test_id, "lab")]
    one = client.get(f"/inspections/{test_id}").json()
    assert (one["agency"], one["machine_id"], one["state"]) == ("lab-1", "m-1", "valid")
    assert client.get("/inspections/nope").status_code == 404


def test_a_missing_self_inspection_becomes_an_event_at_the_half_year_and_the_year_deadline(
    client: TestClient, service: Service, settle: Settle, tick: Tick
) -> None:
    post(client, "/inspections/spot-checks", SPOT)  # the docket has seen ent-1 since March
    diligent = {"enterprise_id": "ent-2", "inspected_at": TESTED.isoformat(), "machine_ids": ["x"]}
    post(client, "/inspections/self", diligent)
    settle(service)
    tick(datetime(2026, 6, 30, 23, 0, tzinfo=SHANGHAI))
    assert _missed(service) == []
    tick(datetime(2026, 7, 1, 0, 0, tzinfo=SHANGHAI))
    tick(datetime(2026, 7, 2, 0, 0, tzinfo=SHANGHAI))
    assert _missed(service) == [("ent-1", 2026, 1, 0)]
    later = {**diligent, "inspected_at": "2026-11-02T09:00:00+08:00"}
    post(client, "/inspections/self", later)
    settle(service)
    tick(datetime(2027, 1, 1, 0, 1, tzinfo=SHANGHAI))
    assert _missed(service) == [("ent-1", 2026, 1, 0), ("ent-1", 2026, 2, 0)]


def test_a_campaigns_report_counts_the_machines_hazards_and_orders_filed_under_it(
    client: TestClient, service: Service, settle: Settle
) -> None:
    campaign_id = post(client, "/campaigns", CAMPAIGN)
    post(client, "/inspections/spot-checks", {**SPOT, "campaign_id": campaign_id})
    for hazard in (STOP, RECTIFY):
        filed = client.post("/hazards", json={**hazard, **IN_SCOPE, "campaign_id": campaign_id})
        assert filed.status_code == 202, filed.text
    assert client.post("/hazards", json=RECTIFY).status_code == 409  # the same finding again
    settle(service)
    view = client.get(f"/campaigns/{campaign_id}").json()
    assert view["checklist_version"] == "hoisting-major-hazards/2022"
    assert [item["code"] for item in view["checklist"]][:2] == ["9.1", "9.2"]
    report = client.get(f"/campaigns/{campaign_id}/report").json()
    assert report | {"campaign_id": "-"} == {
        "campaign_id": "-",
        "machines_checked": 3,  # m-1 and m-3 spot-checked, m-2 with a hazard
        "hazards": 2,
        "hazards_by_severity": {"grave": 1, "serious": 1},
        "hazard_machines": 2,
        "major_hazard_machines": 1,
        "stop_use_orders": 1,
        "rectified_on_time": 0,
        "rectified_late": 0,
        "open_orders": 2,
        "key_supervision_enterprises": 0,
    }
    assert client.get("/campaigns/nope/report").status_code == 404


def test_a_campaigns_report_counts_the_enterprises_it_reached_put_on_key_supervision_meanwhile(
    client: TestClient, service: Service, settle: Settle, make_alert: MakeAlert, deliver: Deliver
) -> None:
    campaign_id = post(client, "/campaigns", CAMPAIGN)  # March to June 2026
    for checked in ("ent-1", "ent-3"):
        spot = {**SPOT, "enterprise_id": checked, "campaign_id": campaign_id}
        post(client, "/inspections/spot-checks", spot)
    settle(service)
    # Ten tamper alarms (10 points each) clear a cycle's points: ent-1 in April, ent-2 (which
    # the campaign never reached) in April, ent-3 in August, after the campaign.
    for enterprise_id, month in (("ent-1", 4), ("ent-2", 4), ("ent-3", 8)):
        for day in range(1, 11):
            at = datetime(2026, month, day, 10, 0, tzinfo=SHANGHAI)
            alert_id = f"{enterprise_id}-{month}-{day}"
            deliver(
                service, make_alert(alert_id, at, enterprise_id=enterprise_id, rule="tamper_alarm")
            )

    def listed(as_of: str) -> list[str]:
        page = client.get("/lists/key-supervision", params={"as_of": as_of}).json()
        return sorted(item["enterprise_id"] for item in page["items"])

    assert listed("2026-07-01T00:00:00+08:00") == ["ent-1", "ent-2"]
    # ent-1 and ent-2 came off 90 days after their last violation (August's alerts moved the
    # clock past it); nothing after ent-3's has moved the clock past its period yet.
    assert listed("2026-08-11T00:00:00+08:00") == ["ent-3"]
    report = client.get(f"/campaigns/{campaign_id}/report").json()
    assert report["key_supervision_enterprises"] == 1  # ent-1


def test_a_campaigns_report_counts_orders_rectified_on_time_late_and_still_open(
    client: TestClient, service: Service, settle: Settle, tick: Tick
) -> None:
    campaign_id = post(client, "/campaigns", CAMPAIGN)
    late = {**RECTIFY, "machine_id": "m-3", "description": "guard rail missing on the mast"}
    ids = []
    for hazard in (STOP, RECTIFY, late):
        filed = client.post("/hazards", json={**hazard, **IN_SCOPE, "campaign_id": campaign_id})
        assert filed.status_code == 202, filed.text
        ids.append(filed.json()["order_id"])
    settle(service)
    stop_id, on_time_id, late_id = ids
    _reinspected(client, on_time_id)
    settle(service)
    tick(datetime.fromisoformat(str(RECTIFY["due_at"])) + timedelta(days=1))  # m-3 overdue
    _reinspected(client, late_id)
    settle(service)
    report = client.get(f"/campaigns/{campaign_id}/report").json()
    counted = {k: report[k] for k in ("hazards", "stop_use_orders", "major_hazard_machines")}
    assert counted == {"hazards": 3, "stop_use_orders": 1, "major_hazard_machines": 1}
    assert report["hazards_by_severity"] == {"grave": 1, "serious": 2}
    closed = (report["rectified_on_time"], report["rectified_late"], report["open_orders"])
    assert closed == (1, 1, 1)  # the stop-use order is open until its machine passes
    assert client.get(f"/orders/{stop_id}").json()["state"] == "open"


def _reinspected(client: TestClient, order_id: str) -> None:
    answer = client.post(f"/orders/{order_id}/reinspection", json={"passed": True})
    assert answer.status_code == 202, answer.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/hazards", {**STOP, **IN_SCOPE, "jurisdiction": "429006200"}, "jurisdiction"),
        ("/hazards", {**STOP, "machine_kind": "tower_crane"}, "jurisdiction"),  # none named
        ("/hazards", {**STOP, **IN_SCOPE, "machine_kind": "excavator"}, "machine_kind"),
        ("/hazards", {**STOP, "jurisdiction": "429006100"}, "machine_kind"),  # none named
        ("/hazards", {**STOP, **IN_SCOPE, "found_at": "2026-07-02T10:00:00+08:00"}, "found_at"),
        ("/inspections/spot-checks", {**SPOT, "jurisdiction": "429006200"}, "jurisdiction"),
        (
            "/inspections/spot-checks",
            {**SPOT, "inspected_at": "2026-02-27T10:00:00+08:00"},
            "inspected_at",
        ),
        (
            "/inspections/third-party-tests",
            {**TEST, **IN_SCOPE, "machine_kind": "loader"},
            "machine_kind",
        ),
    ],
)
def test_a_filing_outside_its_campaigns_scope_is_refused_naming_the_field_and_changes_nothing(
    client: TestClient,
    service: Service,
    settle: Settle,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    campaign_id = post(client, "/campaigns", CAMPAIGN)
    settle(service)
    before = service.digest()
    answer = client.post(path, json={**body, "campaign_id": campaign_id})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert service.digest() == before
    assert client.get("/orders", params={"campaign_id": campaign_id}).json()["items"] == []


def test_a_filing_under_a_campaign_still_in_flight_is_checked_and_an_unknown_one_refused(
    client: TestClient,
) -> None:
    campaign_id = post(client, "/campaigns", CAMPAIGN)  # launched, not yet back from the topic
    wrong = {**STOP, **IN_SCOPE, "machine_kind": "excavator", "campaign_id": campaign_id}
    assert client.post("/hazards", json=wrong).status_code == 422
    right = {**STOP, **IN_SCOPE, "campaign_id": campaign_id}
    assert client.post("/hazards", json=right).status_code == 202
    unknown = client.post("/hazards", json={**right, "campaign_id": "no-such-campaign"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "campaign_id"


def test_accidents_are_counted_per_period_and_year_on_year(
    client: TestClient, service: Service, settle: Settle
) -> None:
    accident = {
        "enterprise_id": "ent-1",
        "machine_id": "m-1",
        "severity": "general",
        "deaths": 0,
        "injuries": 1,
        "description": "load swung into the scaffold",
    }
    for n, when in enumerate(
        ["2025-04-03", "2025-05-09", "2025-06-10", "2026-04-20", "2026-07-01"]
    ):
        body = accident | {"occurred_at": f"{when}T10:00:00+08:00", "machine_id": f"m-{n}"}
        post(client, "/accidents", body)
    settle(service)
    period = {"start": "2026-01-01T00:00:00+08:00", "end": "2026-07-01T00:00:00+08:00"}
    stats = client.get("/accident-stats", params=period).json()
    assert (stats["count"], stats["previous_count"], stats["change"]) == (1, 3, -0.6667)
    assert len(_items(client, "/accidents")) == 5
    backwards = client.get(
        "/accident-stats", params={"start": period["end"], "end": period["start"]}
    )
    assert backwards.status_code == 422 and "end" in backwards.text


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    client: TestClient, service: Service
) -> None:
    before = service.digest()
    cases = [
        (
            "/inspections/third-party-tests",
            {**TEST, "valid_until": TESTED.isoformat()},
            "valid_until",
        ),
        ("/inspections/spot-checks", {**SPOT, "departments": ["police"]}, "departments"),
        ("/inspections/spot-checks", {**SPOT, "findings": FINDINGS * 2}, "findings"),
        (
            "/inspections/self",
            {"enterprise_id": "e", "inspected_at": "2026-01-01T00:00:00+08:00", "machine_ids": []},
            "machine_ids",
        ),
        (
            "/accidents",
            {
                "enterprise_id": "e",
                "machine_id": "m",
                "occurred_at": "2026-01-01T00:00:00+08:00",
                "severity": "general",
                "deaths": -1,
                "injuries": 0,
                "description": "x",
            },
            "deaths",
        ),
    ]
    for path, body, field in cases:
        answer = client.post(path, json=body)
        assert answer.status_code == 422 and field in answer.text, (path, answer.text)
    assert client.post("/inspections/third-party-tests", json=TEST, auth=None).status_code == 401
    assert service.digest() == before


def test_replaying_the_alerts_and_the_docket_gives_the_live_digest(
    client: TestClient,
    service: Service,
    service_factory: Callable[[str], Service],
    settle: Settle,
    make_alert: Callable[..., Any],
    deliver: Callable[..., str],
) -> None:
    post(client, "/inspections/third-party-tests", TEST)
    post(client, "/inspections/spot-checks", SPOT)
    settle(service)
    alerts = [
        make_alert(f"a{n}", TESTED + timedelta(days=40 * n), rule="continuous_work")
        for n in range(1, 6)
    ]
    for alert in alerts:
        deliver(service, alert)
    assert ("tianmen.safety.third_party_test_expired", "m-1") in announced(service)
    assert _missed(service)

    assert replayed_digest(service_factory, alerts, service) == service.digest()


def _items(client: TestClient, path: str) -> list[dict[str, Any]]:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def _missed(service: Service) -> list[tuple[str, int, int, int]]:
    """The self-inspection deadlines missed, as the docket has them: (enterprise, year,
    required, done)."""
    query = select(outbox).where(outbox.c.topic == "safety.case").order_by(outbox.c.position)
    with service.engine.connect() as conn:
        rows = conn.execute(query).all()
    events = [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]
    return [
        (e.enterprise_id, e.year, e.required, e.done)
        for e, _ in events
        if isinstance(e, SelfInspectionMissed)
    ]
