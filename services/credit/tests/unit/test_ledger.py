"""Given/when/then for every rule of the model as data (credit/2026.3, live; 2026.2 where they
differ: an overdue review; timely reviews in `test_reviews.py`): deductions by severity
with validity, complaints, hazards, additions, bands, restriction events, repair."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tianmen_credit.adapters.models import current_model, shipped_model
from tianmen_credit.domain.facts import Fact, fact_of
from tianmen_credit.domain.ledger import empty, evolve, fold
from tianmen_credit.domain.standing import restriction_events, standing
from tianmen_events.registry.lifecycle import AnnualReviewOverdue

SH = timezone(timedelta(hours=8))
T0 = datetime(2026, 1, 10, 9, 0, tzinfo=SH)
MODEL = current_model()


def fact(event_id: str, kind: str, days: int = 0, **more: object) -> Fact:
    at = T0 + timedelta(days=days)
    return Fact(event_id, kind, "ent-1", at, at, **more)  # type: ignore[arg-type]


def night_work(event_id: str, days: int = 0, points: int = 5) -> Fact:
    return fact(
        event_id,
        "violation",
        days,
        code="night_work_without_permit",
        severity="serious",
        points=points,
    )


def at(facts: list[Fact], days: float):  # type: ignore[no-untyped-def]
    ledger = fold(empty("ent-1", MODEL), facts, MODEL)
    return standing(ledger, MODEL, T0 + timedelta(days=days))


def test_a_serious_violation_deducts_weight_times_points_for_a_year() -> None:
    history = [night_work("v1", points=5)]
    assert at(history, 0).score == 90
    assert at(history, 364).score == 90
    assert at(history, 365).score == 100  # expired by event time, no job needed


def test_a_minor_violation_counts_half_a_year_and_a_grave_one_two() -> None:
    minor = fact("m", "violation", code="continuous_work_beyond_limit", severity="minor", points=4)
    grave = fact("g", "violation", code="suspected_terminal_tampering", severity="grave", points=2)
    assert at([minor, grave], 1).score == 100 - 4 - 6
    assert at([minor, grave], 181).score == 100 - 6
    assert at([minor, grave], 731).score == 100


def test_a_violation_the_model_does_not_score_changes_nothing() -> None:
    odd = fact("x", "violation", code="no_such_code", severity="serious", points=9)
    assert at([odd], 1).score == 100
    assert at([odd], 1).contributions == ()


def test_a_verified_complaint_with_a_major_hazard_deducts_both() -> None:
    history = [
        fact("t1", "tip_verified", code="construction_dust"),
        fact("t1#hazard", "major_hazard"),
    ]
    assert at(history, 1).score == 100 - 3 - 10
    assert at(history, 200).score == 100 - 10


def test_maintenance_reviews_and_inspections_add_within_the_ceiling() -> None:
    history = [
        fact("m1", "maintenance"),
        fact("r1", "annual_review_passed"),
        fact("s1", "self_inspection"),
        fact("i1", "inspection_passed"),
    ]
    assert at(history, 1).score == 106
    assert at(history, 100).score == 104  # maintenance and self-inspection lapsed after 90 days
    many = [fact(f"m{n}", "maintenance") for n in range(40)]
    assert at(many, 1).score == MODEL.ceiling


def test_grades_follow_the_bands_and_d_restricts_procurement() -> None:
    listed = fact("k1", "key_supervision_listed")
    suspended = fact("b1", "bidding_suspended")
    assert (at([listed], 1).grade, at([listed], 1).restricted) == ("B", False)
    worst = at([listed, suspended, night_work("v1", points=1)], 1)
    assert (worst.score, worst.grade, worst.restricted) == (68, "D", True)


def test_restriction_is_imposed_and_lifted_as_events_at_event_time() -> None:
    history = [
        fact("k1", "key_supervision_listed"),
        fact("b1", "bidding_suspended", 10),
        night_work("v1", 20, points=1),
    ]
    ledger = fold(empty("ent-1", MODEL), history, MODEL)
    events = restriction_events(ledger, MODEL, T0 + timedelta(days=800))
    assert [(e.restricted, e.at, e.cause_event_id) for e in events] == [
        (True, T0 + timedelta(days=20), "v1"),
        (False, T0 + timedelta(days=365), "k1#expired"),
    ]
    assert all(e.model_version == "credit/2026.3" for e in events)


def test_every_contribution_is_explained_in_both_languages_with_its_expiry() -> None:
    now = at([night_work("v1", points=5), fact("m1", "maintenance", 1)], 100)
    first, lapsed = now.contributions
    assert (first.event_id, first.effect, first.in_force) == ("v1", -10, True)
    assert first.expires_at == T0 + timedelta(days=365)
    assert first.zh.startswith("违法违规行为扣分") and "night_work_without_permit" in first.en
    assert (lapsed.event_id, lapsed.in_force, lapsed.en) == (
        "m1",
        False,
        "regular maintenance record",
    )
    assert now.model_version == "credit/2026.3"


def test_an_approved_repair_restores_half_the_deduction_from_its_time() -> None:
    repair = fact("r1", "repair_approved", 30, target="v1")
    history = [night_work("v1", points=5), repair]
    assert at(history, 29).score == 90
    assert at(history, 31).score == 95
    assert at(history, 366).score == 100
    kept = at(history, 31).in_force[0]
    assert (kept.kind, kept.repaired_by, kept.effect) == ("repaired", "v1", -5)


def test_a_repair_of_an_addition_or_of_an_unknown_event_changes_nothing() -> None:
    history = [
        fact("m1", "maintenance"),
        fact("r1", "repair_approved", 1, target="m1"),
        fact("r2", "repair_approved", 1, target="nope"),
    ]
    assert at(history, 2).score == 101


def test_a_fact_counted_twice_counts_once() -> None:
    assert at([night_work("v1"), night_work("v1")], 1).score == 90


def test_a_moment_before_a_fact_does_not_see_it() -> None:
    assert at([night_work("v1", 10)], 5).contributions == ()


def test_ledgers_evolved_from_the_same_ledger_keep_their_own_items() -> None:
    """Two facts folded onto the same earlier ledger (a retried transaction, a resumed
    snapshot) each see only their own; the earlier ledger is unchanged, and a repair on one
    branch does not end the deduction on another."""
    start = fold(empty("ent-1", MODEL), [night_work("v1")], MODEL)
    one = evolve(start, night_work("v2", days=1), MODEL)
    other = evolve(start, night_work("v3", days=2), MODEL)
    repaired = evolve(one, fact("r1", "repair_approved", 3, target="v1"), MODEL)
    assert [i.event_id for i in start.items] == ["v1"]
    assert [i.event_id for i in one.items] == ["v1", "v2"]
    assert [i.event_id for i in other.items] == ["v1", "v3"]
    assert [i.event_id for i in repaired.items] == ["v1", "v2", "r1"]
    assert repaired.items[0].repaired_by == "r1"
    assert not one.items[0].repaired_by
    assert evolve(other, night_work("v2", days=1), MODEL).items[-1].event_id == "v2"
    assert evolve(one, night_work("v2", days=1), MODEL).items == one.items  # counted once


CANDIDATE = shipped_model("credit-2026.3.json")  # tried by what-if, then adopted (decision 68)


def test_an_overdue_annual_review_is_a_fact_credit_counts() -> None:
    overdue = AnnualReviewOverdue(machine_id="m-1", enterprise_id="ent-1", due_on=T0.date())
    (found,) = fact_of(overdue, "o1", T0, T0)
    assert (found.kind, found.enterprise_id, found.target, found.at) == (
        "annual_review_overdue",
        "ent-1",
        "m-1",
        T0,
    )


def test_an_overdue_review_weighed_nothing_under_credit_2026_2() -> None:
    before = shipped_model("credit-2026.2.json")
    ledger = fold(empty("ent-1", before), [fact("o1", "annual_review_overdue")], before)
    assert standing(ledger, before, T0 + timedelta(days=1)).score == 100


def test_under_credit_2026_3_an_overdue_review_deducts_3_for_a_year_and_says_so() -> None:
    ledger = fold(empty("ent-1", CANDIDATE), [fact("o1", "annual_review_overdue")], CANDIDATE)
    then = standing(ledger, CANDIDATE, T0 + timedelta(days=1))
    (why,) = then.contributions
    assert (then.score, why.effect, why.expires_at) == (97, -3, T0 + timedelta(days=365))
    assert (why.zh, why.en, then.model_version) == (
        "年审逾期未通过",
        "annual review overdue",
        "credit/2026.3",
    )
    assert standing(ledger, CANDIDATE, T0 + timedelta(days=365)).score == 100
