"""Inspections on the consumer's side (`filings` puts them on the docket): when they come
back, their rows are written and a lapsed third-party test is announced as
`ThirdPartyTestExpired` on `safety.enterprise`; each batch's latest event time lapses the tests
that ran out and notes the self-inspection deadlines missed (on the docket, like overdue).
Both are dated when they became true (the deadline, `valid_until`: `on_time`)."""

from __future__ import annotations

from datetime import datetime

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety.inspections import (
    SelfInspectionMissed,
    SelfInspectionRecorded,
    ThirdPartyTestLapsed,
)
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import case_rows, inspection_queries, inspection_rows
from tianmen_safety.domain import inspections
from tianmen_safety.service_layer import on_time

PER_TICK = 100
"""A bound on the work one batch's tick does; the rest follow at the next event."""


def apply_inspection_event(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
    """A docket event about an inspection, back from the topic: its rows; a lapsed test is
    announced to telemetry (caused by the lapse: derived id, its time) the first time: once,
    however often its lapse is on the docket."""
    lapsing = isinstance(event, ThirdPartyTestLapsed) and inspection_rows.first_lapse(
        uow.conn, event
    )
    inspection_rows.project(uow.conn, event)
    if lapsing and isinstance(event, ThirdPartyTestLapsed):
        version = uow.events.version(event.enterprise_id)
        expired = [inspections.announced(event)]
        uow.events.append_caused_by(meta, event.enterprise_id, expired, expected_version=version)


def tick_inspections(uow: UnitOfWork, now: datetime) -> None:
    _lapse(uow, now)
    for year, deadline, required in inspections.passed_by(now):
        start = datetime(year, 1, 1, tzinfo=inspections.SHANGHAI)
        for enterprise_id, done in inspection_queries.short_of(
            uow.conn, start, deadline, required, PER_TICK
        ):
            docket = f"docket:{enterprise_id}"
            flying = case_rows.in_flight(uow.conn, docket)
            if any(_noted(e, deadline) for e in flying):
                continue
            if not on_time.caught_up(uow, docket, deadline):
                continue
            done += sum(_counts(e, start, deadline) for e in flying)
            miss = inspections.missed(enterprise_id, year, deadline, required, done)
            if miss is not None:
                on_time.to_docket(uow, miss, deadline, "self-inspection", enterprise_id)


def _lapse(uow: UnitOfWork, now: datetime) -> None:
    for row in inspection_queries.lapsing(uow.conn, now, PER_TICK):
        flying = case_rows.in_flight(uow.conn, f"docket:{row.enterprise_id}")
        if any(getattr(e, "test_id", None) == row.inspection_id for e in flying):
            continue
        lapsed = inspections.lapse(inspection_queries.test_of(row), now)
        if lapsed is not None and on_time.caught_up(uow, lapsed.docket_id, lapsed.valid_until):
            on_time.to_docket(uow, lapsed, lapsed.valid_until, "test-lapse", lapsed.test_id)


def _noted(event: DomainEvent, deadline: datetime) -> bool:
    return isinstance(event, SelfInspectionMissed) and event.deadline == deadline


def _counts(event: DomainEvent, start: datetime, deadline: datetime) -> int:
    return int(isinstance(event, SelfInspectionRecorded) and start <= event.inspected_at < deadline)
