"""The calendar and the terminal reports of the year-of-events scenario (test_safety_year).

The year is event time: it ends before today and crosses a scoring-cycle boundary (1 January,
Asia/Shanghai) at least two months back, so that the new cycle has room for its events."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Any

import httpx

SHANGHAI = timezone(timedelta(hours=8))
SPOT = {"latitude": 30.6012, "longitude": 113.0512}  # away from the zones other tests declare
RUN = 28
"""Reports ten minutes apart in a continuous-work run: 4.5 h without a break (the limit is 4)."""


def cycle_boundary(now: datetime) -> datetime:
    """The latest new year's midnight at least two months before `now`: the old cycle ends."""
    local = now.astimezone(SHANGHAI)
    year = local.year if local >= datetime(local.year, 3, 1, tzinfo=SHANGHAI) else local.year - 1
    return datetime(year, 1, 1, tzinfo=SHANGHAI)


def on(boundary: datetime, days: int, at: time) -> datetime:
    """`days` from the boundary (negative: in the old cycle), at a local time of day."""
    return datetime.combine((boundary + timedelta(days=days)).date(), at, tzinfo=SHANGHAI)


def report(terminal_id: str, at: datetime, *, working: bool = True, **extra: Any) -> Any:
    return {
        "terminal_id": terminal_id,
        "reported_at": at.isoformat(),
        "working": working,
        **SPOT,
        **extra,
    }


def tampered(terminal_id: str, at: datetime) -> Any:
    """A parked machine whose terminal reports its power cut (JT/T 808 alarm bit 8)."""
    return report(terminal_id, at, working=False, alarms=["power_cut"])


def run(terminal_id: str, start: datetime) -> list[Any]:
    """Working reports ten minutes apart for 4.5 h: one overlong-work alert."""
    return [report(terminal_id, start + timedelta(minutes=10 * n)) for n in range(RUN)]


def send(gateway: httpx.Client, reports: list[Any]) -> None:
    """As the terminal platform does, oldest first."""
    ordered = sorted(reports, key=lambda r: (r["terminal_id"], r["reported_at"]))
    for start in range(0, len(ordered), 500):
        answer = gateway.post("/telemetry/reports", json={"reports": ordered[start : start + 500]})
        assert answer.status_code == 202, answer.text


def is_night(at: datetime) -> bool:
    """Outside the permitted hours 06:00-22:00 (Asia/Shanghai): telemetry's night-work rule."""
    return not 6 <= at.astimezone(SHANGHAI).hour < 22
