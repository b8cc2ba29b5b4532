"""The case rows' identity map on a temp SQLite store: read ahead, moved in memory, written at
flush; a row another writer inserted meanwhile rolls the batch back for a retry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from tianmen_events import EventMeta
from tianmen_events.safety.cases import CaseConfirmed, CaseOpened
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.event_store import ConcurrencyConflict
from tianmen_runtime.service import Service
from tianmen_safety.adapters.case_map import CaseMap
from tianmen_safety.adapters.orm import cases
from tianmen_safety.domain import intake
from tianmen_safety.domain.case_rules import CASE_RULES
from tianmen_safety.domain.rules import RULES

from ..conftest import alert_meta

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
