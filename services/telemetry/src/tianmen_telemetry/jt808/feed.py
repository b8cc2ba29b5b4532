"""Reading safety's orders from Kafka for the stop-use texts (decision 100).

Each server process follows every partition of `safety.enterprise` itself (no group: it must
see every order, whoever else does), from the start of the pending window: that rebuilds what
is owed after a restart. `follow` is the loop `unreached` uses too.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord
from tianmen_events import DomainEvent, EventMeta, decode
from tianmen_events.envelope import EnvelopeError
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_events.topics import SAFETY_ENTERPRISE
from tianmen_runtime.kafka_io import make_consumer

from tianmen_telemetry.jt808.delivery import Deliveries

log = logging.getLogger(__name__)
ORDERS = SAFETY_ENTERPRISE.name
WANTED = frozenset({MachineStopUseOrdered.type, MachineStopUseLifted.type})
Handle = Callable[[DomainEvent, EventMeta, datetime], None]
"""Gets the event, its meta and when it was published (the record's broker timestamp): the
window and the grace count from that, as the feeds read it, not from the desk's event time."""
RETRY_AFTER = 1.0  # seconds before a record whose handling failed is read again
REBOUND_EVERY = 5.0  # seconds between sweeps for owed machines bound to a terminal online here


def wanted(record: ConsumerRecord) -> tuple[DomainEvent, EventMeta, datetime] | None:
    """The order or lift a record holds; anything else on the topic is skipped undecoded."""
    kinds = [value for key, value in record.headers or [] if key == "ce_type"]
    if not kinds or kinds[0].decode(errors="replace") not in WANTED:
        return None
    try:
        event, meta = decode(record.headers, record.value)
    except EnvelopeError as error:  # safety's consumers dead-letter it; here it is skipped
        log.warning("jt808 order at %s:%d unreadable: %s", record.topic, record.offset, error)
        return None
    return event, meta, datetime.fromtimestamp(record.timestamp / 1000, UTC)


def follow(
    consumer: KafkaConsumer,
    handle: Handle,
    stop: threading.Event,
    between: Callable[[bool], None],
) -> None:
    """Handle each wanted record until `stop`; one that fails is logged and read again.
    `between(read)` runs after every poll (`read`: it returned records)."""
    while not stop.is_set():
        batch = consumer.poll(timeout_ms=200)
        parts = list(batch.items())
        for at, (part, records) in enumerate(parts):
            if not _handled(consumer, part, records, handle):
                for later, unread in parts[at + 1 :]:  # polled, so their positions moved on
                    consumer.seek(later, unread[0].offset)
                stop.wait(RETRY_AFTER)
                break
        between(bool(batch))


def _handled(
    consumer: KafkaConsumer, part: TopicPartition, records: list[ConsumerRecord], handle: Handle
) -> bool:
    for record in records:
        found = wanted(record)
        try:
            if found is not None:
                handle(*found)
        except InterruptedError:  # stopping: whoever reads it next handles it
            consumer.seek(part, record.offset)
            return False
        except Exception:
            log.exception("jt808 order at %s:%d failed; read again", record.topic, record.offset)
            consumer.seek(part, record.offset)
            return False
    return True


class OrderFeed:
    def __init__(
        self,
        deliveries: Deliveries,
        make: Callable[[], KafkaConsumer],
        rebound_every: float = REBOUND_EVERY,
    ) -> None:
        self.deliveries, self._make = deliveries, make
        self._logins: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._rebound_every, self._swept = rebound_every, time.monotonic()

    def logged_in(self, terminal_id: str, machine_id: str) -> None:
        """From the server's loop, on every login (with the machine the login found the
        terminal on): cheap unless that machine is owed a text."""
        if self.deliveries.pending.owes(machine_id):
            self._logins.put((terminal_id, machine_id))

    def __call__(self, stop: threading.Event) -> None:
        consumer = self._make()
        try:
            since = self.deliveries.clock() - self.deliveries.pending.window
            if assign_since(consumer, ORDERS, since, stop):
                follow(consumer, self._handle, stop, lambda _read: self.between_polls())
        finally:
            consumer.close()

    def _handle(self, event: DomainEvent, meta: EventMeta, published: datetime) -> None:
        if isinstance(event, MachineStopUseOrdered):
            self.deliveries.ordered(event, meta, published)
        elif isinstance(event, MachineStopUseLifted):
            self.deliveries.lifted(event)

    def between_polls(self) -> None:
        """On the feed's thread after every poll: the logins told since, and every few
        seconds the owed machines whose terminal was bound while logged in here."""
        self.deliver_logins()
        if time.monotonic() - self._swept >= self._rebound_every:
            self._swept = time.monotonic()
            self.deliveries.rebound()

    def deliver_logins(self) -> None:
        """On the feed's thread, after every poll: the texts owed to the logins told since."""
        while not self._logins.empty():
            self.deliveries.deliver(*self._logins.get())


def assign_since(
    consumer: KafkaConsumer, topic: str, since: datetime, stop: threading.Event
) -> bool:
    """Assign every partition of `topic`, each from its first record at or after `since`.

    Positions are fixed here, not at the first fetch: the ends are asked for before the
    times, so a record published meanwhile is either found by its time or at or past the end
    (`seek_to_end` resolves lazily and would skip a record published before the first poll)."""
    while not (numbers := consumer.partitions_for_topic(topic)):
        if stop.wait(0.5):
            return False
    partitions = [TopicPartition(topic, number) for number in sorted(numbers)]
    consumer.assign(partitions)
    ends = consumer.end_offsets(partitions)
    at = int(since.timestamp() * 1000)
    for part, found in consumer.offsets_for_times(dict.fromkeys(partitions, at)).items():
        consumer.seek(part, ends[part] if found is None else found.offset)
    return True


def feed_consumer(bootstrap: str, client_id: str) -> Callable[[], KafkaConsumer]:
    return lambda: make_consumer(bootstrap, None, client_id)
