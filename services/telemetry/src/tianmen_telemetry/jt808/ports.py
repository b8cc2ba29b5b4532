"""What the JT/T 808 server needs from the service: who is bound, and where reports go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tianmen_telemetry.domain.commands import Report


class TerminalBindings(Protocol):
    def machine_of(self, terminal_id: str) -> str | None:
        """The machine the registry has bound this terminal to now (as last projected); None:
        on no machine, so the terminal is refused."""


class ReportIntake(Protocol):
    def submit(self, reports: Sequence[Report]) -> None:
        """Return once every report is durable; raise `RefusedReports` (none accepted) or
        `SinkUnavailable` (not confirmed: the terminal resends and ids make that harmless)."""
