"""The enterprise aggregate: registered once per USCC, in one jurisdiction; details change."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from functools import singledispatch

from tianmen_events import DomainEvent, derive_id
from tianmen_events.errors import Conflict, NotFound
from tianmen_events.registry import (
    EnterpriseContactsChanged,
    EnterpriseDetailsChanged,
    EnterpriseRegistered,
)

from tianmen_registry.domain.commands import (
    ChangeEnterpriseContacts,
    ChangeEnterpriseDetails,
    RegisterEnterprise,
)
from tianmen_registry.domain.contacts import clean_contacts
from tianmen_registry.domain.divisions import DivisionTable
from tianmen_registry.domain.jurisdictions import Jurisdictions
from tianmen_registry.domain.text import clean_text
from tianmen_registry.domain.uscc import division_code, validate_uscc

NAME_LENGTH, ADDRESS_LENGTH = 200, 500


@dataclass(frozen=True)
class Enterprise:
    enterprise_id: str
    uscc: str
    name: str
    division_code: str
    address: str
    jurisdiction_code: str


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
        event.enterprise_id,
        event.uscc,
        event.name,
        event.division_code,
        event.address,
        event.jurisdiction_code,
    )


@_evolve.register
def _changed(event: EnterpriseDetailsChanged, state: Enterprise | None) -> Enterprise | None:
    if state is None:
        return None
    given = {"name": event.name, "address": event.address}
    given["jurisdiction_code"] = event.jurisdiction_code
    return dataclasses.replace(state, **{k: v for k, v in given.items() if v is not None})


def fold(events: Iterable[DomainEvent]) -> Enterprise | None:
    state: Enterprise | None = None
    for event in events:
        state = evolve(state, event)
    return state


def decide_register(
    state: Enterprise | None,
    cmd: RegisterEnterprise,
    jurisdictions: Jurisdictions,
    divisions: DivisionTable,
) -> list[DomainEvent]:
    uscc = validate_uscc(cmd.uscc)
    divisions.name_of(division_code(uscc))
    name = clean_text(cmd.name, "name", max_length=NAME_LENGTH)
    address = clean_text(cmd.address, "address", max_length=ADDRESS_LENGTH, required=False)
    jurisdiction = jurisdictions.resolve(cmd.jurisdiction_code)
    contacts = clean_contacts(cmd.contacts)
    if state is not None:
        raise Conflict(f"an enterprise with USCC {uscc} is already registered", field="uscc")
    enterprise_id = enterprise_id_for(uscc)
    registered = EnterpriseRegistered(
        enterprise_id=enterprise_id,
        uscc=uscc,
        name=name,
        division_code=division_code(uscc),
        address=address,
        jurisdiction_code=jurisdiction,
        actor=cmd.actor,
    )
    if not contacts:
        return [registered]
    return [
        registered,
        EnterpriseContactsChanged(enterprise_id=enterprise_id, contacts=contacts, actor=cmd.actor),
    ]


def decide_change_details(
    state: Enterprise | None, cmd: ChangeEnterpriseDetails, jurisdictions: Jurisdictions
) -> list[DomainEvent]:
    """Only what differs from the current details is recorded; no difference, no event."""
    existing = _existing(state, cmd.enterprise_id)
    asked = {
        "name": None if cmd.name is None else clean_text(cmd.name, "name", max_length=NAME_LENGTH),
        "address": None
        if cmd.address is None
        else clean_text(cmd.address, "address", max_length=ADDRESS_LENGTH, required=False),
        "jurisdiction_code": None
        if cmd.jurisdiction_code is None
        else jurisdictions.get(cmd.jurisdiction_code).code,
    }
    changed = {k: v for k, v in asked.items() if v is not None and v != getattr(existing, k)}
    if not changed:
        return []
    return [
        EnterpriseDetailsChanged(enterprise_id=existing.enterprise_id, actor=cmd.actor, **changed)
    ]


def decide_change_contacts(
    state: Enterprise | None, cmd: ChangeEnterpriseContacts
) -> list[DomainEvent]:
    existing = _existing(state, cmd.enterprise_id)
    contacts = clean_contacts(cmd.contacts)
    return [
        EnterpriseContactsChanged(
            enterprise_id=existing.enterprise_id, contacts=contacts, actor=cmd.actor
        )
    ]


def _existing(state: Enterprise | None, enterprise_id: str) -> Enterprise:
    if state is None:
        raise NotFound(f"no enterprise {enterprise_id} is registered", field="enterprise_id")
    return state
