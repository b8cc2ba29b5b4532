"""Deterministic ids: derived from their cause with uuid5, so a replay derives the same ids."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from functools import lru_cache

NAMESPACE = uuid.UUID("6f1c9a52-4a3e-5f0e-9c1d-7a1e5b2c3d40")
_HASHED_NAMESPACE = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}
"""The 17th hex digit with its top two bits set to the RFC 4122 variant (10)."""


def derive_id(*parts: object) -> str:
    """A stable id for the thing identified by `parts` (e.g. ``derive_id("enterprise", uscc)``):
    ``str(uuid.uuid5(NAMESPACE, "/".join(parts)))``, computed as text from the SHA-1's hex
    digest, the version and variant digits written in (no `UUID`, no byte array: four ids an
    alert in a replay, each a noticeable part of its cost)."""
    digest = _HASHED_NAMESPACE.copy()
    digest.update("/".join([p if type(p) is str else str(p) for p in parts]).encode())
    h = digest.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


@lru_cache(maxsize=4096)
def ids_under(*parts: str) -> Callable[[object], str]:
    """``derive_id(*parts, last)`` as a function of `last`, the shared parts hashed once (and
    kept for the aggregates appended to most recently): an aggregate's events share their
    source and aggregate id and differ only by their sequence. The parts are text: equal
    text is the same id, where equal values of other types need not be (1, 1.0 and True are
    one key of the cache, three ids)."""
    prefix = _HASHED_NAMESPACE.copy()
    prefix.update("".join([p + "/" for p in parts]).encode())

    def derive(last: object) -> str:
        digest = prefix.copy()
        digest.update((last if type(last) is str else str(last)).encode())
        h = digest.hexdigest()
        return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"

    return derive
