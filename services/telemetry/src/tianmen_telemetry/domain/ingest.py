"""Accepting a batch of reports: every report must pass, or nothing is accepted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.commands import Report, SubmitReports

# How far a terminal's clock may run ahead of ours before its reports are refused.
MAX_CLOCK_AHEAD = timedelta(minutes=10)


@dataclass(frozen=True)
class Binding:
    """Which machine (and owner) a terminal is bound to, as the registry last said."""

    machine_id: str
    enterprise_id: str


class RefusedReports(DomainError):
    """Some reports of the batch break one rule: `fields` names every one, `reason` the rule."""

    title = "Reports refused"

    def __init__(self, reason: str, fields: tuple[str, ...], values: tuple[str, ...]) -> None:
        listed = ", ".join(f"{f} ({v})" for f, v in zip(fields, values, strict=True))
        super().__init__(f"{reason}: {listed}", field=fields[0])
        self.reason = reason
        self.fields = fields


class UnknownTerminals(RefusedReports):
    """Some reports come from terminals bound to no machine."""

    title = "Unknown terminal"

    def __init__(self, fields: tuple[str, ...], terminal_ids: tuple[str, ...]) -> None:
        super().__init__("terminal not bound to any machine", fields, terminal_ids)


class ReportsFromTheFuture(RefusedReports):
    """Some reports are dated further ahead of our clock than a terminal's clock may drift."""

    title = "Report from the future"

    def __init__(self, fields: tuple[str, ...], times: tuple[str, ...]) -> None:
        minutes = int(MAX_CLOCK_AHEAD.total_seconds() // 60)
        super().__init__(f"reported_at is more than {minutes} minutes in the future", fields, times)


def report_id(report: Report) -> str:
    """The same instant names the same report, whatever offset the terminal wrote it in."""
    instant = report.reported_at.astimezone(UTC).isoformat()
    return derive_id("report", report.terminal_id, instant)


def accept_reports(
    cmd: SubmitReports, bindings: Mapping[str, Binding], *, now: datetime
) -> list[TerminalReported]:
    """The events for the batch; raises a `RefusedReports` naming every report at fault."""
    unknown = [
        (i, r.terminal_id) for i, r in enumerate(cmd.reports) if r.terminal_id not in bindings
    ]
    if unknown:
        raise UnknownTerminals(*_named(unknown, "terminal_id"))
    future = [
        (i, r.reported_at.isoformat())
        for i, r in enumerate(cmd.reports)
        if r.reported_at - now > MAX_CLOCK_AHEAD
    ]
    if future:
        raise ReportsFromTheFuture(*_named(future, "reported_at"))
    return [_reported(r, bindings[r.terminal_id]) for r in cmd.reports]


def _named(offenders: list[tuple[int, str]], field: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        tuple(f"reports.{i}.{field}" for i, _ in offenders),
        tuple(value for _, value in offenders),
    )


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
