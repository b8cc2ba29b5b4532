"""The relay on each store backend, with a producer that records what the broker would get."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select
from tianmen_runtime.db import make_engine, outbox
from tianmen_runtime.outbox_relay import OutboxRelay

from .conftest import StoreUrl


class Acknowledged:
    def get(self, timeout: float) -> None:
        return None


class Refused:
    def get(self, timeout: float) -> None:
        raise TimeoutError("broker did not acknowledge")


@dataclass
class RecordingProducer:
    """Appends each sent value to a list shared by every relay in the test."""

    sent: list[bytes]
    lock: threading.Lock = field(default_factory=threading.Lock)
    answer: Callable[[], Any] = Acknowledged
    on_flush: Callable[[], None] = lambda: None

    def send(self, topic: str, *, key: bytes, value: bytes, headers: Any) -> Any:
        with self.lock:
            self.sent.append(value)
        return self.answer()

    def flush(self) -> None:
        self.on_flush()


def _fill(engine: Engine, count: int, start: int = 0) -> list[bytes]:
    values = [f"event-{n:05d}".encode() for n in range(start, start + count)]
    with engine.begin() as conn:
        for value in values:
            conn.execute(
                insert(outbox).values(
                    event_id=value.decode(),
                    topic="registry.machine",
                    key=b"m1",
                    value=value,
                    headers='[["ce_id", "x"]]',
                    published=False,
                )
            )
    return values


def _unpublished(engine: Engine) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(outbox).where(outbox.c.published.is_(False))).all())


def _drain(relay: OutboxRelay) -> None:
    while relay.publish_pending():
        pass


def test_every_row_is_published_once_in_position_order(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("relay"))
    values = _fill(engine, 25)
    sent: list[bytes] = []
    relay = OutboxRelay(engine, RecordingProducer(sent), batch_size=10)
    _drain(relay)
    _drain(relay)
    assert sent == values
    assert _unpublished(engine) == 0


def test_a_batch_the_broker_did_not_acknowledge_stays_unpublished(store_url: StoreUrl) -> None:
    engine = make_engine(store_url("relay"))
    values = _fill(engine, 3)
    refused: list[bytes] = []
    with pytest.raises(TimeoutError):
        OutboxRelay(engine, RecordingProducer(refused, answer=Refused)).publish_pending()
    assert _unpublished(engine) == 3
    sent: list[bytes] = []
    _drain(OutboxRelay(engine, RecordingProducer(sent)))
    assert sent == values


@pytest.mark.integration
def test_two_relays_on_one_postgres_store_send_each_row_once_in_order(
    new_postgres_database: Callable[[str], str],
) -> None:
    url = new_postgres_database("relays")
    engine = make_engine(url)
    values = _fill(engine, 400)
    sent: list[bytes] = []
    lock = threading.Lock()
    both_sending = threading.Barrier(2, timeout=0.2)

    def overlap() -> None:  # holds a claim open while the other relay tries to take rows
        try:
            both_sending.wait()
        except threading.BrokenBarrierError:
            both_sending.reset()

    relays = [
        OutboxRelay(make_engine(url), RecordingProducer(sent, lock, on_flush=overlap), 20)
        for _ in range(2)
    ]
    deadline = time.monotonic() + 60

    def keep_relaying(relay: OutboxRelay) -> None:
        while _unpublished(engine) and time.monotonic() < deadline:
            relay.publish_pending()

    threads = [threading.Thread(target=keep_relaying, args=(relay,)) for relay in relays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=70)
    assert sent == values
    assert _unpublished(engine) == 0


@pytest.mark.integration
def test_a_claim_with_a_hole_sends_only_the_rows_before_the_hole(
    new_postgres_database: Callable[[str], str],
) -> None:
    """Two relays scanning at once lock rows in turn: one can claim rows 1-5 and 31-50 while the
    other holds 6-30. Only 1-5 may go: 31-50 would overtake 6-30 (same key, same partition)."""
    url = new_postgres_database("relay_hole")
    engine = make_engine(url)
    values = _fill(engine, 50)
    sent: list[bytes] = []
    relay = OutboxRelay(engine, RecordingProducer(sent), batch_size=25)
    other = make_engine(url)
    with other.connect() as held, held.begin():
        order = select(outbox.c.position).order_by(outbox.c.position)
        positions = held.execute(order.offset(5).limit(25)).scalars().all()
        held.execute(select(outbox).where(outbox.c.position.in_(positions)).with_for_update())
        assert relay.publish_pending() == 5
        assert sent == values[:5]
    _drain(relay)
    assert sent == values
    assert _unpublished(engine) == 0
