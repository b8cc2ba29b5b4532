"""Property: applying the same reports in the same order to two fresh stores gives the same
alerts and the same digest (a replay of `telemetry.report` derives what the live run did)."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.service import Service
from tianmen_telemetry import bootstrap
from tianmen_telemetry.config import Settings

from ..helpers import apply, at, bound, reported

START = at("2026-05-11T18:00:00")

steps = st.tuples(
    st.integers(0, 8 * 60),  # minutes after START: evening, night and morning
    st.booleans(),  # working
    st.sampled_from([(30.6531, 113.1661), (30.69, 113.20), (0.0, 0.0)]),
    st.sampled_from([None, 60.0, 40.0]),  # fuel level
)


def _reports(
    plan: list[tuple[int, bool, tuple[float, float], float | None]],
) -> list[TerminalReported]:
    return [
        reported(
            START + timedelta(minutes=m), working=w, latitude=p[0], longitude=p[1], fuel_level_pct=f
        )
        for m, w, p, f in plan
    ]


def _run(reports: list[TerminalReported], directory: Path) -> tuple[str, Service]:
    """Apply the reports to a fresh store, as a replay does; the digest of what it holds."""
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    apply(service, bound(), "bind-1")
    for n, report in enumerate(reports):
        apply(service, report, f"report-{n}")
    return service.digest(), service


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=25))
@example([(0, True, (30.6531, 113.1661), 60.0), (300, True, (30.69, 113.20), 40.0)])
def test_the_same_reports_in_the_same_order_give_the_same_alerts_and_digest(
    plan: list[tuple[int, bool, tuple[float, float], float | None]],
) -> None:
    reports = _reports(plan)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        first, _ = _run(reports, Path(one))
        second, service = _run(reports, Path(two))
    assert first == second
    assert first == service.digest()  # and reading it again changes nothing
