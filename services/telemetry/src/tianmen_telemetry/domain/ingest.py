"""Accepting a batch of reports: every report must pass, or nothing is accepted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.bindings import Binding, Holder
from tianmen_telemetry.domain.commands import Report, SubmitReports

__all__ = ["AcceptanceWindow", "Binding", "RefusedReports", "accept_reports", "report_id"]


@dataclass(frozen=True)
class AcceptanceWindow:
    """How old a report may be (a buffered 0x0704 batch arrives days late, never decades), and
    how far a terminal's clock may run ahead of ours."""

    max_age: timedelta = timedelta(days=7)
    max_ahead: timedelta = timedelta(minutes=10)

    def too_old(self, at: datetime, now: datetime) -> bool:
        return now - at > self.max_age

    def too_new(self, at: datetime, now: datetime) -> bool:
        return at - now > self.max_ahead


DEFAULT_WINDOW = AcceptanceWindow()


class RefusedReports(DomainError):
    """Some reports of the batch break one rule: `fields` names every one, `reason` the rule."""

    title = "Reports refused"
    reason = "report refused"

    def __init__(
        self, fields: tuple[str, ...], values: tuple[str, ...], reason: str | None = None
    ) -> None:
        self.reason = reason or self.reason
        listed = ", ".join(f"{f} ({v})" for f, v in zip(fields, values, strict=True))
        super().__init__(f"{self.reason}: {listed}", field=fields[0])
        self.fields = fields


class UnknownTerminals(RefusedReports):
    """Some reports come from terminals bound to no machine (now, or at the report's time)."""

    title = "Unknown terminal"
    reason = "terminal not bound to any machine"


class ReportsOutsideTheWindow(RefusedReports):
    """Some reports are dated before the acceptance window, or too far ahead of our clock."""

    title = "Report outside the acceptance window"


class ReportsFromTheFuture(ReportsOutsideTheWindow):
    title = "Report from the future"


class ConflictingDuplicates(RefusedReports):
    """Two reports of one terminal at one instant that say different things."""

    title = "Conflicting duplicate reports"
    reason = "another report of this terminal at this instant says otherwise"


def report_id(report: Report) -> str:
    """The same instant names the same report, whatever offset the terminal wrote it in."""
    instant = report.reported_at.astimezone(UTC).isoformat()
    return derive_id("report", report.terminal_id, instant)


def accept_reports(
    cmd: SubmitReports,
    bindings: Mapping[str, Binding],
    *,
    now: datetime,
    window: AcceptanceWindow = DEFAULT_WINDOW,
) -> list[TerminalReported]:
    """The events for the batch, a report sent twice once; raises a `RefusedReports` naming
    every report at fault."""
    reports = cmd.reports
    _refuse(UnknownTerminals, None, reports, "terminal_id", lambda r: r.terminal_id not in bindings)
    _refuse(
        ReportsOutsideTheWindow,
        f"reported_at is more than {window.max_age.days} days in the past",
        reports,
        "reported_at",
        lambda r: window.too_old(r.reported_at, now),
    )
    _refuse(
        ReportsFromTheFuture,
        f"reported_at is more than {int(window.max_ahead.total_seconds() // 60)} minutes "
        "in the future",
        reports,
        "reported_at",
        lambda r: window.too_new(r.reported_at, now),
    )
    at_time = "terminal not bound to any machine at reported_at"
    _refuse(
        UnknownTerminals, at_time, reports, "terminal_id", lambda r: _holder(r, bindings) is None
    )
    return _once_each(reports, bindings)


def _refuse(
    error: type[RefusedReports],
    reason: str | None,
    reports: tuple[Report, ...],
    field: str,
    faulty: Callable[[Report], bool],
) -> None:
    offenders = [(i, r) for i, r in enumerate(reports) if faulty(r)]
    if offenders:
        fields = tuple(f"reports.{i}.{field}" for i, _ in offenders)
        values = tuple(str(_value(r, field)) for _, r in offenders)
        raise error(fields, values, reason)


def _value(report: Report, field: str) -> object:
    value = getattr(report, field)
    return value.isoformat() if isinstance(value, datetime) else value


def _holder(report: Report, bindings: Mapping[str, Binding]) -> Holder | None:
    return bindings[report.terminal_id].holder_at(report.reported_at)


def _once_each(
    reports: tuple[Report, ...], bindings: Mapping[str, Binding]
) -> list[TerminalReported]:
    """One event per report id; the same id saying something else refuses the batch."""
    events: dict[str, TerminalReported] = {}
    for i, report in enumerate(reports):
        event = _reported(report, _holder(report, bindings))
        first = events.setdefault(event.report_id, event)
        if first.model_dump(exclude={"reported_at"}) != event.model_dump(exclude={"reported_at"}):
            raise ConflictingDuplicates((f"reports.{i}",), (event.report_id,))
    return list(events.values())


def _reported(report: Report, holder: Holder | None) -> TerminalReported:
    assert holder is not None, "refused above"
    return TerminalReported(
        report_id=report_id(report),
        terminal_id=report.terminal_id,
        machine_id=holder.machine_id,
        enterprise_id=holder.enterprise_id,
        reported_at=report.reported_at,
        latitude=report.latitude,
        longitude=report.longitude,
        working=report.working,
        engine_hours=report.engine_hours,
        fuel_level_pct=report.fuel_level_pct,
        alarms=tuple(sorted(set(report.alarms))),
        engine_number=report.engine_number,
        mileage_km=report.mileage_km,
    )
