"""The registry's `TerminalUnbound`, kept by telemetry: given a terminal bound and then unbound
(as events), when it reports, then the report is refused (dated after an explicit unbind),
still its machine's (dated before it), or charged to its deregistered machine and caught by
`stopped_machine_working` (the unbind a deregistration makes; decision 92)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Row, select
from tianmen_events.registry import MachineDeregistered, TerminalUnbound, UnbindReason
from tianmen_runtime.service import Service
from tianmen_runtime.testing import TopicLog
from tianmen_telemetry.adapters import queries
from tianmen_telemetry.adapters.orm import alerts, machines, terminal_bindings, terminal_binds
from tianmen_telemetry.domain.bindings import Holder
from tianmen_telemetry.entrypoints.api import build_api
from tianmen_telemetry.jt808.intake import ProjectedBindings

from ..helpers import (
    ENTERPRISE,
    MACHINE,
    TERMINAL,
    FakeSink,
    applied,
    apply,
    at,
    bound,
    meta_for,
    registered,
    reported,
)

BOUND = at("2026-05-01T08:00:00")
UNBOUND = at("2026-05-11T10:00:00")
BEFORE, AFTER = at("2026-05-11T09:30:00"), at("2026-05-11T10:30:00")
NOW = at("2026-05-11T12:00:00")


def _unbound(reason: UnbindReason | None = "unbound") -> TerminalUnbound:
    return TerminalUnbound(
        machine_id=MACHINE, enterprise_id=ENTERPRISE, terminal_id=TERMINAL, reason=reason
    )


def _deregistered() -> MachineDeregistered:
    return MachineDeregistered(machine_id=MACHINE, enterprise_id=ENTERPRISE, application_id="a1")


def _given_bound(service: Service) -> None:
    apply(service, registered(), "machine-1", BOUND)
    apply(service, bound(), "bind-1", BOUND)


@pytest.fixture
def sink() -> FakeSink:
    return FakeSink()


@pytest.fixture
def client(service: Service, sink: FakeSink) -> Iterator[TestClient]:
    with TestClient(build_api(service, sink, clock=lambda: NOW)) as client:
        yield client


def _post(client: TestClient, when: datetime) -> Any:
    report = {
        "terminal_id": TERMINAL,
        "reported_at": when.isoformat(),
        "latitude": 30.6531,
        "longitude": 113.1661,
        "working": True,
    }
    return client.post("/reports", json={"reports": [report]})


def _alerts(service: Service) -> Sequence[Row[Any]]:
    with service.engine.connect() as conn:
        return conn.execute(select(alerts)).all()


def test_a_report_dated_after_an_explicit_unbind_is_refused_naming_the_terminal(
    service: Service, client: TestClient, sink: FakeSink
) -> None:
    _given_bound(service)
    apply(service, _unbound(), "unbind-1", UNBOUND)

    response = _post(client, AFTER)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["reports.0.terminal_id"]
    assert sink.published == []  # nothing charged to the machine or its enterprise


def test_a_buffered_report_dated_before_the_unbind_is_still_the_machines(
    service: Service, client: TestClient, sink: FakeSink
) -> None:
    _given_bound(service)
    apply(service, _unbound(), "unbind-1", UNBOUND)

    response = _post(client, BEFORE)

    assert response.status_code == 202
    [report] = sink.published
    assert (report.machine_id, report.enterprise_id) == (MACHINE, ENTERPRISE)


def test_an_explicit_unbind_clears_the_machines_terminal_and_jt808_login(
    service: Service,
) -> None:
    _given_bound(service)
    assert ProjectedBindings(lambda ts: queries.bindings_for(service.engine, ts)).is_bound(TERMINAL)
    apply(service, _unbound(), "unbind-1", UNBOUND)

    with service.engine.connect() as conn:
        [terminal] = conn.execute(select(machines.c.terminal_id)).scalars()
        periods = conn.execute(select(terminal_bindings).order_by(terminal_bindings.c.seq)).all()
    assert terminal is None
    assert [(p.valid_from, p.machine_id) for p in periods] == [(None, MACHINE), (UNBOUND, None)]
    binding = queries.bindings_for(service.engine, [TERMINAL])[TERMINAL]
    assert not binding.bound_now
    assert binding.holder_at(BEFORE) == Holder(MACHINE, ENTERPRISE)
    assert binding.holder_at(AFTER) is None
    lookup = ProjectedBindings(lambda ts: queries.bindings_for(service.engine, ts))
    assert not lookup.is_bound(TERMINAL)  # JT/T 808 authentication refused


def test_a_deregistered_machines_terminal_reporting_work_still_raises_stopped_machine(
    service: Service, client: TestClient, sink: FakeSink
) -> None:
    _given_bound(service)
    apply(service, _unbound("deregistered"), "unbind-1", UNBOUND)
    apply(service, _deregistered(), "deregister-1", UNBOUND)

    response = _post(client, AFTER)
    assert response.status_code == 202
    [report] = sink.published
    apply(service, report, "report-1", AFTER)

    [alert] = _alerts(service)
    assert (alert.rule, alert.machine_id) == ("stopped_machine_working", MACHINE)


@pytest.mark.parametrize("reason", [None, "deregistered"])
@pytest.mark.parametrize("size", [1, 2, 4])
def test_an_old_unbind_at_the_deregistration_instant_is_the_deregistrations(
    tmp_path: Path, reason: UnbindReason | None, size: int
) -> None:
    """An unbind recorded before the registry said why, followed at the same instant by the
    machine's deregistration, is applied as if it said `deregistered`: nothing of it is kept,
    whatever transactions the two fall in."""
    log = TopicLog()
    plan = [
        (registered(), "machine-1", BOUND),
        (bound(), "bind-1", BOUND),
        (_unbound(reason), "unbind-1", UNBOUND),
        (_deregistered(), "deregister-1", UNBOUND),
        (reported(AFTER), "report-1", AFTER),
    ]
    records = [log.record(said, meta_for(said, n, when)) for said, n, when in plan]
    said = applied(records, size, tmp_path / "said")
    told = applied([*records[:2], *records[3:]], 1, tmp_path / "told")  # no unbind at all
    assert said.digest() == told.digest()
    with said.engine.connect() as conn:
        assert len(conn.execute(select(terminal_binds)).all()) == 1
        assert conn.execute(select(machines.c.terminal_id)).scalar_one() == TERMINAL
    [alert] = _alerts(said)
    assert alert.rule == "stopped_machine_working"


def test_an_old_unbind_not_followed_by_a_deregistration_ends_the_period(
    service: Service,
) -> None:
    _given_bound(service)
    apply(service, _unbound(None), "unbind-1", UNBOUND)
    apply(service, _deregistered(), "deregister-1", AFTER)  # a later instant: another act

    binding = queries.bindings_for(service.engine, [TERMINAL])[TERMINAL]
    assert (binding.bound_now, binding.holder_at(AFTER)) == (False, None)
