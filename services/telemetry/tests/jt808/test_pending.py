"""The routing decisions of stop-use texts across processes and pods (decisions 100, 102): what
is recorded for an order, and what a machine is owed when a terminal bound to it logs in."""

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


@pytest.mark.parametrize("outcome", [OFFLINE, TIMEOUT, NO_TERMINAL])
def test_the_cab_not_reached_is_recorded_only_as_the_first_word(outcome: TextOutcome) -> None:
    assert not should_record([OFFLINE], outcome)
    assert not should_record([TIMEOUT], outcome)
    assert not should_record([NO_TERMINAL], outcome)
    assert not should_record([SHOWN], outcome)


def test_the_answer_of_a_terminal_that_came_back_follows_the_offline_record() -> None:
    assert should_record([OFFLINE], SHOWN) and should_record([TIMEOUT], REFUSED)


def test_the_answer_of_a_terminal_fitted_later_follows_the_no_terminal_record() -> None:
    """Decision 102: a machine with no terminal when the order was due may be given one (a
    terminal replaced); its answer is the order's last word, as after `offline`."""
    assert should_record([NO_TERMINAL], SHOWN) and should_record([NO_TERMINAL], REFUSED)


@pytest.mark.parametrize("outcome", [SHOWN, REFUSED, NO_TERMINAL])
def test_an_answered_order_is_never_recorded_again(outcome: TextOutcome) -> None:
    assert not should_record([OFFLINE, SHOWN], outcome)
    assert not should_record([NO_TERMINAL, SHOWN], outcome)
    assert not should_record([REFUSED], outcome)


def test_only_an_answer_settles_an_order() -> None:
    assert (
        not is_settled([]) and not is_settled([OFFLINE, TIMEOUT]) and not is_settled([NO_TERMINAL])
    )
    assert (
        is_settled([OFFLINE, SHOWN]) and is_settled([REFUSED]) and is_settled([NO_TERMINAL, SHOWN])
    )


def test_the_unreached_rule_records_offline_only_if_nobody_recorded_anything() -> None:
    assert unreached_outcome(TERMINAL, recorded=False) == OFFLINE
    assert unreached_outcome(TERMINAL, recorded=True) is None
    assert unreached_outcome(None, recorded=False) == NO_TERMINAL


def test_a_machine_is_owed_its_orders_oldest_first_until_settled() -> None:
    pending = PendingTexts(timedelta(days=7))
    pending.add(owed("late", minutes_ago=1))
    pending.add(owed("early", minutes_ago=5))
    assert pending.owes(MACHINE) and not pending.owes("machine-9")
    assert [o.order.order_id for o in pending.owed(MACHINE, NOW)] == ["early", "late"]
    pending.settled("early")
    pending.settled("late")
    assert not pending.owes(MACHINE) and pending.owed(MACHINE, NOW) == [] and len(pending) == 0


def test_what_is_owed_is_kept_by_machine_not_by_the_terminal_bound_when_it_was_read() -> None:
    """Decision 102: a terminal replaced before the cab was reached is not owed the order; the
    machine is, and whichever terminal is bound to it when one logs in is sent it."""
    pending = PendingTexts(timedelta(days=7))
    pending.add(owed("o"))
    pending.add(owed("o"))  # read again (a second poll after a failure): kept once
    assert pending.owes(MACHINE) and not pending.owes(TERMINAL) and len(pending) == 1


def test_an_order_published_before_the_window_is_no_longer_owed() -> None:
    pending = PendingTexts(timedelta(hours=1))
    pending.add(owed("old", minutes_ago=61))
    pending.add(owed("new", minutes_ago=59))
    assert [o.order.order_id for o in pending.owed(MACHINE, NOW)] == ["new"]
    assert len(pending) == 1
