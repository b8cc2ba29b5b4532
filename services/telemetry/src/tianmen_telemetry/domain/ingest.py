"""Accepting a batch of reports: every terminal must be bound, or nothing is accepted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.commands import Report, SubmitReports


@dataclass(frozen=True)
class Binding:
    """Which machine (and owner) a terminal is bound to, as the registry last said."""

    machine_id: str
    enterprise_id: str


class UnknownTerminals(DomainError):
    """Some reports come from terminals bound to no machine; `fields` names every one."""

    def __init__(self, fields: tuple[str, ...], terminal_ids: tuple[str, ...]) -> None:
        listed = ", ".join(f"{f} ({t})" for f, t in zip(fields, terminal_ids, strict=True))
        super().__init__(f"terminal not bound to any machine: {listed}", field=fields[0])
        self.fields = fields


def report_id(report: Report) -> str:
    return derive_id("report", report.terminal_id, report.reported_at.isoformat())


def accept_reports(cmd: SubmitReports, bindings: Mapping[str, Binding]) -> list[TerminalReported]:
    """The events for the batch; raises `UnknownTerminals` if any terminal is unbound."""
    unknown = [
        (i, r.terminal_id) for i, r in enumerate(cmd.reports) if r.terminal_id not in bindings
    ]
    if unknown:
        raise UnknownTerminals(
            tuple(f"reports.{i}.terminal_id" for i, _ in unknown),
            tuple(terminal for _, terminal in unknown),
        )
    return [_reported(r, bindings[r.terminal_id]) for r in cmd.reports]


def _reported(report: Report, binding: Binding) -> TerminalReported:
    return TerminalReported(
        report_id=report_id(report),
        terminal_id=report.terminal_id,
        machine_id=binding.machine_id,
        enterprise_id=binding.enterprise_id,
        reported_at=report.reported_at,
        latitude=report.latitude,
        longitude=report.longitude,
        working=report.working,
        engine_hours=report.engine_hours,
        fuel_level_pct=report.fuel_level_pct,
    )
