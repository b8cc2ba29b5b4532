"""The relay: publishes outbox rows in order with the idempotent producer, then marks them."""

from __future__ import annotations

import json
import logging
import threading

from kafka import KafkaProducer
from sqlalchemy import Engine, func, select, update

from tianmen_runtime.db import outbox
from tianmen_runtime.metrics import EVENTS_PUBLISHED, OUTBOX_PENDING

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(self, engine: Engine, producer: KafkaProducer, batch_size: int = 500) -> None:
        self.engine = engine
        self.producer = producer
        self.batch_size = batch_size

    def publish_pending(self) -> int:
        """Publish one batch; rows are marked only after the broker acknowledged all of them.

        A crash between send and mark republishes the batch: consumers dedupe by event id.
        """
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox)
                .where(outbox.c.published.is_(False))
                .order_by(outbox.c.position)
                .limit(self.batch_size)
            ).all()
            conn.rollback()
        if not rows:
            OUTBOX_PENDING.set(0)
            return 0
        futures = [
            self.producer.send(
                row.topic,
                key=row.key,
                value=row.value,
                headers=[(k, v.encode()) for k, v in json.loads(row.headers)],
            )
            for row in rows
        ]
        self.producer.flush()
        for future in futures:
            future.get(timeout=30)
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.position.in_([row.position for row in rows]))
                .values(published=True)
            )
            pending = conn.execute(
                select(func.count()).where(outbox.c.published.is_(False))
            ).scalar_one()
        OUTBOX_PENDING.set(pending)
        for row in rows:
            EVENTS_PUBLISHED.labels(row.topic).inc()
        return len(rows)

    def run(self, stop: threading.Event, idle_wait: float = 0.05) -> None:
        while not stop.is_set():
            try:
                if self.publish_pending() == 0:
                    stop.wait(idle_wait)
            except Exception:
                log.exception("relay failed; retrying")
                stop.wait(1.0)
