"""Property: folding any sequence of alerts is deterministic and keeps the ledger's invariants."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_events import DomainEvent
from tianmen_events.safety import (
    BiddingSuspended,
    KeySupervisionListed,
    PointsDeducted,
    ViolationRecorded,
)
from tianmen_events.telemetry import AlertRaised
from tianmen_safety.domain.ledger import Ledger, decide, evolve, fold
from tianmen_safety.domain.rules import RULES

SHANGHAI = timezone(timedelta(hours=8))

moments = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2027, 1, 31), timezones=st.just(SHANGHAI)
)
alerts = st.builds(
    lambda n, at: AlertRaised(
        alert_id=f"alert-{n}",
        enterprise_id="ent-1",
        machine_id="machine-1",
        terminal_id="13800000001",
        rule="night_work",
        rule_version="t/1",
        observed_at=at,
        latitude=30.0,
        longitude=113.0,
        detail="",
    ),
    st.integers(0, 40),
    moments,
)


def run(sequence: list[AlertRaised]) -> tuple[list[DomainEvent], Ledger]:
    state, history, recorded = Ledger("ent-1"), [], set[str]()
    for a in sequence:
        new = decide(state, a, recorded=recorded, source_event_id=f"ce-{a.alert_id}", rules=RULES)
        recorded |= {e.violation_id for e in new if isinstance(e, ViolationRecorded)}
        history += new
        for event in new:
            state = evolve(state, event)
    return history, state


@settings(max_examples=200, deadline=None)
@given(st.lists(alerts, max_size=60))
def test_folding_the_same_alerts_gives_the_same_events_and_state(
    sequence: list[AlertRaised],
) -> None:
    events, state = run(sequence)
    assert run(list(sequence)) == (events, state)
    assert fold("ent-1", events) == state


@settings(max_examples=200, deadline=None)
@given(st.lists(alerts, max_size=60))
def test_any_alert_sequence_keeps_the_ledger_invariants(sequence: list[AlertRaised]) -> None:
    events, state = run(sequence)
    distinct = {a.alert_id: RULES.cycle_year(a.observed_at) for a in reversed(sequence)}
    per_year = Counter(distinct.values())
    for cycle in state.cycles:
        assert cycle.balance == max(0, RULES.initial_points - 5 * per_year[cycle.year])
        assert cycle.bidding_suspended == (cycle.balance <= RULES.bidding_suspension_at)
        assert cycle.key_supervision == (cycle.balance <= RULES.key_supervision_at)
    deductions = [e for e in events if isinstance(e, PointsDeducted)]
    assert len(deductions) == len(distinct)
    for kind in (BiddingSuspended, KeySupervisionListed):
        years = [e.cycle_year for e in events if isinstance(e, kind)]
        assert len(years) == len(set(years))


@settings(max_examples=200, deadline=None)
@given(st.lists(alerts, max_size=60), st.integers(0, 200))
def test_a_snapshot_plus_the_later_events_folds_to_the_whole_history(
    sequence: list[AlertRaised], cut: int
) -> None:
    events, state = run(sequence)
    snapshot = fold("ent-1", events[:cut])
    assert fold("ent-1", events[cut:], snapshot) == state
