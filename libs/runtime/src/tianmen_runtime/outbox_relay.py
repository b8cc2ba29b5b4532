"""The relay: publishes outbox rows in order with the idempotent producer, then marks them.

On PostgreSQL any number of relays may run on one store. A relay claims the oldest unpublished
rows with ``SELECT … FOR UPDATE SKIP LOCKED``, publishes them and marks them in that same
transaction, so a row another relay holds is never sent twice. Only the part of a claim that is
the head of the outbox is sent: every row before it published, none held by another relay. Two
relays scanning at once lock rows in turn, so a claim can have a hole (rows 1-5 and 31-50 while
the other took 6-30); sending past the hole would overtake older events of the same key, so the
rest is given back unsent. SQLite has one writer and one relay process; there
the rows are read, published, then marked without holding the write lock while Kafka answers.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Row, func, select, update

from tianmen_runtime import faults
from tianmen_runtime.db import WRITE_INTENT, outbox
from tianmen_runtime.metrics import EVENTS_PUBLISHED, OUTBOX_PENDING

log = logging.getLogger(__name__)


class Producer(Protocol):
    def send(self, topic: str, *, key: bytes, value: bytes, headers: Any) -> Any: ...

    def flush(self) -> None: ...


class OutboxRelay:
    def __init__(self, engine: Engine, producer: Producer, batch_size: int = 500) -> None:
        self.engine = engine
        self.producer = producer
        self.batch_size = batch_size
        self.claims_rows = engine.dialect.name == "postgresql"

    def publish_pending(self) -> int:
        """Publish one batch; rows are marked only after the broker acknowledged all of them.

        A crash between send and mark republishes the batch: consumers dedupe by event id.
        """
        with self.engine.connect() as conn:
            conn.execution_options(**WRITE_INTENT)
            published = self._claimed(conn) if self.claims_rows else self._read_then_mark(conn)
        for row in published:
            EVENTS_PUBLISHED.labels(row.topic).inc()
        return len(published)

    def _claimed(self, conn: Connection) -> Sequence[Row[Any]]:
        with conn.begin():
            claim = conn.execute(self._oldest().with_for_update(skip_locked=True)).all()
            rows = claim[: self._head_length(conn, claim)]
            if not rows:
                # nothing to do, or another relay holds older rows: let it go first (a standby
                # still reports the backlog, so the alert never reads a stale gauge)
                OUTBOX_PENDING.set(self._pending(conn) if claim else 0)
                return ()
            self._send(rows)
            faults.after_publish(len(rows))
            self._mark(conn, rows)
        return rows

    def _read_then_mark(self, conn: Connection) -> Sequence[Row[Any]]:
        with conn.begin():
            rows = conn.execute(self._oldest()).all()
        if rows:
            self._send(rows)
            faults.after_publish(len(rows))
            with conn.begin():
                self._mark(conn, rows)
        else:
            OUTBOX_PENDING.set(0)
        return rows

    def _oldest(self) -> Any:
        unpublished = outbox.c.published.is_(False)
        return select(outbox).where(unpublished).order_by(outbox.c.position).limit(self.batch_size)

    @staticmethod
    def _head_length(conn: Connection, claim: Sequence[Row[Any]]) -> int:
        """How many of the claim's rows are the oldest unpublished rows, in order."""
        if not claim:
            return 0
        query = (
            select(outbox.c.position)
            .where(outbox.c.published.is_(False))
            .order_by(outbox.c.position)
            .limit(len(claim))
        )
        head = conn.execute(query).scalars().all()
        length = 0
        while length < len(head) and claim[length].position == head[length]:
            length += 1
        return length

    def _send(self, rows: Sequence[Row[Any]]) -> None:
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

    @staticmethod
    def _mark(conn: Connection, rows: Sequence[Row[Any]]) -> None:
        positions = [row.position for row in rows]
        conn.execute(update(outbox).where(outbox.c.position.in_(positions)).values(published=True))
        OUTBOX_PENDING.set(OutboxRelay._pending(conn))

    @staticmethod
    def _pending(conn: Connection) -> int:
        query = select(func.count()).where(outbox.c.published.is_(False))
        return int(conn.execute(query).scalar_one())

    def run(self, stop: threading.Event, idle_wait: float = 0.05) -> None:
        while not stop.is_set():
            try:
                if self.publish_pending() == 0:
                    stop.wait(idle_wait)
            except Exception:
                log.exception("relay failed; retrying")
                stop.wait(1.0)
