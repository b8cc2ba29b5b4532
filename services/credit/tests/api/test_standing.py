"""The live standing under the model as data: facts from tips, maintenance and safety counted
at their event time, expiring without a job, each explained; a redelivery changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from fastapi.testclient import TestClient
from tianmen_credit.entrypoints.api import build_api
from tianmen_events.registry.sites import MaintenanceRecorded
from tianmen_events.reports import TipCategory, TipVerified
from tianmen_events.safety import ViolationRecorded
from tianmen_runtime.service import Service

SH = timezone(timedelta(hours=8))
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=SH)
Deliver = Callable[..., str]


def _history(service: Service, deliver: Deliver) -> None:
    tip = TipVerified(
        tip_id="tip-1",
        category=TipCategory.SAFETY_HAZARD,
        violation_code="unsafe_operation",
        enterprise_id="ent-1",
        major_hazard=True,
        jurisdiction="429006",
        latitude=30.65,
        longitude=113.16,
        observed_at=T0,
        verified_at=T0,
        verifier="inspector-1",
    )
    night = ViolationRecorded(
        enterprise_id="ent-1",
        violation_id="v1",
        machine_id=None,
        code="night_work_without_permit",
        description="night work",
        occurred_at=T0,
        source_event_id="a1",
        source_event_type="tianmen.telemetry.alert_raised",
        points=5,
        rule_version="r",
    )
    kept = MaintenanceRecorded(
        machine_id="m1",
        enterprise_id="ent-1",
        performed_on=date(2026, 3, 2),
        kind="routine",
        provider="SANY",
    )
    deliver(service, tip, "ce-tip", T0)
    deliver(service, night, "ce-v1", T0)
    deliver(service, kept, "ce-m1", T0 + timedelta(days=1))


def test_the_live_standing_counts_and_explains_every_kind_of_fact(
    service: Service, deliver: Deliver
) -> None:
    _history(service, deliver)
    client = TestClient(build_api(service))
    at = (T0 + timedelta(days=10)).isoformat()
    body = client.get("/enterprises/ent-1/standing", params={"at": at}).json()
    assert (body["score"], body["grade"], body["model_version"]) == (
        100 - 3 - 10 - 10 + 1,
        "C",
        "credit/2026.3",
    )
    effects = {c["event_id"]: (c["effect"], c["zh"], c["in_force"]) for c in body["contributions"]}
    assert effects == {
        "ce-tip": (-3, "经核实的群众投诉（unsafe_operation）", True),
        "ce-tip#hazard": (-10, "重大安全隐患", True),
        "ce-v1": (-10, "违法违规行为扣分（night_work_without_permit）", True),
        "ce-m1": (1, "定期维护保养记录", True),
    }


def test_items_expire_by_event_time_and_a_redelivery_counts_nothing(
    service: Service, deliver: Deliver
) -> None:
    _history(service, deliver)
    _history(service, deliver)
    client = TestClient(build_api(service))
    later = client.get(
        "/enterprises/ent-1/standing", params={"at": (T0 + timedelta(days=200)).isoformat()}
    ).json()
    assert later["score"] == 100 - 10 - 10  # the complaint (180 days) and maintenance (90) lapsed
    assert [c["event_id"] for c in later["contributions"] if not c["in_force"]] == [
        "ce-tip",
        "ce-m1",
    ]
    assert client.get("/enterprises/ent-9/standing").json()["score"] == 100
