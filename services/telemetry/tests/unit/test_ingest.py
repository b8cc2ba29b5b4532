"""Ingest: a batch is accepted whole when every report passes, else refused whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_telemetry.domain.bindings import Binding, Holder, Period
from tianmen_telemetry.domain.commands import Report, SubmitReports
from tianmen_telemetry.domain.ingest import (
    AcceptanceWindow,
    ConflictingDuplicates,
    ReportsFromTheFuture,
    ReportsOutsideTheWindow,
    UnknownTerminals,
    accept_reports,
)

from ..helpers import at

WHEN = at("2026-05-11T09:00:00")
NOW = WHEN + timedelta(minutes=1)
BINDINGS = {"13800000001": Binding("machine-1", "enterprise-1")}


def _report(terminal_id: str = "13800000001", when: str = "2026-05-11T09:00:00") -> Report:
    return Report(terminal_id, at(when), 30.65, 113.17, True, engine_hours=12.5)


def test_bound_terminals_become_reports_of_their_machines() -> None:
    [event] = accept_reports(SubmitReports((_report(),)), BINDINGS, now=NOW)
    assert (event.machine_id, event.enterprise_id) == ("machine-1", "enterprise-1")
    assert event.report_id == derive_id("report", "13800000001", "2026-05-11T01:00:00+00:00")
    assert event.engine_hours == 12.5


def test_one_instant_written_with_two_offsets_is_one_report() -> None:
    local = _report()
    utc = replace(local, reported_at=datetime.fromisoformat("2026-05-11T01:00:00Z"))
    [event] = accept_reports(SubmitReports((local, utc)), BINDINGS, now=NOW)
    assert event.reported_at == local.reported_at


def test_the_same_report_twice_in_a_batch_is_one_record() -> None:
    later = _report(when="2026-05-11T09:00:30")
    events = accept_reports(SubmitReports((_report(), later, _report())), BINDINGS, now=NOW)
    assert [e.reported_at for e in events] == [_report().reported_at, later.reported_at]


def test_two_reports_of_one_instant_that_differ_refuse_the_batch() -> None:
    moved = replace(_report(), latitude=30.7)
    with pytest.raises(ConflictingDuplicates) as refused:
        accept_reports(SubmitReports((_report(), moved)), BINDINGS, now=NOW)
    assert refused.value.fields == ("reports.1",)


def test_a_report_older_than_the_window_refuses_the_batch_naming_it() -> None:
    week_old = _report(when="2026-05-04T09:01:00")
    too_old = _report(when="2026-05-04T09:00:59")
    dated_1970 = _report(when="1970-01-01T08:00:00")
    batch = SubmitReports((week_old, too_old, dated_1970))
    with pytest.raises(ReportsOutsideTheWindow) as refused:
        accept_reports(batch, BINDINGS, now=NOW)
    assert refused.value.fields == ("reports.1.reported_at", "reports.2.reported_at")
    assert "more than 7 days in the past" in refused.value.detail


def test_the_window_is_configurable() -> None:
    month = AcceptanceWindow(max_age=timedelta(days=30), max_ahead=timedelta(0))
    [event] = accept_reports(
        SubmitReports((_report(when="2026-04-12T09:01:00"),)), BINDINGS, now=NOW, window=month
    )
    assert event.machine_id == "machine-1"
    with pytest.raises(ReportsFromTheFuture):
        accept_reports(
            SubmitReports((_report(when="2026-05-11T09:01:01"),)), BINDINGS, now=NOW, window=month
        )


MOVED = at("2026-05-11T08:00:00")
MOVED_TERMINAL = Binding(
    "machine-2",
    "enterprise-2",
    (
        Period(MOVED, Holder("machine-2", "enterprise-2")),
        Period(None, Holder("machine-1", "enterprise-1")),
    ),
)


def test_a_late_report_from_before_a_move_is_charged_to_the_old_holder() -> None:
    bindings = {"13800000001": MOVED_TERMINAL}
    before, after = _report(when="2026-05-11T07:59:59"), _report(when="2026-05-11T08:00:00")
    old, new = accept_reports(SubmitReports((before, after)), bindings, now=NOW)
    assert (old.machine_id, old.enterprise_id) == ("machine-1", "enterprise-1")
    assert (new.machine_id, new.enterprise_id) == ("machine-2", "enterprise-2")


def test_a_report_from_when_the_terminal_was_on_no_machine_is_refused() -> None:
    rebound = Binding(
        "machine-2",
        "enterprise-1",
        (
            Period(MOVED, Holder("machine-2", "enterprise-1")),
            Period(at("2026-05-10T08:00:00"), None),
            Period(None, Holder("machine-1", "enterprise-1")),
        ),
    )
    batch = SubmitReports((_report(when="2026-05-11T07:00:00"),))
    with pytest.raises(UnknownTerminals) as refused:
        accept_reports(batch, {"13800000001": rebound}, now=NOW)
    assert refused.value.fields == ("reports.0.terminal_id",)
    assert refused.value.reason == "terminal not bound to any machine at reported_at"


def test_unknown_terminals_refuse_the_batch_naming_each_one() -> None:
    batch = SubmitReports((_report(), _report("13999999999"), _report("13999999998")))
    with pytest.raises(UnknownTerminals) as refused:
        accept_reports(batch, BINDINGS, now=NOW)
    assert refused.value.fields == ("reports.1.terminal_id", "reports.2.terminal_id")
    assert refused.value.field == "reports.1.terminal_id"
    assert "13999999999" in refused.value.detail


def test_a_report_more_than_ten_minutes_ahead_of_the_clock_refuses_the_batch() -> None:
    batch = SubmitReports(
        (_report(when="2026-05-11T09:11:00"), _report(when="2026-05-11T09:11:01"))
    )
    with pytest.raises(ReportsFromTheFuture) as refused:
        accept_reports(batch, BINDINGS, now=NOW)
    assert isinstance(refused.value, DomainError)
    assert refused.value.fields == ("reports.1.reported_at",)
    assert refused.value.field == "reports.1.reported_at"


def test_a_terminal_clock_up_to_ten_minutes_ahead_is_tolerated() -> None:
    ahead = _report(when="2026-05-11T09:11:00")
    assert len(accept_reports(SubmitReports((ahead,)), BINDINGS, now=NOW)) == 1
