"""Which machine a terminal was on, and when: reports are charged to the holder at their time.

A terminal's history is a list of periods, each starting at the time the registry bound (or
released) it. The first period of a terminal has no start: a terminal reports from the machine
it was first bound to, also what it buffered before the registry recorded the binding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Holder:
    """The machine, and its owner, that a terminal's report is charged to."""

    machine_id: str
    enterprise_id: str


@dataclass(frozen=True)
class Period:
    """From `valid_from` (None: since ever) the terminal was on `holder` (None: on no machine)."""

    valid_from: datetime | None
    holder: Holder | None


@dataclass(frozen=True)
class Binding:
    """A terminal's current machine, and its history (newest period first; empty: always)."""

    machine_id: str
    enterprise_id: str
    history: tuple[Period, ...] = ()

    def holder_at(self, at: datetime) -> Holder | None:
        """Who held the terminal at `at`; None if it was on no machine then."""
        for period in self.history:
            if period.valid_from is None or period.valid_from <= at:
                return period.holder
        return None if self.history else Holder(self.machine_id, self.enterprise_id)
