"""Read your writes: a terminal bound a moment ago is waited for, not refused.

The registry answers a bind before telemetry's worker has applied the `TerminalBound` it
published. A report from a terminal telemetry does not know on a machine now (never bound, or
freed) is held for a bounded wait while the binding is in flight; after it, a terminal never
bound is refused, and one freed is judged by its history (a report dated before it left is its
machine's, one after is refused).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

from tianmen_telemetry.domain.bindings import Binding
from tianmen_telemetry.service_layer.ports import BindingLookup


class PatientLookup:
    """A `BindingLookup` that waits up to `wait` seconds for terminals it does not know."""

    def __init__(
        self,
        lookup: BindingLookup,
        wait: float,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        every: float = 0.05,
    ) -> None:
        self.lookup, self.wait, self.every = lookup, wait, every
        self.sleep, self.monotonic = sleep, monotonic

    def __call__(self, terminal_ids: Iterable[str]) -> Mapping[str, Binding]:
        wanted = set(terminal_ids)
        found = self.lookup(wanted)
        deadline = self.monotonic() + self.wait
        while not wanted <= _bound(found) and self.monotonic() < deadline:
            self.sleep(self.every)
            found = self.lookup(wanted)
        return found


def _bound(found: Mapping[str, Binding]) -> set[str]:
    """The terminals on a machine now (one on none may be bound again in a moment)."""
    return {terminal_id for terminal_id, binding in found.items() if binding.bound_now}
