"""Binding ends waiting for the reports recorded before them (decision 99).

A terminal taken off a machine (unbound, or bound to another machine) ends the machine's open
alerts at the event's time. The end is applied by the report path, not by the bind's handler:
the consumer applies the registry's word ahead of the reports recorded before it (decision 78),
so the alerts open when the bind is applied depend on how far the reports had got (live: all of
them, a replay: none). Each end waits for a report of the machine's `telemetry.report`
partition recorded after it: by then every report of the machine recorded before the end has
been applied, live and in a replay alike, and none recorded after it. The machine's partition
is kept when an alert of it is held open (`report_partitions`), the only time it matters.

A unit of work's part: the pending ends are read once a transaction (one query, a handful of
rows at most), ends and partitions written as they come (both rare).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update

from tianmen_telemetry.adapters.orm import alerts, binding_ends, open_alerts, report_partitions
from tianmen_telemetry.adapters.timeline import recorded_before
from tianmen_telemetry.domain.bindings import End

NO_PARTITION = -1  # a record made by hand: one partition of its own

_PENDING = (
    select(binding_ends, report_partitions.c.report_partition)
    .select_from(
        binding_ends.outerjoin(
            report_partitions, report_partitions.c.machine_id == binding_ends.c.machine_id
        )
    )
    .where(binding_ends.c.done.is_(False))
)
# Asked when an alert is held open, built once with their parameters (built anew each time,
# the statements cost more than their look-ups).
_PARTITION_OF = select(report_partitions.c.report_partition).where(
    report_partitions.c.machine_id == bindparam("machine_id")
)
_KEEP_PARTITION = insert(report_partitions)
_DONE_AFTER = (
    select(binding_ends)
    .where(
        binding_ends.c.machine_id == bindparam("b_machine_id"),
        binding_ends.c.terminal_id == bindparam("b_terminal_id"),
        binding_ends.c.done.is_(True),
        binding_ends.c.ended_at > bindparam("b_at", type_=binding_ends.c.ended_at.type),
    )
    .order_by(binding_ends.c.ended_at, binding_ends.c.event_id)
)


@dataclass
class Pending:
    end: End
    recorded: int | None  # the log's time of the record that ended the binding, ms
    partition: int | None  # the machine's report partition, once an alert of it was held open


@dataclass(frozen=True)
class Held:
    """An open alert of the machine, as an end clears it."""

    alert_id: str
    enterprise_id: str
    rule: str
    rule_version: str
    jurisdiction: str | None


class BindingEnds:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._pending: list[Pending] | None = None
        self._partitions: dict[str, int] = {}
        self._kept: dict[str, dict[End, bool]] = {}  # terminals read: their ends, done or not

    def settle(self, terminal_id: str, ends: set[End]) -> None:
        """The terminal's ends as its binds now say (`Binds.ends`): a new one kept, pending
        until its machine's partition has a report recorded after its ending bind; a pending
        one the binds no longer give (a bind said later, dated before) dropped. One applied
        already stays: its clearings are published."""
        kept = self._of_terminal(terminal_id)
        pending = self._load()
        for end in sorted(ends - kept.keys(), key=lambda e: (e.at, e.event_id)):
            self.conn.execute(insert(binding_ends).values(**_row_of(end)))
            kept[end] = False
            pending.append(Pending(end, end.recorded, self._partition_of(end.machine_id)))
        for end in [e for e, done in kept.items() if not done and e not in ends]:
            self.conn.execute(
                delete(binding_ends).where(
                    binding_ends.c.terminal_id == end.terminal_id,
                    binding_ends.c.event_id == end.event_id,
                )
            )
            del kept[end]
            pending[:] = [p for p in pending if p.end != end]

    def due(self, partition: int | None, recorded: int | None) -> list[End]:
        """The ends a report of `partition` recorded at `recorded` comes after (marked done),
        in their order: every report of their machine recorded before them is applied."""
        pending = self._load()
        if not pending:
            return []
        key = NO_PARTITION if partition is None else partition
        ready = [p for p in pending if p.partition == key and recorded_before(p.recorded, recorded)]
        if not ready:
            return []
        for p in ready:
            pending.remove(p)
            if p.end.terminal_id in self._kept:
                self._kept[p.end.terminal_id][p.end] = True
            done = binding_ends.c.terminal_id == p.end.terminal_id
            same = binding_ends.c.event_id == p.end.event_id
            self.conn.execute(update(binding_ends).where(done, same).values(done=True))
        return sorted((p.end for p in ready), key=lambda e: (e.at, e.event_id))

    def held_on(self, machine_id: str, partition: int | None) -> None:
        """An alert of the machine was held open by a report of `partition`: kept, once."""
        key = NO_PARTITION if partition is None else partition
        if self._partition_of(machine_id) is None:
            self.conn.execute(_KEEP_PARTITION, {"machine_id": machine_id, "report_partition": key})
            self._partitions[machine_id] = key
        for p in self._load():
            if p.end.machine_id == machine_id and p.partition is None:
                p.partition = key

    def ended_after(
        self, machine_id: str, terminal_id: str, at: datetime, recorded: int | None
    ) -> End | None:
        """The first end of the terminal on the machine after `at`, done already and recorded
        before `recorded`: a report from before it (buffered) came after it, and what it holds
        open ends there."""
        asked = {"b_machine_id": machine_id, "b_terminal_id": terminal_id, "b_at": at}
        rows = self.conn.execute(_DONE_AFTER, asked).all()
        return next((_end_of(r) for r in rows if recorded_before(r.recorded_ms, recorded)), None)

    def held_before(self, end: End) -> list[Held]:
        """The machine's open alerts raised through the end's terminal before it, by rule."""
        rows = self.conn.execute(
            select(
                open_alerts.c.alert_id,
                open_alerts.c.enterprise_id,
                open_alerts.c.rule,
                alerts.c.rule_version,
                open_alerts.c.jurisdiction,
            )
            .select_from(open_alerts.join(alerts, alerts.c.alert_id == open_alerts.c.alert_id))
            .where(
                open_alerts.c.machine_id == end.machine_id,
                alerts.c.terminal_id == end.terminal_id,
                alerts.c.observed_at < end.at,
            )
            .order_by(open_alerts.c.rule)
        ).all()
        return [Held(*r) for r in rows]

    def flush(self) -> None:
        """Written as they come."""

    def _load(self) -> list[Pending]:
        if self._pending is None:
            rows = self.conn.execute(_PENDING).all()
            self._pending = [Pending(_end_of(r), r.recorded_ms, r.report_partition) for r in rows]
            for r in rows:
                if r.report_partition is not None:
                    self._partitions[r.machine_id] = r.report_partition
        return self._pending

    def read_ahead(self, terminal_ids: Iterable[str]) -> None:
        """The ends kept of the terminals (those a transaction's binds may derive again), in
        one query: settled bind by bind without one each (decision 90's shape)."""
        wanted = set(terminal_ids) - self._kept.keys()
        if not wanted:
            return
        for terminal_id in wanted:
            self._kept[terminal_id] = {}
        query = select(binding_ends).where(binding_ends.c.terminal_id.in_(sorted(wanted)))
        for row in self.conn.execute(query).all():
            self._kept[row.terminal_id][_end_of(row)] = row.done

    def _of_terminal(self, terminal_id: str) -> dict[End, bool]:
        kept = self._kept.get(terminal_id)
        if kept is None:
            query = select(binding_ends).where(binding_ends.c.terminal_id == terminal_id)
            rows = self.conn.execute(query).all()
            kept = self._kept[terminal_id] = {_end_of(r): r.done for r in rows}
        return kept

    def _partition_of(self, machine_id: str) -> int | None:
        known = self._partitions.get(machine_id)
        if known is None:
            asked = {"machine_id": machine_id}
            known = self.conn.execute(_PARTITION_OF, asked).scalar_one_or_none()
            if known is not None:
                self._partitions[machine_id] = known
        return known


def _row_of(end: End) -> dict[str, Any]:
    return {
        "terminal_id": end.terminal_id,
        "event_id": end.event_id,
        "machine_id": end.machine_id,
        "ended_at": end.at.astimezone(UTC),
        "to_machine_id": end.to_machine_id,
        "recorded_ms": end.recorded,
        "done": False,
    }


def _end_of(row: Row[Any]) -> End:
    return End(
        row.terminal_id,
        row.event_id,
        row.machine_id,
        row.ended_at,
        row.to_machine_id,
        row.recorded_ms,
    )
