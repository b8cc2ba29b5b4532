"""Site and zone boundaries as read for a transaction: the stored JSON text, parsed once per
text into a `Polygon`."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Table, Text, cast

from tianmen_telemetry.domain.geometry import Polygon, polygon_of


def boundary_as_text(table: Table) -> list[ColumnElement[Any]]:
    """The table's columns, its boundary as the stored JSON text: the key of its parsed polygon."""
    return [as_text(c) if c.name == "boundary" else c for c in table.c]


def as_text(boundary: ColumnElement[Any]) -> ColumnElement[Any]:
    """A boundary column as the stored JSON text, under its own name."""
    return cast(boundary, Text).label("boundary")


@lru_cache(maxsize=4096)
def polygon(boundary: str) -> Polygon:
    """Parsed once per text, not once per transaction: the same sites and zones are read by
    every transaction (a Polygon is immutable; bounded, so a city's boundaries fit)."""
    return polygon_of(json.loads(boundary))
