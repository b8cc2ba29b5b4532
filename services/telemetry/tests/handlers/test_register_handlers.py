"""The registry's events, kept by telemetry and applied to reports: given the registry's word
(as events), when the machine reports, then the alert (or its clearing), or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, select
from tianmen_events.registry import (
    AnnualReviewOverdue,
    AnnualReviewPassed,
    Hours,
    MachineKind,
    MachineRegistered,
    MachineReinstated,
    MachineSuspended,
    NightWorkPermitIssued,
    RestrictedZoneDeclared,
    WorkSiteRegistered,
    ZoneKind,
)
from tianmen_events.safety import ThirdPartyTestExpired
from tianmen_runtime.db import events
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters.orm import alerts

from ..helpers import ENTERPRISE, MACHINE, apply, at, bound, box, reported

NOON = at("2026-05-11T12:00:00")
NIGHT = at("2026-05-11T23:30:00")
ORDERED = at("2026-05-11T09:00:00")


def _registered(*, high_risk: bool = False) -> MachineRegistered:
    return MachineRegistered(
        machine_id=MACHINE,
        enterprise_id=ENTERPRISE,
        kind=MachineKind.TRUCK_CRANE if high_risk else MachineKind.EXCAVATOR,
        brand="SANY",
        model="SY215C",
        serial_number="S1",
        jurisdiction_code="429006101",
        high_risk=high_risk,
    )


def _given_machine(service: Service, *, high_risk: bool = False) -> None:
    apply(service, _registered(high_risk=high_risk), "machine-1", at("2026-05-01T08:00:00"))
    apply(service, bound(), "bind-1", at("2026-05-01T08:00:00"))


def _alerts(service: Service) -> Sequence[Row[Any]]:
    with service.engine.connect() as conn:
        return conn.execute(select(alerts).order_by(alerts.c.observed_at)).all()


def _event_types(service: Service) -> list[str]:
    with service.engine.connect() as conn:
        return [r.type.rsplit(".", 1)[1] for r in conn.execute(select(events.c.type)).all()]


def _suspended(service: Service) -> None:
    suspended = MachineSuspended(machine_id=MACHINE, enterprise_id=ENTERPRISE, reason="unsafe")
    apply(service, suspended, "suspend-1", ORDERED)


def test_a_machine_working_after_its_stop_use_order_raises_stopped_machine(
    service: Service,
) -> None:
    _given_machine(service)
    _suspended(service)
    apply(service, reported(NOON), "report-1")
    [alert] = _alerts(service)
    assert (alert.rule, alert.jurisdiction) == ("stopped_machine_working", "429006101")


def test_lawful_twin_a_buffered_report_from_before_the_order_raises_nothing(
    service: Service,
) -> None:
    _given_machine(service)
    _suspended(service)
    apply(service, reported(ORDERED - timedelta(hours=1)), "report-1")
    assert _alerts(service) == []


def test_reinstatement_clears_the_stopped_machine_alert_at_the_next_report(
    service: Service,
) -> None:
    _given_machine(service)
    _suspended(service)
    apply(service, reported(NOON), "report-1")
    back = MachineReinstated(machine_id=MACHINE, enterprise_id=ENTERPRISE)
    apply(service, back, "reinstate-1", NOON + timedelta(minutes=30))
    apply(service, reported(NOON + timedelta(hours=1)), "report-2")
    [alert] = _alerts(service)
    assert alert.cleared_at == NOON + timedelta(hours=1)
    assert _event_types(service) == ["alert_raised", "alert_cleared"]


def test_a_high_risk_machine_overdue_for_inspection_working_raises_until_it_passes(
    service: Service,
) -> None:
    _given_machine(service, high_risk=True)
    overdue = AnnualReviewOverdue(
        machine_id=MACHINE, enterprise_id=ENTERPRISE, due_on=ORDERED.date()
    )
    apply(service, overdue, "overdue-1", ORDERED)
    apply(service, reported(NOON), "report-1")
    passed = AnnualReviewPassed(
        machine_id=MACHINE,
        enterprise_id=ENTERPRISE,
        application_id="a-1",
        next_review_due=NOON.date(),
    )
    apply(service, passed, "passed-1", NOON + timedelta(minutes=1))
    apply(service, reported(NOON + timedelta(minutes=2)), "report-2")
    [alert] = _alerts(service)
    assert "review overdue" in alert.detail
    assert alert.cleared_at == NOON + timedelta(minutes=2)


def test_lawful_twin_an_ordinary_machine_overdue_for_review_raises_nothing(
    service: Service,
) -> None:
    _given_machine(service, high_risk=False)
    overdue = AnnualReviewOverdue(
        machine_id=MACHINE, enterprise_id=ENTERPRISE, due_on=ORDERED.date()
    )
    apply(service, overdue, "overdue-1", ORDERED)
    apply(service, reported(NOON), "report-1")
    assert _alerts(service) == []


def test_a_machine_reporting_an_engine_not_the_registered_one_raises_once(
    service: Service,
) -> None:
    apply(service, _registered().model_copy(update={"engine_number": "B2071"}), "m-1", ORDERED)
    apply(service, bound(), "bind-1", ORDERED)
    apply(service, reported(NOON, engine_number="b 2071"), "report-1")  # the registered one
    assert _alerts(service) == []
    apply(service, reported(NOON + timedelta(minutes=1), engine_number="X9"), "report-2")
    apply(service, reported(NOON + timedelta(minutes=2), engine_number="X9"), "report-3")
    [alert] = _alerts(service)
    assert (alert.rule, alert.jurisdiction) == ("suspected_illegal_modification", "429006101")


def _test_expired(at_: datetime) -> ThirdPartyTestExpired:
    return ThirdPartyTestExpired(
        enterprise_id=ENTERPRISE, machine_id=MACHINE, test_id="test-1", expired_at=at_
    )


def test_a_high_risk_machine_working_after_its_third_party_test_expired_raises_once(
    service: Service,
) -> None:
    _given_machine(service, high_risk=True)
    # Safety says so at noon; the test ran out at 09:00, and the 10:00 report is judged with it.
    apply(service, _test_expired(ORDERED), "expired-1", NOON)
    apply(service, reported(ORDERED + timedelta(hours=1)), "report-1")
    apply(service, reported(ORDERED + timedelta(hours=1, minutes=1)), "report-2")
    [alert] = _alerts(service)
    assert (alert.rule, alert.rule_version) == ("stopped_machine_working", "stopped-machine/3")
    assert "third party test expired" in alert.detail
    assert alert.observed_at == ORDERED + timedelta(hours=1)


def test_lawful_twin_a_buffered_report_from_before_the_test_ran_out_raises_nothing(
    service: Service,
) -> None:
    _given_machine(service, high_risk=True)
    apply(service, _test_expired(NOON), "expired-1", NOON)
    apply(service, reported(ORDERED), "report-1")
    assert _alerts(service) == []


def test_an_ordinary_machine_whose_test_expired_raises_nothing(service: Service) -> None:
    _given_machine(service, high_risk=False)
    apply(service, _test_expired(ORDERED), "expired-1", ORDERED)
    apply(service, reported(NOON), "report-1")
    assert _alerts(service) == []


def _site_with_permit(service: Service) -> None:
    site = WorkSiteRegistered(
        site_id="site-1",
        enterprise_id=ENTERPRISE,
        name="东湖工地",
        jurisdiction_code="429006101",
        boundary=box(30.6531, 113.1661, 0.002),
        permitted_hours=(Hours(start="06:00", end="22:00"),),
    )
    apply(service, site, "site-1", at("2026-05-01T08:00:00"))
    permit = NightWorkPermitIssued(
        site_id="site-1",
        permit_id="permit-1",
        enterprise_id=ENTERPRISE,
        hours=Hours(start="22:00", end="02:00"),
        valid_from=at("2026-05-11T00:00:00"),
        valid_until=at("2026-05-12T06:00:00"),
        reason="concrete pour",
    )
    apply(service, permit, "permit-1", at("2026-05-10T08:00:00"))


def test_lawful_twin_night_work_on_the_permitted_site_raises_nothing(service: Service) -> None:
    _given_machine(service)
    _site_with_permit(service)
    apply(service, reported(NIGHT), "report-1")
    assert _alerts(service) == []


def test_night_work_off_the_permitted_site_raises_night_work_and_outside_site(
    service: Service,
) -> None:
    _given_machine(service)
    _site_with_permit(service)
    apply(service, reported(NIGHT, latitude=30.70, longitude=113.25), "report-1")
    assert sorted(a.rule for a in _alerts(service)) == ["night_work", "work_outside_site"]


def test_working_inside_a_declared_school_zone_raises_once(service: Service) -> None:
    _given_machine(service)
    zone = RestrictedZoneDeclared(
        zone_id="zone-1",
        name="实验小学",
        kind=ZoneKind.SCHOOL,
        jurisdiction_code="429006101",
        boundary=box(30.6531, 113.1661, 0.001),
    )
    apply(service, zone, "zone-1", at("2026-05-01T08:00:00"))
    apply(service, zone, "zone-1", at("2026-05-01T08:00:00"))
    apply(service, reported(NOON), "report-1")
    apply(service, reported(NOON + timedelta(minutes=1)), "report-2")
    [alert] = _alerts(service)
    assert (alert.rule, alert.machine_id) == ("work_in_restricted_zone", MACHINE)
