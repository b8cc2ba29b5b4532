"""One row of an imported register -> the commands it stands for, or the column at fault."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from tianmen_events.errors import DomainError
from tianmen_events.registry import EmissionStage, MachineKind, PowerType

from tianmen_registry.domain.commands import RegisterEnterprise, RegisterMachine

REQUIRED = ("uscc", "enterprise_name", "kind", "brand", "model", "serial_number")
TEXTS = (
    "brand",
    "model",
    "serial_number",
    "engine_number",
    "environmental_code",
    "crane_filing_number",
)
T = TypeVar("T")
S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class ImportedRow:
    enterprise: RegisterEnterprise
    machine: RegisterMachine  # its enterprise_id is filled in once the enterprise is known


def missing_columns(header: set[str]) -> list[str]:
    return [column for column in REQUIRED if column not in header]


def parse_row(row: Mapping[str, str], actor: str | None = None) -> ImportedRow:
    """The row's commands; a `DomainError` whose field is the column at fault."""
    for column in REQUIRED:
        if not row.get(column, "").strip():
            raise DomainError("required", field=column)
    jurisdiction = row.get("jurisdiction_code") or None
    enterprise = RegisterEnterprise(
        uscc=row["uscc"], name=row["enterprise_name"], jurisdiction_code=jurisdiction, actor=actor
    )
    texts: dict[str, Any] = {name: row.get(name, "") for name in TEXTS}
    machine = RegisterMachine(
        enterprise_id="",
        kind=_parse(row, "kind", lambda v: _enum(MachineKind, v)),
        jurisdiction_code=jurisdiction,
        manufacture_date=_optional(row, "manufacture_date", date.fromisoformat),
        rated_power_kw=_optional(row, "rated_power_kw", float),
        emission_stage=_optional(row, "emission_stage", lambda v: _enum(EmissionStage, v)),
        power_type=_optional(row, "power_type", lambda v: _enum(PowerType, v)),
        actor=actor,
        **texts,
    )
    return ImportedRow(enterprise, machine)


def _enum(kind: type[S], value: str) -> S:
    return kind(value.strip().lower() if kind is not EmissionStage else value.strip().upper())


def _optional(row: Mapping[str, str], column: str, parse: Callable[[str], T]) -> T | None:
    return _parse(row, column, parse) if row.get(column, "").strip() else None


def _parse(row: Mapping[str, str], column: str, parse: Callable[[str], T]) -> T:
    try:
        return parse(row[column].strip())
    except ValueError as exc:
        raise DomainError(f"cannot read {row[column]!r}", field=column) from exc
