"""Ingest: a batch is accepted whole when every report passes, else refused whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_telemetry.domain.commands import Report, SubmitReports
from tianmen_telemetry.domain.ingest import (
    Binding,
    ReportsFromTheFuture,
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
    first, second = accept_reports(SubmitReports((local, utc)), BINDINGS, now=NOW)
    assert first.report_id == second.report_id


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
