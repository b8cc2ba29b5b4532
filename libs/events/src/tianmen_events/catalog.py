"""The catalog: stable wire type name -> event class, and the upcaster chain for old versions."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tianmen_events.base import DomainEvent

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]
E = TypeVar("E", bound=type[DomainEvent])

_CLASSES: dict[str, type[DomainEvent]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class UnknownEventType(LookupError):
    """The wire type is not in the catalog (or its version is newer than this reader knows)."""


def event(cls: E) -> E:
    """Class decorator: register an event class under its wire type."""
    if cls.type in _CLASSES and _CLASSES[cls.type] is not cls:
        raise ValueError(f"wire type {cls.type} registered twice")
    _CLASSES[cls.type] = cls
    return cls


def upcaster(wire_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function turning a `from_version` payload into a `from_version + 1` payload."""

    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(wire_type, from_version)] = fn
        return fn

    return register


def classes() -> Mapping[str, type[DomainEvent]]:
    _load_contracts()
    return dict(_CLASSES)


def class_for(wire_type: str) -> type[DomainEvent]:
    _load_contracts()
    try:
        return _CLASSES[wire_type]
    except KeyError:
        raise UnknownEventType(wire_type) from None


def has_upcaster(wire_type: str, from_version: int) -> bool:
    _load_contracts()
    return (wire_type, from_version) in _UPCASTERS


def upcast(wire_type: str, version: int, payload: Payload) -> DomainEvent:
    """Bring a stored payload of any known version up to the current model and validate it."""
    cls = class_for(wire_type)
    if version > cls.version:
        raise UnknownEventType(f"{wire_type} v{version} is newer than this reader (v{cls.version})")
    while version < cls.version:
        step = _UPCASTERS.get((wire_type, version))
        if step is None:
            raise UnknownEventType(f"no upcaster for {wire_type} v{version}")
        payload = step(payload)
        version += 1
    return cls.model_validate(payload)


def current_class(wire_type: str, version: int) -> type[DomainEvent] | None:
    """The class of `wire_type` if `version` is its current one (its payload needs no
    upcaster); None for any other version or an unknown type."""
    _load_contracts()
    cls = _CLASSES.get(wire_type)
    return cls if cls is not None and cls.version == version else None


def _load_contracts() -> None:
    # Importing the contract packages registers their classes; done lazily, not at import time
    # of this module, so the catalog has no import cycle with the contracts. Looked up first:
    # an import statement costs a microsecond even when done, and decode asks once an event.
    if "tianmen_events.contracts" not in sys.modules:
        from tianmen_events import contracts  # noqa: F401
