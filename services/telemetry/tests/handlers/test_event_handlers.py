"""The subscription's handlers applied to a temporary SQLite store, one transaction per event."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, Table, select
from tianmen_events import decode
from tianmen_events.registry import MachineKind, MachineRegistered
from tianmen_events.telemetry import AlertCleared, AlertRaised
from tianmen_runtime.db import events, outbox
from tianmen_runtime.service import Service
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.adapters.orm import (
    alerts,
    findings,
    live_states,
    open_alerts,
    terminal_bindings,
)
from tianmen_telemetry.domain.bindings import Holder, Period

from ..helpers import ENTERPRISE, MACHINE, TERMINAL, apply, at, bound, reported

NIGHT = at("2026-05-11T23:30:00")
MOVED = at("2026-05-12T08:00:00")


def _rows(service: Service, table: Table) -> Sequence[Row[Any]]:
    with service.engine.connect() as conn:
        return conn.execute(select(table)).all()


def test_bound_terminal_working_at_night_records_alert_event_and_outbox(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(NIGHT), "report-1")

    [alert] = _rows(service, alerts)
    [stored] = _rows(service, events)
    [queued] = _rows(service, outbox)
    assert (alert.machine_id, alert.rule) == (MACHINE, "night_work")
    assert (stored.aggregate_id, stored.type) == (ENTERPRISE, AlertRaised.type)
    assert queued.topic == "telemetry.alert"
    event, meta = decode([(k, v.encode()) for k, v in json.loads(queued.headers)], queued.value)
    assert isinstance(event, AlertRaised)
    assert event.alert_id == alert.alert_id
    assert (meta.causation_id, meta.time) == ("report-1", NIGHT)


def test_the_same_report_twice_raises_one_alert(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(NIGHT), "report-1")
    apply(service, reported(NIGHT), "report-1")
    assert len(_rows(service, alerts)) == 1
    assert len(_rows(service, outbox)) == 1


def test_a_later_report_the_same_night_raises_no_second_alert(service: Service) -> None:
    apply(service, reported(NIGHT), "report-1")
    apply(service, reported(NIGHT + timedelta(hours=2)), "report-2")
    apply(service, reported(NIGHT + timedelta(days=1)), "report-3")
    assert len(_rows(service, alerts)) == 2
    # The next night's alert is a new episode: the first night's alert clears before it.
    assert [(row.sequence, row.type) for row in _rows(service, events)] == [
        (1, AlertRaised.type),
        (2, AlertCleared.type),
        (3, AlertRaised.type),
    ]


def test_stopping_work_clears_the_open_alert_once_with_an_event(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(NIGHT), "report-1")
    apply(service, reported(NIGHT + timedelta(minutes=5), working=False), "report-2")
    apply(service, reported(NIGHT + timedelta(minutes=5), working=False), "report-2")
    apply(service, reported(NIGHT + timedelta(minutes=10), working=False), "report-3")

    [alert] = _rows(service, alerts)
    assert alert.cleared_at == NIGHT + timedelta(minutes=5)
    assert _rows(service, open_alerts) == []
    *_, queued = _rows(service, outbox)
    assert len(_rows(service, outbox)) == 2
    event, meta = decode([(k, v.encode()) for k, v in json.loads(queued.headers)], queued.value)
    assert isinstance(event, AlertCleared)
    assert (event.alert_id, event.enterprise_id) == (alert.alert_id, ENTERPRISE)
    assert (meta.causation_id, meta.time) == ("report-2", NIGHT + timedelta(minutes=5))


def test_an_open_alert_stays_one_row_per_machine_and_rule(service: Service) -> None:
    apply(service, bound(), "bind-1")
    for n in range(3):
        apply(service, reported(NIGHT + timedelta(minutes=n)), f"report-{n}")
    [held] = _rows(service, open_alerts)
    [alert] = _rows(service, alerts)
    assert (held.machine_id, held.rule, held.alert_id) == (MACHINE, "night_work", alert.alert_id)
    assert alert.cleared_at is None


def test_working_by_day_updates_live_state_without_alert(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(at("2026-05-11T10:00:00"), latitude=30.7), "report-1")
    view = queries.terminal_view(service.engine, TERMINAL)
    assert view is not None
    assert (view["latitude"], view["working"]) == (30.7, True)
    assert view["last_report_at"] == at("2026-05-11T10:00:00")
    assert _rows(service, alerts) == []


def test_a_late_older_report_leaves_the_newer_live_state(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(at("2026-05-11T10:05:00"), working=False), "report-2")
    apply(service, reported(at("2026-05-11T10:00:00"), working=True), "report-1")
    view = queries.terminal_view(service.engine, TERMINAL)
    assert view is not None
    assert (view["working"], view["last_report_at"]) == (False, at("2026-05-11T10:05:00"))


def test_rebinding_moves_the_terminal_to_the_new_machine(service: Service) -> None:
    registered = MachineRegistered(
        machine_id="machine-2",
        enterprise_id=ENTERPRISE,
        kind=MachineKind.EXCAVATOR,
        brand="SANY",
        model="SY215C",
        jurisdiction_code="429006",
        high_risk=False,
        serial_number="SY0000000001",
    )
    apply(service, bound(), "bind-1")
    apply(service, registered, "register-2")
    apply(service, bound(machine_id="machine-2"), "bind-2", MOVED)
    [(terminal, binding)] = queries.bindings_for(service.engine, [TERMINAL]).items()
    assert (terminal, binding.machine_id, binding.enterprise_id) == (
        TERMINAL,
        "machine-2",
        ENTERPRISE,
    )
    assert binding.holder_at(MOVED) == Holder("machine-2", ENTERPRISE)
    assert binding.holder_at(MOVED - timedelta(seconds=1)) == Holder(MACHINE, ENTERPRISE)


def test_the_first_binding_covers_what_the_terminal_buffered_before_it(service: Service) -> None:
    apply(service, bound(), "bind-1", MOVED)
    binding = queries.bindings_for(service.engine, [TERMINAL])[TERMINAL]
    assert binding.holder_at(MOVED - timedelta(days=3)) == Holder(MACHINE, ENTERPRISE)


def test_a_repeated_binding_does_not_split_the_history(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, bound(), "bind-again", MOVED)
    binding = queries.bindings_for(service.engine, [TERMINAL])[TERMINAL]
    assert binding.history == (Period(None, Holder(MACHINE, ENTERPRISE)),)


def test_a_machine_given_a_new_terminal_releases_the_old_one(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, bound(terminal_id="13800000002"), "bind-2", MOVED)
    found = queries.bindings_for(service.engine, [TERMINAL, "13800000002"])
    assert [t for t, binding in found.items() if binding.bound_now] == ["13800000002"]
    assert found["13800000002"].holder_at(MOVED) == Holder(MACHINE, ENTERPRISE)
    assert found[TERMINAL].holder_at(MOVED) is None
    with service.engine.connect() as conn:
        released = conn.execute(
            select(terminal_bindings).where(
                terminal_bindings.c.terminal_id == TERMINAL, terminal_bindings.c.seq == 1
            )
        ).one()
    assert (released.valid_from, released.machine_id) == (MOVED, None)


def test_a_report_at_0_0_is_a_finding_not_a_position_nor_an_alert(service: Service) -> None:
    apply(service, bound(), "bind-1")
    apply(service, reported(NIGHT - timedelta(hours=2)), "report-1")
    nowhere = reported(NIGHT, latitude=0.0, longitude=0.0)
    apply(service, nowhere, "report-2")
    apply(service, nowhere, "report-2-again")

    [finding] = _rows(service, findings)
    assert (finding.report_id, finding.finding) == (nowhere.report_id, "position_outside_area")
    [state] = _rows(service, live_states)
    assert (state.latitude, state.last_report_at) == (30.6531, NIGHT - timedelta(hours=2))
    assert _rows(service, alerts) == []
