"""Sub-package reassembly (§4.4.3.4): a long message arrives as packages 1..total.

The packages of one message carry consecutive serial numbers, so the message is keyed by the
phone, the message id, the total and the serial of package 1. What is pending is bounded in
count and bytes (the oldest message is dropped first) and in age (`max_age` seconds).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from tianmen_telemetry.jt808.errors import ProtocolError
from tianmen_telemetry.jt808.header import Header

Key = tuple[str, int, int, int]


@dataclass
class _Pending:
    started: float
    parts: dict[int, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts.values())


class Reassembler:
    def __init__(
        self, *, max_pending: int = 16, max_bytes: int = 256 * 1024, max_age: float = 60.0
    ) -> None:
        self._pending: OrderedDict[Key, _Pending] = OrderedDict()
        self._max_pending, self._max_bytes, self._max_age = max_pending, max_bytes, max_age
        self._bytes = 0
        self.dropped = 0  # incomplete messages given up (too many, too large, or too old)

    def add(self, header: Header, body: bytes, *, now: float) -> bytes | None:
        """The whole body once every package arrived, else None."""
        package = header.package
        if package is None:
            return body
        first = (header.serial - (package.index - 1)) & 0xFFFF
        key = (header.phone, header.message_id, package.total, first)
        pending = self._pending.get(key) or self._start(key, now)
        known = pending.parts.get(package.index)
        if known is not None and known != body:
            raise ProtocolError(f"package {package.index} of {key} resent with other bytes")
        if known is None:
            self._make_room(key, len(body))
            pending.parts[package.index] = body
            self._bytes += len(body)
        if len(pending.parts) < package.total:
            return None
        self._drop(key, completed=True)
        return b"".join(pending.parts[i] for i in range(1, package.total + 1))

    def expire(self, *, now: float) -> None:
        if not self._pending:
            return  # nearly always: it runs for every frame
        for key in [k for k, p in self._pending.items() if now - p.started > self._max_age]:
            self._drop(key)

    def _start(self, key: Key, now: float) -> _Pending:
        self.expire(now=now)
        while len(self._pending) >= self._max_pending:
            self._drop(next(iter(self._pending)))
        self._pending[key] = _Pending(now)
        return self._pending[key]

    def _make_room(self, key: Key, size: int) -> None:
        while self._bytes + size > self._max_bytes:
            oldest = next(k for k in self._pending)
            self._drop(oldest)
            if oldest == key:
                raise ProtocolError(f"message {key} exceeds {self._max_bytes} bytes in packages")

    def _drop(self, key: Key, *, completed: bool = False) -> None:
        self._bytes -= self._pending.pop(key).size
        self.dropped += 0 if completed else 1

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def buffered_bytes(self) -> int:
        return self._bytes
