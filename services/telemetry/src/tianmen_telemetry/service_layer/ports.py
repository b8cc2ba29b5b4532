"""What the service layer needs from the outside world."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.domain.ingest import Binding


class SinkUnavailable(Exception):
    """Not every report was confirmed durable (some may be); the caller retries the batch."""


class ReportSink(Protocol):
    def publish(self, reports: Sequence[TerminalReported]) -> None:
        """Return only once every report is durable; raise `SinkUnavailable` otherwise."""


class BindingLookup(Protocol):
    def __call__(self, terminal_ids: Iterable[str]) -> Mapping[str, Binding]: ...
