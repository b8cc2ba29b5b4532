"""Frozen dataclasses assembled from their fields without their constructor, on hot paths.

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__` (the
class forbids plain assignment): built once an event or a report, that is most of the cost of
making one (an `EventMeta`'s nine fields: 2-4 times the cost; a telemetry `LiveState`'s fifteen:
4-5 us a report, a quarter of that this way). `assembled` puts the fields into a fresh
instance's `__dict__` at once. Given every field, in the class's order, the instance is the
constructor's: equal, the same hash, the same `vars` (`tests/test_frozen.py`). It runs no
`__post_init__` and fills no default, so it is only for classes without either, from values
our own code has already typed; everywhere else, call the class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

_new = object.__new__


def assembled(cls: type[T], fields: Mapping[str, Any] | Iterable[tuple[str, Any]], /) -> T:
    """An instance of `cls` with `fields` (a mapping, say a dict literal, or name/value pairs)
    set. A dict, not keywords: packing keywords costs a call ~0.3 us, most of what it saves."""
    instance: T = _new(cls)
    instance.__dict__.update(fields)
    return instance
