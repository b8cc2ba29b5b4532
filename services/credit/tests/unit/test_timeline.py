"""What the consumer keeps of an enterprise between transactions (`domain/timeline.py`): its
facts in event-time order, checkpointed. However the facts arrive (late by one fact or by the
whole history, again, or joined to a timeline another transaction grew past and rolled
back), the timeline's ledger is the fold of every fact in event-time order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import ledger_of
from tianmen_credit.domain.timeline import Timeline, joined, timeline_of

T0 = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8)))
MODEL = current_model()
REVIEWS = ("annual_review_passed", "review_due")
KINDS = ("violation", "tip_verified", "major_hazard", "maintenance", *REVIEWS)
REPAIR = "repair_approved"


PLAIN = ("violation", "tip_verified", "major_hazard", "maintenance")


@st.composite
def histories(draw: st.DrawFn, kinds: tuple[str, ...] = (*KINDS, REPAIR)) -> list[Fact]:
    """Facts with distinct ids, in any arrival order (some on the same day)."""
    count = draw(st.integers(1, 40))
    found = []
    for n in range(count):
        at = T0 + timedelta(days=draw(st.integers(0, 400)))
        kind = draw(st.sampled_from(kinds))
        found.append(
            Fact(
                f"e{n:02}",
                kind,
                "ent-1",
                at,
                at,
                draw(st.sampled_from(["night_work_without_permit", "2026-03-01", "2026-09-01"])),
                "serious",
                draw(st.integers(1, 12)),
                target=f"e{draw(st.integers(0, count)):02}" if kind == REPAIR else "m-1",
            )
        )
    return found


def _joined(timeline: Timeline, arrivals: list[Fact]) -> Timeline:
    for fact in arrivals:
        timeline, _ = joined(timeline, [fact], MODEL)
    return timeline


@settings(max_examples=80, deadline=None)
@given(histories(), st.integers(1, 5))
def test_any_arrival_order_folds_to_the_ledger_of_event_time_order(
    arrivals: list[Fact], every: int
) -> None:
    timeline = _joined(timeline_of("ent-1", [], MODEL, every), arrivals)
    assert timeline.ledger == ledger_of("ent-1", arrivals, MODEL)
    assert timeline.length == len(arrivals)


@settings(max_examples=80, deadline=None)
@given(histories(PLAIN), histories(), st.integers(1, 5))
def test_late_plain_facts_placed_among_the_items_then_any_fact_fold_as_in_event_time_order(
    plain: list[Fact], then: list[Fact], every: int
) -> None:
    """Late facts weighed by their kind alone go to their place among the items (checkpoints
    after it dropped); facts of every kind after them still fold to event-time order's."""
    arrivals = [*plain, *(replace_id(f, "x") for f in then)]
    timeline = timeline_of("ent-1", [], MODEL, every)
    for n, fact in enumerate(arrivals, 1):
        timeline, _ = joined(timeline, [fact], MODEL)
        assert timeline.ledger == ledger_of("ent-1", arrivals[:n], MODEL)
        assert timeline.ledger.position(fact.event_id) == ledger_of(
            "ent-1", arrivals[:n], MODEL
        ).position(fact.event_id)


def test_a_late_violation_before_violations_is_placed_without_a_fold() -> None:
    facts = [_violation(n, days=n + 1) for n in range(10)]
    timeline = timeline_of("ent-1", facts, MODEL, 4)
    late, _ = joined(timeline, [_violation(99, days=5)], MODEL)
    assert late.ledger == ledger_of("ent-1", [*facts, _violation(99, days=5)], MODEL)
    assert [i.event_id for i in late.ledger.items[4:7]] == ["e04", "e99", "e05"]
    assert late.lists.marks == timeline.lists.marks[:2]  # the checkpoint before it, kept


@settings(max_examples=60, deadline=None)
@given(histories(), st.integers(1, 5), st.data())
def test_a_fact_again_is_not_new_and_changes_nothing(
    arrivals: list[Fact], every: int, data: st.DataObject
) -> None:
    timeline = _joined(timeline_of("ent-1", [], MODEL, every), arrivals)
    again = data.draw(st.sampled_from(arrivals))
    same, new = joined(timeline, [again], MODEL)
    assert (same, new) == (timeline, [])


@settings(max_examples=60, deadline=None)
@given(histories(), histories(), st.integers(1, 5), st.integers(0, 40))
def test_a_branch_rolled_back_leaves_the_timeline_it_grew_from_as_it_was(
    arrivals: list[Fact], others: list[Fact], every: int, cut: int
) -> None:
    """A transaction grows a timeline and rolls back; the next one joins its facts to the
    timeline as it was kept (the lists the first one appended to are shared)."""
    kept = _joined(timeline_of("ent-1", [], MODEL, every), arrivals[:cut])
    _joined(kept, [replace_id(f, "x") for f in others])  # rolled back
    rest = arrivals[cut:]
    assert _joined(kept, rest).ledger == ledger_of("ent-1", arrivals, MODEL)


def test_a_fact_late_by_the_whole_history_folds_from_the_first_checkpoint() -> None:
    facts = [_violation(n, days=n + 1) for n in range(10)]
    timeline = timeline_of("ent-1", facts, MODEL, 4)
    late, new = joined(timeline, [_violation(99, days=0)], MODEL)
    assert [f.event_id for f in new] == ["e99"]
    assert late.ledger == ledger_of("ent-1", [*facts, *new], MODEL)
    assert [f.event_id for f in late.lists.facts[:2]] == ["e99", "e00"]


def replace_id(fact: Fact, prefix: str) -> Fact:
    return Fact(prefix + fact.event_id, fact.kind, fact.enterprise_id, fact.at, fact.recorded_at,
                fact.code, fact.severity, fact.points, fact.target)  # fmt: skip


def _violation(n: int, days: int) -> Fact:
    at = T0 + timedelta(days=days)
    return Fact(f"e{n:02}", "violation", "ent-1", at, at, "night_work_without_permit", "serious", 5)
