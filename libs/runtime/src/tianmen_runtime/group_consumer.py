"""The live subscription's member of its consumer group, on confluent-kafka (librdkafka):
decision 113. kafka-python parsed every fetched batch in Python (~19 us of CPU a record of a
decode-only consume against ~15 with librdkafka: decision 111); the group's protocol (join,
sync, heartbeats) runs in librdkafka's own threads, so kafka-python's half-finished join
(`kafka_io.finish_join`) and its parked paused-partition records (`kafka_io.resume`) do not
arise here.

`GroupConsumer` offers the calls of kafka-python's `KafkaConsumer` the runtime's loop
(`consumer.EventConsumer`) and its hold (`recorded_order.Hold`) make, with the same meaning:
`poll` gives each partition's records in its order (as `fetch.Fetched`), `position` is past
the last record given (or where a `seek` put it). Nothing is committed or stored by librdkafka
itself (`enable.auto.commit`, `enable.auto.offset.store` off): once the loop has applied what it
was given (and its dead letters are acknowledged) it calls `settle`, which notes the positions
as they are then, and `commit` commits what was last settled. So a partition rewound by the
hold is committed at its first held record, never past it, and a record given but not applied
(a batch that raised) is never committed.

A rebalance is served inside `poll` (librdkafka's `on_assign`, `on_revoke`, `on_lost`), so it
falls between two of the loop's batches, never inside one. On revoke the member commits the
revoked partitions' settled positions before letting them go, so their next owner starts past
what this member applied even when the member's own commit had been refused (a commit refused
there too only means that owner gets those records again, and the store's processed-event rows
skip them: nothing is applied twice). Closing revokes too, so what was settled is committed on
the way out. A lost partition (the session expired: another owns it already) is dropped without
a commit. A newly assigned partition starts at the group's committed offset, as with
kafka-python.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any, Protocol

from confluent_kafka import (
    OFFSET_BEGINNING,
    OFFSET_END,
    Consumer,
    KafkaError,
    KafkaException,
    Message,
)
from confluent_kafka import TopicPartition as Partition
from kafka import TopicPartition

from tianmen_runtime.fetch import METADATA_TIMEOUT_S, Fetched, by_partition, take
from tianmen_runtime.kafka_io import METADATA_MAX_AGE_MS, SESSION_TIMEOUT_MS

log = logging.getLogger(__name__)


class Listener(Protocol):
    """Told of the member's partitions as they change (a test's, to hold them paused)."""

    def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None: ...
    def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None: ...


class GroupConsumer:
    def __init__(self, config: dict[str, Any], max_records: int) -> None:
        self.group_id: str = config["group.id"]
        self.max_records = max_records
        self._consumer = Consumer(config, logger=log)
        self._assigned: set[TopicPartition] = set()
        self._positions: dict[TopicPartition, int] = {}  # past the last record given, or sought
        self._settled: dict[TopicPartition, int] = {}  # the positions when last applied
        self._paused: set[TopicPartition] = set()
        self._listener: Listener | None = None
        self._topics: dict[str, tuple[float, set[int]]] = {}  # partitions known, and when

    def subscribe(self, topics: list[str], listener: Listener | None = None) -> None:
        self._listener = listener
        self._consumer.subscribe(
            topics, on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
        )

    def assign_from_beginning(self, partitions: list[TopicPartition]) -> None:
        """Read `partitions` from their beginning, assigned by hand rather than by the group
        (the group id still names whose commits these are): the tests' loops over topics of
        their own."""
        self._consumer.assign(
            [Partition(tp.topic, tp.partition, OFFSET_BEGINNING) for tp in partitions]
        )
        self._assigned = set(partitions)

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Fetched]]:
        """Up to `max_records` records of the partitions assigned, each partition's in its
        order (rebalance callbacks run in here, before any record is handed out)."""
        polled = by_partition(take(self._consumer, self.max_records, timeout_ms / 1000), _settle)
        for tp in [tp for tp in polled if tp not in self._assigned]:
            del polled[tp]  # fetched before a revoke served in the same call: its owner reads it
        for tp, records in polled.items():
            self._positions[tp] = records[-1].offset + 1
        return polled

    def settle(self) -> None:
        """Everything given so far is applied: the positions now are what to commit (of every
        partition assigned, as kafka-python committed them: one given nothing yet at where its
        fetching starts)."""
        unknown = [tp for tp in self._assigned if tp not in self._positions]
        if unknown:
            self._start_at(unknown)
        self._settled = {tp: self._positions[tp] for tp in self._assigned}

    def commit(self) -> None:
        """Commit the positions last settled (raises `KafkaException` if the group refused
        them, a rebalance under way, say)."""
        self._commit(list(self._settled))

    def _commit(self, partitions: list[TopicPartition]) -> None:
        if not partitions:
            return
        offsets = [Partition(tp.topic, tp.partition, self._settled[tp]) for tp in partitions]
        answered = self._consumer.commit(offsets=offsets, asynchronous=False) or []
        for part in answered:
            if part.error is not None:
                raise KafkaException(part.error)

    def assignment(self) -> set[TopicPartition]:
        return set(self._assigned)

    def partitions_for_topic(self, topic: str) -> set[int] | None:
        """The topic's partitions, None if the broker does not know it; known ones are asked
        again after `METADATA_MAX_AGE_MS` (the hold asks every poll: not a round trip each)."""
        now = time.monotonic()
        known = self._topics.get(topic)
        if known is not None and now - known[0] < METADATA_MAX_AGE_MS / 1000:
            return known[1]
        found = self._consumer.list_topics(topic, timeout=METADATA_TIMEOUT_S).topics.get(topic)
        if found is None or found.error is not None or not found.partitions:
            return None
        self._topics[topic] = (now, set(found.partitions))
        return set(found.partitions)

    def position(self, tp: TopicPartition) -> int:
        """Past the last record given (or where `seek` put it); before any, the group's
        committed offset, or the partition's beginning where none is committed."""
        if tp not in self._positions:
            self._start_at([tp])
        return self._positions[tp]

    def _start_at(self, partitions: list[TopicPartition]) -> None:
        """Note where fetching `partitions` starts (the group's commit, else the beginning):
        asked once an assignment, not every poll."""
        for tp, committed in self._committed(partitions).items():
            if committed < 0:
                committed, _ = self._consumer.get_watermark_offsets(
                    Partition(tp.topic, tp.partition), timeout=METADATA_TIMEOUT_S
                )
            self._positions[tp] = int(committed)

    def seek(self, tp: TopicPartition, offset: int) -> None:
        """The next record of `tp` given is at `offset` (what librdkafka fetched past it is
        dropped, and fetched again)."""
        self._consumer.seek(Partition(tp.topic, tp.partition, offset))
        self._positions[tp] = offset

    def pause(self, *partitions: TopicPartition) -> None:
        self._consumer.pause([Partition(tp.topic, tp.partition) for tp in partitions])
        self._paused.update(partitions)

    def resume(self, *partitions: TopicPartition) -> None:
        self._consumer.resume([Partition(tp.topic, tp.partition) for tp in partitions])
        self._paused.difference_update(partitions)

    def paused(self) -> set[TopicPartition]:
        return set(self._paused)

    def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """Each partition's end now, in one request a leader (a `ListOffsets` for the latest)."""
        if not partitions:
            return {}
        asked = [Partition(tp.topic, tp.partition, OFFSET_END) for tp in partitions]
        answered = self._consumer.offsets_for_times(asked, timeout=METADATA_TIMEOUT_S)
        ends: dict[TopicPartition, int] = {}
        for part in answered:
            if part.error is not None:
                raise KafkaException(part.error)
            ends[TopicPartition(part.topic, part.partition)] = part.offset
        return ends

    def committed(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """The group's committed offsets of `partitions` (0 where none) in one `OffsetFetch`."""
        return {tp: max(0, offset) for tp, offset in self._committed(partitions).items()}

    def _committed(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        if not partitions:
            return {}
        asked = [Partition(tp.topic, tp.partition) for tp in partitions]
        answered = self._consumer.committed(asked, timeout=METADATA_TIMEOUT_S)
        return {TopicPartition(p.topic, p.partition): max(p.offset, -1) for p in answered}

    def close(self) -> None:
        self._consumer.close()

    def _on_assign(self, consumer: Consumer, partitions: list[Partition]) -> None:
        assigned = [TopicPartition(p.topic, p.partition) for p in partitions]
        consumer.assign(partitions)  # from the group's commits (`auto.offset.reset` else)
        self._assigned.update(assigned)
        log.info("partitions assigned", extra={"group": self.group_id, "count": len(assigned)})
        if self._listener is not None:
            self._listener.on_partitions_assigned(assigned)

    def _on_revoke(self, consumer: Consumer, partitions: list[Partition]) -> None:
        revoked = [TopicPartition(p.topic, p.partition) for p in partitions]
        try:  # what was applied of them: their next owner starts past it
            self._commit([tp for tp in revoked if tp in self._settled])
        except KafkaException as exc:
            log.warning("revoked partitions not committed", extra={"error": str(exc)})
        self._let_go(revoked)

    def _on_lost(self, consumer: Consumer, partitions: list[Partition]) -> None:
        lost = [TopicPartition(p.topic, p.partition) for p in partitions]
        log.warning("partitions lost: another member owns them", extra={"count": len(lost)})
        self._let_go(lost)

    def _let_go(self, partitions: Iterable[TopicPartition]) -> None:
        gone = set(partitions)
        if gone & self._paused:
            self._consumer.resume([Partition(tp.topic, tp.partition) for tp in gone & self._paused])
        self._assigned -= gone
        self._paused -= gone
        for tp in gone:
            self._positions.pop(tp, None)
            self._settled.pop(tp, None)
        if self._listener is not None:
            self._listener.on_partitions_revoked(sorted(gone))


def _settle(message: Message) -> None:
    """An error the poll met: librdkafka recovers from any but a fatal one by itself."""
    error: KafkaError = message.error()  # type: ignore[assignment]
    if error.fatal():
        raise KafkaException(error)
    log.warning(
        "kafka consumer error, retrying",
        extra={"reason": error.str(), "topic": message.topic(), "partition": message.partition()},
    )


def make_group_consumer(
    bootstrap_servers: str,
    group_id: str,
    client_id: str,
    max_poll_records: int = 500,
    instance_id: str | None = None,
    fetch_min_bytes: int = 1,
    fetch_max_wait_ms: int = 500,
) -> GroupConsumer:
    """The settings of `kafka_io.make_consumer`, in librdkafka's names: `instance_id` makes the
    member static (restarted under the same id, it takes its partitions back at once);
    `fetch_min_bytes` above 1 has the broker gather a fuller fetch, waiting at most
    `fetch_max_wait_ms` for it (telemetry's worker)."""
    config: dict[str, Any] = {
        "bootstrap.servers": bootstrap_servers,
        "group.id": group_id,
        "client.id": client_id,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "fetch.min.bytes": fetch_min_bytes,
        "fetch.wait.max.ms": fetch_max_wait_ms,
        "session.timeout.ms": SESSION_TIMEOUT_MS,
        "heartbeat.interval.ms": SESSION_TIMEOUT_MS // 4,
        "topic.metadata.refresh.interval.ms": METADATA_MAX_AGE_MS,
        "partition.assignment.strategy": "range",
    }
    if instance_id is not None:
        config["group.instance.id"] = instance_id
    return GroupConsumer(config, max_poll_records)
