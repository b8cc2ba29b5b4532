"""Hazards and orders, given/when/then: which order a hazard may lead to, when a rectification
runs overdue (by event time), what a re-inspection does, and what registry and telemetry hear."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from tianmen_events.codes import Severity
from tianmen_events.errors import Conflict, DomainError
from tianmen_events.safety import MachineStopUseLifted, MachineStopUseOrdered
from tianmen_events.safety.orders import OrderKind, RectificationOverdue, ReinspectionRecorded
from tianmen_safety.domain import orders
from tianmen_safety.domain.orders import Hazard, OrderState

SHANGHAI = timezone(timedelta(hours=8))
FOUND = datetime(2026, 5, 6, 10, 0, tzinfo=SHANGHAI)
CRACKED_WELD = Hazard(
    enterprise_id="ent-1",
    machine_id="m-1",
    severity=Severity.GRAVE,
    major=True,
    description="cracked weld on the tower crane's jib root",
    found_at=FOUND,
    kind=OrderKind.STOP_USE,
)
WORN_ROPE = replace(
    CRACKED_WELD,
    severity=Severity.SERIOUS,
    major=False,
    description="wire rope worn past its discard criterion",
    kind=OrderKind.RECTIFY,
    due_at=FOUND + timedelta(days=7),
)


def test_a_major_hazard_leads_to_a_stop_use_order_that_registry_and_telemetry_hear() -> None:
    recorded = orders.record_hazard(CRACKED_WELD, actor="inspector-1")
    [heard] = orders.announced(None, recorded)
    assert isinstance(heard, MachineStopUseOrdered)
    assert (heard.order_id, heard.machine_id, heard.enterprise_id) == (
        recorded.order_id,
        "m-1",
        "ent-1",
    )
    assert heard.ordered_at == FOUND


def test_a_major_hazard_cannot_be_left_working_under_a_rectification_order() -> None:
    with pytest.raises(DomainError) as refused:
        orders.record_hazard(replace(WORN_ROPE, major=True), actor="inspector-1")
    assert refused.value.field == "kind"


@pytest.mark.parametrize("due", [None, FOUND, FOUND - timedelta(hours=1)])
def test_a_rectification_needs_a_deadline_after_the_finding(due: datetime | None) -> None:
    with pytest.raises(DomainError) as refused:
        orders.record_hazard(replace(WORN_ROPE, due_at=due), actor="inspector-1")
    assert refused.value.field == "due_at"


def test_a_rectification_order_announces_nothing_to_the_registry() -> None:
    assert orders.announced(None, orders.record_hazard(WORN_ROPE, actor="i")) == []


def test_the_same_finding_filed_twice_names_the_same_order() -> None:
    first = orders.record_hazard(WORN_ROPE, actor="a")
    again = orders.record_hazard(WORN_ROPE, actor="b")
    assert first.order_id == again.order_id
    assert first.order_id != orders.record_hazard(CRACKED_WELD, actor="a").order_id


def test_a_rectification_runs_overdue_once_an_event_time_passes_its_deadline() -> None:
    order = orders.opened(orders.record_hazard(WORN_ROPE, actor="i"))
    assert orders.overdue(order, FOUND + timedelta(days=6, hours=23)) is None
    late = orders.overdue(order, FOUND + timedelta(days=9))
    assert isinstance(late, RectificationOverdue)
    assert late.due_at == FOUND + timedelta(days=7)
    assert orders.evolve(order, late).state is OrderState.OVERDUE
    assert orders.overdue(orders.evolve(order, late), FOUND + timedelta(days=10)) is None


def test_a_stop_use_order_never_runs_overdue() -> None:
    order = orders.opened(orders.record_hazard(CRACKED_WELD, actor="i"))
    assert orders.overdue(order, FOUND + timedelta(days=400)) is None


def test_a_passed_reinspection_closes_a_stop_use_order_and_lifts_it() -> None:
    order = orders.opened(orders.record_hazard(CRACKED_WELD, actor="i"))
    at = FOUND + timedelta(days=3)
    passed = orders.reinspect(order, passed=True, note="rewelded", actor="i2", at=at)
    [heard] = orders.announced(order, passed)
    assert isinstance(heard, MachineStopUseLifted)
    assert (heard.order_id, heard.lifted_at) == (order.order_id, at)
    assert orders.evolve(order, passed).state is OrderState.CLOSED


def test_a_failed_reinspection_keeps_the_machine_stopped() -> None:
    order = orders.opened(orders.record_hazard(CRACKED_WELD, actor="i"))
    failed = orders.reinspect(order, passed=False, note="still cracked", actor="i2", at=FOUND)
    assert isinstance(failed, ReinspectionRecorded)
    assert orders.announced(order, failed) == []
    assert orders.evolve(order, failed).state is OrderState.OPEN


def test_an_overdue_rectification_can_still_be_closed_and_a_closed_order_cannot_be_again() -> None:
    order = orders.opened(orders.record_hazard(WORN_ROPE, actor="i"))
    late = orders.evolve(order, orders.overdue(order, FOUND + timedelta(days=8)) or order_event())
    closed = orders.evolve(late, orders.reinspect(late, passed=True, note="", actor="i", at=FOUND))
    assert closed.state is OrderState.CLOSED
    with pytest.raises(Conflict):
        orders.reinspect(closed, passed=True, note="", actor="i", at=FOUND)


def order_event() -> RectificationOverdue:
    raise AssertionError("the rectification should have run overdue")
