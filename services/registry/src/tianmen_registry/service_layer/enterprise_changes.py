"""Use cases: change an enterprise's public details, replace its contacts."""

from __future__ import annotations

from datetime import datetime

from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_registry.adapters import reference
from tianmen_registry.domain import enterprises
from tianmen_registry.domain.commands import ChangeEnterpriseContacts, ChangeEnterpriseDetails
from tianmen_registry.service_layer.recording import events_of, record, version_of


def change_details(cmd: ChangeEnterpriseDetails, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.enterprise_id)
    state = enterprises.fold(events_of(history))
    new = enterprises.decide_change_details(state, cmd, reference.current().jurisdictions)
    record(uow, cmd.enterprise_id, new, version_of(history), now)
    return cmd.enterprise_id


def change_contacts(cmd: ChangeEnterpriseContacts, uow: UnitOfWork, now: datetime) -> str:
    history = uow.events.load(cmd.enterprise_id)
    new = enterprises.decide_change_contacts(enterprises.fold(events_of(history)), cmd)
    record(uow, cmd.enterprise_id, new, version_of(history), now)
    return cmd.enterprise_id
