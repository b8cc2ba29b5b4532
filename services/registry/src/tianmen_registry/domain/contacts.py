"""The people an enterprise names: legal representative, safety officer, contacts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tianmen_events.errors import DomainError
from tianmen_events.registry import Contact

from tianmen_registry.domain.text import clean_text

ROLES = ("legal_representative", "safety_officer", "contact")
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


def clean_contacts(contacts: Iterable[Contact]) -> tuple[Contact, ...]:
    """The contacts checked, in the order given; refusals name `contacts[i].field`."""
    cleaned = tuple(_clean(index, contact) for index, contact in enumerate(contacts))
    for role in ROLES[:2]:
        if sum(contact.role == role for contact in cleaned) > 1:
            raise DomainError(f"at most one {role}", field="contacts")
    return cleaned


def _clean(index: int, contact: Contact) -> Contact:
    where = f"contacts[{index}]"
    if contact.role not in ROLES:
        raise DomainError(f"role must be one of {', '.join(ROLES)}", field=f"{where}.role")
    phone = clean_text(contact.phone, f"{where}.phone", max_length=20, required=False)
    if phone and not PHONE.fullmatch(phone):
        raise DomainError("a phone number is 7-20 digits, spaces or dashes", field=f"{where}.phone")
    name = clean_text(contact.name, f"{where}.name", max_length=50)
    return Contact(role=contact.role, name=name, phone=phone)
