"""The consumer loop with stand-ins for the Kafka clients (the broker itself is exercised by the
integration suite): what it dead-letters, and that it commits only what is safe."""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from confluent_kafka import KafkaError, KafkaException
from kafka import TopicPartition
from tianmen_runtime import consumer as consumer_module
from tianmen_runtime.consumer import EventConsumer
from tianmen_runtime.db import make_engine
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Outcome, Subscription
from tianmen_runtime.testing import Record

TP = TopicPartition("safety.enterprise", 0)


@dataclass
class FakeConsumer:
    batches: list[dict[TopicPartition, list[Record]]]
    commits: int = 0
    settled: int = 0
    group_id: str | None = None
    asked_commits: list[list[TopicPartition]] = field(default_factory=list)

    def poll(self, timeout_ms: int) -> dict[TopicPartition, list[Record]]:
        return self.batches.pop(0) if self.batches else {}

    def settle(self) -> None:
        self.settled += 1

    def commit(self) -> None:
        self.commits += 1

    def assignment(self) -> set[TopicPartition]:
        return set()

    def committed(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        self.asked_commits.append(list(tps))
        return dict.fromkeys(tps, 0)


def _refused() -> KafkaException:
    """What librdkafka raises for a commit during a rebalance."""
    return KafkaException(KafkaError(KafkaError.REBALANCE_IN_PROGRESS))


@dataclass
class Sent:
    error: Exception | None = None

    def get(self, timeout: float) -> None:
        if self.error:
            raise self.error


@dataclass
class FakeProducer:
    fail_with: Exception | None = None
    sent: list[tuple[str, dict[str, bytes]]] = field(default_factory=list)

    def send(self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]) -> Sent:
        self.sent.append((topic, dict(headers)))
        return Sent(self.fail_with)

    def flush(self) -> None:
        pass


def _records(*values: bytes) -> list[Record]:
    return [Record(TP.topic, 0, offset, b"k", value, []) for offset, value in enumerate(values)]


def _loop(tmp_path: Path, consumer: Any, producer: FakeProducer) -> EventConsumer:
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    subscription = Subscription("credit", "/tianmen/credit", (TP.topic,), EventHandlers())
    return EventConsumer(engine, subscription, consumer, producer, transaction_size=10)


def test_a_record_failing_outside_any_handler_is_found_and_dead_lettered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def apply_batch(engine: Any, subscription: Any, records: Sequence[Record]) -> list[Outcome]:
        if any(r.value == b"explodes" for r in records):
            raise ValueError("value too long for column")
        return ["applied"] * len(records)

    monkeypatch.setattr(consumer_module, "apply_batch", apply_batch)
    fake = FakeConsumer([{TP: _records(b"a", b"explodes", b"c")}])
    producer = FakeProducer()
    _loop(tmp_path, fake, producer).poll_once(stop=_never())
    assert [(topic, headers["dlq_original_offset"]) for topic, headers in producer.sent] == [
        ("credit.dlq", b"1")
    ]
    assert b"value too long" in producer.sent[0][1]["dlq_reason"]
    assert fake.commits == 1


def test_offsets_are_not_committed_when_a_dead_letter_is_not_acknowledged(
    tmp_path: Path,
) -> None:
    fake = FakeConsumer([{TP: _records(b"garbage")}])
    producer = FakeProducer(fail_with=TimeoutError("dlq not acknowledged"))
    with pytest.raises(TimeoutError):
        _loop(tmp_path, fake, producer).poll_once(stop=_never())
    assert producer.sent and fake.commits == 0
    assert fake.settled == 0  # nor settled: closing (a revoke) does not commit them either


def _never() -> threading.Event:
    return threading.Event()


def test_a_commit_refused_by_a_rebalance_is_survived(tmp_path: Path) -> None:
    class RebalancingConsumer(FakeConsumer):
        def commit(self) -> None:
            raise _refused()

    fake = RebalancingConsumer([{TP: _records(b"garbage")}, {}])
    loop = _loop(tmp_path, fake, FakeProducer())
    assert loop.poll_once(stop=_never()) == 1
    assert loop.poll_once(stop=_never()) == 0


class RefusingConsumer(FakeConsumer):
    """Refuses the first `refusals` commits, as a member caught in a rebalance does."""

    def __init__(self, batches: list[dict[TopicPartition, list[Record]]], refusals: int) -> None:
        super().__init__(batches)
        self.refusals = refusals
        self.closed = False
        self.subscribed: list[str] = []

    def commit(self) -> None:
        if self.refusals:
            self.refusals -= 1
            raise _refused()
        super().commit()

    def close(self) -> None:
        self.closed = True

    def subscribe(self, topics: list[str], listener: object = None) -> None:
        self.subscribed = topics

    def partitions_for_topic(self, topic: str) -> set[int]:
        return {0}


def test_a_refused_commit_is_tried_again_on_the_next_polls_even_without_records(
    tmp_path: Path,
) -> None:
    """The registry's lag stayed up for good: a refused commit waited for the next record."""
    fake = RefusingConsumer([{TP: _records(b"garbage")}], refusals=2)
    loop = _loop(tmp_path, fake, FakeProducer())
    loop.poll_once(stop=_never())
    assert fake.commits == 0 and loop.uncommitted
    loop.poll_once(stop=_never())
    assert fake.commits == 0
    loop.poll_once(stop=_never())
    assert fake.commits == 1 and not loop.uncommitted
    loop.poll_once(stop=_never())
    assert fake.commits == 1  # nothing new consumed: nothing to commit


def test_commits_refused_for_too_long_renew_the_membership(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stuck: Any = RefusingConsumer([{TP: _records(b"garbage")}], refusals=10**6)
    fresh: Any = RefusingConsumer([], refusals=0)
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    subscription = Subscription("credit", "/tianmen/credit", (TP.topic,), EventHandlers())
    loop = EventConsumer(engine, subscription, stuck, FakeProducer(), renew=lambda: fresh)
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    loop.poll_once(stop=_never())
    loop._renew_if_stuck(_never())
    assert loop.consumer is stuck  # refused just now: not yet
    clock[0] += consumer_module.RENEW_AFTER_S + 1
    loop.poll_once(stop=_never())
    loop._renew_if_stuck(_never())
    assert loop.consumer is fresh and fresh.subscribed == [TP.topic]
    assert cast(RefusingConsumer, stuck).closed
    assert not loop.uncommitted


def test_a_fatal_commit_error_is_raised(tmp_path: Path) -> None:
    """Only a refusal is waited out: a fatal error of the client stops the loop."""

    class FencedConsumer(FakeConsumer):
        def commit(self) -> None:
            raise KafkaException(KafkaError(KafkaError._FENCED, fatal=True))

    loop = _loop(tmp_path, FencedConsumer([{TP: _records(b"garbage")}]), FakeProducer())
    with pytest.raises(KafkaException):
        loop.poll_once(stop=_never())


def test_the_groups_commits_are_asked_once_a_poll(tmp_path: Path) -> None:
    consumer = FakeConsumer([{}, {}])
    loop = _loop(tmp_path, consumer, FakeProducer())
    word = [TopicPartition("registry.site", p) for p in (0, 1)]
    loop.poll_once(threading.Event())
    assert loop._commits_of_poll(word) == dict.fromkeys(word, 0)  # none committed: 0
    loop._commits_of_poll(word[:1])  # a later transaction of the same poll
    assert consumer.asked_commits == [word]
    loop.poll_once(threading.Event())  # a new poll asks afresh
    loop._commits_of_poll(word)
    assert consumer.asked_commits == [word, word]


def _applied_batches(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, int, int]]]:
    """Each `apply_batch` call's records as (topic, partition, offset): one call a transaction."""
    batches: list[list[tuple[str, int, int]]] = []

    def apply_batch(engine: Any, subscription: Any, records: Sequence[Record]) -> list[Outcome]:
        batches.append([(r.topic, r.partition, r.offset) for r in records])
        return ["applied"] * len(records)

    monkeypatch.setattr(consumer_module, "apply_batch", apply_batch)
    return batches


def _partition(topic: str, partition: int, count: int) -> list[Record]:
    return [Record(topic, partition, offset, b"k", b"v", [], 0) for offset in range(count)]


def test_a_polls_partitions_share_its_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A poll of several partitions was a transaction a partition, each paying what a
    transaction costs whatever its size: now up to `transaction_size` records of any
    partitions, each partition's in its order."""
    batches = _applied_batches(monkeypatch)
    one, two = TopicPartition(TP.topic, 1), TopicPartition(TP.topic, 2)
    fake = FakeConsumer([{one: _partition(TP.topic, 1, 3), two: _partition(TP.topic, 2, 3)}])
    _loop(tmp_path, fake, FakeProducer()).poll_once(stop=_never())
    assert batches == [[(TP.topic, p, offset) for p in (1, 2) for offset in range(3)]]
    assert fake.commits == 1


def test_a_transaction_is_cut_at_its_size_across_partitions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = _applied_batches(monkeypatch)
    parts = {TopicPartition(TP.topic, p): _partition(TP.topic, p, 7) for p in (0, 1)}
    _loop(tmp_path, FakeConsumer([parts]), FakeProducer()).poll_once(stop=_never())
    assert [len(batch) for batch in batches] == [10, 4]  # transaction_size 10
    assert [offset for batch in batches for _, p, offset in batch if p == 1] == list(range(7))


class WordConsumer(FakeConsumer):
    """Reads every partition of the word itself (none is another member's)."""

    def partitions_for_topic(self, topic: str) -> set[int]:
        return set()


def test_reports_follow_the_word_of_their_poll_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A waiting topic's records come after the word's of the same poll, whichever partition
    the poll gave first: the word they wait for is applied before them, in the same
    transaction."""
    batches = _applied_batches(monkeypatch)
    report, word = TopicPartition("telemetry.report", 0), TopicPartition("registry.machine", 0)
    fake: Any = WordConsumer(
        [{report: _partition(report.topic, 0, 2), word: _partition(word.topic, 0, 1)}]
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    subscription = Subscription(
        "telemetry",
        "/tianmen/telemetry",
        (report.topic, word.topic),
        EventHandlers(),
        waiting=frozenset({report.topic}),
        waits_for=frozenset({word.topic}),
    )
    EventConsumer(engine, subscription, fake, FakeProducer()).poll_once(stop=_never())
    assert batches == [
        [("registry.machine", 0, 0), ("telemetry.report", 0, 0), ("telemetry.report", 0, 1)]
    ]
