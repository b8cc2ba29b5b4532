"""Property: scoring any sequence of safety facts is deterministic and explains every point."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_credit.domain.model import MODEL
from tianmen_credit.domain.score import CreditScore, decide, evolve, fold, initial
from tianmen_events import DomainEvent
from tianmen_events.credit import CreditScoreChanged
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded

violations = st.builds(
    lambda points: ViolationRecorded(
        enterprise_id="ent-1",
        violation_id="v",
        machine_id=None,
        code="night_work_without_permit",
        description="night work",
        occurred_at="2026-03-10T23:40:00+08:00",
        source_event_id="a",
        source_event_type="tianmen.telemetry.alert_raised",
        points=points,
        rule_version="r",
    ),
    st.integers(0, 30),
)
facts = st.one_of(
    violations,
    st.just(
        BiddingSuspended(
            enterprise_id="ent-1", cycle_year=2026, balance=60, threshold=60, rule_version="r"
        )
    ),
    st.just(KeySupervisionListed(enterprise_id="ent-1", cycle_year=2026, rule_version="r")),
)
deliveries = st.lists(st.tuples(st.integers(0, 25).map(lambda n: f"ce-{n}"), facts), max_size=40)


def run(sequence: list[tuple[str, DomainEvent]]) -> tuple[list[DomainEvent], CreditScore]:
    state, history, counted = initial("ent-1", MODEL), [], set[str]()
    for event_id, fact in sequence:
        new = decide(state, event_id, fact, counted=counted, model=MODEL)
        counted |= {r.event_id for e in new if isinstance(e, CreditScoreChanged) for r in e.reasons}
        history += new
        for event in new:
            state = evolve(state, event)
    return history, state


@settings(max_examples=200, deadline=None)
@given(deliveries)
def test_scoring_the_same_facts_gives_the_same_changes_and_state(
    sequence: list[tuple[str, DomainEvent]],
) -> None:
    changes, state = run(sequence)
    assert run(list(sequence)) == (changes, state)
    assert fold("ent-1", changes, MODEL) == state


@settings(max_examples=200, deadline=None)
@given(deliveries)
def test_every_change_is_explained_and_each_event_counts_once(
    sequence: list[tuple[str, DomainEvent]],
) -> None:
    changes, state = run(sequence)
    first = dict(reversed(sequence))
    deltas = [MODEL.assess(fact).delta for fact in first.values()]  # type: ignore[union-attr]
    assert state.score == max(0, MODEL.base_score + sum(deltas))
    assert len(changes) == len(first)
    for change in changes:
        assert isinstance(change, CreditScoreChanged)
        assert change.score == max(0, change.score_before + sum(r.delta for r in change.reasons))
        assert change.grade == MODEL.grade(change.score)


@settings(max_examples=200, deadline=None)
@given(deliveries, st.integers(0, 50))
def test_a_snapshot_plus_the_later_changes_folds_to_the_whole_history(
    sequence: list[tuple[str, DomainEvent]], cut: int
) -> None:
    changes, state = run(sequence)
    snapshot = fold("ent-1", changes[:cut], MODEL)
    assert fold("ent-1", changes[cut:], MODEL, snapshot) == state
