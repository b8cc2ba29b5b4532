"""A terminal's history is a function of its binds (and explicit unbinds), ordered by event time:
whatever order they arrive in, it is what applying them in event-time order (live, with every
bind in order) gives."""

from __future__ import annotations

import itertools
from datetime import UTC, timedelta
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st
from tianmen_telemetry.domain.bindings import (
    Bind,
    End,
    Holder,
    Period,
    end_of,
    history,
    last_holder,
)

from ..helpers import at

T0 = at("2026-05-10T08:00:00")
OLD, NEW = Holder("machine-old", "ent-a"), Holder("machine-new", "ent-b")
MOVE = [  # the late-report test: the old machine takes another terminal, then T1 moves
    Bind("t1", OLD, T0, "e1"),
    Bind("tn", NEW, T0 + timedelta(minutes=1), "e2"),
    Bind("t2", OLD, T0 + timedelta(hours=1), "e3"),
    Bind("t1", NEW, T0 + timedelta(hours=2), "e4"),
]


def test_a_moved_terminal_has_one_history_in_every_arrival_order() -> None:
    histories = {
        tuple(history(t, order) for t in ("t1", "tn", "t2"))
        for order in itertools.permutations(MOVE)
    }
    assert histories == {
        (
            (Period(None, OLD), Period(T0 + timedelta(hours=1), None), Period(MOVE[3].at, NEW)),
            (Period(None, NEW), Period(MOVE[3].at, None)),
            (Period(None, OLD),),
        )
    }


def test_binds_of_one_instant_are_ordered_by_event_id() -> None:
    same = [Bind("t1", OLD, T0, "b"), Bind("t1", NEW, T0, "a")]
    expected = (Period(None, NEW), Period(T0, OLD))
    assert history("t1", same) == history("t1", same[::-1]) == expected


UNBOUND = T0 + timedelta(hours=3)


def test_an_unbind_ends_the_period_in_every_arrival_order() -> None:
    """The move, then t1 unbound from its new machine: on no machine from the unbind's time."""
    unbind = Bind("t1", None, UNBOUND, "e5", left=NEW.machine_id)
    histories = {history("t1", order) for order in itertools.permutations([*MOVE, unbind])}
    assert histories == {
        (
            Period(None, OLD),
            Period(T0 + timedelta(hours=1), None),
            Period(MOVE[3].at, NEW),
            Period(UNBOUND, None),
        )
    }
    assert history("tn", [*MOVE, unbind]) == history("tn", MOVE)  # it frees no other terminal


def _fold(binds: list[Bind]) -> dict[str, list[Period]]:
    """What live did, bind after bind in event-time order: the machine's previous terminal is
    freed, the terminal gets a period (its first one since ever), the same holder twice is one;
    an unbind gives the terminal a period on no machine, and its machine no terminal."""
    periods: dict[str, list[Period]] = {}
    current: dict[str, str] = {}  # machine -> terminal
    for bind in sorted(binds, key=lambda b: b.key):
        if bind.holder is None:
            _add(periods.setdefault(bind.terminal_id, []), Period(bind.at, None))
            current = {m: t for m, t in current.items() if t != bind.terminal_id}
            continue
        previous = current.get(bind.holder.machine_id)
        if previous is not None and previous != bind.terminal_id:
            _add(periods.setdefault(previous, []), Period(bind.at, None))
        _add(periods.setdefault(bind.terminal_id, []), Period(bind.at, bind.holder))
        current = {m: t for m, t in current.items() if t != bind.terminal_id}
        current[bind.holder.machine_id] = bind.terminal_id
    return periods


def _add(periods: list[Period], period: Period) -> None:
    if periods and periods[-1].valid_from == period.valid_from:
        periods.pop()
    if not periods or periods[-1].holder != period.holder:
        periods.append(period if periods else Period(None, period.holder))


def _bind(t: int, m: int, minutes: timedelta, n: int, unbind: bool) -> Bind:
    if unbind:
        return Bind(f"t{t}", None, T0 + minutes, f"e{n}", left=f"m{m}")
    return Bind(f"t{t}", Holder(f"m{m}", "ent"), T0 + minutes, f"e{n}")


_binds = st.lists(
    st.builds(
        _bind,
        st.integers(0, 2),
        st.integers(0, 2),
        st.integers(0, 50).map(lambda n: timedelta(minutes=10 * n)),
        st.integers(0, 10**6),
        st.sampled_from([False, False, True]),  # one in three an explicit unbind
    ),
    max_size=8,
    unique_by=lambda b: b.event_id,
)


@settings(max_examples=300, deadline=None)
@given(_binds, st.randoms(use_true_random=False))
def test_history_is_the_event_time_fold_whatever_the_arrival_order(
    binds: list[Bind], random: Random
) -> None:
    arrived = list(binds)
    random.shuffle(arrived)
    expected = _fold(binds)
    for terminal in {b.terminal_id for b in binds}:
        got = history(terminal, arrived)
        assert list(got) == expected[terminal]
        holders = [last_holder(history(t, arrived)) for t in {b.terminal_id for b in binds}]
        machines = [h.machine_id for h in holders if h is not None]
        assert len(machines) == len(set(machines)), "a machine holds two terminals now"


def _end(bind: Bind, binds: list[Bind]) -> End | None:
    return end_of(bind, history(bind.terminal_id, binds))


def test_a_terminal_moved_or_unbound_ends_the_machine_it_was_on() -> None:
    """Decision 99: the machine the terminal was on just before the bind, if another, is left
    with no terminal at the bind's time (in UTC); an unbind the same."""
    on_old, later = Bind("t1", OLD, T0, "e1"), T0 + timedelta(hours=2)
    moved = Bind("t1", NEW, later, "e2")
    unbound = Bind("t1", None, later, "e3", left=OLD.machine_id)
    assert _end(moved, [on_old, moved]) == End(
        "t1", "e2", OLD.machine_id, later.astimezone(UTC), NEW.machine_id
    )
    assert _end(unbound, [on_old, unbound]) == End(
        "t1", "e3", OLD.machine_id, later.astimezone(UTC), None
    )


def test_a_bind_that_leaves_no_machine_without_its_terminal_ends_nothing() -> None:
    """The first bind of a terminal, a bind to the machine it is on, and the move of a terminal
    its machine freed by taking another (that machine reports through the other) end nothing;
    nor does a bind before everything."""
    on_old = Bind("t1", OLD, T0, "e1")
    again = Bind("t1", OLD, T0 + timedelta(hours=1), "e2")
    assert _end(on_old, [on_old]) is None
    assert _end(again, [on_old, again]) is None
    assert _end(MOVE[3], MOVE) is None  # machine-old took t2 at T0+1h: t1 was on no machine
    assert _end(Bind("t1", NEW, None, "e0"), [on_old, Bind("t1", NEW, None, "e0")]) is None
    elsewhere = Bind("t1", None, T0 + timedelta(hours=2), "e3", left=NEW.machine_id)
    assert _end(elsewhere, [on_old, elsewhere]) is None  # an unbind from a machine it was not on
