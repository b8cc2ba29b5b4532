"""The server keeps the bindings it read until the registry's word moves: no store read per
report batch, and a rebind is seen by the next batch once the worker applied it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

from sqlalchemy import insert, update
from tianmen_events.topics import REGISTRY_MACHINE, SAFETY_ENTERPRISE
from tianmen_runtime.db import consumer_offsets
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.domain.bindings import Binding
from tianmen_telemetry.jt808.bindings import KeptBindings, registry_mark

from ..helpers import TERMINAL, apply, bound
from .server_fixtures import OTHER

UNBOUND = "13900000009"


class CountedLookup:
    def __init__(self, service: Service) -> None:
        self.read: list[set[str]] = []
        self._lookup = partial(queries.bindings_for, service.engine)

    def __call__(self, terminal_ids: Iterable[str]) -> Mapping[str, Binding]:
        wanted = set(terminal_ids)
        self.read.append(wanted)
        return self._lookup(wanted)


def machine(bindings: Mapping[str, Binding], terminal_id: str) -> str | None:
    return bindings[terminal_id].machine_id


def test_kept_bindings_are_not_read_again_while_the_mark_stands(bound_service: Service) -> None:
    lookup, mark = CountedLookup(bound_service), [0]
    kept = KeptBindings(lookup, lambda: mark[0])
    first = kept([TERMINAL, UNBOUND])
    again = kept([TERMINAL, OTHER, UNBOUND])
    assert (machine(first, TERMINAL), UNBOUND in first) == ("machine-1", False)
    assert (machine(again, OTHER), UNBOUND in again) == ("machine-2", False)
    assert lookup.read == [{TERMINAL, UNBOUND}, {OTHER}]  # the unbound one is kept too


def test_a_rebind_is_seen_once_the_mark_moves(bound_service: Service) -> None:
    lookup, mark = CountedLookup(bound_service), [0]
    kept = KeptBindings(lookup, lambda: mark[0])
    assert machine(kept([TERMINAL]), TERMINAL) == "machine-1"
    apply(bound_service, bound(TERMINAL, "machine-3"), "rebind")
    apply(bound_service, bound(UNBOUND, "machine-4"), "bind-new")
    mark[0] += 1  # the worker applied those events, and its offset with them
    now = kept([TERMINAL, UNBOUND])
    assert (machine(now, TERMINAL), machine(now, UNBOUND)) == ("machine-3", "machine-4")
    assert len(now[TERMINAL].history) == 2  # the old holder's period is still there


def test_the_mark_moves_with_the_offsets_applied_on_the_registry_topic(service: Service) -> None:
    mark = registry_mark(service.engine)
    empty = mark()
    row = {"consumer": "telemetry", "topic": REGISTRY_MACHINE.name, "partition": 0, "offset": 7}
    with service.engine.begin() as conn:
        conn.execute(insert(consumer_offsets), [row, {**row, "topic": SAFETY_ENTERPRISE.name}])
    seven = mark()
    with service.engine.begin() as conn:
        conn.execute(
            update(consumer_offsets)
            .where(consumer_offsets.c.topic == SAFETY_ENTERPRISE.name)
            .values(offset=9)
        )
    assert mark() == seven != empty  # another topic's offset is not the registry's word
    with service.engine.begin() as conn:
        conn.execute(update(consumer_offsets).values(offset=8))
    assert mark() != seven
