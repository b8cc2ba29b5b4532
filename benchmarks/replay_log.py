"""A year of the domain topics safety and credit rebuild from, produced the way the live suite
would have produced them (used by `bench_replay.py`).

The inputs: night-work alerts (telemetry.alert), verified tips (reports.tip, 1 in 20 inputs:
safety opens a case, credit counts a complaint) and maintenance records (registry.machine, 1
in 20: credit adds). What safety published from them is not invented: a live safety store
consumes them (`live_safety.py`) and its docket (safety.case) and ledger's events
(safety.enterprise, what credit consumes) are published as its relay published them. Every
record is stamped with its event time (plus a delay; 1 in 97 of safety's enterprise events a
month late), so the audit's recorded axis has a past to answer about.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta

from fold_cost import night_alert
from tianmen_events import DomainEvent, EventMeta, derive_id, encode
from tianmen_events.registry.sites import MaintenanceRecorded
from tianmen_events.reports import TipCategory, TipVerified
from tianmen_runtime.kafka_io import make_producer

START = datetime(2025, 6, 1, tzinfo=UTC)
YEAR = 365 * 86400
EVENTS_AN_INPUT = 4.8
"""Records on the log an input ends as, about: an alert or tip is itself, a docket's opening
and confirmation, a violation and its points; a maintenance record is one."""

Stamped = tuple[DomainEvent, EventMeta, int]


def night(n: int, inputs: int) -> datetime:
    """The n-th input's time: its day of the year, in the Beijing night (15:00-22:00 UTC)."""
    day, rest = divmod(n * YEAR // max(inputs, 1), 86400)
    return START + timedelta(days=day, hours=15, seconds=rest * 7 // 24)


def inputs(count: int, enterprises: int) -> Iterator[Stamped]:
    """What the outside world said, in event-time order."""
    for n in range(count):
        enterprise_id, at = f"ent-{n % enterprises}", night(n, count)
        sequence = n // enterprises + 1
        event: DomainEvent
        if n % 20 == 7:
            event = _tip(n, enterprise_id, at)
            meta = _meta("/tianmen/reports", n, at, f"tip-{n}", 1)
        elif n % 20 == 13:
            event = _maintenance(n, enterprise_id, at.date())
            meta = _meta("/tianmen/registry", n, at, f"machine-of-{enterprise_id}", sequence)
        else:
            alert, meta = night_alert(enterprise_id, n)
            event = alert.model_copy(update={"observed_at": at})
            meta = EventMeta(meta.id, meta.source, at, enterprise_id, sequence, meta.id)
        yield event, meta, stamp(at, minutes=1)


def _meta(source: str, n: int, at: datetime, subject: str, sequence: int) -> EventMeta:
    event_id = derive_id(source, "bench-replay", n)
    return EventMeta(event_id, source, at, subject, sequence, event_id)


def _tip(n: int, enterprise_id: str, at: datetime) -> TipVerified:
    return TipVerified(
        tip_id=f"tip-{n}",
        category=TipCategory.DUST_AND_NOISE,
        violation_code="construction_dust",
        enterprise_id=enterprise_id,
        major_hazard=n % 60 == 7,
        jurisdiction="429006",
        latitude=30.65,
        longitude=113.16,
        observed_at=at - timedelta(hours=2),
        verified_at=at,
        verifier="inspector-1",
    )


def _maintenance(n: int, enterprise_id: str, on: date) -> MaintenanceRecorded:
    kind = "self_inspection" if n % 40 == 13 else "routine"
    return MaintenanceRecorded(
        machine_id=f"machine-of-{enterprise_id}",
        enterprise_id=enterprise_id,
        performed_on=on,
        kind=kind,
        provider="SANY",
    )


def stamp(at: datetime, minutes: int) -> int:
    return int((at + timedelta(minutes=minutes)).timestamp() * 1000)


def publish(bootstrap: str, stamped: Iterable[Stamped]) -> int:
    """Send every event with its record time; each send confirmed, or the benchmark stops."""
    producer = make_producer(bootstrap, "bench-replay", delivery_timeout_s=300)
    sent = []
    for event, meta, stamp in stamped:
        m = encode(event, meta)
        sent.append(
            producer.send(m.topic, key=m.key, value=m.value, headers=m.headers, timestamp_ms=stamp)
        )
    producer.flush()
    for future in sent:
        future.get()
    producer.close()
    return len(sent)
