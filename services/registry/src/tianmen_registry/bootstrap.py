"""The composition root: the one place that wires the registry together."""

from __future__ import annotations

from tianmen_events.topics import (
    REGISTRY_APPLICATION,
    REGISTRY_ENTERPRISE,
    REGISTRY_ENTERPRISE_CONTACT,
    REGISTRY_MACHINE,
    REGISTRY_SITE,
    SAFETY_ENTERPRISE,
)
from tianmen_runtime.digest import DigestTable
from tianmen_runtime.projection import Subscription
from tianmen_runtime.service import Service

from tianmen_registry.adapters import orm, orm_counter, reference
from tianmen_registry.config import Settings, get_settings
from tianmen_registry.entrypoints.api import build_api
from tianmen_registry.service_layer import stop_use

NAME = "registry"
SOURCE = f"/tianmen/{NAME}"


def build(settings: Settings | None = None) -> Service:
    """The registry consumes safety's stop-use orders and produces through its outbox.
    Its reference data is read here, so a broken data file stops the start, not a command."""
    reference.current()
    subscription = Subscription(NAME, SOURCE, (SAFETY_ENTERPRISE.name,), stop_use.event_handlers())
    return Service(
        name=NAME,
        settings=settings or get_settings(),
        metadata=orm.metadata,
        build_api=build_api,
        subscription=subscription,
        produces=(
            REGISTRY_ENTERPRISE,
            REGISTRY_ENTERPRISE_CONTACT,
            REGISTRY_MACHINE,
            REGISTRY_APPLICATION,
            REGISTRY_SITE,
        ),
        # Uploaded attachments are content, not state derived from events: not digested.
        digest_tables=tuple(
            DigestTable(table)
            for table in orm.metadata.sorted_tables
            if table is not orm_counter.attachments
        ),
    )
