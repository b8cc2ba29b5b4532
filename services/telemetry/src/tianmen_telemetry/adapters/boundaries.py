"""Site and zone boundaries as read for a transaction: the stored JSON text, parsed once per
text into a `Polygon`."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Text, cast

from tianmen_telemetry.domain.geometry import Polygon, polygon_of


def as_text(boundary: ColumnElement[Any]) -> ColumnElement[Any]:
    """A boundary column as the stored JSON text, under its own name: the key of its parsed
    polygon."""
    return cast(boundary, Text).label("boundary")


@lru_cache(maxsize=4096)
def polygon(boundary: str) -> Polygon:
    """Parsed once per text, not once per transaction: the same sites and zones are read by
    every transaction (a Polygon is immutable; bounded, so a city's boundaries fit)."""
    return polygon_of(json.loads(boundary))
