"""A terminal moved from one machine to another is two binds on two partitions of
`registry.machine`: every order the consumer may apply them in (each partition in its order)
gives one binding history, one current machine per terminal and one digest (decision 82)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

from tianmen_events import DomainEvent
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.queries import bindings_for
from tianmen_telemetry.config import Settings
from tianmen_telemetry.domain.bindings import Holder

from ..helpers import ENTERPRISE, at, bound, meta_for, registered

T0 = at("2026-05-10T08:00:00")
OLD, NEW = "machine-old", "machine-new"
T1, T2, TN = "13800000001", "13800000002", "13800000003"


def _record(event: DomainEvent, name: str, minutes: int, partition: int, offset: int) -> Record:
    meta = meta_for(event, name, T0 + timedelta(minutes=minutes))
    return record_of(event, meta, partition=partition, offset=offset)


# Per machine, in its partition's order: registered, bound, given another terminal / T1.
OLD_PARTITION = [
    _record(registered(OLD), "r-old", 0, 0, 0),
    _record(bound(T1, OLD), "b-old-1", 1, 0, 1),
    _record(bound(T2, OLD), "b-old-2", 60, 0, 2),  # frees T1
]
NEW_PARTITION = [
    _record(registered(NEW), "r-new", 0, 1, 0),
    _record(bound(TN, NEW), "b-new-n", 2, 1, 1),
    _record(bound(T1, NEW), "b-new-1", 120, 1, 2),  # T1 moves here
]


def _interleavings() -> list[list[Record]]:
    size = len(OLD_PARTITION) + len(NEW_PARTITION)
    orders = []
    for slots in itertools.combinations(range(size), len(OLD_PARTITION)):
        old, new = iter(OLD_PARTITION), iter(NEW_PARTITION)
        orders.append([next(old) if n in slots else next(new) for n in range(size)])
    return orders


def _run(records: list[Record], directory: Path) -> tuple[str, dict[str, str | None]]:
    directory.mkdir()
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    assert service.subscription is not None
    for record in records:
        assert apply_batch(service.engine, service.subscription, [record]) == ["applied"]
    found = bindings_for(service.engine, [T1, T2, TN])
    assert found[T1].holder_at(T0 + timedelta(minutes=30)) == Holder(OLD, ENTERPRISE)
    assert found[T1].holder_at(T0 + timedelta(minutes=90)) is None  # freed, not yet moved
    assert found[T1].holder_at(T0 + timedelta(minutes=121)) == Holder(NEW, ENTERPRISE)
    return service.digest(), {t: b.machine_id for t, b in found.items()}


def test_every_order_of_the_two_partitions_gives_one_history_and_digest(tmp_path: Path) -> None:
    results = {
        (digest, tuple(sorted(now.items())))
        for digest, now in (
            _run(order, tmp_path / str(n)) for n, order in enumerate(_interleavings())
        )
    }
    assert len(results) == 1, "the order the binds arrived in changed what was derived"
    [(_, now)] = results
    assert dict(now) == {T1: NEW, T2: OLD, TN: None}  # TN is free: its machine took T1
