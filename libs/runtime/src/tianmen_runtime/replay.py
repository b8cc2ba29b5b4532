"""Replay: read the consumed topics from offset 0 into a fresh store, with the live handlers.

Nothing is published and no group offsets are committed: the replayed store is the auditor's to
inspect. With `as_of`, events later than that time are left out ("what did we know on D?").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from kafka import TopicPartition
from sqlalchemy import Engine
from tianmen_events import EnvelopeError, decode

from tianmen_runtime.consumer import Poison, Projector, apply_record
from tianmen_runtime.kafka_io import make_consumer

log = logging.getLogger(__name__)


@dataclass
class ReplayResult:
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def replay(
    engine: Engine,
    projector: Projector,
    bootstrap_servers: str,
    as_of: datetime | None = None,
) -> ReplayResult:
    consumer = make_consumer(bootstrap_servers, None, f"{projector.name}-replay")
    try:
        partitions = _partitions(consumer, projector.topics)
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        return _drain(consumer, engine, projector, end, as_of)
    finally:
        consumer.close()


def _partitions(consumer: object, topics: tuple[str, ...]) -> list[TopicPartition]:
    result = []
    for topic in topics:
        for partition in sorted(consumer.partitions_for_topic(topic) or ()):  # type: ignore[attr-defined]
            result.append(TopicPartition(topic, partition))
    return result


def _drain(
    consumer: object,
    engine: Engine,
    projector: Projector,
    end: dict[TopicPartition, int],
    as_of: datetime | None,
) -> ReplayResult:
    result = ReplayResult()
    remaining = {tp for tp, offset in end.items() if offset > 0}
    while remaining:
        batch = consumer.poll(timeout_ms=500)  # type: ignore[attr-defined]
        for tp, records in batch.items():
            for record in records:
                if record.offset < end[tp]:
                    result.count(_apply(engine, projector, record, as_of))
        for tp in list(remaining):
            if consumer.position(tp) >= end[tp]:  # type: ignore[attr-defined]
                remaining.discard(tp)
    return result


def _apply(engine: Engine, projector: Projector, record: object, as_of: datetime | None) -> str:
    if as_of is not None and _later_than(record, as_of):
        return "after_as_of"
    try:
        return apply_record(engine, projector, record)
    except Poison as exc:
        log.warning("replay skips poison event", extra={"reason": str(exc)})
        return "dead_lettered"


def _later_than(record: object, as_of: datetime) -> bool:
    try:
        _, meta = decode(record.headers, record.value)  # type: ignore[attr-defined]
    except EnvelopeError:
        return False
    return meta.time > as_of
