"""What callers ask the registry to do. Plain data; the edges parse, `decide` judges."""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_events.registry import MachineKind


@dataclass(frozen=True)
class RegisterEnterprise:
    uscc: str
    name: str
    address: str = ""


@dataclass(frozen=True)
class RegisterMachine:
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str


@dataclass(frozen=True)
class BindTerminal:
    machine_id: str
    terminal_id: str


Command = RegisterEnterprise | RegisterMachine | BindTerminal
