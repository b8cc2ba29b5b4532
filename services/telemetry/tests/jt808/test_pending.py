"""The routing decisions of stop-use texts across processes and pods (decision 100): what is
recorded for an order, and what a terminal is owed when it logs in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tianmen_events.safety import MachineStopUseOrdered
from tianmen_events.telemetry import TextOutcome
from tianmen_telemetry.jt808.pending import Owed, PendingTexts, is_settled, should_record
from tianmen_telemetry.jt808.unreached import unreached_outcome

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, meta_for
from .server_fixtures import NOW

SHOWN, REFUSED, OFFLINE = TextOutcome.SHOWN, TextOutcome.REFUSED, TextOutcome.OFFLINE
TIMEOUT, NO_TERMINAL = TextOutcome.TIMEOUT, TextOutcome.NO_TERMINAL


def owed(order_id: str, minutes_ago: float = 0) -> Owed:
    order = MachineStopUseOrdered(
        order_id=order_id, enterprise_id=ENTERPRISE, machine_id=MACHINE, reason="r", ordered_at=NOW
    )
    return Owed(order, meta_for(order, f"e-{order_id}", NOW), NOW - timedelta(minutes=minutes_ago))


@pytest.mark.parametrize("outcome", [SHOWN, REFUSED, NO_TERMINAL, OFFLINE, TIMEOUT])
def test_the_first_outcome_of_an_order_is_recorded(outcome: TextOutcome) -> None:
    assert should_record([], outcome)


@pytest.mark.parametrize("outcome", [OFFLINE, TIMEOUT])
def test_the_cab_not_reached_is_recorded_only_as_the_first_word(outcome: TextOutcome) -> None:
    assert not should_record([OFFLINE], outcome)
    assert not should_record([TIMEOUT], outcome)
    assert not should_record([SHOWN], outcome)


def test_the_answer_of_a_terminal_that_came_back_follows_the_offline_record() -> None:
    assert should_record([OFFLINE], SHOWN) and should_record([TIMEOUT], REFUSED)


@pytest.mark.parametrize("outcome", [SHOWN, REFUSED, NO_TERMINAL])
def test_an_answered_order_is_never_recorded_again(outcome: TextOutcome) -> None:
    assert not should_record([OFFLINE, SHOWN], outcome)
    assert not should_record([REFUSED], outcome)


def test_only_an_answer_settles_an_order() -> None:
    assert not is_settled([]) and not is_settled([OFFLINE, TIMEOUT])
    assert is_settled([OFFLINE, SHOWN]) and is_settled([REFUSED]) and is_settled([NO_TERMINAL])


def test_the_unreached_rule_records_offline_only_if_nobody_recorded_anything() -> None:
    assert unreached_outcome(TERMINAL, recorded=False) == OFFLINE
    assert unreached_outcome(TERMINAL, recorded=True) is None
    assert unreached_outcome(None, recorded=False) == NO_TERMINAL


def test_a_terminal_is_owed_its_orders_oldest_first_until_settled() -> None:
    pending = PendingTexts(timedelta(days=7))
    pending.add(owed("late", minutes_ago=1), TERMINAL)
    pending.add(owed("early", minutes_ago=5), TERMINAL)
    assert pending.owes(TERMINAL) and not pending.owes("13800000009")
    assert [o.order.order_id for o in pending.owed(TERMINAL, NOW)] == ["early", "late"]
    pending.settled("early")
    pending.settled("late")
    assert not pending.owes(TERMINAL) and pending.owed(TERMINAL, NOW) == [] and len(pending) == 0


def test_an_order_read_again_is_kept_once_under_its_terminal_now() -> None:
    pending = PendingTexts(timedelta(days=7))
    pending.add(owed("o"), TERMINAL)
    pending.add(owed("o"), "13800000009")  # rebound between the two readings
    assert not pending.owes(TERMINAL) and len(pending) == 1


def test_an_order_published_before_the_window_is_no_longer_owed() -> None:
    pending = PendingTexts(timedelta(hours=1))
    pending.add(owed("old", minutes_ago=61), TERMINAL)
    pending.add(owed("new", minutes_ago=59), TERMINAL)
    assert [o.order.order_id for o in pending.owed(TERMINAL, NOW)] == ["new"]
    assert len(pending) == 1
