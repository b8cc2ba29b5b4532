"""The handler table of a service: which handlers run for which event type, checked by mypy.

    handlers = EventHandlers().on(AlertRaised, when_alert_raised_record_violation)

`on` takes the event class and a handler whose first parameter is that class, so mypy refuses a
handler registered for the wrong event; dispatch is by the event's exact type, so no handler
needs an `isinstance` guard. Handlers of one type run in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TypeVar, cast

from tianmen_events import DomainEvent, EventMeta

from tianmen_runtime.unit_of_work import UnitOfWork

E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[DomainEvent, EventMeta, UnitOfWork], None]
"""A handler as the table stores it; `on` guarantees it only ever sees its own event type."""


class EventHandlers(Mapping[type[DomainEvent], Sequence[Handler]]):
    """An immutable table of event handlers; `on` returns a new table with one more entry."""

    def __init__(self, table: Mapping[type[DomainEvent], tuple[Handler, ...]] | None = None):
        self._table = MappingProxyType(dict(table or {}))

    def on(
        self, event_type: type[E], handler: Callable[[E, EventMeta, UnitOfWork], None]
    ) -> EventHandlers:
        # The cast is safe: `for_event` hands a handler only events of exactly `event_type`.
        stored = cast(Handler, handler)
        return EventHandlers({**self._table, event_type: (*self.get(event_type, ()), stored)})

    def for_event(self, event: DomainEvent) -> Sequence[Handler]:
        return self._table.get(type(event), ())

    def handle(self, event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
        """Run every handler of the event's type (none for a type nobody registered)."""
        for handler in self.for_event(event):
            handler(event, meta, uow)

    def __getitem__(self, event_type: type[DomainEvent]) -> Sequence[Handler]:
        return self._table[event_type]

    def __iter__(self) -> Iterator[type[DomainEvent]]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)
