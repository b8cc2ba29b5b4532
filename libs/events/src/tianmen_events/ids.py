"""Deterministic ids: derived from their cause with uuid5, so a replay derives the same ids."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("6f1c9a52-4a3e-5f0e-9c1d-7a1e5b2c3d40")


def derive_id(*parts: object) -> str:
    """A stable id for the thing identified by `parts` (e.g. ``derive_id("enterprise", uscc)``)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))
