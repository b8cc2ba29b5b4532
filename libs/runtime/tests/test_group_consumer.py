"""`GroupConsumer` (confluent-kafka) on a real broker, as the consumer loop and its hold use it:
a partition rewound and paused is read again from where it was rewound, to its end, once; the
commit is of the positions settled (never past a rewound partition's first held record); a
member joining mid-way takes over at what the other member had settled, so no record is lost
nor given twice across the rebalance; what was given but not settled is given again."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from kafka import TopicPartition
from tianmen_devkit.broker import choose_broker
from tianmen_events.topics import Topic
from tianmen_runtime.group_consumer import GroupConsumer, make_group_consumer
from tianmen_runtime.kafka_io import ensure_topics, make_producer

pytestmark = pytest.mark.integration
PER_PARTITION = 40


@pytest.fixture(scope="module")
def bootstrap() -> Iterator[str]:
    with choose_broker() as servers:
        yield servers


def _topic(bootstrap: str, per_partition: int = PER_PARTITION) -> str:
    """A fresh two-partition topic with `per_partition` records a partition (values p-n)."""
    topic = Topic(f"runtime.group-test-{uuid.uuid4().hex[:8]}", "key", partitions=2)
    ensure_topics(bootstrap, [topic])
    producer = make_producer(bootstrap, "group-test")
    for n in range(per_partition):
        for partition in (0, 1):
            producer.send(
                topic.name, key=b"k", value=f"{partition}-{n}".encode(), partition=partition
            )
    producer.flush()
    producer.close()
    return topic.name


def _member(bootstrap: str, group: str, topic: str, max_records: int = 7) -> GroupConsumer:
    consumer = make_group_consumer(
        bootstrap, group, f"group-test-{uuid.uuid4().hex[:4]}", max_records
    )
    consumer.subscribe([topic])
    return consumer


def _poll_until(consumer: GroupConsumer, enough: int, seconds: float = 30) -> list[tuple[int, int]]:
    """Poll until `enough` records came, settling each poll as the loop does once it applied."""
    got: list[tuple[int, int]] = []
    deadline = time.monotonic() + seconds
    while len(got) < enough and time.monotonic() < deadline:
        for tp, records in consumer.poll(timeout_ms=200).items():
            got += [(tp.partition, r.offset) for r in records]
        consumer.settle()
    return got


def test_a_rewound_and_paused_partition_is_read_again_from_there_once(bootstrap: str) -> None:
    """The hold's way: a record and those after it are given back by a seek, the partition
    paused; the group's commit stops at that record; resumed, it is read from there to its end
    once (and the other partition is read meanwhile)."""
    topic = _topic(bootstrap)
    consumer = _member(bootstrap, f"g-{uuid.uuid4().hex[:8]}", topic)
    try:
        first: dict[TopicPartition, list[int]] = {}
        deadline = time.monotonic() + 30
        while not first and time.monotonic() < deadline:
            first = {tp: [r.offset for r in rs] for tp, rs in consumer.poll(200).items()}
        tp, offsets = next(iter(first.items()))
        cut = offsets[len(offsets) // 2]
        consumer.seek(tp, cut)
        consumer.pause(tp)
        assert consumer.paused() == {tp} and consumer.position(tp) == cut
        other = TopicPartition(topic, 1 - tp.partition)
        later = _poll_until(consumer, PER_PARTITION - len(first.get(other, [])))
        assert all(partition == other.partition for partition, _ in later)  # none of the paused
        consumer.commit()  # `_poll_until` settled
        assert consumer.committed([tp, other]) == {tp: cut, other: PER_PARTITION}
        consumer.resume(tp)
        assert not consumer.paused()
        again = _poll_until(consumer, PER_PARTITION - cut)
        assert again == [(tp.partition, n) for n in range(cut, PER_PARTITION)]
        assert consumer.end_offsets([tp, other]) == {tp: PER_PARTITION, other: PER_PARTITION}
    finally:
        consumer.close()


def test_a_member_joining_takes_over_where_the_other_was_given_to(bootstrap: str) -> None:
    """Member one is given part of both partitions and settles it, but commits nothing itself
    (as when its commits are refused); member two joins while one goes on (a few records a
    poll); the revoke served in one's next poll commits what one settled, so two starts there:
    together they are given every record exactly once."""
    per_partition = 300
    topic, group = _topic(bootstrap, per_partition), f"g-{uuid.uuid4().hex[:8]}"
    one = _member(bootstrap, group, topic)
    two: GroupConsumer | None = None
    try:
        given = _poll_until(one, 10)
        assert one.assignment() == {TopicPartition(topic, 0), TopicPartition(topic, 1)}
        two = _member(bootstrap, group, topic)
        split = False  # each holding one partition at some point
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and (len(given) < 2 * per_partition or not split):
            for member in (one, two):
                for tp, records in member.poll(timeout_ms=100).items():
                    given += [(tp.partition, r.offset) for r in records]
                member.settle()
            split = split or len(one.assignment()) == len(two.assignment()) == 1
        assert split
        wanted = [(p, n) for p in (0, 1) for n in range(per_partition)]
        assert sorted(given) == wanted  # nothing lost, nothing given twice
    finally:
        one.close()
        if two is not None:
            two.close()


def test_what_was_given_but_not_settled_is_given_again(bootstrap: str) -> None:
    """A batch that raised before it was applied is never settled: closing (which revokes)
    commits only what was settled, so the group's next member is given the rest again."""
    topic, group = _topic(bootstrap), f"g-{uuid.uuid4().hex[:8]}"
    one = _member(bootstrap, group, topic)
    try:
        settled = _poll_until(one, 5)
        unsettled: list[tuple[int, int]] = []
        deadline = time.monotonic() + 30
        while not unsettled and time.monotonic() < deadline:
            for tp, records in one.poll(timeout_ms=200).items():
                unsettled += [(tp.partition, r.offset) for r in records]
    finally:
        one.close()
    two = _member(bootstrap, group, topic)
    try:
        again = _poll_until(two, 2 * PER_PARTITION - len(settled))
    finally:
        two.close()
    assert unsettled and set(unsettled) <= set(again)
    wanted = [(p, n) for p in (0, 1) for n in range(PER_PARTITION)]
    assert sorted(settled + again) == wanted
