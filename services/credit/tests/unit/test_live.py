"""The live score under the model as data: given facts arriving, when they join the ledger,
then the row, the score change (with its reasons) and the restriction events it records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_credit.adapters.models import current_model
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import evolve, ledger_of
from tianmen_credit.domain.live import (
    Scored,
    Step,
    expire,
    next_expiry,
    rescore,
    rescore_kept,
    scored,
    unscored,
)
from tianmen_credit.domain.standing import standing
from tianmen_credit.domain.whatif import ledgers, what_if
from tianmen_events import DomainEvent
from tianmen_events.credit import CreditScoreChanged, ProcurementRestrictionChanged

SH = timezone(timedelta(hours=8))
T0 = datetime(2026, 1, 1, tzinfo=SH)
MODEL = current_model()
NIGHT = "night_work_without_permit"


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def violation(event_id: str, at: datetime, points: int = 5) -> Fact:
    return Fact(event_id, "violation", "ent-1", at, at, NIGHT, "serious", points)


def fact(event_id: str, kind: str, at: datetime, target: str = "") -> Fact:
    return Fact(event_id, kind, "ent-1", at, at, target=target)


def live(arrivals: Sequence[Fact]) -> tuple[Scored, list[DomainEvent]]:
    """Each fact joins the ledger as it arrives, the way the consumer does it."""
    row, seen, found = unscored("ent-1", MODEL), list[Fact](), list[DomainEvent]()
    for f in arrivals:
        if f.event_id in {s.event_id for s in seen}:
            continue
        before = ledger_of("ent-1", seen, MODEL)
        seen.append(f)
        row, caused = rescore(Step(row, before, ledger_of("ent-1", seen, MODEL), [f], "t"), MODEL)
        found += caused
    return row, found


def test_a_violation_lowers_the_score_and_names_itself_with_its_expiry() -> None:
    row, found = live([violation("v1", day(0))])
    assert (row.score, row.grade, row.restricted, row.watermark) == (90, "A", False, day(0))
    (change,) = found
    assert isinstance(change, CreditScoreChanged)
    assert (change.score_before, change.score, change.model_version) == (100, 90, "credit/2026.3")
    (reason,) = change.reasons
    assert (reason.event_id, reason.event_type, reason.delta) == ("v1", "t", -10)
    assert "deduction for a violation (night_work_without_permit)" in reason.description
    assert f"until {day(365).isoformat()}" in reason.description


def test_an_addition_raises_the_score_and_a_fact_without_effect_records_nothing() -> None:
    row, found = live([violation("v1", day(0)), fact("m1", "maintenance", day(1))])
    assert row.score == 91 and isinstance(found[-1], CreditScoreChanged)
    assert found[-1].reasons[0].delta == 1
    same, none = live([violation("v1", day(0)), violation("v0", day(1), points=0)])
    assert (same.score, same.watermark, len(none)) == (90, day(1), 1)


def test_falling_to_grade_d_imposes_the_restriction_at_the_event_time() -> None:
    row, found = live([fact("k1", "key_supervision_listed", day(0)), violation("v1", day(3), 6)])
    assert (row.score, row.grade, row.restricted) == (68, "D", True)
    imposed = found[-1]
    assert isinstance(imposed, ProcurementRestrictionChanged)
    assert (imposed.restricted, imposed.at, imposed.cause_event_id) == (True, day(3), "v1")


def test_an_expiry_is_seen_by_event_time_and_lifts_the_restriction_when_it_happened() -> None:
    history = [
        fact("k1", "key_supervision_listed", day(0)),
        violation("v1", day(3), 6),  # serious: 365 days
        fact("m1", "maintenance", day(400)),  # event time passes both expiries
    ]
    row, found = live(history)
    assert (row.score, row.grade, row.restricted) == (101, "A", False)
    change, lifted = found[-2:]
    assert isinstance(change, CreditScoreChanged)
    assert {(r.event_id, r.delta) for r in change.reasons} == {("m1", 1), ("k1", 20), ("v1", 12)}
    expired = next(r for r in change.reasons if r.event_id == "v1")
    assert expired.event_type == "credit.violation" and "expired" in expired.description
    assert isinstance(lifted, ProcurementRestrictionChanged)
    assert (lifted.restricted, lifted.at) == (False, day(365))
    assert lifted.cause_event_id == "k1#expired"


def test_an_approved_repair_restores_half_of_its_deduction() -> None:
    row, found = live([violation("v1", day(0)), fact("r1", "repair_approved", day(10), "v1")])
    assert row.score == 95
    change = found[-1]
    assert isinstance(change, CreditScoreChanged)
    assert {(r.event_id, r.delta) for r in change.reasons} == {("v1", 10), ("r1", -5)}


def test_a_late_fact_is_folded_in_event_time_order() -> None:
    on_time, _ = live([violation("v1", day(0)), fact("r1", "repair_approved", day(10), "v1")])
    late, _ = live([fact("r1", "repair_approved", day(10), "v1"), violation("v1", day(0))])
    assert on_time == late


KINDS = (
    "violation",
    "bidding_suspended",
    "key_supervision_listed",
    "tip_verified",
    "maintenance",
    "annual_review_passed",
    "annual_review_overdue",
    "review_due",
    "self_inspection",
    "repair_approved",
)


@st.composite
def facts(draw: st.DrawFn) -> Fact:
    at = day(draw(st.integers(0, 800)))
    return Fact(
        f"e{draw(st.integers(0, 25))}",
        draw(st.sampled_from(KINDS)),
        "ent-1",
        at,
        at,
        draw(st.sampled_from([NIGHT, "2026-06-01", "2027-01-01"])),  # or a review's due day
        "serious",
        draw(st.integers(0, 12)),
        target=f"e{draw(st.integers(0, 25))}",
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(facts(), min_size=1, max_size=40))
def test_the_live_row_is_what_if_and_as_of_under_the_current_model(history: list[Fact]) -> None:
    row, _ = live(history)
    firsts = list({f.event_id: f for f in reversed(history)}.values())
    watermark = max(f.at for f in firsts)
    assert row == scored(ledger_of("ent-1", firsts, MODEL), MODEL, watermark)
    assert what_if(firsts, MODEL, MODEL, watermark) == []
    now = standing(ledgers(firsts, MODEL)["ent-1"], MODEL, watermark)
    assert (row.score, row.grade, row.restricted) == (now.score, now.grade, now.restricted)


@settings(max_examples=60, deadline=None)
@given(st.lists(facts(), min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_any_arrival_order_ends_in_the_same_row(history: list[Fact], rnd: object) -> None:
    firsts = list({f.event_id: f for f in reversed(history)}.values())
    shuffled = list(firsts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert live(firsts)[0] == live(shuffled)[0]


def _restricted() -> tuple[Scored, list[Fact]]:
    history = [fact("k1", "key_supervision_listed", day(0)), violation("v1", day(3), 6)]
    row, _ = live(history)
    assert row.restricted
    return row, history


def test_time_alone_moves_a_row_to_the_latest_expiry_the_clock_passed() -> None:
    row, history = _restricted()
    ledger = ledger_of("ent-1", history, MODEL)
    assert expire(row, ledger, MODEL, day(300)) is None  # nothing has expired yet
    assert next_expiry(ledger, day(3)) == day(365)
    moved = expire(row, ledger, MODEL, day(500))
    assert moved is not None
    after, (change, lifted) = moved
    assert (after.score, after.restricted, after.watermark) == (100, False, day(368))
    assert after == scored(ledger, MODEL, day(368))
    assert after.score == standing(ledger, MODEL, day(500)).score  # once the clock passed
    assert isinstance(change, CreditScoreChanged)
    assert {(r.event_id, r.event_type, r.delta) for r in change.reasons} == {
        ("k1", "credit.key_supervision_listed", 20),
        ("v1", "credit.violation", 12),
    }
    assert isinstance(lifted, ProcurementRestrictionChanged)
    assert (lifted.at, lifted.cause_event_id) == (day(365), "k1#expired")
    assert next_expiry(ledger, day(368)) is None  # nothing left to wait for


def test_the_clock_passing_one_expiry_moves_the_row_only_that_far() -> None:
    row, history = _restricted()
    moved = expire(row, ledger_of("ent-1", history, MODEL), MODEL, day(366))
    assert moved is not None
    after, (_, lifted) = moved
    assert (after.score, after.watermark) == (88, day(365))
    assert isinstance(lifted, ProcurementRestrictionChanged) and not lifted.restricted


def test_a_fact_arriving_after_the_clock_passed_an_expiry_counts_it_too() -> None:
    row, history = _restricted()
    late = fact("m1", "maintenance", day(10))
    before, after = ledger_of("ent-1", history, MODEL), ledger_of("ent-1", [*history, late], MODEL)
    now, found = rescore(Step(row, before, after, [late], "t"), MODEL, clock=day(400))
    assert (now.score, now.restricted, now.watermark) == (100, False, day(368))
    change = found[0]
    assert isinstance(change, CreditScoreChanged)
    # the maintenance began and lapsed in between: not a reason
    assert {r.event_id for r in change.reasons} == {"k1", "v1"}
    plain, _ = rescore(Step(row, before, after, [late], "t"), MODEL)
    assert plain.watermark == day(10)  # no clock: the fact's own time, as before


def _stepped(arrivals: Sequence[Fact], ahead: Sequence[int], kept: bool) -> list[object]:
    """Each fact joins as the consumer joins it (appended in order, refolded otherwise), the
    clock `ahead` days past the latest event time so far; with the tally kept between facts
    (`kept`) or a pass over the items each time. Every row and event, in order."""
    row, seen, ledger = unscored("ent-1", MODEL), list[Fact](), ledger_of("ent-1", [], MODEL)
    tally, told, clock = None, list[object](), None
    for f, days in zip(arrivals, ahead, strict=True):
        if f.event_id in {s.event_id for s in seen}:
            continue
        in_order = not seen or (f.at, f.event_id) > max((s.at, s.event_id) for s in seen)
        seen.append(f)
        after = evolve(ledger, f, MODEL) if in_order else ledger_of("ent-1", seen, MODEL)
        clock = max([f.at + timedelta(days=days), *([clock] if clock else [])])
        if kept:
            row, caused, tally = rescore_kept(
                Step(row, ledger, after, [f], "t"), MODEL, clock, tally
            )
        else:
            row, caused = rescore(Step(row, ledger, after, [f], "t"), MODEL, clock)
        ledger = after
        told += [row, *caused]
    return told


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(facts(), st.integers(0, 400)), min_size=1, max_size=30))
def test_the_kept_tally_tells_what_a_pass_over_the_items_tells(
    arrivals: list[tuple[Fact, int]],
) -> None:
    """Given facts in any order and a clock running ahead, when each joins the ledger, then
    the tally kept between facts gives every row and event a pass over the items gives."""
    history, ahead = [f for f, _ in arrivals], [d for _, d in arrivals]
    assert _stepped(history, ahead, kept=True) == _stepped(history, ahead, kept=False)
