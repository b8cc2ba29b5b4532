"""`Hold`: a record of a waiting topic is applied only once every partition it waits for is past
a record stamped as late, or at its end (the broker's side is exercised by
tests/integration/test_telemetry_recorded_order.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from kafka import TopicPartition
from prometheus_client import REGISTRY
from tianmen_runtime.recorded_order import HELD_PARTITIONS, NO_LIMIT, Hold, by_log_time

WORD = TopicPartition("registry.site", 0)
REPORTS = TopicPartition("telemetry.report", 0)
OTHER = TopicPartition("telemetry.report", 1)


@dataclass(frozen=True)
class Rec:
    topic: str
    partition: int
    offset: int
    timestamp: int
    key: bytes | None = None
    value: bytes | None = None
    headers: list[tuple[str, bytes]] | None = None


@dataclass
class Consumer:
    """The consumer's side a hold uses: positions, seek, pause, resume."""

    positions: dict[TopicPartition, int]
    stopped: set[TopicPartition] = field(default_factory=set)  # paused
    partitions: dict[str, set[int]] = field(default_factory=dict)  # beyond those assigned
    commits: dict[TopicPartition, int] = field(default_factory=dict)  # the group's
    group_id: str | None = None

    def partitions_for_topic(self, topic: str) -> set[int]:
        mine = {tp.partition for tp in self.positions if tp.topic == topic}
        return mine | self.partitions.get(topic, set())

    def committed(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: self.commits.get(tp, 0) for tp in tps}

    def assignment(self) -> set[TopicPartition]:
        return set(self.positions)

    def position(self, tp: TopicPartition) -> int:
        return self.positions[tp]

    def seek(self, tp: TopicPartition, offset: int) -> None:
        self.positions[tp] = offset

    def pause(self, *tps: TopicPartition) -> None:
        self.stopped |= set(tps)

    def resume(self, *tps: TopicPartition) -> None:
        self.stopped -= set(tps)

    def paused(self) -> set[TopicPartition]:
        return set(self.stopped)


def _reports(*stamps: int) -> list[Any]:
    return [Rec(REPORTS.topic, 0, n, stamp) for n, stamp in enumerate(stamps)]


def _hold() -> Hold:
    return Hold(frozenset({REPORTS.topic}), frozenset({WORD.topic}))


def _ends(end: int) -> Any:
    return lambda tps: {tp: end for tp in tps}


def _unasked(tps: list[TopicPartition]) -> dict[TopicPartition, int]:
    raise AssertionError("the ends were asked for although the stamps answered")


def test_the_word_first_then_the_reports() -> None:
    polled: dict[TopicPartition, list[Any]] = {
        REPORTS: _reports(5),
        WORD: [Rec(WORD.topic, 0, 0, 3)],
    }
    assert [tp for tp, _ in _hold().order(polled)] == [WORD, REPORTS]


def test_a_report_waits_while_the_word_lags_behind_it_and_goes_once_it_is_in() -> None:
    hold, consumer = _hold(), Consumer({WORD: 1, REPORTS: 3})
    hold.order({WORD: [Rec(WORD.topic, 0, 0, 10)]})  # the word fetched up to stamp 10
    limit = hold.limit(consumer, _ends(4), 25)  # three more of it on the log, not yet fetched
    assert limit == 10
    assert hold.ready(consumer, REPORTS, _reports(8, 20, 30), limit) == _reports(8)
    assert consumer.positions[REPORTS] == 1 and consumer.stopped == {REPORTS}  # rewound, paused
    hold.resume(consumer, _ends(4))
    assert consumer.stopped == {REPORTS}  # the word still lags
    consumer.positions[WORD] = 4  # ... fetched to its end
    hold.resume(consumer, _ends(4))
    assert consumer.stopped == set() and hold.paused == {}


def test_the_word_past_a_later_stamp_needs_no_question_to_the_broker() -> None:
    hold, consumer = _hold(), Consumer({WORD: 1, REPORTS: 0})
    hold.order({WORD: [Rec(WORD.topic, 0, 0, 40)]})
    assert hold.limit(consumer, _unasked, 30) == NO_LIMIT


@pytest.mark.parametrize("stamp", [10, 11])
def test_the_word_at_its_end_lets_every_report_go(stamp: int) -> None:
    hold, consumer = _hold(), Consumer({WORD: 4, REPORTS: 2})
    hold.order({WORD: [Rec(WORD.topic, 0, 3, 10)]})
    limit = hold.limit(consumer, _ends(4), stamp)
    assert hold.ready(consumer, REPORTS, _reports(9, stamp), limit) == _reports(9, stamp)
    assert consumer.stopped == set()


@pytest.mark.parametrize("revoked", [True, False])
def test_a_partition_a_rebalance_unpaused_is_forgotten(revoked: bool) -> None:
    """Revoked, or assigned again (unpaused, from the committed offset): its records are
    weighed afresh, not dropped as held."""
    hold, consumer = _hold(), Consumer({WORD: 0, REPORTS: 0})
    hold.ready(consumer, REPORTS, _reports(5), -1)
    consumer.stopped.clear()
    if revoked:
        del consumer.positions[REPORTS]
    hold.resume(consumer, _ends(1))
    assert hold.paused == {}


def test_the_word_another_member_reads_counts_once_the_group_committed_its_end() -> None:
    hold, consumer = _hold(), Consumer({REPORTS: 0}, partitions={WORD.topic: {0}})
    assert hold.limit(consumer, _ends(3), 5) == -1  # nothing of it committed: every report waits
    consumer.commits[WORD] = 2
    assert hold.limit(consumer, _ends(3), 5) == -1
    consumer.commits[WORD] = 3
    assert hold.limit(consumer, _ends(3), 5) == NO_LIMIT


def test_the_commits_of_the_word_other_members_read_are_asked_at_once() -> None:
    hold = _hold()
    consumer = Consumer({REPORTS: 0}, partitions={WORD.topic: {0, 1, 2}})
    asked: list[list[TopicPartition]] = []

    def committed(tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        asked.append(tps)
        return {tp: 3 for tp in tps}

    assert hold.limit(consumer, _ends(3), 5, committed) == NO_LIMIT
    assert asked == [[TopicPartition(WORD.topic, p) for p in (0, 1, 2)]]
    behind = {TopicPartition(WORD.topic, 2): 2}
    assert hold.limit(consumer, _ends(3), 5, lambda tps: {**dict.fromkeys(tps, 3), **behind}) == -1


def test_a_poll_weighs_afresh_what_an_earlier_poll_cut() -> None:
    """The records a cut rewound to come again in a later poll and are weighed then, never
    dropped: the hold keeps no note of what it cut (only the paused partition's first stamp)."""
    hold, consumer = _hold(), Consumer({WORD: 0, REPORTS: 0})
    records = _reports(1, 5, 9)
    assert [r.offset for r in hold.ready(consumer, REPORTS, records, 4)] == [0]
    assert consumer.positions[REPORTS] == 1 and hold.paused == {REPORTS: 5}
    hold.order({})
    again = hold.ready(consumer, REPORTS, records[1:], NO_LIMIT)
    assert [r.offset for r in again] == [1, 2]


def test_the_word_of_several_partitions_is_merged_by_log_time_each_in_its_order() -> None:
    one = [Rec(WORD.topic, 0, 0, 5), Rec(WORD.topic, 0, 1, 9), Rec(WORD.topic, 0, 2, 7)]
    two = [Rec(WORD.topic, 1, 0, 6), Rec(WORD.topic, 1, 1, 8)]
    merged = [(r.partition, r.offset) for r in by_log_time([one, two])]
    assert merged == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 2)]


def _gauge(name: str, group: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"consumer": group})


def test_held_partitions_and_the_oldest_wait_are_on_metrics() -> None:
    """A group's consumer shows how many partitions its hold keeps paused and how long the one
    held longest has waited; both fall back once the word caught up."""
    now = [100.0]
    hold = Hold(frozenset({REPORTS.topic}), frozenset({WORD.topic}), clock=lambda: now[0])
    group = "telemetry-held-metric-test"
    consumer = Consumer({WORD: 1, REPORTS: 0, OTHER: 0}, group_id=group)
    hold.ready(consumer, REPORTS, _reports(20), 10)
    now[0] = 130.0
    hold.ready(consumer, OTHER, [Rec(OTHER.topic, 1, 0, 30)], 10)
    now[0] = 160.0
    assert _gauge("tianmen_held_partitions", group) == 2
    assert _gauge("tianmen_held_oldest_seconds", group) == 60.0
    hold.resume(consumer, _ends(1))  # the word at its end: both go
    assert _gauge("tianmen_held_partitions", group) == 0
    assert _gauge("tianmen_held_oldest_seconds", group) == 0.0


def _series() -> list[dict[str, str]]:
    return [sample.labels for metric in HELD_PARTITIONS.collect() for sample in metric.samples]


def test_a_consumer_without_a_group_shows_nothing() -> None:
    """A consumer of no group adds no series (so cannot overwrite a group's)."""
    before = _series()
    hold = _hold()
    hold.ready(Consumer({WORD: 0, REPORTS: 0}), REPORTS, _reports(5), -1)
    assert hold.paused == {REPORTS: 5}
    assert _series() == before
