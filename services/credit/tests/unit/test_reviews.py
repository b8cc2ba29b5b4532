"""Given/when/then: a timely annual review (credit/2026.3). A pass earns the addition only on
or before the machine's due day (Beijing date), known from registration or the previous pass,
and not after registry's sweep found that due day overdue; a late pass earns nothing and says
why. credit/2026.2 (no rule for a late pass) adds for every pass, as before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from tianmen_credit.adapters.models import shipped_model
from tianmen_credit.domain.facts import Fact, fact_of
from tianmen_credit.domain.ledger import ledger_of
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import Standing, standing
from tianmen_credit.domain.whatif import what_if
from tianmen_events import DomainEvent
from tianmen_events.registry.lifecycle import (
    AnnualReviewOverdue,
    AnnualReviewPassed,
    RegistrationNumberIssued,
)

SH = timezone(timedelta(hours=8))
REGISTERED = datetime(2025, 3, 1, 10, 0, tzinfo=SH)
DUE = date(2026, 3, 1)
OLD = shipped_model("credit-2026.2.json")
NEW = shipped_model("credit-2026.3.json")
MACHINE = {"machine_id": "m-1", "enterprise_id": "ent-1", "application_id": "app-1"}


def facts(*events: tuple[str, DomainEvent, datetime]) -> list[Fact]:
    return [f for eid, e, at in events for f in fact_of(e, eid, at, at)]


def registered() -> tuple[str, DomainEvent, datetime]:
    issued = RegistrationNumberIssued(
        **MACHINE, registration_number="TM2025-1", next_review_due=DUE
    )
    return ("reg", issued, REGISTERED)


def passed(eid: str, at: datetime) -> tuple[str, DomainEvent, datetime]:
    today = at.astimezone(SH).date()
    return (
        eid,
        AnnualReviewPassed(**MACHINE, next_review_due=today.replace(year=today.year + 1)),
        at,
    )


def overdue(eid: str, at: datetime, due: date = DUE) -> tuple[str, DomainEvent, datetime]:
    return (eid, AnnualReviewOverdue(machine_id="m-1", enterprise_id="ent-1", due_on=due), at)


def at(history: list[Fact], model: ModelSpec, moment: datetime) -> Standing:
    return standing(ledger_of("ent-1", history, model), model, moment)


def test_a_pass_on_its_due_day_earns_the_addition() -> None:
    # given a machine registered with its first review due on 1 March 2026
    # when it passes on the due day itself, late evening Beijing time (still the due day)
    on_time = datetime(2026, 3, 1, 23, 30, tzinfo=SH)
    history = facts(registered(), passed("p1", on_time))
    then = at(history, NEW, on_time + timedelta(days=1))
    # then the addition counts, labelled "on time"
    assert then.score == 102
    (why,) = then.in_force
    assert (why.effect, why.zh, why.en) == (2, "按时通过年审", "annual review passed on time")


def test_a_pass_after_its_due_day_earns_nothing_and_says_why() -> None:
    late = datetime(2026, 3, 2, 0, 30, tzinfo=SH)  # Beijing 2 March: a day late
    history = facts(registered(), passed("p1", late))
    then = at(history, NEW, late + timedelta(days=1))
    assert then.score == 100
    assert then.in_force == ()
    (why,) = then.contributions
    assert (why.event_id, why.kind, why.effect) == ("p1", "annual_review_late", 0)
    assert why.zh == "年审逾期后通过，不加分；应年审日（2026-03-01）"
    assert why.en == "annual review passed late, no addition; it was due (2026-03-01)"


def test_the_due_day_is_beijings_not_utcs() -> None:
    # 1 March 23:30 UTC is 2 March in Beijing: late, though the UTC date is the due day
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert at(facts(registered(), passed("p1", late)), NEW, late + timedelta(hours=1)).score == 100


def test_overdue_then_pass_deducts_and_the_pass_earns_nothing() -> None:
    # given the sweep found the review overdue; when the machine then passes
    swept = datetime(2026, 3, 2, 1, 0, tzinfo=SH)
    history = facts(registered(), overdue("o1", swept), passed("p1", swept + timedelta(days=3)))
    then = at(history, NEW, swept + timedelta(days=4))
    # then the overdue deduction stands and the pass adds nothing
    assert then.score == 97
    assert [(c.kind, c.effect, c.in_force) for c in then.contributions] == [
        ("annual_review_overdue", -3, True),
        ("annual_review_late", 0, False),
    ]


def test_an_overdue_without_a_known_due_day_still_marks_the_next_pass_late() -> None:
    # the machine was registered before credit saw it: the overdue names its due day
    swept = datetime(2026, 3, 2, 1, 0, tzinfo=SH)
    history = facts(overdue("o1", swept), passed("p1", swept + timedelta(days=3)))
    assert at(history, NEW, swept + timedelta(days=4)).score == 97


def test_the_next_period_starts_from_the_pass_so_a_timely_second_pass_earns_again() -> None:
    late = datetime(2026, 3, 5, 10, 0, tzinfo=SH)  # due 2027-03-05 from this pass on
    second = datetime(2027, 3, 5, 10, 0, tzinfo=SH)
    history = facts(registered(), passed("p1", late), passed("p2", second))
    then = at(history, NEW, second + timedelta(days=1))
    assert [(c.event_id, c.effect, c.in_force) for c in then.contributions] == [
        ("p2", 2, True),
        ("p1", 0, False),
    ]


def test_an_earlier_periods_overdue_arriving_after_a_pass_does_not_mark_the_next_one() -> None:
    swept = datetime(2026, 3, 2, 1, 0, tzinfo=SH)
    passed_late = passed("p1", swept + timedelta(days=3))
    second = passed("p2", datetime(2027, 3, 1, 10, 0, tzinfo=SH))
    stale = overdue("o-stale", swept + timedelta(days=10))  # due 2026-03-01, seen after p1
    history = facts(registered(), overdue("o1", swept), passed_late, stale, second)
    then = at(history, NEW, datetime(2027, 3, 2, tzinfo=SH))
    assert ("p2", 2) in [(c.event_id, c.effect) for c in then.in_force]


def test_a_machine_with_no_known_due_day_earns_the_addition() -> None:
    # transferred in or registered before credit: nothing says it was late
    some_day = datetime(2026, 6, 1, 10, 0, tzinfo=SH)
    assert at(facts(passed("p1", some_day)), NEW, some_day).score == 102


def test_under_credit_2026_2_every_pass_still_adds() -> None:
    late = datetime(2026, 3, 9, 10, 0, tzinfo=SH)
    then = at(facts(registered(), passed("p1", late)), OLD, late)
    assert then.score == 102


def test_replaying_the_facts_in_any_order_gives_the_same_standing() -> None:
    swept = datetime(2026, 3, 2, 1, 0, tzinfo=SH)
    history = facts(registered(), overdue("o1", swept), passed("p1", swept + timedelta(days=3)))
    moment = swept + timedelta(days=5)
    assert at(history, NEW, moment) == at(list(reversed(history)), NEW, moment)


def test_what_if_shows_the_late_pass_and_the_current_model_changes_nothing() -> None:
    # an enterprise whose late pass kept it in A under 2026.2, overdue and late under 2026.3
    swept = datetime(2026, 3, 2, 1, 0, tzinfo=SH)
    history = facts(registered(), overdue("o1", swept), passed("p1", swept + timedelta(days=3)))
    history += [Fact("v1", "violation", "ent-1", swept, swept, "construction_dust", "serious", 11)]
    moment = swept + timedelta(days=4)
    assert what_if(history, OLD, OLD, moment) == []
    (change,) = what_if(history, OLD, NEW, moment)
    assert (change.current.score, change.current.grade) == (91, "A")
    assert (change.candidate.score, change.candidate.grade) == (86, "B")
    assert {(a and a.kind, b and b.kind) for a, b in change.why} == {
        (None, "annual_review_overdue"),
        ("annual_review_passed", None),
    }
