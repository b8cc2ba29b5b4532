"""A machine's fuel tank over time (decision 116): the registered capacity from "ever", then each
amendment from its event time. One rule says which is in force at an instant, for the JT/T 808
server's levels and for the daily litres (decision 120)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

TankHistory = tuple[tuple[datetime | None, float], ...]
"""A machine's tanks, oldest first: (from when, litres); the registered one from None (ever)."""


def tank_at(history: Iterable[tuple[datetime | None, float]], at: datetime) -> float | None:
    """The capacity in force at `at`: the last one said from `at` or before (None: none yet,
    as for a machine registered without a tank and amended later)."""
    litres = None
    for since, capacity in history:
        if since is not None and since > at:
            break
        litres = capacity
    return litres
