"""The server's bindings lookup: what it read is kept until the registry's word moves.

Every report batch needs the bindings (with their history) of its terminals; reading them
for every batch was 8 % of the server's CPU. Everything that changes the bindings projection
is an event of `registry.machine`, applied by telemetry's worker in the same transaction as
its consumer offset. So the offsets the worker applied on that topic mark the projection's
state: a batch reads them first (one small query), and while they are unchanged the kept
bindings are what the store would answer; once they move, everything kept is read again.
Reading the mark before the bindings makes a race harmless: a change committed in between is
kept under the old mark, and the next batch sees the new mark and reads again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable

from sqlalchemy import Engine, select
from tianmen_events.topics import REGISTRY_MACHINE
from tianmen_runtime.db import consumer_offsets

from tianmen_telemetry.domain.bindings import Binding
from tianmen_telemetry.service_layer.ports import BindingLookup

Mark = Callable[[], Hashable]


class KeptBindings:
    """A `BindingLookup` over another, re-reading only what it has not read since `mark`."""

    def __init__(self, lookup: BindingLookup, mark: Mark) -> None:
        self._lookup, self._mark = lookup, mark
        self._kept: dict[str, Binding | None] = {}  # None: not bound
        self._seen: Hashable = None
        self._lock = threading.Lock()  # submits run in several worker threads

    def __call__(self, terminal_ids: Iterable[str]) -> dict[str, Binding]:
        wanted = set(terminal_ids)
        with self._lock:
            mark = self._mark()
            if mark != self._seen:
                self._kept.clear()
                self._seen = mark
            missing = wanted - self._kept.keys()
            if missing:
                found = self._lookup(missing)
                self._kept.update((t, found.get(t)) for t in missing)
            kept = {t: self._kept[t] for t in wanted}
        return {t: binding for t, binding in kept.items() if binding is not None}


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
