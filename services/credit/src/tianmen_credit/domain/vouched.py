"""The event time credit has seen, vouched for by more than one subject: the latest event time
that two subjects (an enterprise, a machine: the events' keys) have each reached.

A single event dated far in the future moves only its own subject, so it cannot expire every
other enterprise's items early (decision 69); once a second subject's events reach a time, so
does the clock. The leading subjects' latest times are a function of the set of events, so a
replay in any interleaving ends on the same clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

QUORUM = 2
Lead = tuple[str, datetime]
"""A subject and the latest event time among its events."""


def leading(leads: Sequence[Lead], seen: Iterable[Lead], quorum: int = QUORUM) -> list[Lead]:
    """The `quorum` subjects with the latest event times once `seen` are counted (ties by
    subject). Keeping only these is exact: a subject left out is behind them for good, until
    an event of its own moves it ahead."""
    latest = dict(leads)
    for subject, at in seen:
        if subject not in latest or at > latest[subject]:
            latest[subject] = at
    ranked = sorted(latest.items(), key=lambda lead: (-lead[1].timestamp(), lead[0]))
    return ranked[:quorum]


def vouched(leads: Sequence[Lead], quorum: int = QUORUM) -> datetime | None:
    """The latest event time `quorum` subjects have reached; None until that many have."""
    return leads[quorum - 1][1] if len(leads) >= quorum else None
