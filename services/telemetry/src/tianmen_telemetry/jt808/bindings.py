"""The server's bindings lookup: what it read is kept until the registry's word moves.

Every report batch needs the bindings (with their history) of its terminals; reading them
for every batch was 8 % of the server's CPU. Everything that changes the bindings projection
is an event of `registry.machine`, applied by telemetry's worker in the same transaction as
its consumer offset. So the offsets the worker applied on that topic mark the projection's
state: a batch reads them first (one small query), and while they are unchanged the kept
bindings are what the store would answer; once they move, everything kept is read again.
Reading the mark before the bindings makes a race harmless: a change committed in between is
kept under the old mark, and the next batch sees the new mark and reads again. The machines'
fuel tanks over time (`tanks`, read only for reports with litres) are kept the same way, under
the mark the batch's bindings read: they too change only by `registry.machine`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine, select
from tianmen_events.topics import REGISTRY_MACHINE
from tianmen_runtime.db import consumer_offsets

from tianmen_telemetry.adapters.orm import machine_tanks
from tianmen_telemetry.domain.bindings import Binding
from tianmen_telemetry.jt808.levels import TankHistory, Tanks, no_tanks
from tianmen_telemetry.service_layer.ports import BindingLookup

Mark = Callable[[], Hashable]
_EVER = datetime.min.replace(tzinfo=UTC)
V = TypeVar("V")


class KeptBindings:
    """A `BindingLookup` over another, re-reading only what it has not read since `mark`."""

    def __init__(self, lookup: BindingLookup, mark: Mark, tanks: Tanks = no_tanks) -> None:
        self._lookup, self._mark, self._tank_lookup = lookup, mark, tanks
        self._kept: dict[str, Binding | None] = {}  # None: not bound
        self._tanks: dict[str, TankHistory | None] = {}  # None: no tank registered
        self._seen: Hashable = None
        self._lock = threading.Lock()  # submits run in several worker threads

    def __call__(self, terminal_ids: Iterable[str]) -> dict[str, Binding]:
        wanted = set(terminal_ids)
        with self._lock:
            mark = self._mark()
            if mark != self._seen:
                self._kept.clear()
                self._tanks.clear()
                self._seen = mark
            return _through(self._kept, wanted, self._lookup)

    def tanks(self, machine_ids: Iterable[str]) -> dict[str, TankHistory]:
        """The tanks (from when, litres) of those machines that have one, as of the mark the
        last bindings read saw."""
        with self._lock:
            return _through(self._tanks, set(machine_ids), self._tank_lookup)


def _through(
    kept: dict[str, V | None], wanted: set[str], lookup: Callable[[set[str]], Mapping[str, V]]
) -> dict[str, V]:
    """What `kept` has of `wanted`, the rest read by `lookup` and kept (None: it has none)."""
    missing = wanted - kept.keys()
    if missing:
        found = lookup(missing)
        kept.update((key, found.get(key)) for key in missing)
    return {key: value for key in wanted if (value := kept[key]) is not None}


def tanks_of(engine: Engine) -> Tanks:
    """The machines' fuel tanks over time as telemetry's projection of the register keeps them
    (`machine_tanks`: registered, then each amendment from its event time)."""

    def lookup(machine_ids: Iterable[str]) -> Mapping[str, TankHistory]:
        query = select(
            machine_tanks.c.machine_id, machine_tanks.c.valid_from, machine_tanks.c.litres
        ).where(machine_tanks.c.machine_id.in_(sorted(machine_ids)))
        said: dict[str, list[tuple[datetime | None, float]]] = {}
        with engine.connect() as conn:
            for row in conn.execute(query):
                said.setdefault(row.machine_id, []).append((row.valid_from, row.litres))
        return {machine: tuple(sorted(rows, key=_since)) for machine, rows in said.items()}

    return lookup


def _since(said: tuple[datetime | None, float]) -> tuple[bool, datetime]:
    """The registered tank (from None) first, then by time."""
    return (said[0] is not None, said[0] or _EVER)


def registry_mark(engine: Engine) -> Mark:
    """The offsets telemetry's consumers applied on `registry.machine`."""
    query = (
        select(consumer_offsets.c.consumer, consumer_offsets.c.partition, consumer_offsets.c.offset)
        .where(consumer_offsets.c.topic == REGISTRY_MACHINE.name)
        .order_by(consumer_offsets.c.consumer, consumer_offsets.c.partition)
    )

    def mark() -> Hashable:
        with engine.connect() as conn:
            return tuple(tuple(row) for row in conn.execute(query))

    return mark
