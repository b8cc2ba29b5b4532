"""The ports implemented by the service: the same use case and bindings as HTTP ingest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from tianmen_telemetry.domain.bindings import Binding
from tianmen_telemetry.domain.commands import Report, SubmitReports
from tianmen_telemetry.domain.ingest import DEFAULT_WINDOW, AcceptanceWindow
from tianmen_telemetry.jt808.levels import Tanks, levelled, no_tanks
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
    """Hands a terminal's reports to `submit_reports`, exactly as `POST /reports` does, once
    their fuel litres are a level (`levels.levelled`, with the bindings the batch read)."""

    def __init__(
        self,
        lookup: BindingLookup,
        sink: ReportSink,
        clock: Callable[[], datetime],
        window: AcceptanceWindow = DEFAULT_WINDOW,
        tanks: Tanks = no_tanks,
    ) -> None:
        """`window`: the service's `REPORT_MAX_AGE` / `REPORT_MAX_AHEAD`, as `POST /reports`'s;
        `tanks`: the machines' registered fuel tanks (litres)."""
        self._lookup, self._sink, self._clock, self._window = lookup, sink, clock, window
        self._tanks = tanks

    def submit(self, reports: Sequence[Report]) -> None:
        known = self._lookup(r.terminal_id for r in reports)

        def read(terminal_ids: Iterable[str]) -> Mapping[str, Binding]:
            return known

        submit_reports(
            SubmitReports(tuple(levelled(reports, known, self._tanks))),
            read,
            self._sink,
            now=self._clock(),
            window=self._window,
        )
