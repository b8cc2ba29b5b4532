"""A replay into a fresh store loads without the indexes only the API reads and builds them when
it ends: the store then has a freshly created one's indexes, name for name and definition for
definition (the migrations build the same: tests/schema/test_migrations.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from kafka import TopicPartition
from sqlalchemy import Engine
from tianmen_runtime.replay import _drain
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_safety.adapters import orm

from ..conftest import alert, alert_meta
from .test_tick_batches import SHANGHAI


def _indexes(engine: Engine) -> list[tuple[str, str]]:
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with engine.connect() as conn:
        return [(row[0], row[1]) for row in conn.exec_driver_sql(query)]


class _Log:
    """A consumer assigned every partition of `records`, handing them out in one poll and
    noting the store's indexes as each poll starts."""

    def __init__(self, records: list[Record], engine: Engine) -> None:
        self.polls: dict[TopicPartition, list[Record]] = {}
        for record in records:
            self.polls.setdefault(TopicPartition(record.topic, record.partition), []).append(record)
        self.end = {tp: kept[-1].offset + 1 for tp, kept in self.polls.items()}
        self.engine, self.seen = engine, list[set[str]]()

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        self.seen.append({name for name, _ in _indexes(self.engine)})
        polled, self.polls = self.polls, {}
        return polled

    def position(self, tp: TopicPartition) -> int:
        return self.end[tp]


def test_a_replayed_store_has_the_indexes_a_fresh_one_has(
    service_factory: Callable[[str], Service],
) -> None:
    fresh, replayed = service_factory("fresh"), service_factory("replayed")
    log, start = TopicLog(), datetime(2026, 6, 10, 9, 0, tzinfo=SHANGHAI)
    alerts = [
        alert(f"a{n}", start + timedelta(minutes=n), enterprise_id=f"ent-{n % 4}")
        for n in range(12)
    ]
    consumer = _Log([log.record(a, alert_meta(a)) for a in alerts], replayed.engine)
    assert replayed.subscription is not None
    result = _drain(consumer, replayed.engine, replayed.subscription, consumer.end, None)
    assert result.outcomes == {"applied": 12}
    everything = {name for name, _ in _indexes(fresh.engine)}
    api_only = {index.name for index in orm.API_ONLY_INDEXES}
    assert api_only < everything
    assert consumer.seen == [everything - api_only]
    assert _indexes(replayed.engine) == _indexes(fresh.engine)
