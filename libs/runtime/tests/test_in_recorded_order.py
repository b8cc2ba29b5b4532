"""A replay's records leave `InRecordedOrder` in one order however they were fetched: the merge
of the whole partitions by their stamps (decision 104)."""

from __future__ import annotations

import heapq

from hypothesis import given, settings
from hypothesis import strategies as st
from kafka import TopicPartition
from tianmen_runtime.recorded_order import InRecordedOrder
from tianmen_runtime.testing import Record

TPS = [TopicPartition("registry.site", 0), TopicPartition("telemetry.report", 0),
       TopicPartition("telemetry.report", 1)]  # fmt: skip
WORD = frozenset({"registry.site"})


def _record(tp: TopicPartition, offset: int, stamp: int) -> Record:
    return Record(tp.topic, tp.partition, offset, b"k", b"v", [], stamp)


def _log(steps: list[list[int]]) -> dict[TopicPartition, list[Record]]:
    """Each partition's records stamped by running sums of `steps` (0: the same stamp again)."""
    log = {}
    for tp, gaps in zip(TPS, steps, strict=True):
        stamps = [sum(gaps[: i + 1]) for i in range(len(gaps))]
        log[tp] = [_record(tp, offset, stamp) for offset, stamp in enumerate(stamps)]
    return log


def _fetched(
    log: dict[TopicPartition, list[Record]], fetches: list[tuple[int, int]]
) -> list[Record]:
    """What leaves when the partitions are fetched in `fetches` (a partition's index, how many
    of its next records), then the rest of each, asking for what may leave after each fetch."""
    merge = InRecordedOrder[Record]([tp for tp in TPS if log[tp]], WORD)
    taken, out = dict.fromkeys(TPS, 0), list[Record]()
    for index, count in [*fetches, *((i, len(log[tp])) for i, tp in enumerate(TPS))]:
        tp = TPS[index]
        records = log[tp][taken[tp] : taken[tp] + count]
        taken[tp] += len(records)
        if records:
            merge.add(tp, records)
        if log[tp] and taken[tp] == len(log[tp]):
            merge.ended(tp)
        out += merge.ready()
    assert merge.done()
    return out


def _whole(log: dict[TopicPartition, list[Record]]) -> list[Record]:
    return list(
        heapq.merge(
            *log.values(),
            key=lambda r: (r.timestamp, r.topic not in WORD, r.topic, r.partition, r.offset),
        )
    )


steps = st.lists(st.integers(0, 3), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    monotonic=st.tuples(steps, steps, steps),
    fetches=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 6)), max_size=10),
)
def test_any_fetching_lets_the_records_go_in_recorded_order(
    monotonic: tuple[list[int], list[int], list[int]], fetches: list[tuple[int, int]]
) -> None:
    log = _log(list(monotonic))
    out = _fetched(log, fetches)
    assert out == _whole(log)
    stamps = [r.timestamp or 0 for r in out]
    assert stamps == sorted(stamps)


@settings(max_examples=100, deadline=None)
@given(
    stamps=st.tuples(*[st.lists(st.integers(0, 9), max_size=8)] * 3),
    fetches=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 6)), max_size=10),
)
def test_stamps_going_back_in_a_partition_leave_in_one_order_however_fetched(
    stamps: tuple[list[int], list[int], list[int]], fetches: list[tuple[int, int]]
) -> None:
    """A producer's time may go back; a partition's records still leave in its order, and the
    order is the merge of the whole partitions however they were fetched."""
    log = {
        tp: [_record(tp, offset, stamp) for offset, stamp in enumerate(s)]
        for tp, s in zip(TPS, stamps, strict=True)
    }
    assert _fetched(log, fetches) == _whole(log)


def test_nothing_leaves_while_a_partition_not_read_to_its_end_has_nothing_waiting() -> None:
    merge = InRecordedOrder[Record](TPS[:2], WORD)
    merge.add(TPS[1], [_record(TPS[1], 0, 50)])
    assert merge.ready() == []  # the word's partition may yet bring a record stamped before 50
    merge.add(TPS[0], [_record(TPS[0], 0, 50), _record(TPS[0], 1, 70)])
    assert [(r.topic, r.timestamp) for r in merge.ready()] == [
        ("registry.site", 50),  # at one stamp the word first
        ("telemetry.report", 50),
    ]
    merge.ended(TPS[1])
    assert [r.timestamp for r in merge.ready()] == [70]
    assert not merge.done()
    merge.ended(TPS[0])
    assert merge.ready() == [] and merge.done()
