"""Events produced by the registry: enterprises, machines, terminal bindings."""

from __future__ import annotations

from tianmen_events.registry.enterprises import (
    Contact,
    EnterpriseContactsChanged,
    EnterpriseDetailsChanged,
    EnterpriseRegistered,
    enterprise_registered_v1_to_v2,
    enterprise_registered_v2_to_v3,
)
from tianmen_events.registry.machines import (
    HOISTING_KINDS,
    TERMINAL_ID_PATTERN,
    TIANMEN,
    EmissionStage,
    MachineKind,
    MachineRegistered,
    PowerType,
    TerminalBound,
    machine_registered_v1_to_v2,
)

__all__ = [
    "HOISTING_KINDS",
    "TERMINAL_ID_PATTERN",
    "TIANMEN",
    "Contact",
    "EmissionStage",
    "EnterpriseContactsChanged",
    "EnterpriseDetailsChanged",
    "EnterpriseRegistered",
    "MachineKind",
    "MachineRegistered",
    "PowerType",
    "TerminalBound",
    "enterprise_registered_v1_to_v2",
    "enterprise_registered_v2_to_v3",
    "machine_registered_v1_to_v2",
]
