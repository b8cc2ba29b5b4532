"""The machine aggregate: one identity in the register, bound to one terminal.

The state and its fold live in `machine_state`; re-exported here as the aggregate's face."""

from __future__ import annotations

import re

from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, DomainError, NotFound
from tianmen_events.registry import (
    HOISTING_KINDS,
    TERMINAL_ID_PATTERN,
    MachineRegistered,
    TerminalBound,
)

from tianmen_registry.domain.brands import brand_key
from tianmen_registry.domain.commands import BindTerminal, RegisterMachine
from tianmen_registry.domain.enterprises import Enterprise
from tianmen_registry.domain.identity import refuse_taken
from tianmen_registry.domain.jurisdictions import Jurisdictions
from tianmen_registry.domain.machine_attributes import checked_attributes
from tianmen_registry.domain.machine_state import Machine, Status, evolve, fold
from tianmen_registry.domain.text import identity_key

__all__ = ["Machine", "Status", "decide_bind", "decide_register", "evolve", "fold"]


def machine_id_for(brand: str, serial_number: str) -> str:
    """The machine's id: one per brand (however written) and factory number."""
    return derive_id("machine", brand_key(brand), identity_key(serial_number))


def decide_register(
    enterprise: Enterprise | None,
    state: Machine | None,
    cmd: RegisterMachine,
    *,
    taken: set[str],
    jurisdictions: Jurisdictions,
) -> list[DomainEvent]:
    """`taken`: the identity kinds (`identity.FIELDS`) another machine already holds."""
    if enterprise is None:
        raise DomainError(f"no enterprise {cmd.enterprise_id} is registered", field="enterprise_id")
    attributes = checked_attributes(cmd)
    jurisdiction = jurisdictions.resolve(cmd.jurisdiction_code, enterprise.jurisdiction_code)
    if state is not None:
        raise Conflict(
            "a machine with this brand and serial_number is already registered",
            field="serial_number",
        )
    refuse_taken(taken)
    return [
        MachineRegistered(
            machine_id=machine_id_for(cmd.brand, cmd.serial_number),
            enterprise_id=enterprise.enterprise_id,
            kind=cmd.kind,
            jurisdiction_code=jurisdiction,
            high_risk=cmd.kind in HOISTING_KINDS,
            brand_key=brand_key(cmd.brand),
            actor=cmd.actor,
            **attributes,
        )
    ]


def decide_bind(
    state: Machine | None, terminal_holder: str | None, cmd: BindTerminal
) -> list[DomainEvent]:
    """Bind `cmd.terminal_id`; `terminal_holder` is the machine currently bound to it, if any."""
    if state is None:
        raise NotFound(f"no machine {cmd.machine_id} is registered", field="machine_id")
    if state.deregistered:
        raise DomainError("a deregistered machine takes no terminal", field="machine_id")
    if not re.fullmatch(TERMINAL_ID_PATTERN, cmd.terminal_id):
        raise DomainError("a terminal id is 11-20 digits", field="terminal_id")
    if terminal_holder not in (None, state.machine_id):
        raise Conflict(
            f"terminal {cmd.terminal_id} is bound to another machine", field="terminal_id"
        )
    if state.terminal_id == cmd.terminal_id:
        return []
    return [
        TerminalBound(
            machine_id=state.machine_id,
            enterprise_id=state.enterprise_id,
            terminal_id=cmd.terminal_id,
        )
    ]
