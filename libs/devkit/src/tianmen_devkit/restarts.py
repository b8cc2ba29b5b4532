"""Restart with backoff, as the kubelet does: a process that dies is started again after 1 s,
then 2, 4, … up to 30 s while it keeps dying; one that ran a minute starts again at 1 s."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Restarts:
    initial_s: float = 1.0
    maximum_s: float = 30.0
    stable_after_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    started_at: dict[str, float] = field(default_factory=dict)
    delay_s: dict[str, float] = field(default_factory=dict)
    due_at: dict[str, float] = field(default_factory=dict)

    def started(self, name: str) -> None:
        self.started_at[name] = self.clock()
        self.due_at.pop(name, None)

    def pending(self, name: str) -> bool:
        """A restart of `name` is scheduled and not yet done."""
        return name in self.due_at

    def schedule(self, name: str) -> float:
        """`name` was found dead: when to start it again (seconds from now)."""
        ran = self.clock() - self.started_at.get(name, self.clock())
        previous = self.delay_s.get(name)
        if previous is None or ran >= self.stable_after_s:
            delay = self.initial_s
        else:
            delay = min(previous * 2, self.maximum_s)
        self.delay_s[name] = delay
        self.due_at[name] = self.clock() + delay
        return delay

    def due(self, name: str) -> bool:
        return name in self.due_at and self.clock() >= self.due_at[name]
