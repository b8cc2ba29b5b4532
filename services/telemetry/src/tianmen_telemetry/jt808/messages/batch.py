"""Batch location upload 0x0704 (§8.45): data items a terminal buffered, e.g. out of coverage.

Body: item count WORD, location data type BYTE (0 regular batch, 1 blind-area supplement),
then per item: length WORD and a 0x0200 body of that length.
"""

from __future__ import annotations

from dataclasses import dataclass

from tianmen_telemetry.jt808.errors import ProtocolError
from tianmen_telemetry.jt808.messages.location import Location
from tianmen_telemetry.jt808.wire import Reader, word

REGULAR = 0
BLIND_AREA = 1


@dataclass(frozen=True)
class BatchLocation:
    kind: int
    locations: tuple[Location, ...]

    def encode(self) -> bytes:
        bodies = [loc.encode() for loc in self.locations]
        items = b"".join(word(len(b)) + b for b in bodies)
        return word(len(bodies)) + bytes([self.kind]) + items

    @classmethod
    def decode(cls, body: bytes) -> BatchLocation:
        r = Reader(body, "batch location")
        count, kind = r.word("item count"), r.byte("location data type")
        locations = tuple(
            Location.decode(r.take(r.word(f"item {i} length"), f"item {i}")) for i in range(count)
        )
        if r.remaining:
            raise ProtocolError(f"batch location: {r.remaining} bytes after {count} items")
        return cls(kind, locations)
