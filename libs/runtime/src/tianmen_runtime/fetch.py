"""Whole partitions read from their beginning with confluent-kafka (librdkafka), no group joined:
what a replay and an audit's log read fetch through (docs/decisions.md 111).

kafka-python parses every record batch into `ConsumerRecord`s in Python: ~20 us of CPU a record
of the ~34 a decode-only consume costs; librdkafka fetches and parses in C (~15 us a record in
all, benchmarks/fetch_cpu.py). `LogFetcher` offers the few calls of kafka-python's
`KafkaConsumer` a replay makes, so the replay's loop reads as before: `poll` gives each
partition's records in its order as `Fetched`, the small record the runtime's appliers read.
The live group's member reads through the same `take` and `by_partition` (`group_consumer`,
decision 113).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Message
from confluent_kafka import TopicPartition as Partition
from kafka import TopicPartition

log = logging.getLogger(__name__)
METADATA_TIMEOUT_S = 30.0
"""How long a question to the broker (topics, end offsets) may take before it raises."""


class Record(Protocol):
    """What the runtime reads of a fetched record (kafka-python's `ConsumerRecord` or `Fetched`)."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def timestamp(self) -> int: ...  # the log's time, ms since the epoch
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...
    @property
    def headers(self) -> list[tuple[str, bytes]] | None: ...


class Fetcher(Protocol):
    """What a replay reads its partitions through (`LogFetcher`, or a test's fake)."""

    def poll(self, timeout_ms: int) -> Mapping[TopicPartition, Sequence[Record]]: ...
    def position(self, tp: TopicPartition) -> int: ...


@runtime_checkable
class Pausing(Fetcher, Protocol):
    """A `Fetcher` that can stop fetching some partitions for a while (`LogFetcher`)."""

    def pause(self, *partitions: TopicPartition) -> None: ...
    def resume(self, *partitions: TopicPartition) -> None: ...


class Fetched:
    """A record as librdkafka gave it, its fields read once (a `Message`'s are calls into C)."""

    __slots__ = ("headers", "key", "offset", "partition", "timestamp", "topic", "value")

    def __init__(self, message: Message) -> None:
        self.topic: str = message.topic()  # type: ignore[assignment]
        self.partition: int = message.partition()  # type: ignore[assignment]
        self.offset: int = message.offset()  # type: ignore[assignment]
        self.timestamp: int = message.timestamp()[1]
        self.key: bytes | None = message.key()
        self.value: bytes | None = message.value()
        self.headers: list[tuple[str, bytes]] | None = message.headers()  # type: ignore[assignment]


class LogFetcher:
    """Assigned partitions read from their beginning; nothing committed, no group joined (the
    group id librdkafka requires is never used: no subscribe, no commit)."""

    def __init__(self, bootstrap_servers: str, client_id: str, max_records: int) -> None:
        self.max_records = max_records
        self._next: dict[TopicPartition, int] = {}  # past the last record given, or the end
        self._consumer = Consumer(
            {
                "bootstrap.servers": bootstrap_servers,
                "client.id": client_id,
                "group.id": client_id,
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "enable.partition.eof": True,  # the end of a partition is said (`position`)
                "isolation.level": "read_committed",
                "auto.offset.reset": "earliest",
            },
            logger=log,
        )

    def partitions_for_topic(self, topic: str) -> set[int] | None:
        """The topic's partitions, None if the broker does not know it."""
        found = self._consumer.list_topics(topic, timeout=METADATA_TIMEOUT_S).topics.get(topic)
        if found is None or found.error is not None or not found.partitions:
            return None
        return set(found.partitions)

    def assign_from_beginning(self, partitions: list[TopicPartition]) -> None:
        self._consumer.assign(
            [Partition(tp.topic, tp.partition, OFFSET_BEGINNING) for tp in partitions]
        )

    def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """Each partition's end (the last stable offset: transactions aborted or open are not read)."""
        return {
            tp: self._consumer.get_watermark_offsets(
                Partition(tp.topic, tp.partition), timeout=METADATA_TIMEOUT_S, cached=False
            )[1]
            for tp in partitions
        }

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Fetched]]:
        """Up to `max_records` records, each partition's in its order (`take`, `by_partition`)."""
        messages = take(self._consumer, self.max_records, timeout_ms / 1000)
        polled = by_partition(messages, self._settle)
        for tp, records in polled.items():
            self._next[tp] = max(self._next.get(tp, 0), records[-1].offset + 1)
        return polled

    def position(self, tp: TopicPartition) -> int:
        """The offset past the last record given, or the partition's end once librdkafka said it
        reached it (past control records, which are never given); 0 before either."""
        return self._next.get(tp, 0)

    def pause(self, *partitions: TopicPartition) -> None:
        """No more records of `partitions` until resumed (what librdkafka fetched ahead for them
        is neither lost nor given twice: tests/test_fetch.py)."""
        self._consumer.pause([Partition(tp.topic, tp.partition) for tp in partitions])

    def resume(self, *partitions: TopicPartition) -> None:
        self._consumer.resume([Partition(tp.topic, tp.partition) for tp in partitions])

    def close(self) -> None:
        self._consumer.close()

    def _settle(self, message: Message) -> None:
        """A partition's end moves its position there; an error of the client as a whole
        (a broker gone a while) is logged, as librdkafka recovers from it itself; anything
        else about a partition or the fetch raises, with its reason."""
        error: KafkaError = message.error()  # type: ignore[assignment]
        topic, partition = message.topic(), message.partition()
        if (
            error.code() == KafkaError._PARTITION_EOF
            and topic is not None
            and partition is not None
        ):
            tp = TopicPartition(topic, partition)
            self._next[tp] = max(self._next.get(tp, 0), message.offset() or 0)
        elif topic is None and not error.fatal():
            log.warning("kafka client error, retrying", extra={"reason": error.str()})
        else:
            raise KafkaException(error)


def take(consumer: Consumer, max_records: int, timeout_s: float) -> list[Message]:
    """What librdkafka holds fetched, up to `max_records`; if nothing, the first to come within
    `timeout_s` and what came with it. (`consume` alone waits out its whole timeout unless
    `max_records` came: half a second a poll for a small log, an audit's as-of.)"""
    messages: list[Message] = consumer.consume(max_records, 0)
    if messages:
        return messages
    first = consumer.poll(timeout_s)
    if first is None:
        return []
    return [first, *consumer.consume(max_records - 1, 0)]


def by_partition(
    messages: list[Message], settle: Callable[[Message], None]
) -> dict[TopicPartition, list[Fetched]]:
    """The messages' records, each partition's in its order; an error message goes to `settle`.
    librdkafka hands them out in runs of one partition, so a record costs a `Fetched` and an
    append (the live group's member reads through this too: `group_consumer`)."""
    polled: dict[TopicPartition, list[Fetched]] = {}
    run: list[Fetched] = []
    topic, partition = "", -1
    for message in messages:
        if message.error() is not None:
            settle(message)
            continue
        if message.partition() != partition or message.topic() != topic:
            topic, partition = message.topic(), message.partition()  # type: ignore[assignment]
            run = polled.setdefault(TopicPartition(topic, partition), [])
        run.append(Fetched(message))
    return polled
