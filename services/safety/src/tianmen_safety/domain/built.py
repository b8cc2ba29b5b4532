"""Events our own code builds on the hot path, from values it has already typed, without pydantic
validating each of them again.

Validating a model's keywords (`CaseOpened(...)`) costs ~1-2 us an event, and a replayed alert
builds four (its case opened and confirmed, the violation and its deduction) from values that
are already of their fields' types: decoded events' fields, rule-table members, ints this code
computed. `built` sets the instance's fields at once, as `BaseModel.model_construct` does (which
walks every field's aliases in Python, slower than validating). Given every field, in the
class's order, each of its declared type, the event is the validated one: equal, the same
fields set, the same JSON (`tests/unit/test_built.py` holds each builder to it). Anything that
is not so (a caller's input, a value read back from a row) goes through the class.
"""

from __future__ import annotations

from typing import Any, TypeVar

from tianmen_events import DomainEvent

E = TypeVar("E", bound=DomainEvent)

_set = object.__setattr__


def built(cls: type[E], fields: dict[str, Any], /) -> E:
    """An event of `cls` with `fields`: all of them, in the class's order, already typed."""
    event = cls.__new__(cls)
    _set(event, "__dict__", fields)
    _set(event, "__pydantic_fields_set__", set(fields))
    _set(event, "__pydantic_extra__", None)
    _set(event, "__pydantic_private__", None)
    return event
