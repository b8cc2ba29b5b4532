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
from dataclasses import dataclass, field
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
    """A terminal's current machine, and its history (newest period first; empty: always).

    `machine_id` None: the terminal is on no machine now (an explicit unbind, or its machine
    took another terminal); its history still says whose its earlier reports are."""

    machine_id: str | None
    enterprise_id: str | None
    history: tuple[Period, ...] = ()

    @property
    def bound_now(self) -> bool:
        return self.machine_id is not None

    def holder_at(self, at: datetime) -> Holder | None:
        """Who held the terminal at `at`; None if it was on no machine then."""
        for period in self.history:
            if period.valid_from is None or period.valid_from <= at:
                return period.holder
        if self.history or self.machine_id is None or self.enterprise_id is None:
            return None
        return Holder(self.machine_id, self.enterprise_id)


@dataclass(frozen=True)
class Bind:
    """The registry bound `terminal_id` to `holder` at `at` (None: before anything else), by
    event `event_id`. Binding a machine to another terminal frees the one it had.

    `holder` None: an explicit unbind (`TerminalUnbound`, reason `unbound`) of the terminal from
    machine `left`: from `at` the terminal is on no machine, like a bind to nothing."""

    terminal_id: str
    holder: Holder | None
    at: datetime | None
    event_id: str
    left: str = ""
    recorded: int | None = field(default=None, compare=False)
    """The log's time of its record, ms (None: not known, before everything): what its end
    waits for (decision 99); not part of what the bind says."""

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.at or SINCE_EVER, self.event_id)

    @property
    def machine_id(self) -> str:
        """The machine the terminal is bound to, or (an unbind) the one it left."""
        return self.left if self.holder is None else self.holder.machine_id


def history(terminal_id: str, binds: Iterable[Bind]) -> tuple[Period, ...]:
    """The terminal's periods, oldest first, from its binds and those of every machine it was
    on (they free it), whatever order they came in."""
    ordered = sorted(binds, key=lambda b: b.key)
    own = [b for b in ordered if b.terminal_id == terminal_id]
    periods: list[Period] = []
    for n, bind in enumerate(own):
        until = own[n + 1].key if n + 1 < len(own) else None
        _extend(periods, Period(bind.at, bind.holder))
        freed = None if bind.holder is None else _freed(bind, ordered, until)
        if freed is not None:
            _extend(periods, Period(freed.at, None))
    return tuple(periods)


def _freed(bind: Bind, ordered: Sequence[Bind], until: tuple[datetime, str] | None) -> Bind | None:
    """The first bind of the holder's machine to another terminal after `bind`, before `until`
    (an unbind of another terminal from the machine frees nothing of this one)."""
    machine = bind.machine_id
    return next(
        (
            b
            for b in ordered
            if b.holder is not None
            and b.holder.machine_id == machine
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


@dataclass(frozen=True)
class End:
    """The terminal taken off `machine_id` at `at` by the registry's event `event_id`: bound to
    `to_machine_id`, or (None) unbound. The machine is left with no terminal: it is no longer
    heard, so its open alerts end there (decision 99)."""

    terminal_id: str
    event_id: str
    machine_id: str
    at: datetime
    to_machine_id: str | None
    recorded: int | None = field(default=None, compare=False)  # the ending bind's record's


def end_of(bind: Bind, periods: Sequence[Period]) -> End | None:
    """What `bind` ended, given its terminal's periods with it (oldest first): the machine the
    terminal was on just before it, if another (a bind to the same machine, or of a terminal
    on no machine then, ends nothing). A terminal its machine freed by taking another is on no
    machine: that machine keeps reporting through the other, nothing of it ends."""
    if bind.at is None:
        return None
    before: Holder | None = None
    for period in periods:
        if period.valid_from is not None and period.valid_from >= bind.at:
            break
        before = period.holder
    to = None if bind.holder is None else bind.holder.machine_id
    if before is None or before.machine_id == to:
        return None
    if bind.holder is None and before.machine_id != bind.left:  # not the machine it says
        return None
    at = bind.at.astimezone(UTC)
    return End(bind.terminal_id, bind.event_id, before.machine_id, at, to, bind.recorded)


class DuplicateBind(ValueError):
    """A bind kept already (the same terminal and event): the store keeps each once."""


@dataclass
class Binds:
    """The binds a transaction knows (its own, and those read around them) and the current
    terminal of the machines it knows, derived again bind by bind exactly as the store was
    one bind at a time (decision 82), in memory: `derived` and `moved` say what to write.

    `terminal_of` holds the machines known to exist (a machine not in it has no row: setting
    its terminal changes nothing, as an update of no row would)."""

    binds: dict[tuple[str, str], Bind]
    terminal_of: dict[str, str | None]
    derived: dict[str, tuple[Period, ...]]
    moved: set[str]

    def __init__(self) -> None:
        self.binds = {}
        self.terminal_of = {}
        self.derived = {}
        self.moved = set()
        self.touched: set[str] = set()  # terminals derived again, until `ends` takes them
        self._of_terminal: dict[str, list[Bind]] = {}
        self._of_machine: dict[str, list[Bind]] = {}
        self._machine_with: dict[str, str] = {}

    def know(self, bind: Bind) -> None:
        """A bind kept before (read from the store); known already: nothing."""
        key = (bind.terminal_id, bind.event_id)
        if key not in self.binds:
            self.binds[key] = bind
            self._of_terminal.setdefault(bind.terminal_id, []).append(bind)
            self._of_machine.setdefault(bind.machine_id, []).append(bind)

    def know_machine(self, machine_id: str, terminal_id: str | None) -> None:
        """A machine's row as kept (known already: what this transaction made of it wins)."""
        if machine_id not in self.terminal_of:
            self.terminal_of[machine_id] = terminal_id
            if terminal_id is not None:
                self._machine_with[terminal_id] = machine_id

    def bind(self, bind: Bind) -> None:
        """Keep the bind, then derive again the periods of every terminal it can change (its
        own, and those its machine had: the bind frees them) and their machines' terminal. An
        unbind is kept the same way: its terminal's period ends, and the machine it left has
        no terminal unless its binds say otherwise by event time."""
        if (bind.terminal_id, bind.event_id) in self.binds:
            raise DuplicateBind(f"bind {bind.event_id} of terminal {bind.terminal_id} kept already")
        self.know(bind)
        self._derive(bind)

    def ends(self) -> dict[str, set[End]]:
        """The ends of each terminal derived again since the last call, from all its binds
        known (decision 99): a function of the binds, not of the order they came in."""
        found = {
            terminal_id: {
                end
                for bind in self._of_terminal.get(terminal_id, ())
                if (end := end_of(bind, self.derived[terminal_id])) is not None
            }
            for terminal_id in sorted(self.touched)
        }
        self.touched.clear()
        return found

    def unbinds_of(self, machine_id: str, at: datetime) -> list[Bind]:
        """The unbinds from the machine kept at `at`, oldest event id first."""
        return sorted(
            (b for b in self._of_machine.get(machine_id, ()) if b.holder is None and b.at == at),
            key=lambda b: b.key,
        )

    def forget(self, bind: Bind) -> None:
        """As if the bind had never been kept: the periods it changed are derived again."""
        del self.binds[(bind.terminal_id, bind.event_id)]
        self._of_terminal[bind.terminal_id].remove(bind)
        self._of_machine[bind.machine_id].remove(bind)
        self._derive(bind)

    def _derive(self, bind: Bind) -> None:
        machine_id = bind.machine_id
        changed = sorted({bind.terminal_id, *(b.terminal_id for b in self._of_machine[machine_id])})
        around = self._around(changed)
        for terminal_id in changed:
            self._set(self._machine_with.get(terminal_id), None)
        self.touched.update(changed)
        for terminal_id in changed:
            periods = self.derived[terminal_id] = history(terminal_id, around)
            holder = last_holder(periods)
            if holder is not None and holder.machine_id in self.terminal_of:
                self._set(holder.machine_id, terminal_id)

    def _around(self, terminal_ids: Sequence[str]) -> list[Bind]:
        """The binds of the terminals, and of every machine they were on."""
        own = [b for t in terminal_ids for b in self._of_terminal.get(t, ())]
        machines = {b.machine_id for b in own}
        found = {(b.terminal_id, b.event_id): b for b in own}
        for machine_id in sorted(machines):
            found.update(((b.terminal_id, b.event_id), b) for b in self._of_machine[machine_id])
        return list(found.values())

    def _set(self, machine_id: str | None, terminal_id: str | None) -> None:
        if machine_id is None:
            return
        had = self.terminal_of.get(machine_id)
        if had is not None and self._machine_with.get(had) == machine_id:
            del self._machine_with[had]
        self.terminal_of[machine_id] = terminal_id
        if terminal_id is not None:
            self._machine_with[terminal_id] = machine_id
        self.moved.add(machine_id)
