"""Shared fixtures: alerts as telemetry would publish them, and a safety service on temp SQLite."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from tianmen_events import EventMeta, decode, derive_id
from tianmen_events.reports import TipVerified
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.db import outbox
from tianmen_runtime.projection import apply_batch, apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings

MakeAlert = Callable[..., AlertRaised]
Deliver = Callable[..., str]


def alert(
    alert_id: str,
    observed_at: datetime,
    *,
    enterprise_id: str = "ent-1",
    rule: str = "night_work",
) -> AlertRaised:
    return AlertRaised(
        alert_id=alert_id,
        enterprise_id=enterprise_id,
        machine_id=f"machine-of-{enterprise_id}",
        terminal_id="13800000001",
        rule=rule,
        rule_version="telemetry-rules/2026.1",
        observed_at=observed_at,
        latitude=30.65,
        longitude=113.17,
        detail="working at 23:40, permit 07:00-22:00",
    )


@pytest.fixture
def make_alert() -> MakeAlert:
    return alert


def verified_tip(enterprise_id: str, observed_at: datetime) -> TipVerified:
    """A tip about unsafe hoisting machinery, verified a day after it was sent."""
    return TipVerified(
        tip_id="tip-1",
        category="unsafe_hoisting",
        violation_code="unsafe_hoisting_machinery",
        enterprise_id=enterprise_id,
        major_hazard=True,
        jurisdiction="429006100",
        latitude=30.6,
        longitude=113.1,
        observed_at=observed_at,
        verified_at=observed_at + timedelta(days=1),
        verifier="inspector-7",
    )


def alert_meta(alert: AlertRaised, offset: int = 0, event_id: str | None = None) -> EventMeta:
    return EventMeta(
        id=event_id or derive_id("/tianmen/telemetry", alert.alert_id),
        source="/tianmen/telemetry",
        time=alert.observed_at,
        subject=alert.enterprise_id,
        sequence=offset + 1,
        correlation_id=f"corr-{alert.alert_id}",
    )


@pytest.fixture
def service_factory(tmp_path: Path) -> Callable[[str], Service]:
    def make(name: str = "safety") -> Service:
        return build(Settings(database_url=f"sqlite:///{tmp_path / name}.db"))

    return make


@pytest.fixture
def service(service_factory: Callable[[str], Service]) -> Service:
    return service_factory("safety")


Logs = dict[tuple[int, str], TopicLog]


@pytest.fixture
def logs() -> Logs:
    """Per service and topic: each store has its own consumer positions."""
    return {}


@pytest.fixture
def settle(logs: Logs) -> Callable[[Service], list[str]]:
    """What the relay and the broker do for the desk: the docket's events the store appended
    (`safety.case`) are published and come back to its consumer, until none are left."""

    def run(service: Service) -> list[str]:
        assert service.subscription is not None
        outcomes: list[str] = []
        while records := _unpublished_docket(service, logs):
            outcomes += [apply_record(service.engine, service.subscription, r) for r in records]
        return outcomes

    return run


def _unpublished_docket(service: Service, logs: Logs) -> list[Record]:
    log = logs.setdefault((id(service), SAFETY_CASE.name), TopicLog())
    pending = (outbox.c.topic == SAFETY_CASE.name) & (outbox.c.published.is_(False))
    with service.engine.begin() as conn:
        rows = conn.execute(select(outbox).where(pending).order_by(outbox.c.position)).all()
        conn.execute(update(outbox).where(pending), {"published": True})
    decoded = [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]
    return [log.record(event, meta) for event, meta in decoded]


@pytest.fixture
def deliver(logs: Logs, settle: Callable[[Service], list[str]]) -> Deliver:
    """Deliver an alert, then let the docket's events it caused come back (see `settle`)."""

    def apply(service: Service, alert: AlertRaised, *, event_id: str | None = None) -> str:
        assert service.subscription is not None
        log = logs.setdefault((id(service), alert.topic), TopicLog())
        record = log.record(alert, alert_meta(alert, event_id=event_id))
        outcome = apply_record(service.engine, service.subscription, record)
        settle(service)
        return outcome

    return apply


@pytest.fixture
def deliver_batch(settle: Callable[[Service], list[str]]) -> Callable[..., list[str]]:
    """Apply (alert, event id or None) pairs in one transaction, as one polled batch."""

    def apply(service: Service, items: list[tuple[AlertRaised, str | None]]) -> list[str]:
        assert service.subscription is not None
        log = TopicLog(partitions=1)
        records = [
            log.record(alert, alert_meta(alert, event_id=event_id)) for alert, event_id in items
        ]
        outcomes = [str(o) for o in apply_batch(service.engine, service.subscription, records)]
        settle(service)
        return outcomes

    return apply


def published_docket(service: Service) -> list[Record]:
    """Everything the store put on `safety.case`, as records of the topic (for a replay)."""
    log = TopicLog()
    query = select(outbox).where(outbox.c.topic == SAFETY_CASE.name).order_by(outbox.c.position)
    with service.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        log.record(*decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value))
        for r in rows
    ]


def replayed_digest(
    service_factory: Callable[[str], Service], alerts: list[AlertRaised], live: Service
) -> str:
    """A fresh store fed the alerts first, then the docket as `live` published it: its digest."""
    replayed = service_factory("replayed")
    assert replayed.subscription is not None
    log = TopicLog()
    records = [log.record(alert, alert_meta(alert)) for alert in alerts]
    apply_batch(replayed.engine, replayed.subscription, records)
    apply_batch(replayed.engine, replayed.subscription, published_docket(live))
    return replayed.digest()
