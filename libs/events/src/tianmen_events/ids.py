"""Deterministic ids: derived from their cause with uuid5, so a replay derives the same ids."""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.UUID("6f1c9a52-4a3e-5f0e-9c1d-7a1e5b2c3d40")
_HASHED_NAMESPACE = hashlib.sha1(NAMESPACE.bytes, usedforsecurity=False)


def derive_id(*parts: object) -> str:
    """A stable id for the thing identified by `parts` (e.g. ``derive_id("enterprise", uscc)``):
    ``str(uuid.uuid5(NAMESPACE, "/".join(parts)))``, computed without building a `UUID` (three
    ids an alert: uuid5's object made a noticeable part of a replay's cost)."""
    digest = _HASHED_NAMESPACE.copy()
    digest.update("/".join(map(str, parts)).encode())
    value = bytearray(digest.digest()[:16])
    value[6] = (value[6] & 0x0F) | 0x50  # version 5
    value[8] = (value[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = value.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
