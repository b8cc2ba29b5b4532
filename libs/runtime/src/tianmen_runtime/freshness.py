"""How current a process's derived reads are: its consumers' lag, measured against the broker's
end offsets, and when it was measured. The HTTP edge puts it on every read (`X-Consumer-Lag`,
`X-Lag-Measured-At`), so "ready but 35 s stale" is visible instead of silent.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Lag:
    messages: int
    measured_at: datetime


_lags: dict[str, Lag | None] = {}
_lock = threading.Lock()


def expect(consumer: str) -> None:
    """A consumer of this process that has not measured its lag yet (reads are of unknown age)."""
    with _lock:
        _lags.setdefault(consumer, None)


def record(consumer: str, messages: int, measured_at: datetime | None = None) -> None:
    with _lock:
        _lags[consumer] = Lag(messages, measured_at or datetime.now(UTC))


def headers() -> dict[str, str]:
    """The freshness headers of this process's reads; none if it runs no consumer."""
    with _lock:
        lags = dict(_lags)
    if not lags:
        return {}
    if any(lag is None for lag in lags.values()):
        return {"x-consumer-lag": "unknown"}
    known = [lag for lag in lags.values() if lag is not None]
    oldest = min(lag.measured_at for lag in known)
    return {
        "x-consumer-lag": str(sum(lag.messages for lag in known)),
        "x-lag-measured-at": oldest.isoformat(timespec="seconds"),
    }


def reset() -> None:
    with _lock:
        _lags.clear()
