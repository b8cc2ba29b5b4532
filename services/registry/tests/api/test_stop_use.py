"""Safety's stop-use orders, consumed: the machine is suspended while the order stands, the
public plate says so, and lifting the order reinstates it — replayable, once per event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_runtime.projection import Poison, apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import TopicLog, stored_events

from .support import written
from .test_applications_api import registered_machine

ORDERED_AT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
LIFTED_AT = datetime(2026, 6, 3, 8, 0, tzinfo=UTC)


def deliver(service: Service, log: TopicLog, event: DomainEvent, time: datetime, n: int) -> str:
    meta = EventMeta(
        id=f"safety-ev-{n}",
        source="/tianmen/safety",
        time=time,
        subject=event.enterprise_id,  # type: ignore[attr-defined]
        sequence=n,
        correlation_id=f"corr-{n}",
    )
    assert service.subscription is not None
    return apply_record(service.engine, service.subscription, log.record(event, meta))


def test_a_stop_use_order_suspends_the_machine_until_it_is_lifted(
    client: TestClient, service: Service
) -> None:
    ent, machine = registered_machine(client)
    number = client.get(f"/machines/{machine}").json()["registration_number"]
    log = TopicLog()
    order = MachineStopUseOrdered(
        enterprise_id=ent,
        order_id="SO-1",
        machine_id=machine,
        reason="起重力矩限制器失效",
        ordered_at=ORDERED_AT,
    )
    assert deliver(service, log, order, ORDERED_AT, 1) == "applied"
    assert client.get(f"/verify/{number}").json()["status"] == "suspended"
    suspended = stored_events(service.engine)[-1]
    assert suspended[2:] == ("tianmen.registry.machine_suspended", "safety-ev-1", suspended[4])
    assert suspended[4].startswith("2026-06-01T02:00")  # the order's time, not the clock's

    lifted = MachineStopUseLifted(
        enterprise_id=ent, order_id="SO-1", machine_id=machine, lifted_at=LIFTED_AT
    )
    assert deliver(service, log, lifted, LIFTED_AT, 2) == "applied"
    assert client.get(f"/verify/{number}").json()["status"] == "registered"
    assert stored_events(service.engine)[-1][2] == "tianmen.registry.machine_reinstated"


def test_an_order_delivered_twice_suspends_once(client: TestClient, service: Service) -> None:
    ent, machine = registered_machine(client)
    order = MachineStopUseOrdered(
        enterprise_id=ent, order_id="SO-2", machine_id=machine, reason="r", ordered_at=ORDERED_AT
    )
    meta = EventMeta("safety-ev-1", "/tianmen/safety", ORDERED_AT, ent, 1, "corr-1")
    record = TopicLog().record(order, meta)
    assert service.subscription is not None
    assert apply_record(service.engine, service.subscription, record) == "applied"
    before = written(service)
    assert apply_record(service.engine, service.subscription, record) == "duplicate"
    assert written(service) == before


def test_an_order_on_an_unknown_machine_is_a_dead_letter_and_writes_nothing(
    service: Service,
) -> None:
    order = MachineStopUseOrdered(
        enterprise_id="e-x", order_id="SO-3", machine_id="m-x", reason="r", ordered_at=ORDERED_AT
    )
    before = written(service)
    with pytest.raises(Poison, match="no machine m-x"):
        deliver(service, TopicLog(), order, ORDERED_AT, 1)
    assert written(service) == before
