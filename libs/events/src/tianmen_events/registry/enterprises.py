"""Enterprise events. Personal contact data travels on its own topic, never on the public one."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tianmen_events.base import DomainEvent
from tianmen_events.catalog import Payload, event, upcaster
from tianmen_events.topics import REGISTRY_ENTERPRISE, REGISTRY_ENTERPRISE_CONTACT

TIANMEN_CITY = "429006"  # the city center's jurisdiction code (GB/T 2260 of Tianmen)
JURISDICTION = Field(description="Jurisdiction code: city, station or township (data-defined)")
ACTOR = Field(default=None, description="Who gave the command, when the edge knows")


@event
class EnterpriseRegistered(DomainEvent):
    """v2 added `division_code`; v3 `jurisdiction_code` and `actor`."""

    type = "tianmen.registry.enterprise_registered"
    version = 3
    topic = REGISTRY_ENTERPRISE.name
    subject = "enterprise_id"

    enterprise_id: str
    uscc: str = Field(description="Unified social credit code (GB 32100-2015)")
    name: str
    division_code: str = Field(description="6-digit administrative division code (GB/T 2260)")
    address: str = ""
    jurisdiction_code: str = JURISDICTION
    actor: str | None = ACTOR


@upcaster(EnterpriseRegistered.type, from_version=1)
def enterprise_registered_v1_to_v2(payload: Payload) -> Payload:
    """v1 had no division code; the USCC carries it in characters 3-8 (GB 32100-2015)."""
    return {**payload, "division_code": str(payload["uscc"])[2:8]}


@upcaster(EnterpriseRegistered.type, from_version=2)
def enterprise_registered_v2_to_v3(payload: Payload) -> Payload:
    """Enterprises registered before jurisdictions existed belong to the city center."""
    return {**payload, "jurisdiction_code": TIANMEN_CITY}


@event
class EnterpriseDetailsChanged(DomainEvent):
    """Public details changed; a field left `None` is unchanged."""

    type = "tianmen.registry.enterprise_details_changed"
    topic = REGISTRY_ENTERPRISE.name
    subject = "enterprise_id"

    enterprise_id: str
    name: str | None = None
    address: str | None = None
    jurisdiction_code: str | None = None
    actor: str | None = ACTOR


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: str = Field(description="legal_representative, safety_officer or contact")
    name: str
    phone: str = ""


@event
class EnterpriseContactsChanged(DomainEvent):
    """The enterprise's people and phones, replacing the previous list. Private topic."""

    type = "tianmen.registry.enterprise_contacts_changed"
    topic = REGISTRY_ENTERPRISE_CONTACT.name
    subject = "enterprise_id"

    enterprise_id: str
    contacts: tuple[Contact, ...]
    actor: str | None = ACTOR
