"""The HTTP contract of the registry (docs/service-contracts.md, registry); the gateway uses it."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError
from tianmen_events.registry import TERMINAL_ID_PATTERN, MachineKind

from tianmen_registry.domain.uscc import InvalidUscc, validate_uscc


def _uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except InvalidUscc as exc:
        raise PydanticCustomError("uscc", "{reason}", {"reason": exc.detail}) from exc


def _text(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Uscc = Annotated[
    str,
    AfterValidator(_uscc),
    Field(
        description="Unified social credit code (GB 32100-2015)", examples=["914403001922038216"]
    ),
]
TerminalId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=TERMINAL_ID_PATTERN),
    Field(description="JT/T 808 terminal id (its phone number), 11-20 digits"),
]


class RegisterEnterpriseIn(BaseModel):
    uscc: Uscc
    name: Annotated[str, _text(200)]
    address: Annotated[str, _text(500, min_length=0)] | None = None


class RegisterMachineIn(BaseModel):
    enterprise_id: Annotated[str, _text(64)]
    kind: MachineKind
    brand: Annotated[str, _text(100)]
    model: Annotated[str, _text(100)]
    serial_number: Annotated[str, _text(100)]


class BindTerminalIn(BaseModel):
    terminal_id: TerminalId


class EnterpriseView(BaseModel):
    enterprise_id: str
    uscc: str
    name: str
    division_code: str = Field(description="6-digit administrative division code (GB/T 2260)")
    address: str


class MachineView(BaseModel):
    machine_id: str
    enterprise_id: str
    kind: MachineKind
    brand: str
    model: str
    serial_number: str
    terminal_id: str | None
