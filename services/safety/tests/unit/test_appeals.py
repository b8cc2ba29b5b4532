"""Appeals on the ledger: given deductions, when an appeal is upheld, then the points return;
and, for any history of violations and revocations, balance = initial - unrevoked deductions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_events import DomainEvent
from tianmen_events.codes import ViolationCode
from tianmen_events.safety import (
    BiddingSuspensionLifted,
    KeySupervisionDelisted,
    PointsDeducted,
    PointsRestored,
)
from tianmen_safety.domain.ledger import Finding, Ledger, fold, record, restore
from tianmen_safety.domain.rules import RULES

SHANGHAI = timezone(timedelta(hours=8))
DAY = datetime(2026, 5, 1, 10, 0, tzinfo=SHANGHAI)
CODES = [ViolationCode.STOPPED_MACHINE_WORKING, ViolationCode.CONSTRUCTION_DUST]


def finding(n: int, code: ViolationCode = CODES[0], at: datetime = DAY) -> Finding:
    return Finding("ent-1", f"v-{n}", "m-1", code, at, f"ce-{n}", "tianmen.telemetry.alert_raised")


def test_an_upheld_appeal_restores_what_the_deduction_took() -> None:
    state = Ledger("ent-1")
    first = record(state, finding(1), recorded=set(), rules=RULES)
    state = fold("ent-1", first, state)
    deducted = next(e for e in first if isinstance(e, PointsDeducted))
    assert (deducted.points, deducted.balance_after) == (12, 88)
    [restored] = restore(state, deducted, reason="permit was on file", rules=RULES)
    assert restored == PointsRestored(
        enterprise_id="ent-1",
        violation_id="v-1",
        points=12,
        balance_after=100,
        cycle_year=2026,
        reason="permit was on file",
        rule_version=RULES.version,
    )
    assert fold("ent-1", [restored], state).cycle(2026).balance == 100  # type: ignore[union-attr]


def test_a_clamped_deduction_restores_only_what_it_took() -> None:
    state, events = Ledger("ent-1"), list[DomainEvent]()
    for n in range(9):  # 9 x 12 = 108: the ninth takes only the 4 left
        new = record(state, finding(n), recorded=set(), rules=RULES)
        events += new
        state = fold("ent-1", new, state)
    last = [e for e in events if isinstance(e, PointsDeducted)][-1]
    assert (last.points, last.balance_after) == (4, 0)
    restored = restore(state, last, reason="r", rules=RULES)[0]
    assert isinstance(restored, PointsRestored) and restored.balance_after == 4


def test_a_tip_code_is_priced_by_the_found_points_table() -> None:
    new = record(Ledger("ent-1"), finding(1, CODES[1]), recorded=set(), rules=RULES)
    assert [e.points for e in new if isinstance(e, PointsDeducted)] == [3]


history = st.lists(
    st.tuples(st.booleans(), st.integers(0, 15), st.sampled_from(CODES)), max_size=50
)


@settings(max_examples=200, deadline=None)
@given(history)
def test_balance_is_initial_minus_the_unrevoked_deductions(
    steps: list[tuple[bool, int, ViolationCode]],
) -> None:
    state, live = Ledger("ent-1"), dict[str, PointsDeducted]()
    for revoke, n, code in steps:
        if revoke and f"v-{n}" in live:
            state = fold(
                "ent-1", restore(state, live.pop(f"v-{n}"), reason="r", rules=RULES), state
            )
        elif not revoke and f"v-{n}" not in live:
            new = record(state, finding(n, code), recorded=live, rules=RULES)
            live |= {e.violation_id: e for e in new if isinstance(e, PointsDeducted)}
            state = fold("ent-1", new, state)
    cycle = state.cycle(2026)
    balance = RULES.initial_points if cycle is None else cycle.balance
    assert balance == RULES.initial_points - sum(d.points for d in live.values())
    assert 0 <= balance <= RULES.initial_points


def test_an_appeal_that_lifts_the_balance_above_the_thresholds_lifts_suspension_and_listing() -> (
    None
):
    state, events = Ledger("ent-1"), list[DomainEvent]()
    for n in range(9):  # 8 x 12 + 4: zero, suspended and listed
        new = record(state, finding(n), recorded=set(), rules=RULES)
        events += new
        state = fold("ent-1", new, state)
    first = next(e for e in events if isinstance(e, PointsDeducted))
    still_low = restore(state, first, reason="r", rules=RULES)  # 0 + 12: still suspended
    assert [type(e) for e in still_low] == [PointsRestored, KeySupervisionDelisted]
    state = fold("ent-1", still_low, state)
    cycle = state.cycle(2026)
    assert cycle is not None and (cycle.key_supervision, cycle.bidding_suspended) == (False, True)
    deductions = [e for e in events if isinstance(e, PointsDeducted)][1:5]
    for deducted in deductions:  # 12 + 4 x 12 = 60: not above 60 yet
        lifted = restore(state, deducted, reason="r", rules=RULES)
        state = fold("ent-1", lifted, state)
    assert [type(e) for e in lifted] == [PointsRestored]
    last = restore(
        state, [e for e in events if isinstance(e, PointsDeducted)][5], reason="r", rules=RULES
    )
    assert [type(e) for e in last] == [PointsRestored, BiddingSuspensionLifted]
    assert isinstance(last[1], BiddingSuspensionLifted) and last[1].balance == 72


@pytest.mark.parametrize(
    ("balance", "level"),
    [
        (100, "normal"),
        (81, "normal"),
        (80, "warning"),
        (61, "warning"),
        (60, "bidding_suspension"),
        (1, "bidding_suspension"),
        (0, "key_supervision"),
    ],
)
def test_the_warning_level_follows_the_balance_down(balance: int, level: str) -> None:
    assert RULES.warning_level(balance) == level
