"""Reports applied a transaction at a time (`adapters/report_batch`: rows read ahead for the
batch, track points and live states written once before the commit) derive exactly what they
derive one event per transaction, whatever the registry says in between."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.event import listen
from tianmen_events import DomainEvent
from tianmen_events.registry import (
    Hours,
    MachineReinstated,
    MachineSuspended,
    WorkSiteRegistered,
)
from tianmen_events.telemetry import TerminalReported
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, TopicLog
from tianmen_telemetry.adapters.among import ids_for
from tianmen_telemetry.adapters.orm import alerts, live_states, track_points
from tianmen_telemetry.adapters.report_batch import _STATES_OF, ReportBatch, _as_stored
from tianmen_telemetry.domain.live_state import LiveState

from ..helpers import ENTERPRISE, applied, at, bound, meta_for, registered, reported

START = at("2026-05-11T18:00:00")
MACHINES = ("machine-1", "machine-2")
TERMINALS = {"machine-1": "13800000001", "machine-2": "13800000002"}
SITE = {
    "type": "Polygon",
    "coordinates": [[[113.16, 30.65], [113.17, 30.65], [113.17, 30.66], [113.16, 30.66]]],
}


def _site() -> WorkSiteRegistered:
    return WorkSiteRegistered(
        site_id="site-1",
        enterprise_id=ENTERPRISE,
        name="east works",
        jurisdiction_code="429006101",
        boundary=SITE,
        permitted_hours=(Hours(start="06:00", end="22:00"),),
    )


def _report(
    machine_id: str, minutes: int, working: bool, where: tuple[float, float]
) -> TerminalReported:
    return reported(
        START + timedelta(minutes=minutes),
        working=working,
        machine_id=machine_id,
        terminal_id=TERMINALS[machine_id],
        latitude=where[0],
        longitude=where[1],
    )


# One step: a report of a machine, or what the registry says about it, at START + minutes.
step = st.one_of(
    st.tuples(
        st.just("report"),
        st.sampled_from(MACHINES),
        st.integers(0, 10 * 60),
        st.booleans(),
        st.sampled_from([(30.6531, 113.1661), (30.69, 113.20), (30.70, 113.30)]),
    ),
    st.tuples(st.sampled_from(["suspend", "reinstate", "site"]), st.sampled_from(MACHINES)),
    st.tuples(st.just("run"), st.sampled_from(MACHINES), st.integers(0, 10 * 60)),
)
RUN = [10 * n for n in range(26)]  # working every 10 min for 4 h 10 min: one overlong run


def _events(plan: list[tuple[Any, ...]]) -> list[tuple[DomainEvent, datetime]]:
    events: list[tuple[DomainEvent, datetime]] = []
    for n, (kind, machine, *rest) in enumerate(plan):
        if kind == "run":
            steps = [("report", machine, rest[0] + m, True, (30.6531, 113.1661)) for m in RUN]
            events += _events(steps)
            continue
        when = START + timedelta(minutes=rest[0]) if rest else START + timedelta(minutes=5 * n)
        events.append((_said(kind, machine, rest), when))
    return events


def _said(kind: str, machine: str, rest: list[Any]) -> DomainEvent:
    if kind == "report":
        return _report(machine, *rest)
    if kind == "suspend":
        return MachineSuspended(machine_id=machine, enterprise_id=ENTERPRISE, reason="unsafe")
    if kind == "reinstate":
        return MachineReinstated(machine_id=machine, enterprise_id=ENTERPRISE)
    return _site()


def _records(events: list[tuple[DomainEvent, datetime]]) -> list[Record]:
    log, given = TopicLog(), list[tuple[DomainEvent, datetime]]()
    for machine in MACHINES:
        given += [(registered(machine), START), (bound(TERMINALS[machine], machine), START)]
    return [
        log.record(event, meta_for(event, f"event-{n}", when))
        for n, (event, when) in enumerate([*given, *events])
    ]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(step, min_size=1, max_size=30), st.lists(st.integers(1, 40), min_size=1, max_size=5)
)
@example(
    # An overlong run cut by a transaction's end: its start is read back from the store (UTC)
    # in one, kept from the report (+08:00) in the other; the alert is the same alert.
    [("run", "machine-1", 0)],
    [14, 100],
)
@example(
    # A report read the registry's word, the machine is suspended, a later report in the same
    # transaction must see the suspension (the word is read again after it changed).
    [
        ("report", "machine-1", 0, True, (30.6531, 113.1661)),
        ("suspend", "machine-1"),
        ("report", "machine-1", 60, True, (30.6531, 113.1661)),
    ],
    [40],
)
def test_any_split_into_transactions_derives_what_one_event_per_transaction_does(
    plan: list[tuple[Any, ...]], sizes: list[int]
) -> None:
    records = _records(_events(plan))
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        each = applied(records, 1, Path(one))
        batched = applied(records, sizes, Path(many))
        assert batched.digest() == each.digest()


def test_a_suspension_inside_the_transaction_reaches_the_reports_after_it(tmp_path: Path) -> None:
    plan: list[tuple[Any, ...]] = [
        ("report", "machine-1", 0, True, (30.6531, 113.1661)),
        ("suspend", "machine-1"),
        ("report", "machine-1", 60, True, (30.6531, 113.1661)),
    ]
    events = _events(plan)
    service = applied(_records(events), 100, tmp_path)
    with service.engine.connect() as conn:
        rules = conn.execute(select(alerts.c.rule, alerts.c.observed_at)).all()
    assert [(r.rule, r.observed_at) for r in rules] == [
        ("stopped_machine_working", START + timedelta(minutes=60))
    ]


def test_two_reports_of_a_machine_in_one_transaction_fold_in_order(tmp_path: Path) -> None:
    """The second report sees the first as the machine's state (silent 31 min while working,
    4 km away: tamper), and the stored state and track hold both, the same report once."""
    first = ("report", "machine-1", 0, True, (30.6531, 113.1661))
    plan: list[tuple[Any, ...]] = [first, first, ("report", "machine-1", 31, True, (30.69, 113.20))]
    service = applied(_records(_events(plan)), 100, tmp_path)
    with service.engine.connect() as conn:
        rules = [r.rule for r in conn.execute(select(alerts.c.rule))]
        state = conn.execute(select(live_states.c.last_report_at, live_states.c.latitude)).one()
        points = conn.execute(select(func.count()).select_from(track_points)).scalar()
    assert "terminal_silent_and_moved" in rules
    assert (state.last_report_at, state.latitude) == (START + timedelta(minutes=31), 30.69)
    assert points == 2


@given(st.integers(-12, 14), st.booleans())
def test_a_kept_state_is_the_state_in_utc_field_for_field(hours: int, working: bool) -> None:
    offset = timezone(timedelta(hours=hours))
    at = datetime(2026, 5, 11, 16, tzinfo=offset)
    state = LiveState(
        "m", "e", "t", "r", at, 30.6, 113.1, working, 1.0, 50.0, at if working else None
    )
    expected = replace(
        state,
        last_report_at=at.astimezone(UTC),
        working_since=at.astimezone(UTC) if working else None,
    )
    kept = _as_stored(state)
    assert kept == expected
    assert list(vars(kept).items()) == list(vars(expected).items())  # rows bind by it
    assert [t.tzinfo for t in (kept.last_report_at, kept.working_since) if t] == [UTC] * (
        1 + working
    )


def test_a_state_read_ahead_is_the_state_its_row_constructs(tmp_path: Path) -> None:
    """Read back field for field as `LiveState(*row)` builds it: equal, same hash, same fields
    in the same order (its rows bind by them), for a state with and without fuel readings."""
    plan: list[tuple[Any, ...]] = [
        ("report", "machine-1", 0, True, (30.6531, 113.1661)),
        ("report", "machine-2", 0, False, (30.6531, 113.1661)),
    ]
    service = applied(_records(_events(plan)), 100, tmp_path)
    with service.engine.connect() as conn:
        rows = conn.execute(_STATES_OF[conn.dialect.name], ids_for("sqlite", MACHINES)).all()
        batch = ReportBatch(conn)
        batch.read_ahead(_report(m, 1, True, (30.6531, 113.1661)) for m in MACHINES)
        for row in rows:
            expected = LiveState(*row)
            read = batch.live_state(_report(row.machine_id, 1, True, (30.6531, 113.1661)))
            assert read == expected and hash(read) == hash(expected)
            assert list(vars(read).items()) == list(vars(expected).items())
    assert len(rows) == 2


def test_a_transactions_alerts_are_written_in_one_statement_of_each_kind(tmp_path: Path) -> None:
    """Alerts raised and cleared in one transaction (each machine jumps 4 km in a minute and
    back) are stored as one event per transaction stores them, written by one statement of
    each kind at the flush instead of one or two each time one is raised or cleared."""
    away, home = (30.69, 113.20), (30.6531, 113.1661)
    plan: list[tuple[Any, ...]] = [
        ("report", machine, minute, True, where)
        for minute, where in enumerate([home, away, away, home, home])
        for machine in MACHINES
    ]
    records = _records(_events(plan))
    each = applied(records, 1, tmp_path / "each")
    written: list[str] = []
    given = len(records) - len(plan)
    service = applied(records[:given], given, tmp_path / "batched")
    listen(service.engine, "before_cursor_execute", lambda *a: written.append(a[2].split("(")[0]))
    assert service.subscription is not None
    apply_batch(service.engine, service.subscription, records[given:])
    with service.engine.connect() as conn:
        stored = conn.execute(select(alerts.c.alert_id, alerts.c.cleared_at)).all()
    assert len(stored) >= 4 and all(cleared is not None for _, cleared in stored)
    assert service.digest() == each.digest()
    alert_writes = [s for s in written if s.startswith(("INSERT INTO alerts", "UPDATE alerts"))]
    open_writes = [s for s in written if "open_alerts" in s and not s.startswith("SELECT")]
    assert len(alert_writes) == 1  # the alerts inserted, each with its clearing
    assert open_writes == []  # each opened and closed within the transaction
