"""Delisting after a rectification period, given/when/then: given an enterprise on the
key-supervision list, when an event's time passes the period since its listing and its latest
violation, then the period's end goes on the docket and the ledger delists it at that end; not
before, not if the period would outlast the cycle, and a violation after delisting lists it
again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tianmen_events.codes import ViolationCode
from tianmen_events.safety import KeySupervisionListed
from tianmen_events.safety.inspections import KeySupervisionPeriodPassed
from tianmen_safety.domain.delisting import delist, period_passed
from tianmen_safety.domain.ledger import Cycle, Finding, Ledger, evolve, record
from tianmen_safety.domain.rules import RULES

SHANGHAI = timezone(timedelta(hours=8))
LISTED = datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)
LAST = LISTED + timedelta(days=10)  # a violation after the listing restarts the period
ENDS = LAST + timedelta(days=RULES.delist_after_days)
ON_LIST = Cycle(2026, 0, bidding_suspended=True, key_supervision=True)


def when(
    now: datetime, cycle: Cycle = ON_LIST, last: datetime = LAST
) -> KeySupervisionPeriodPassed | None:
    return period_passed(
        "ent-1", cycle, listed_at=LISTED, last_violation_at=last, now=now, rules=RULES
    )


def test_a_period_without_new_violations_ends_and_the_ledger_delists_at_its_end() -> None:
    passed = when(ENDS + timedelta(days=3))  # the first event after the end decides
    assert passed is not None
    assert (passed.cycle_year, passed.ended_at, passed.docket_id) == (2026, ENDS, "docket:ent-1")
    delisted = delist(ON_LIST, passed, last_violation_at=LAST, rules=RULES)
    assert delisted is not None
    assert (delisted.cycle_year, delisted.balance, delisted.delisted_at) == (2026, 0, ENDS)
    assert delisted.rule_version == RULES.version


def test_before_the_period_ends_the_enterprise_stays_listed() -> None:
    assert when(ENDS - timedelta(seconds=1)) is None


def test_the_period_runs_from_the_listing_when_no_violation_came_after_it() -> None:
    earlier = LISTED - timedelta(days=2)  # the listing's violation happened before it was filed
    from_listing = LISTED + timedelta(days=RULES.delist_after_days)
    assert when(from_listing - timedelta(seconds=1), last=earlier) is None
    assert when(from_listing, last=earlier) is not None


def test_an_enterprise_not_listed_is_not_delisted() -> None:
    assert when(ENDS + timedelta(days=1), cycle=Cycle(2026, 40)) is None
    passed = when(ENDS)
    assert passed is not None
    assert (
        delist(Cycle(2026, 0), passed, last_violation_at=LAST, rules=RULES) is None
    )  # delisted meanwhile (an appeal upheld)


def test_a_period_that_outlasts_the_cycle_delists_nothing() -> None:
    late = datetime(2026, 11, 20, tzinfo=SHANGHAI)
    assert when(late + timedelta(days=200), last=late) is None


def test_a_violation_after_delisting_lists_the_enterprise_again() -> None:
    passed = when(ENDS)
    assert passed is not None
    delisted = delist(ON_LIST, passed, last_violation_at=LAST, rules=RULES)
    assert delisted is not None
    state = evolve(Ledger("ent-1", (ON_LIST,)), delisted)
    assert state.cycle(2026) == Cycle(2026, 0, bidding_suspended=True, key_supervision=False)
    code = ViolationCode.NIGHT_WORK_WITHOUT_PERMIT
    again = Finding("ent-1", "v-9", "m-1", code, ENDS + timedelta(days=1), "ce-9", "t")
    *_, listed = record(state, again, recorded=(), rules=RULES)
    assert isinstance(listed, KeySupervisionListed) and listed.cycle_year == 2026


def test_a_violation_while_the_period_was_on_the_docket_keeps_the_enterprise_listed() -> None:
    passed = when(ENDS + timedelta(days=1))
    assert passed is not None
    meanwhile = ENDS - timedelta(days=5)  # arrived late, or between the tick and its return
    assert delist(ON_LIST, passed, last_violation_at=meanwhile, rules=RULES) is None
    after = ENDS + timedelta(hours=2)  # after the period's end: still not a quiet period now
    assert delist(ON_LIST, passed, last_violation_at=after, rules=RULES) is None
