"""The daily usage the worker keeps as it applies reports (`machine_day_usage`) is what the usage
fold's runners fold from the same reports, however the reports arrive (late, repeated) and
however they are split into transactions."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_telemetry.adapters.orm import machine_day_usage
from tianmen_telemetry.domain.usage import DayUsage
from tianmen_telemetry.usage.book import Json, add

from ..helpers import applied, at, bound, meta_for, registered, reported

START = at("2026-05-11T20:00:00")  # the local day turns four hours in
TERMINALS = {"machine-1": "13800000001", "machine-2": "13800000002"}

# A report: its machine, minutes after START, working, 111 m north or not, a fuel level or none.
a_report = st.tuples(
    st.sampled_from(sorted(TERMINALS)),
    st.integers(0, 12 * 60),
    st.booleans(),
    st.booleans(),
    st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
)


def _report(plan: tuple[str, int, bool, bool, Any]) -> TerminalReported:
    machine, minute, working, moved, fuel = plan
    return reported(
        START + timedelta(minutes=minute),
        working=working,
        machine_id=machine,
        terminal_id=TERMINALS[machine],
        latitude=30.6541 if moved else 30.6531,
        fuel_level_pct=fuel,
    )


def _records(reports: list[TerminalReported]) -> list[Record]:
    log = TopicLog()
    given = [e for m, t in TERMINALS.items() for e in (registered(m), bound(t, m))]
    return [
        log.record(event, meta_for(event, f"event-{n}", START))
        for n, event in enumerate([*given, *reports])
    ]


def _kept(service: Service) -> dict[str, DayUsage]:
    with service.engine.connect() as conn:
        rows = conn.execute(select(machine_day_usage)).all()
    return {
        f"{r.machine_id}|{r.day.isoformat()}": DayUsage(
            r.operating_us / 1e6,
            r.idle_us / 1e6,
            r.fuel_used_mpct / 1000,
            r.windows,
            r.longest_window_us / 1e6,
        )
        for r in rows
    }


def _folded(reports: list[TerminalReported]) -> dict[str, DayUsage]:
    carries: dict[str, Json] = {}
    days: dict[str, Json] = {}
    for report in reports:
        add(carries, days, report)
    return {key: DayUsage(**usage) for key, usage in days.items()}


def _close(kept: DayUsage, folded: DayUsage) -> bool:
    approx = pytest.approx
    return (
        kept.operating_s == approx(folded.operating_s, abs=1e-6)
        and kept.idle_s == approx(folded.idle_s, abs=1e-6)
        and kept.fuel_used_pct == approx(folded.fuel_used_pct, abs=0.001 * 40)
        and kept.windows == folded.windows
        and kept.longest_window_s == approx(folded.longest_window_s, abs=1e-6)
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(a_report, min_size=1, max_size=40),
    st.lists(st.integers(1, 40), min_size=1, max_size=4),
)
def test_the_worker_keeps_per_day_what_the_usage_fold_gives(
    plan: list[tuple[str, int, bool, bool, Any]], sizes: list[int]
) -> None:
    reports = [_report(p) for p in plan]
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        each = applied(_records(reports), 1, Path(one))
        batched = applied(_records(reports), sizes, Path(many))
        assert batched.digest() == each.digest()  # the same rows, to the bit
        kept, folded = _kept(batched), _folded(reports)
    assert kept.keys() == folded.keys()
    assert all(_close(kept[key], folded[key]) for key in kept), (kept, folded)


def test_a_redelivered_or_late_report_counts_nothing(tmp_path: Path) -> None:
    steps = [
        reported(START + timedelta(minutes=m), fuel_level_pct=80.0 - m / 10) for m in (0, 5, 10)
    ]
    late = reported(START + timedelta(minutes=3), fuel_level_pct=10.0)
    twice = applied(_records([*steps, steps[1], late, steps[2]]), 2, tmp_path)
    assert _kept(twice) == {
        f"machine-1|{date(2026, 5, 11).isoformat()}": DayUsage(600.0, 600.0, 1.0, 1, 600.0)
    }
