"""The cost of applying one alert to an enterprise's ledger, by the length of its history.

Used by `bench_fold.py`; needs no broker: records go straight through safety's subscription
(`apply_batch`, as the consumer does) into a temporary SQLite store.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from tianmen_events import EventMeta, derive_id
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.db import events
from tianmen_runtime.projection import Subscription, apply_batch, apply_record
from tianmen_runtime.testing import TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings

START = datetime(2026, 3, 10, 15, 40, tzinfo=UTC)  # 23:40 in Tianmen: night work


def night_alert(enterprise_id: str, n: int) -> tuple[AlertRaised, EventMeta]:
    alert = AlertRaised(
        alert_id=derive_id("bench-alert", enterprise_id, n),
        enterprise_id=enterprise_id,
        machine_id=f"machine-of-{enterprise_id}",
        terminal_id="13800000001",
        rule="night_work",
        rule_version="telemetry-rules/2026.1",
        observed_at=START + timedelta(minutes=n),
        latitude=30.65,
        longitude=113.17,
        detail="working at 23:40, permit 07:00-22:00",
    )
    meta = EventMeta(
        id=derive_id("/tianmen/telemetry", alert.alert_id),
        source="/tianmen/telemetry",
        time=alert.observed_at,
        subject=enterprise_id,
        sequence=n + 1,
        correlation_id=alert.alert_id,
    )
    return alert, meta


@dataclass
class Store:
    engine: Engine
    subscription: Subscription
    log: TopicLog
    next_alert: int
    history: int


def with_history(folder: Path, history_events: int) -> Store:
    """A safety store whose enterprise's ledger holds about `history_events` events."""
    service = build(Settings(database_url=f"sqlite:///{folder / f'h{history_events}.db'}"))
    assert service.subscription is not None
    log, n, stored = TopicLog(), 0, 0
    while stored < history_events:
        size = max(1, min(200, (history_events - stored) // 2))  # an alert appends 2 events
        batch = [log.record(*night_alert("ent-1", n + i)) for i in range(size)]
        apply_batch(service.engine, service.subscription, batch)
        n, stored = n + size, _stored(service.engine)
    return Store(service.engine, service.subscription, log, n, stored)


def per_alert_seconds(folder: Path, histories: Sequence[int], alerts: int) -> dict[int, float]:
    """Median seconds to apply one more alert (its own transaction) per history length; the
    stores take turns, so a busy machine slows them alike."""
    stores = {h: with_history(folder, h) for h in histories}
    costs: dict[int, list[float]] = {h: [] for h in histories}
    for _ in range(alerts):
        for h, store in stores.items():
            costs[h].append(_timed(store.engine, store.subscription, store.log, store.next_alert))
            store.next_alert += 1
    return {stores[h].history: statistics.median(costs[h]) for h in histories}


def _timed(engine: Engine, subscription: Subscription, log: TopicLog, n: int) -> float:
    record = log.record(*night_alert("ent-1", n))
    started = time.perf_counter()
    assert apply_record(engine, subscription, record) == "applied"
    return time.perf_counter() - started


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events)).scalar_one())
