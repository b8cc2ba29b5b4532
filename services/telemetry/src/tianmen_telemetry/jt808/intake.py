"""The ports implemented by the service: the same use case and bindings as HTTP ingest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tianmen_telemetry.domain.commands import Report, SubmitReports
from tianmen_telemetry.domain.ingest import DEFAULT_WINDOW, AcceptanceWindow
from tianmen_telemetry.service_layer.handlers import submit_reports
from tianmen_telemetry.service_layer.ports import BindingLookup, ReportSink


class ProjectedBindings:
    """Bound = on a machine now in telemetry's bindings projection (fed by the registry's
    TerminalBound; a terminal the registry unbound, or whose machine took another, is not)."""

    def __init__(self, lookup: BindingLookup) -> None:
        self._lookup = lookup

    def machine_of(self, terminal_id: str) -> str | None:
        binding = self._lookup([terminal_id]).get(terminal_id)
        return None if binding is None else binding.machine_id

    def is_bound(self, terminal_id: str) -> bool:
        return self.machine_of(terminal_id) is not None


class SubmitReportsIntake:
    """Hands a terminal's reports to `submit_reports`, exactly as `POST /reports` does."""

    def __init__(
        self,
        lookup: BindingLookup,
        sink: ReportSink,
        clock: Callable[[], datetime],
        window: AcceptanceWindow = DEFAULT_WINDOW,
    ) -> None:
        """`window`: the service's `REPORT_MAX_AGE` / `REPORT_MAX_AHEAD`, as `POST /reports`'s."""
        self._lookup, self._sink, self._clock, self._window = lookup, sink, clock, window

    def submit(self, reports: Sequence[Report]) -> None:
        submit_reports(
            SubmitReports(tuple(reports)),
            self._lookup,
            self._sink,
            now=self._clock(),
            window=self._window,
        )
