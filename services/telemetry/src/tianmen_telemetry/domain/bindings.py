"""Which machine a terminal was on, and when: reports are charged to the holder at their time.

A terminal's history is a list of periods, each starting at the time the registry bound (or
released) it. The first period of a terminal has no start: a terminal reports from the machine
it was first bound to, also what it buffered before the registry recorded the binding.

The history is a function of the binds alone, ordered by their event time (then event id), not
by the order they arrived in: a terminal moved from one machine to another is two binds on two
partitions of `registry.machine`, which live and a replay may apply in either order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

SINCE_EVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Holder:
    """The machine, and its owner, that a terminal's report is charged to."""

    machine_id: str
    enterprise_id: str


@dataclass(frozen=True)
class Period:
    """From `valid_from` (None: since ever) the terminal was on `holder` (None: on no machine)."""

    valid_from: datetime | None
    holder: Holder | None


@dataclass(frozen=True)
class Binding:
    """A terminal's current machine, and its history (newest period first; empty: always)."""

    machine_id: str
    enterprise_id: str
    history: tuple[Period, ...] = ()

    def holder_at(self, at: datetime) -> Holder | None:
        """Who held the terminal at `at`; None if it was on no machine then."""
        for period in self.history:
            if period.valid_from is None or period.valid_from <= at:
                return period.holder
        return None if self.history else Holder(self.machine_id, self.enterprise_id)


@dataclass(frozen=True)
class Bind:
    """The registry bound `terminal_id` to `holder` at `at` (None: before anything else), by
    event `event_id`. Binding a machine to another terminal frees the one it had."""

    terminal_id: str
    holder: Holder
    at: datetime | None
    event_id: str

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.at or SINCE_EVER, self.event_id)


def history(terminal_id: str, binds: Iterable[Bind]) -> tuple[Period, ...]:
    """The terminal's periods, oldest first, from its binds and those of every machine it was
    on (they free it), whatever order they came in."""
    ordered = sorted(binds, key=lambda b: b.key)
    own = [b for b in ordered if b.terminal_id == terminal_id]
    periods: list[Period] = []
    for n, bind in enumerate(own):
        until = own[n + 1].key if n + 1 < len(own) else None
        _extend(periods, Period(bind.at, bind.holder))
        freed = _freed(bind, ordered, until)
        if freed is not None:
            _extend(periods, Period(freed.at, None))
    return tuple(periods)


def _freed(bind: Bind, ordered: Sequence[Bind], until: tuple[datetime, str] | None) -> Bind | None:
    """The first bind of the holder's machine to another terminal after `bind`, before `until`."""
    machine = bind.holder.machine_id
    return next(
        (
            b
            for b in ordered
            if b.holder.machine_id == machine
            and b.terminal_id != bind.terminal_id
            and bind.key < b.key
            and (until is None or b.key < until)
        ),
        None,
    )


def _extend(periods: list[Period], period: Period) -> None:
    """Append, merging a period into one of the same holder and dropping one of no length; the
    first is since ever."""
    if not periods:
        periods.append(Period(None, period.holder))
        return
    if periods[-1].valid_from == period.valid_from:
        periods.pop()
    if not periods or periods[-1].holder != period.holder:
        periods.append(period)


def last_holder(periods: Sequence[Period]) -> Holder | None:
    """Who holds the terminal now (after its latest period began)."""
    return periods[-1].holder if periods else None
