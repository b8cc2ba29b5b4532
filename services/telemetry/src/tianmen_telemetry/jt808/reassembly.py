"""Sub-package reassembly (§4.4.3.4): a long message arrives as packages 1..total.

The packages of one message carry consecutive serial numbers, so the message is keyed by the
phone, the message id, the total and the serial of package 1. Pending messages are bounded in
count (the oldest is dropped) and in age (`expire` drops those older than `max_age` seconds).
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


class Reassembler:
    def __init__(self, *, max_pending: int = 16, max_age: float = 60.0) -> None:
        self._pending: OrderedDict[Key, _Pending] = OrderedDict()
        self._max_pending = max_pending
        self._max_age = max_age
        self.dropped = 0  # incomplete messages given up (too many pending, or too old)

    def add(self, header: Header, body: bytes, *, now: float) -> bytes | None:
        """The whole body once every package arrived, else None."""
        package = header.package
        if package is None:
            return body
        first = (header.serial - (package.index - 1)) & 0xFFFF
        key = (header.phone, header.message_id, package.total, first)
        pending = self._pending.get(key) or self._start(key, now)
        if pending.parts.setdefault(package.index, body) != body:
            raise ProtocolError(f"package {package.index} of {key} resent with other bytes")
        if len(pending.parts) < package.total:
            return None
        del self._pending[key]
        return b"".join(pending.parts[i] for i in range(1, package.total + 1))

    def expire(self, *, now: float) -> None:
        for key in [k for k, p in self._pending.items() if now - p.started > self._max_age]:
            del self._pending[key]
            self.dropped += 1

    def _start(self, key: Key, now: float) -> _Pending:
        self.expire(now=now)
        while len(self._pending) >= self._max_pending:
            self._pending.popitem(last=False)
            self.dropped += 1
        self._pending[key] = _Pending(now)
        return self._pending[key]

    def __len__(self) -> int:
        return len(self._pending)
