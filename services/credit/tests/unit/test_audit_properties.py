"""Properties of the audit answers: replay is deterministic, a snapshot plus the tail is the
full replay, the what-if under the current model changes nothing, as-of keeps late facts apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.asof import as_of
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, empty, evolve, fold, ledger_of
from tianmen_credit.domain.standing import standing
from tianmen_credit.domain.whatif import ledgers, what_if
from tianmen_runtime.snapshots import resume, take_snapshots

SH = timezone(timedelta(hours=8))
T0 = datetime(2026, 1, 1, tzinfo=SH)
MODEL = current_model()
KINDS = (
    "violation",
    "bidding_suspended",
    "key_supervision_listed",
    "tip_verified",
    "major_hazard",
    "maintenance",
    "annual_review_passed",
    "annual_review_overdue",
    "review_due",
    "self_inspection",
    "repair_approved",
)
CODES = (
    "night_work_without_permit",
    "suspected_terminal_tampering",
    "construction_dust",
    "2026-03-01",  # a review's due day
    "2026-09-01",
)


@st.composite
def facts(draw: st.DrawFn) -> Fact:
    n = draw(st.integers(0, 30))
    day = draw(st.integers(0, 700))
    late = draw(st.integers(0, 60))
    at = T0 + timedelta(days=day)
    return Fact(
        f"e{n}",
        draw(st.sampled_from(KINDS)),
        draw(st.sampled_from(["ent-1", "ent-2"])),
        at,
        at + timedelta(days=late),
        draw(st.sampled_from(CODES)),
        draw(st.sampled_from(["minor", "serious", "grave"])),
        draw(st.integers(1, 12)),
        target=f"e{draw(st.integers(0, 30))}",
    )


histories = st.lists(facts(), max_size=60)
moments = st.integers(0, 1000).map(lambda d: T0 + timedelta(days=d))


def one(history: list[Fact]) -> list[Fact]:
    return [f for f in history if f.enterprise_id == "ent-1"]


@settings(max_examples=60, deadline=None)
@given(histories, moments)
def test_replaying_twice_gives_the_same_standing(history: list[Fact], moment: datetime) -> None:
    first = fold(empty("ent-1", MODEL), one(history), MODEL)
    second = fold(empty("ent-1", MODEL), list(one(history)), MODEL)
    assert first == second
    assert standing(first, MODEL, moment) == standing(second, MODEL, moment)


@settings(max_examples=60, deadline=None)
@given(histories, st.integers(1, 7), st.integers(0, 60))
def test_a_snapshot_plus_the_tail_equals_the_full_replay(
    history: list[Fact], every: int, upto: int
) -> None:
    log = one(history)
    step = partial(_evolve)
    start = empty("ent-1", MODEL)
    snapshots = take_snapshots(start, log, step, every)
    end = min(upto, len(log))
    assert resume(start, snapshots, log, step, end) == fold(start, log[:end], MODEL)


def _evolve(ledger: Ledger, fact: Fact) -> Ledger:
    return evolve(ledger, fact, MODEL)


@settings(max_examples=60, deadline=None)
@given(histories, moments)
def test_what_if_under_the_current_model_changes_nothing(
    history: list[Fact], moment: datetime
) -> None:
    assert what_if(history, MODEL, MODEL, moment) == []


@settings(max_examples=40, deadline=None)
@given(histories, moments)
def test_as_of_known_then_ignores_what_was_recorded_later(
    history: list[Fact], moment: datetime
) -> None:
    answer = as_of("ent-1", history, MODEL, moment)
    known = [f for f in one(history) if f.recorded_at <= moment]
    assert answer.known_then == standing(ledger_of("ent-1", known, MODEL), MODEL, moment)
    assert {f.event_id for f in answer.late} == {
        f.event_id for f in one(history) if f.recorded_at > moment and f.at <= moment
    }


def test_a_late_violation_is_shown_apart_and_changes_the_grade_as_now_known() -> None:
    listed = Fact("k1", "key_supervision_listed", "ent-1", T0, T0)
    late = Fact(
        "v1",
        "violation",
        "ent-1",
        T0 + timedelta(days=5),
        T0 + timedelta(days=40),
        "suspected_terminal_tampering",
        "grave",
        1,
    )
    answer = as_of("ent-1", [listed, late], MODEL, T0 + timedelta(days=10))
    assert (answer.known_then.score, answer.known_then.grade) == (80, "B")
    assert (answer.now_known.score, answer.now_known.grade) == (77, "C")
    assert answer.late == (late,)


def test_a_stricter_candidate_reports_who_changes_grade_and_why() -> None:
    history = [
        Fact("v1", "violation", "ent-1", T0, T0, "night_work_without_permit", "serious", 5),
        Fact("v2", "violation", "ent-2", T0, T0, "construction_dust", "minor", 1),
    ]
    stricter = replace(
        MODEL,
        version="candidate",
        per_violation_point={**MODEL.per_violation_point, "night_work_without_permit": -3},
    )
    changed = what_if(history, MODEL, stricter, T0 + timedelta(days=1))
    assert [(c.enterprise_id, c.current.grade, c.candidate.grade) for c in changed] == [
        ("ent-1", "A", "B")
    ]
    ((now, then),) = changed[0].why
    assert (now and now.effect, then and then.effect) == (-10, -15)
    assert ledgers(history, MODEL).keys() == {"ent-1", "ent-2"}
