"""Snapshots of a fold over a log: the state after the first `position` entries, so that an
as-of answer or a restart folds only the tail. Any derived service can use it; the law is
`resume(snapshot, log) == fold(log)` (a property test in each user says so)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")
E = TypeVar("E")


@dataclass(frozen=True)
class Snapshot(Generic[S]):
    position: int  # entries of the log folded into `state`
    state: S


def fold_log(state: S, log: Sequence[E], evolve: Callable[[S, E], S], start: int = 0) -> S:
    for entry in log[start:]:
        state = evolve(state, entry)
    return state


def take_snapshots(
    initial: S, log: Sequence[E], evolve: Callable[[S, E], S], every: int
) -> list[Snapshot[S]]:
    """The state after every `every` entries (never at 0: that is the initial state)."""
    if every <= 0:
        raise ValueError("every must be positive")
    found, state = [], initial
    for position, entry in enumerate(log, start=1):
        state = evolve(state, entry)
        if position % every == 0:
            found.append(Snapshot(position, state))
    return found


def resume(
    initial: S,
    snapshots: Sequence[Snapshot[S]],
    log: Sequence[E],
    evolve: Callable[[S, E], S],
    upto: int | None = None,
) -> S:
    """The state after `upto` entries (all by default): the latest snapshot at or before it,
    then the tail."""
    end = len(log) if upto is None else upto
    usable = [s for s in snapshots if s.position <= end]
    base = max(usable, key=lambda s: s.position) if usable else Snapshot(0, initial)
    return fold_log(base.state, log[:end], evolve, start=base.position)
