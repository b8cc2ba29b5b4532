"""The case rows' identity map on a temp SQLite store: read ahead, moved in memory, written at
flush; a row another writer inserted meanwhile rolls the batch back for a retry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select
from tianmen_events import EventMeta
from tianmen_events.safety.cases import CaseConfirmed, CaseOpened
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.projection import apply_batch, apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import TopicLog
from tianmen_safety.adapters.case_map import CaseMap
from tianmen_safety.adapters.orm import cases, violations
from tianmen_safety.domain import intake
from tianmen_safety.domain.case_rules import CASE_RULES
from tianmen_safety.domain.rules import RULES

from ..conftest import Logs, _unpublished_docket, alert_meta

NIGHT = datetime(2026, 3, 10, 23, 40, tzinfo=timezone(timedelta(hours=8)))


def _opening(make_alert: Callable[..., AlertRaised]) -> tuple[CaseOpened, CaseConfirmed, EventMeta]:
    alert = make_alert("a1", NIGHT)
    meta = alert_meta(alert)
    opened, confirmed = intake.from_alert(
        alert, source_event_id=meta.id, points=RULES, rules=CASE_RULES
    )
    assert isinstance(opened, CaseOpened) and isinstance(confirmed, CaseConfirmed)
    return opened, confirmed, meta


def test_an_opening_and_its_confirmation_in_one_transaction_are_one_confirmed_row(
    service: Service, make_alert: Callable[..., AlertRaised]
) -> None:
    opened, confirmed, meta = _opening(make_alert)
    with service.engine.begin() as conn:
        rows = CaseMap(conn)
        rows.read_ahead([opened.case_id])
        assert rows.project(opened, meta) is None
        moved = rows.project(confirmed, meta)
        assert moved is not None and moved[1].state == "confirmed"
        assert conn.execute(select(cases)).all() == []  # nothing written before the flush
        rows.flush()
        (row,) = conn.execute(select(cases)).all()
    assert (row.state, row.decided_by, row.escalations) == ("confirmed", confirmed.actor, 0)


def test_a_row_another_writer_opened_meanwhile_is_a_concurrency_conflict(
    service: Service, make_alert: Callable[..., AlertRaised]
) -> None:
    opened, _, meta = _opening(make_alert)
    with service.engine.connect() as conn:
        rows = CaseMap(conn)
        rows.read_ahead([opened.case_id])  # no row yet
        other = CaseMap(conn)
        other.project(opened, meta)
        other.flush()  # another writer's row, after this map looked
        rows.project(opened, meta)
        with pytest.raises(ConcurrencyConflict):
            rows.flush()


def test_an_opening_delivered_again_leaves_the_stored_row(
    service: Service, make_alert: Callable[..., AlertRaised]
) -> None:
    opened, confirmed, meta = _opening(make_alert)
    with service.engine.begin() as conn:
        first = CaseMap(conn)
        first.project(opened, meta)
        first.project(confirmed, meta)
        first.flush()
        again = CaseMap(conn)
        again.read_ahead([opened.case_id])
        assert again.project(opened, meta) is None
        again.flush()
        (row,) = conn.execute(select(cases)).all()
    assert row.state == "confirmed"


def test_a_batch_that_opens_and_confirms_a_case_asks_nothing_of_the_violations(
    service: Service, make_alert: Callable[..., AlertRaised], logs: Logs
) -> None:
    """A case with no row has no recorded violation (its row is written with its first), so
    the read-ahead of recorded violations leaves the batch's new cases out: a replay's poll
    brings most cases' opening and confirmation together."""
    assert service.subscription is not None
    alert = make_alert("a1", NIGHT)
    record = TopicLog().record(alert, alert_meta(alert))
    assert apply_record(service.engine, service.subscription, record) == "applied"
    docket = _unpublished_docket(service, logs)
    assert len(docket) == 2  # the opening, the confirmation
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(service.engine, "before_cursor_execute", seen)
    try:
        assert apply_batch(service.engine, service.subscription, docket) == ["applied"] * 2
    finally:
        event.remove(service.engine, "before_cursor_execute", seen)
    asked = [s for s in statements if s.lstrip().startswith("SELECT") and "safety_violations" in s]
    assert asked == []
    with service.engine.connect() as conn:
        assert len(conn.execute(select(violations)).all()) == 1
