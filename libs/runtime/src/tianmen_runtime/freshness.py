"""How current a process's derived reads are: its consumers' lag, measured against the broker's
end offsets, and when it was measured. The HTTP edge puts it on every read (`X-Consumer-Lag`,
`X-Lag-Measured-At`), so "ready but 35 s stale" is visible instead of silent.

A process that runs the consumer knows its lag itself (`record`). An API process reads what the
workers wrote to the store (`read_from`), so an API apart from its workers, or beside other
replicas' workers, still says how current its reads are.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tianmen_runtime import lag_store


@dataclass(frozen=True)
class Lag:
    messages: int
    measured_at: datetime


_lags: dict[str, Lag | None] = {}
_lock = threading.Lock()
_store: list[tuple[Engine, str]] = []
_cache: dict[str, tuple[float, dict[str, str]]] = {}
CACHE_S = 1.0


def expect(consumer: str) -> None:
    """A consumer of this process that has not measured its lag yet (reads are of unknown age)."""
    with _lock:
        _lags.setdefault(consumer, None)


def record(consumer: str, messages: int, measured_at: datetime | None = None) -> None:
    with _lock:
        _lags[consumer] = Lag(messages, measured_at or datetime.now(UTC))


def read_from(engine: Engine, consumer: str) -> None:
    """Take the lag of `consumer` from the store its workers write to, not from this process."""
    with _lock:
        _store[:] = [(engine, consumer)]
        _cache.clear()


def reads_store() -> bool:
    return bool(_store)


def headers() -> dict[str, str]:
    """The freshness headers of this process's reads; none if it runs and reads no consumer."""
    with _lock:
        lags = dict(_lags)
        store = list(_store)
    if store:
        return _from_store(*store[0])
    return _headers(lags)


def known() -> dict[str, str] | None:
    """The headers if they need no query (none due this second), else None: ask `headers`."""
    with _lock:
        lags = dict(_lags)
        store = list(_store)
    if not store:
        return _headers(lags)
    cached = _cache.get(store[0][1])
    if cached and time.monotonic() - cached[0] < CACHE_S:
        return cached[1]
    return None


def _from_store(engine: Engine, consumer: str) -> dict[str, str]:
    """At most one query a second (reads are many); a store that cannot answer says unknown."""
    cached = _cache.get(consumer)
    if cached and time.monotonic() - cached[0] < CACHE_S:
        return cached[1]
    try:
        found = lag_store.read(engine, consumer)
    except SQLAlchemyError:
        found = None
    lags: dict[str, Lag | None] = {consumer: Lag(*found) if found else None}
    answer = _headers(lags)
    _cache[consumer] = (time.monotonic(), answer)
    return answer


def _headers(lags: dict[str, Lag | None]) -> dict[str, str]:
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
        _store.clear()
        _cache.clear()
