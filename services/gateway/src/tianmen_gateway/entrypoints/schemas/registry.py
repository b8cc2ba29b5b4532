"""Enterprises and machines (owned by the registry)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from tianmen_events.registry import MachineKind


class EnterpriseCreate(BaseModel):
    uscc: str = Field(description="Unified social credit code, 18 characters (GB 32100-2015)")
    name: str
    address: str | None = None


class EnterpriseView(BaseModel):
    enterprise_id: str
    uscc: str
    name: str
    division_code: str = Field(description="6-digit administrative division (GB/T 2260)")
    address: str


class MachineCreate(BaseModel):
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str = Field(description="Manufacturer's serial (factory) number")


class MachineView(BaseModel):
    machine_id: str
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str
    terminal_id: str | None = None


class TerminalBinding(BaseModel):
    terminal_id: str = Field(description="JT/T 808 terminal id (the terminal's phone number)")
