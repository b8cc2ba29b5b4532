"""The idempotent consumer: decode -> skip if seen -> apply + record in one transaction -> commit.

An event that cannot be decoded or handled goes to the dead-letter topic with the reason and
the consumer carries on; transient database trouble is retried instead, never dead-lettered.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from tianmen_events import DomainEvent, EnvelopeError, EventMeta, decode

from tianmen_runtime.db import processed_events
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.logs import correlation_id
from tianmen_runtime.metrics import CONSUMER_LAG, EVENTS_PROCESSED, HANDLER_LATENCY
from tianmen_runtime.unit_of_work import UnitOfWork, unit_of_work

log = logging.getLogger(__name__)

Handler = Callable[[DomainEvent, EventMeta, UnitOfWork], None]
Handlers = Mapping[type[DomainEvent], Sequence[Handler]]
TRANSIENT = (OperationalError, ConcurrencyConflict)


class Poison(Exception):
    """This event can never be applied; the message says why."""


@dataclass(frozen=True)
class Projector:
    """What a service consumes: its consumer name (= group id), topics and handler table."""

    name: str
    source: str
    topics: tuple[str, ...]
    handlers: Handlers


def apply_record(engine: Engine, projector: Projector, record: ConsumerRecord) -> str:
    """Apply one record; return the outcome. Raises `Poison` for what belongs in the DLQ."""
    try:
        event, meta = decode(record.headers, record.value)
    except EnvelopeError as exc:
        raise Poison(str(exc)) from exc
    handlers = projector.handlers.get(type(event), ())
    if not handlers:
        return "ignored"
    token = correlation_id.set(meta.correlation_id)
    try:
        return _apply(engine, projector, event, meta, record, handlers)
    finally:
        correlation_id.reset(token)


def _apply(
    engine: Engine,
    projector: Projector,
    event: DomainEvent,
    meta: EventMeta,
    record: ConsumerRecord,
    handlers: Sequence[Handler],
) -> str:
    with (
        HANDLER_LATENCY.labels(projector.name).time(),
        unit_of_work(engine, projector.source) as uow,
    ):
        seen = uow.conn.execute(
            select(processed_events.c.event_id).where(
                processed_events.c.consumer == projector.name,
                processed_events.c.event_id == meta.id,
            )
        ).first()
        if seen:
            return "duplicate"
        try:
            for handler in handlers:
                handler(event, meta, uow)
        except TRANSIENT:
            raise
        except Exception as exc:
            raise Poison(f"{type(exc).__name__}: {exc}") from exc
        _record_processed(uow, projector, meta, record)
    return "applied"


def _record_processed(
    uow: UnitOfWork, projector: Projector, meta: EventMeta, record: ConsumerRecord
) -> None:
    try:
        uow.conn.execute(
            insert(processed_events).values(
                consumer=projector.name,
                event_id=meta.id,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
            )
        )
    except IntegrityError as exc:
        # Another member of the group applied it first (a rebalance mid-batch): roll back and
        # retry, which then finds the event processed.
        raise ConcurrencyConflict(f"event {meta.id} applied concurrently") from exc


class EventConsumer:
    def __init__(
        self,
        engine: Engine,
        projector: Projector,
        consumer: KafkaConsumer,
        producer: KafkaProducer,
    ) -> None:
        self.engine = engine
        self.projector = projector
        self.consumer = consumer
        self.producer = producer
        self.dlq = f"{projector.name}.dlq"

    def run(self, stop: threading.Event) -> None:
        self.consumer.subscribe(list(self.projector.topics))
        try:
            while not stop.is_set():
                batch = self.consumer.poll(timeout_ms=250)
                for records in batch.values():
                    for record in records:
                        self._process(record, stop)
                if batch:
                    self.producer.flush()
                    self.consumer.commit()
                self._report_lag()
        finally:
            self.consumer.close()

    def _process(self, record: ConsumerRecord, stop: threading.Event) -> None:
        delay = 0.1
        while True:
            try:
                outcome = apply_record(self.engine, self.projector, record)
            except Poison as exc:
                self._dead_letter(record, str(exc))
                outcome = "dead_lettered"
            except TRANSIENT as exc:
                log.warning("transient failure, retrying", extra={"error": str(exc)})
                if stop.wait(delay):
                    raise
                delay = min(delay * 2, 5.0)
                continue
            EVENTS_PROCESSED.labels(self.projector.name, outcome).inc()
            return

    def _dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        log.error(
            "dead-lettered",
            extra={"topic": record.topic, "offset": record.offset, "reason": reason[:500]},
        )
        headers = [
            *(record.headers or []),
            ("dlq_reason", reason.encode()[:4000]),
            ("dlq_consumer", self.projector.name.encode()),
            ("dlq_original_topic", record.topic.encode()),
            ("dlq_original_partition", str(record.partition).encode()),
            ("dlq_original_offset", str(record.offset).encode()),
        ]
        self.producer.send(self.dlq, key=record.key, value=record.value, headers=headers)

    def _report_lag(self) -> None:
        lag: dict[str, int] = {}
        for tp in self.consumer.assignment():
            high = self.consumer.highwater(tp)
            if high is not None:
                lag[tp.topic] = lag.get(tp.topic, 0) + max(0, high - self.consumer.position(tp))
        for topic, value in lag.items():
            CONSUMER_LAG.labels(self.projector.name, topic).set(value)
