"""A registered machine's history, for the lifecycle tests."""

from __future__ import annotations

from datetime import date

from tianmen_events import DomainEvent
from tianmen_events.registry import (
    MachineKind,
    MachineRegistered,
    MortgageRegistered,
    RegistrationNumberIssued,
)
from tianmen_registry.domain.machine_state import Machine, fold

OWNER, BUYER = "e-1", "e-2"
REGISTERED = MachineRegistered(
    machine_id="m-1",
    enterprise_id=OWNER,
    kind=MachineKind.TOWER_CRANE,
    brand="ZOOMLION",
    model="TC6013",
    serial_number="ZL0001",
    jurisdiction_code="429006107",
    high_risk=True,
)
NUMBERED = RegistrationNumberIssued(
    machine_id="m-1",
    enterprise_id=OWNER,
    registration_number="TM2026-ABCDEF12",
    application_id="a-0",
    next_review_due=date(2027, 5, 12),
)
PLEDGED = MortgageRegistered(
    machine_id="m-1",
    enterprise_id=OWNER,
    mortgage_id="mg-1",
    lender="天门农商银行",
    amount_yuan=800_000,
    starts_on=date(2026, 5, 1),
    ends_on=date(2028, 4, 30),
)


def machine(*events: DomainEvent) -> Machine:
    state = fold([REGISTERED, *events])
    assert state is not None
    return state
