"""A machine's standing as of a report, folded from what was said about it in event-time order
(then event id), not in the order it arrived: a stop-use order on `registry.machine` and a
lapsed third-party test on `safety.enterprise` give one standing whichever came in first.

What was said, and what it does to the standing it meets:
- `suspended`, `deregistered`, `active` (reinstated): the standing becomes that;
- `review_overdue`, `third_party_test_expired` (high-risk machines only, checked when kept):
  unless the machine is stopped (a stop-use order weighs more);
- `review_passed`: ends an overdue review or an expired test.
A status it already has changes nothing (it keeps the time it began).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tianmen_telemetry.domain.register import (
    ACTIVE,
    DEREGISTERED,
    REVIEW_OVERDUE,
    SUSPENDED,
    TEST_EXPIRED,
    Standing,
)

REVIEW_PASSED = "review_passed"
STOPPING = frozenset({SUSPENDED, DEREGISTERED})
INSPECTION_LAPSED = frozenset({REVIEW_OVERDUE, TEST_EXPIRED})


@dataclass(frozen=True)
class Said:
    """`status` (or `review_passed`) said of the machine from `at`, by event `event_id`."""

    at: datetime
    status: str
    event_id: str

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.at, self.event_id)


def standing_of(said: Iterable[Said]) -> Standing:
    """The standing after everything `said`, folded in event-time order."""
    standing = Standing()
    for item in sorted(said, key=lambda s: s.key):
        status = _after(standing.status, item.status)
        if status != standing.status:
            standing = Standing(status, item.at)
    return standing


def _after(current: str, said: str) -> str:
    if said == REVIEW_PASSED:
        return ACTIVE if current in INSPECTION_LAPSED else current
    if said in INSPECTION_LAPSED and current in STOPPING:
        return current
    return said
