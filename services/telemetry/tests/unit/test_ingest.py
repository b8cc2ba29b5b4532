"""Ingest: a batch is accepted whole when every terminal is bound, else refused whole."""

from __future__ import annotations

import pytest
from tianmen_events import derive_id
from tianmen_telemetry.domain.commands import Report, SubmitReports
from tianmen_telemetry.domain.ingest import Binding, UnknownTerminals, accept_reports

from ..helpers import at

WHEN = at("2026-05-11T09:00:00")
BINDINGS = {"13800000001": Binding("machine-1", "enterprise-1")}


def _report(terminal_id: str) -> Report:
    return Report(terminal_id, WHEN, 30.65, 113.17, True, engine_hours=12.5)


def test_bound_terminals_become_reports_of_their_machines() -> None:
    [event] = accept_reports(SubmitReports((_report("13800000001"),)), BINDINGS)
    assert (event.machine_id, event.enterprise_id) == ("machine-1", "enterprise-1")
    assert event.report_id == derive_id("report", "13800000001", WHEN.isoformat())
    assert event.engine_hours == 12.5


def test_unknown_terminals_refuse_the_batch_naming_each_one() -> None:
    batch = SubmitReports((_report("13800000001"), _report("13999999999"), _report("13999999998")))
    with pytest.raises(UnknownTerminals) as refused:
        accept_reports(batch, BINDINGS)
    assert refused.value.fields == ("reports.1.terminal_id", "reports.2.terminal_id")
    assert refused.value.field == "reports.1.terminal_id"
    assert "13999999999" in refused.value.detail
