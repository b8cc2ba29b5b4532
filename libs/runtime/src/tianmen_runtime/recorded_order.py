"""Apply a record only after what the log recorded before it on the topics it waits for.

Telemetry judges a report by the registry's word recorded (log time, `recorded`) before it. The
word travels on other topics, so a consumer may fetch a report before a declaration recorded
earlier. `Hold` keeps such a report back until every partition it waits for is either past a
record stamped at least as late as the report (later records are stamped later still: the broker
stamps on append) or at its end as of a moment after the report was fetched (what comes after is
appended, so stamped, after that). A held partition is rewound to its first held record and
paused; it resumes once the word has caught up. Live (`consumer`) holds so; a replay (`replay`)
applies all its topics merged in recorded order (`InRecordedOrder`), which puts each report
after the same word (decisions 78, 104).
"""

from __future__ import annotations

import heapq
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from kafka import TopicPartition
from prometheus_client import Gauge

from tianmen_runtime.fetch import Record

R = TypeVar("R", bound=Record)

NO_LIMIT = sys.maxsize
Ends = Callable[[list[TopicPartition]], dict[TopicPartition, int]]
Committed = Callable[[list[TopicPartition]], dict[TopicPartition, int]]
"""The group's committed offsets of the partitions (0 where none)."""
Polled = Mapping[TopicPartition, Sequence[Record]]


class Member(Protocol):
    """What a hold asks of the group's member (`group_consumer.GroupConsumer`)."""

    @property
    def group_id(self) -> str | None: ...
    def assignment(self) -> set[TopicPartition]: ...
    def partitions_for_topic(self, topic: str) -> set[int] | None: ...
    def position(self, tp: TopicPartition) -> int: ...
    def seek(self, tp: TopicPartition, offset: int) -> None: ...
    def pause(self, *partitions: TopicPartition) -> None: ...
    def resume(self, *partitions: TopicPartition) -> None: ...
    def paused(self) -> set[TopicPartition]: ...
    def committed(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]: ...


HELD_PARTITIONS = Gauge(
    "tianmen_held_partitions",
    "Partitions the consumer keeps paused until the word they wait for has caught up",
    ["consumer"],
)
HELD_OLDEST = Gauge(
    "tianmen_held_oldest_seconds",
    "How long the partition held longest has waited so far (0: none held)",
    ["consumer"],
)


@dataclass
class Hold:
    waiting: frozenset[str]  # topics whose records wait
    waited_for: frozenset[str]  # topics they wait for
    seen: dict[TopicPartition, int] = field(default_factory=dict)  # latest stamp fetched
    paused: dict[TopicPartition, int] = field(default_factory=dict)  # stamp of the first held
    since: dict[TopicPartition, float] = field(default_factory=dict)  # paused at (monotonic)
    clock: Callable[[], float] = time.monotonic

    def order(self, polled: Polled) -> list[tuple[TopicPartition, Sequence[Record]]]:
        """The polled partitions, those whose records wait last, having noted the stamps of
        those they wait for (the caller applies them in this order)."""
        for tp, records in polled.items():
            if tp.topic in self.waited_for and records:
                self.seen[tp] = max(self.seen.get(tp, -1), records[-1].timestamp)
        return sorted(polled.items(), key=lambda item: item[0].topic in self.waiting)

    def limit(
        self,
        consumer: Member,
        ends: Ends,
        upto: int = NO_LIMIT,
        committed: Committed | None = None,
    ) -> int:
        """The latest stamp a waiting record may carry to be applied now; asks the broker for
        the ends only if a partition waited for has shown nothing stamped `upto` or later, and
        for the group's commits (`committed`, by default the consumer's) only of the
        partitions another member reads."""
        mine = [tp for tp in consumer.assignment() if tp.topic in self.waited_for]
        others = self._others(consumer, mine)
        if not others and all(self.seen.get(tp, -1) >= upto for tp in mine):
            return NO_LIMIT
        end = ends(mine + others)
        done = (committed or consumer.committed)(others) if others else {}
        if any(done.get(tp, 0) < end.get(tp, 0) for tp in others):
            return -1  # another member has not applied all of its part of the word yet
        lagging = [tp for tp in mine if consumer.position(tp) < end.get(tp, 0)]
        return min((self.seen.get(tp, -1) for tp in lagging), default=NO_LIMIT)

    def _others(self, consumer: Member, mine: list[TopicPartition]) -> list[TopicPartition]:
        """The partitions waited for that another member of the group reads (their stamps are
        not seen here: such a partition counts once the group committed its end)."""
        every = [
            TopicPartition(topic, p)
            for topic in sorted(self.waited_for)
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        return [tp for tp in every if tp not in mine]

    def ready(
        self,
        consumer: Member,
        tp: TopicPartition,
        records: Sequence[Record],
        limit: int,
    ) -> Sequence[Record]:
        """The records up to the first stamped after `limit`; the partition is rewound to that
        one and paused."""
        cut = next((i for i, r in enumerate(records) if r.timestamp > limit), len(records))
        if cut < len(records):
            consumer.seek(tp, records[cut].offset)
            consumer.pause(tp)
            self.paused[tp] = records[cut].timestamp
            self.since.setdefault(tp, self.clock())
            _watch(self, consumer)
        return records[:cut]

    def resume(self, consumer: Member, ends: Ends) -> None:
        """Resume each paused partition whose first held record may now be applied. One the
        consumer no longer holds paused is forgotten: revoked, its new owner holds it; assigned
        again by a rebalance, it starts unpaused from the committed offset, which is the first
        held record (a record it returns is then weighed afresh, never dropped)."""
        _watch(self, consumer)  # the gauges read this hold (a renewed consumer has a new one)
        if not self.paused:
            return
        still = consumer.paused()
        self.paused = {tp: s for tp, s in self.paused.items() if tp in still}
        self.since = {tp: s for tp, s in self.since.items() if tp in self.paused}
        limit = self.limit(consumer, ends, max(self.paused.values(), default=-1))
        ready = [tp for tp, stamp in self.paused.items() if stamp <= limit]
        if ready:
            consumer.resume(*ready)
            for tp in ready:
                del self.paused[tp]
                self.since.pop(tp, None)

    def oldest_wait(self) -> float:
        """Seconds the partition held longest has waited so far; 0 when none is held."""
        oldest = min(list(self.since.values()), default=None)
        return 0.0 if oldest is None else max(0.0, self.clock() - oldest)

    def waits(self, tp: TopicPartition) -> bool:
        return tp.topic in self.waiting


_WATCHED: dict[str, Hold] = {}  # a group's consumer's hold, for its gauges (read on scrape)


def _watch(hold: Hold, consumer: Member) -> None:
    """Show the hold of a group's consumer on /metrics; a consumer renewed with a new hold
    takes the gauges over."""
    group = consumer.group_id
    if group is None or _WATCHED.get(group) is hold:
        return
    if group not in _WATCHED:
        HELD_PARTITIONS.labels(group).set_function(lambda: len(_WATCHED[group].paused))
        HELD_OLDEST.labels(group).set_function(lambda: _WATCHED[group].oldest_wait())
    _WATCHED[group] = hold


def by_log_time(partitions: list[list[R]]) -> list[R]:
    """Several partitions' records merged by their stamps, each partition's kept in its order."""
    return list(heapq.merge(*partitions, key=lambda record: record.timestamp))


class InRecordedOrder(Generic[R]):
    """A replay's records in the order the log recorded them, however they were fetched
    (decision 104). A consumer fetches its partitions unevenly (by bytes: a topic of small
    records runs months of event time ahead of another), and what a replay applies must not
    depend on that: a tick to the latest time it applied would pass periods that the records
    of a topic not fetched yet, recorded before that time, would have interrupted, as they did
    live (which reads each record about when it is recorded).

    The records fetched wait here, each partition's in its order; the earliest stamped of the
    partitions' first waiting records leaves (at one same stamp, a `first` topic's before the
    others', then by topic, partition and offset), but only while every partition not yet read
    to its end has a record waiting: one that has none may yet bring a record stamped earlier.
    So the order is the merge of the whole partitions, the same for every way of fetching
    them (a partition's own order is kept even where its stamps go back: a producer's time).
    """

    def __init__(
        self, partitions: Iterable[TopicPartition], first: frozenset[str] = frozenset()
    ) -> None:
        self.first = first
        self.waiting: dict[TopicPartition, deque[R]] = {}
        self.open: set[TopicPartition] = set()  # not known to be read to its end
        self.starved = 0  # open partitions with nothing waiting: nothing may leave
        self.heads: list[tuple[tuple[int, bool, str, int, int], TopicPartition]] = []
        for tp in partitions:
            self.waiting[tp] = deque()
            self.open.add(tp)
            self.starved += 1

    def add(self, tp: TopicPartition, records: Iterable[R]) -> None:
        """A fetch's records of `tp`, in its order, after those fetched before."""
        waiting = self.waiting[tp]
        was_empty = not waiting
        waiting.extend(records)
        if was_empty and waiting:
            heapq.heappush(self.heads, (self._key(waiting[0]), tp))
            if tp in self.open:
                self.starved -= 1

    def ended(self, tp: TopicPartition) -> None:
        """`tp` is read to its end: nothing more will be added."""
        if tp in self.open:
            self.open.discard(tp)
            if not self.waiting[tp]:
                self.starved -= 1

    def ready(self) -> list[R]:
        """The records that may be applied now, in recorded order (each leaves once)."""
        out: list[R] = []
        heads, key = self.heads, self._key
        while heads and not self.starved:
            _, tp = heapq.heappop(heads)
            waiting = self.waiting[tp]
            out.append(waiting.popleft())
            if waiting:
                heapq.heappush(heads, (key(waiting[0]), tp))
            elif tp in self.open:
                self.starved += 1
        return out

    def held(self, tp: TopicPartition) -> int:
        """How many of `tp`'s records wait."""
        return len(self.waiting[tp])

    def done(self) -> bool:
        """Every partition read to its end and all its records gone."""
        return not self.open and not self.heads

    def _key(self, record: R) -> tuple[int, bool, str, int, int]:
        topic = record.topic
        return (record.timestamp, topic not in self.first, topic, record.partition, record.offset)
