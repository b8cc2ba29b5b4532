"""The consumer loop: poll a batch (its group's member is `group_consumer`'s, on confluent-kafka),
apply it in transactions (of several partitions' records), dead-letter the poison, then commit
offsets. At-least-once delivery made effectively-once by the processed-event
row written in the projection's own transaction (see `projection`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from confluent_kafka import KafkaError, KafkaException
from kafka import KafkaProducer, TopicPartition
from kafka.producer.future import FutureRecordMetadata
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tianmen_runtime import freshness, lag_store
from tianmen_runtime.fetch import Record
from tianmen_runtime.group_consumer import GroupConsumer, Listener
from tianmen_runtime.metrics import CONSUMER_LAG, EVENTS_PROCESSED
from tianmen_runtime.projection import TRANSIENT, Outcome, Poison, Subscription, apply_batch
from tianmen_runtime.recorded_order import NO_LIMIT, Hold

log = logging.getLogger(__name__)

# How long applied records may stay uncommitted before the group membership is renewed.
RENEW_AFTER_S = 60.0


class EventConsumer:
    """`renew` builds a fresh Kafka consumer for the same group. It is used when commits have been
    refused for `RENEW_AFTER_S` while records kept arriving: a member that believes its group
    is forever rebalancing still fetches but can never commit, and its lag only grows (the
    registry's consumer of safety.enterprise did this under load, for 26 minutes)."""

    def __init__(
        self,
        engine: Engine,
        subscription: Subscription,
        consumer: GroupConsumer,
        producer: KafkaProducer,
        transaction_size: int = 200,
        renew: Callable[[], GroupConsumer] | None = None,
    ) -> None:
        self.engine = engine
        self.subscription = subscription
        self.consumer = consumer
        self.producer = producer
        self.transaction_size = transaction_size
        self.renew = renew
        self.dlq = f"{subscription.name}.dlq"
        self.pending_dead_letters: list[FutureRecordMetadata] = []
        self.lag_reported_at = -1e9
        self.uncommitted = False
        self.commit_refused_since: float | None = None
        self.hold = Hold(subscription.waiting, subscription.waits_for)
        self._polled_ends: dict[TopicPartition, int] = {}
        self._polled_commits: dict[TopicPartition, int] = {}
        freshness.expect(subscription.name)

    def run(self, stop: threading.Event, timeout_ms: int = 1000) -> None:
        self.subscribe(stop)
        try:
            while not stop.is_set():
                self.poll_once(stop, timeout_ms)
                self._renew_if_stuck(stop)
        finally:
            self.consumer.close()

    def _renew_if_stuck(self, stop: threading.Event) -> None:
        refused_since = self.commit_refused_since
        if self.renew is None or refused_since is None or stop.is_set():
            return
        if time.monotonic() - refused_since < RENEW_AFTER_S:
            return
        log.warning(
            "commits refused too long: renewing the group membership",
            extra={"refused_for_s": round(time.monotonic() - refused_since, 1)},
        )
        self.consumer.close()
        # What was applied but not committed comes again; the processed-event rows skip it.
        self.uncommitted, self.commit_refused_since = False, None
        self.hold = Hold(self.hold.waiting, self.hold.waited_for)  # nothing paused in a new one
        self.consumer = self.renew()
        self.subscribe(stop)

    def subscribe(self, stop: threading.Event, listener: Listener | None = None) -> None:
        """Join the group for the subscription's topics, once their partitions are known."""
        self._await_metadata(stop)
        self.consumer.subscribe(list(self.subscription.topics), listener=listener)

    def _await_metadata(self, stop: threading.Event, timeout_s: float = 30.0) -> None:
        """Know every subscribed topic's partitions before joining the group. A group leader
        whose metadata lacks a topic assigns none of it, and a static member (instance id)
        rejoining later does not make the broker rebalance: the topic went unread until a
        restart (credit's lag on safety.enterprise stuck under load)."""
        deadline = time.monotonic() + timeout_s
        missing = set(self.subscription.topics)
        while missing and not stop.is_set():
            missing = {topic for topic in missing if not self.consumer.partitions_for_topic(topic)}
            if missing and time.monotonic() > deadline:
                log.warning("no partition metadata yet", extra={"topics": sorted(missing)})
                return
            if missing:
                time.sleep(0.2)

    def poll_once(self, stop: threading.Event, timeout_ms: int = 250) -> int:
        """One poll: apply what came, each partition's records in order, in transactions of up to
        `transaction_size` records of any partitions (a poll of six partitions' reports is one
        or three transactions, not six: what a transaction costs whatever its size is paid
        per transaction); flush DLQ sends; commit offsets."""
        self.hold.resume(self.consumer, self._ends)
        batch = self.consumer.poll(timeout_ms=timeout_ms)
        self._polled_ends, self._polled_commits = {}, {}
        # The word's partitions come first (`Hold.order`), so a report follows the word it
        # waits for in the same transaction or an earlier one, as in a replay.
        ready = [r for tp, records in self.hold.order(batch) for r in self._ready(tp, records)]
        for start in range(0, len(ready), self.transaction_size):
            self._apply(ready[start : start + self.transaction_size], stop)
        if batch:
            self._confirm_dead_letters()
            self.consumer.settle()  # all it gave is applied: what a commit (or a revoke) commits
            self.uncommitted = True
        if self.uncommitted:  # a commit refused earlier is tried again at every poll
            self._commit()
        self._report_lag()
        return sum(len(records) for records in batch.values())

    def _ready(self, tp: TopicPartition, records: Sequence[Record]) -> Sequence[Record]:
        """Those of `records` the registry's word has caught up with (`recorded_order`)."""
        if not self.hold.waits(tp):
            return records
        latest = max(r.timestamp for r in records)
        limit = self.hold.limit(self.consumer, self._ends_of_poll, latest, self._commits_of_poll)
        return list(self.hold.ready(self.consumer, tp, records, limit))

    def _ends_of_poll(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """The ends asked once a poll: an answer given after the poll fetched its records holds
        for every record of it, so its partitions and transactions need not ask again."""
        if not all(tp in self._polled_ends for tp in partitions):
            self._polled_ends.update(self._ends(partitions))
        return {tp: self._polled_ends[tp] for tp in partitions}

    def _commits_of_poll(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """The group's commits asked once a poll, like its ends: a member seen to have applied
        its part of the word then has for every record of the poll (and one seen behind is
        weighed again at the next poll)."""
        missing = [tp for tp in partitions if tp not in self._polled_commits]
        if missing:
            self._polled_commits.update(self.consumer.committed(missing))
        return {tp: self._polled_commits[tp] for tp in partitions}

    def _ends(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        """The partitions' end offsets now; none known (the broker away) holds everything."""
        try:
            ends: dict[TopicPartition, int] = self.consumer.end_offsets(partitions)
        except KafkaException as exc:
            log.warning("end offsets not read: reports wait", extra={"error": str(exc)})
            return {tp: NO_LIMIT for tp in partitions}
        return ends

    def _commit(self) -> None:
        try:
            self.consumer.commit()
        except KafkaException as exc:
            if isinstance(exc.args[0], KafkaError) and exc.args[0].fatal():
                raise
            # The group rebalanced mid-batch (a member joined or left), or its coordinator was
            # away: the new owner of these partitions gets the records again, and the
            # processed-event rows make that a no-op.
            if self.commit_refused_since is None:
                self.commit_refused_since = time.monotonic()
                log.warning("offsets not committed: group rebalanced", extra={"error": str(exc)})
            return
        if self.commit_refused_since is not None:
            log.info("offsets committed again after a rebalance")
        self.uncommitted, self.commit_refused_since = False, None

    def _apply(self, records: Sequence[Record], stop: threading.Event) -> None:
        outcomes = self._apply_with_retry(records, stop)
        counted: dict[str, int] = {}  # counted once an outcome: `labels` costs ~1 us a call
        for record, outcome in zip(records, outcomes, strict=True):
            if isinstance(outcome, Poison):
                self._dead_letter(record, str(outcome))
                outcome = "dead_lettered"
            counted[outcome] = counted.get(outcome, 0) + 1
        for outcome, count in counted.items():
            EVENTS_PROCESSED.labels(self.subscription.name, outcome).inc(count)

    def _apply_with_retry(self, records: Sequence[Record], stop: threading.Event) -> list[Outcome]:
        delay = 0.1
        while True:
            try:
                return apply_batch(self.engine, self.subscription, records)
            except TRANSIENT as exc:
                log.warning("transient failure, retrying the batch", extra={"error": str(exc)})
                if stop.wait(delay):
                    raise
                delay = min(delay * 2, 5.0)
            except Exception as exc:
                # Something no handler raised (a value the store refuses, say): find the record
                # by applying one at a time; the one that still fails is poison.
                if len(records) > 1:
                    return [o for r in records for o in self._apply_with_retry([r], stop)]
                log.exception("unexpected failure applying a record")
                return [Poison(f"{type(exc).__name__}: {exc}")]

    def _dead_letter(self, record: Record, reason: str) -> None:
        log.error(
            "dead-lettered",
            extra={"topic": record.topic, "offset": record.offset, "reason": reason[:500]},
        )
        headers = [
            *(record.headers or []),
            ("dlq_reason", reason.encode()[:4000]),
            ("dlq_consumer", self.subscription.name.encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
        ]
        self.pending_dead_letters.append(
            self.producer.send(self.dlq, key=record.key, value=record.value, headers=headers)
        )

    def _confirm_dead_letters(self) -> None:
        """Offsets are committed only once every dead letter of the batch is acknowledged."""
        self.producer.flush()
        while self.pending_dead_letters:
            self.pending_dead_letters[0].get(timeout=30)
            self.pending_dead_letters.pop(0)

    def _report_lag(self, every_s: float = 1.0) -> None:
        """Lag against the broker's end offsets (the last fetch's high-water mark goes stale
        while producers write), at most once a second: it costs a round trip."""
        now = time.monotonic()
        assigned = self.consumer.assignment()
        if now - self.lag_reported_at < every_s or not assigned:
            return
        self.lag_reported_at = now
        try:
            ends = self.consumer.end_offsets(list(assigned))
        except KafkaException as exc:  # broker away: the last figure stands, its time shows its age
            log.warning("consumer lag not measured", extra={"error": str(exc)})
            return
        measured_at = datetime.now(UTC)
        partitions = {
            (tp.topic, tp.partition): max(0, end - self.consumer.position(tp))
            for tp, end in ends.items()
        }
        lag: dict[str, int] = {}
        for (topic, _), value in partitions.items():
            lag[topic] = lag.get(topic, 0) + value
        for topic, value in lag.items():
            CONSUMER_LAG.labels(self.subscription.name, topic).set(value)
        freshness.record(self.subscription.name, sum(lag.values()), measured_at)
        try:  # for the API processes, which may run no consumer
            lag_store.write(self.engine, self.subscription.name, partitions, measured_at)
        except SQLAlchemyError as exc:
            log.warning("consumer lag not stored", extra={"error": str(exc)})
