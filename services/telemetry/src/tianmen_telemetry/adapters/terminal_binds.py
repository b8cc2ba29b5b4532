"""Terminal binds, kept as said and read back by event time: a terminal's periods and each
machine's current terminal are derived from the set of binds, so the order they arrived in (two
partitions of `registry.machine` when a terminal moves) changes nothing (decision 82).

A transaction's binds are applied batch-shaped (decision 90): `MachineRows`, a part of the unit
of work, reads the binds around all of them and their machines' rows in three queries
(`read_ahead`, from the subscription's `prepare`), derives the periods bind by bind in memory
(`domain.bindings.Binds`, exactly as one bind a transaction would) and writes what changed once,
before the commit: one statement per table and kind of change, however many binds. The machines'
rows the registry's other records write (`MachineRegistered`, `MachineDetailsChanged`) go
through it too, so a machine registered and bound in one transaction is written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, or_, select, update
from tianmen_runtime.driver_sql import planned_each_time

from tianmen_telemetry.adapters.orm import machines, terminal_bindings, terminal_binds
from tianmen_telemetry.domain.bindings import Bind, Binds, Holder

_SET_OWNER = (
    update(machines)
    .where(machines.c.machine_id == bindparam("m"))
    .values(enterprise_id=bindparam("e"))
)
_DROP = delete(terminal_binds).where(
    terminal_binds.c.terminal_id == bindparam("t"), terminal_binds.c.event_id == bindparam("e")
)
_SET_TERMINAL = (
    update(machines)
    .where(machines.c.machine_id == bindparam("m"))
    .values(terminal_id=bindparam("t"))
)


class MachineRows:
    """This transaction's machines and binds: read ahead, changed in memory, written once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.binds = Binds()
        self._terminals: set[str] = set()  # whose binds, and their machines', are known
        self._seeded: set[str] = set()  # machines whose terminals are all in `_terminals`
        self._rows: set[str] = set()  # machines whose row (or that they have none) is known
        self._new: dict[str, str] = {}  # machines to insert, with their owner
        self._owners: dict[str, str] = {}  # machines kept before, with their new owner
        self._details: dict[str, dict[str, Any]] = {}
        self._kept: list[Bind] = []
        self._dropped: list[Bind] = []  # unbinds kept before, found to be a deregistration's

    def read_ahead(self, binds: Iterable[Bind], machine_ids: Iterable[str] = ()) -> None:
        """The binds around `binds` and `machine_ids` (the terminals their machines had, those
        terminals' binds and those of every machine they were on) and those machines' rows."""
        binds = list(binds)
        seeds = ({b.machine_id for b in binds} | set(machine_ids)) - self._seeded
        terminals = {b.terminal_id for b in binds} - self._terminals
        if not seeds and not terminals:
            return
        # a fresh store fills these tables as it goes: a plan cached while they were nearly
        # empty scans them once per id (decision 103)
        with planned_each_time(self.conn) as conn:
            self._read(conn, seeds, terminals)

    def _read(self, conn: Connection, seeds: set[str], terminals: set[str]) -> None:
        if seeds:
            had = select(terminal_binds.c.terminal_id).where(
                terminal_binds.c.machine_id.in_(sorted(seeds))
            )
            terminals |= set(conn.execute(had).scalars()) - self._terminals
        wanted = set(seeds)
        if terminals:
            ids = sorted(terminals)
            on = select(terminal_binds.c.machine_id).where(terminal_binds.c.terminal_id.in_(ids))
            around = or_(terminal_binds.c.terminal_id.in_(ids), terminal_binds.c.machine_id.in_(on))
            for r in conn.execute(select(terminal_binds).where(around)).all():
                self.binds.know(_bind_of_row(r))
                wanted.add(r.machine_id)
        wanted -= self._rows
        rows = select(machines.c.machine_id, machines.c.terminal_id).where(
            or_(
                machines.c.machine_id.in_(sorted(wanted)),
                machines.c.terminal_id.in_(sorted(terminals)),
            )
        )
        for machine_id, terminal_id in conn.execute(rows).all():
            self.binds.know_machine(machine_id, terminal_id)
            wanted.add(machine_id)
        self._rows |= wanted
        self._seeded |= seeds
        self._terminals |= terminals

    def record_machine(self, machine_id: str, enterprise_id: str) -> None:
        """The machine, new or with a new owner, keeping any terminal it has."""
        self.read_ahead((), (machine_id,))
        if machine_id in self._new:
            self._new[machine_id] = enterprise_id
        elif machine_id in self.binds.terminal_of:
            self._owners[machine_id] = enterprise_id
        else:
            self._new[machine_id] = enterprise_id
            self.binds.know_machine(machine_id, None)

    def transfer(self, machine_id: str, enterprise_id: str) -> None:
        """The machine's new owner, for the views; of no machine kept: nothing, as an update."""
        self.read_ahead((), (machine_id,))
        if machine_id in self._new:
            self._new[machine_id] = enterprise_id
        elif machine_id in self.binds.terminal_of:
            self._owners[machine_id] = enterprise_id

    def note(self, machine_id: str, **said: Any) -> None:
        """Details of a machine (jurisdiction, …); of no machine kept: nothing, as an update."""
        self.read_ahead((), (machine_id,))
        if machine_id in self.binds.terminal_of:
            self._details.setdefault(machine_id, {}).update(said)

    def bind(self, bind: Bind) -> None:
        """A bind, or an unbind (`bind.holder` None: it leaves the machine's row as it is, but
        for its terminal)."""
        self.read_ahead((bind,))
        if bind.holder is not None:
            self.record_machine(bind.holder.machine_id, bind.holder.enterprise_id)
        self.binds.bind(bind)
        self._kept.append(bind)

    def deregistered(self, machine_id: str, at: datetime) -> None:
        """The machine's `MachineDeregistered` at `at`: an unbind of the machine kept at the
        same instant without a reason (an event from before the registry said one) was the
        deregistration's, not an explicit one, and is forgotten: the terminal keeps its machine
        as holder, as if the registry had said `deregistered` (decision 91)."""
        self.read_ahead((), (machine_id,))
        for unbind in self.binds.unbinds_of(machine_id, at):
            self.binds.forget(unbind)
            if unbind in self._kept:
                self._kept.remove(unbind)
            else:
                self._dropped.append(unbind)

    def flush(self) -> None:
        """What changed, one statement per table and kind of change."""
        conn = self.conn
        if self._new:
            new = [{"machine_id": m, "enterprise_id": e} for m, e in self._new.items()]
            conn.execute(insert(machines), new)
        if self._owners:
            conn.execute(_SET_OWNER, [{"m": m, "e": e} for m, e in self._owners.items()])
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for machine_id, said in self._details.items():
            by_columns.setdefault(tuple(sorted(said)), []).append({"m": machine_id, **said})
        for columns, rows in by_columns.items():
            values: dict[str, Any] = {c: bindparam(c) for c in columns}
            conn.execute(
                update(machines).where(machines.c.machine_id == bindparam("m")).values(values), rows
            )
        if self._dropped:
            dropped = [{"t": b.terminal_id, "e": b.event_id} for b in self._dropped]
            conn.execute(_DROP, dropped)
        if self._kept:
            conn.execute(insert(terminal_binds), [_bind_row(b) for b in self._kept])
        moved = self.binds.moved
        if moved:
            free = (
                update(machines)
                .where(machines.c.machine_id.in_(sorted(moved)))
                .values(terminal_id=None)
            )
            with planned_each_time(conn):
                conn.execute(free)
            now_on = [
                {"m": m, "t": t}
                for m in sorted(moved)
                if (t := self.binds.terminal_of[m]) is not None
            ]
            if now_on:
                conn.execute(_SET_TERMINAL, now_on)
        derived = self.binds.derived
        if derived:
            with planned_each_time(conn):
                conn.execute(
                    delete(terminal_bindings).where(
                        terminal_bindings.c.terminal_id.in_(sorted(derived))
                    )
                )
            periods = [
                {
                    "terminal_id": terminal_id,
                    "seq": seq,
                    "valid_from": period.valid_from,
                    "machine_id": period.holder and period.holder.machine_id,
                    "enterprise_id": period.holder and period.holder.enterprise_id,
                }
                for terminal_id in sorted(derived)
                for seq, period in enumerate(derived[terminal_id])
            ]
            if periods:
                conn.execute(insert(terminal_bindings), periods)
        self._new.clear()
        self._owners.clear()
        self._details.clear()
        self._kept.clear()
        self._dropped.clear()
        moved.clear()
        derived.clear()


def _bind_row(bind: Bind) -> dict[str, Any]:
    return {
        "terminal_id": bind.terminal_id,
        "event_id": bind.event_id,
        "machine_id": bind.machine_id,
        "enterprise_id": bind.holder and bind.holder.enterprise_id,
        "bound_at": bind.at,
        "recorded_ms": bind.recorded,
    }


def _bind_of_row(row: Row[Any]) -> Bind:
    """A bind as kept; `enterprise_id` NULL: an unbind from `machine_id`."""
    if row.enterprise_id is None:
        return Bind(
            row.terminal_id,
            None,
            row.bound_at,
            row.event_id,
            left=row.machine_id,
            recorded=row.recorded_ms,
        )
    holder = Holder(row.machine_id, row.enterprise_id)
    return Bind(row.terminal_id, holder, row.bound_at, row.event_id, recorded=row.recorded_ms)
