"""The enterprise aggregate: registered once per USCC."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import singledispatch

from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict
from tianmen_events.registry import EnterpriseRegistered

from tianmen_registry.domain.commands import RegisterEnterprise
from tianmen_registry.domain.uscc import division_code, validate_uscc


@dataclass(frozen=True)
class Enterprise:
    enterprise_id: str
    uscc: str
    name: str
    division_code: str
    address: str


def enterprise_id_for(uscc: str) -> str:
    """The enterprise's id, derived from its (canonical) USCC: one enterprise per code."""
    return derive_id("enterprise", validate_uscc(uscc))


def evolve(state: Enterprise | None, event: DomainEvent) -> Enterprise | None:
    return _evolve(event, state)


@singledispatch
def _evolve(event: DomainEvent, state: Enterprise | None) -> Enterprise | None:
    return state  # an event the enterprise does not know changes nothing


@_evolve.register
def _registered(event: EnterpriseRegistered, state: Enterprise | None) -> Enterprise | None:
    return Enterprise(
        event.enterprise_id, event.uscc, event.name, event.division_code, event.address
    )


def fold(events: Iterable[DomainEvent]) -> Enterprise | None:
    state: Enterprise | None = None
    for event in events:
        state = evolve(state, event)
    return state


def decide_register(state: Enterprise | None, cmd: RegisterEnterprise) -> list[DomainEvent]:
    uscc = validate_uscc(cmd.uscc)
    if state is not None:
        raise Conflict(f"an enterprise with USCC {uscc} is already registered", field="uscc")
    return [
        EnterpriseRegistered(
            enterprise_id=enterprise_id_for(uscc),
            uscc=uscc,
            name=cmd.name,
            division_code=division_code(uscc),
            address=cmd.address,
        )
    ]
