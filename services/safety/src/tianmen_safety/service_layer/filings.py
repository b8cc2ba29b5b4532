"""Staff commands that file inspections, tests, campaigns and accidents on a docket: each is
the domain's record of what was filed (by the vouched actor), refused as a conflict when the
same thing (the same derived id) is on file or in flight."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from tianmen_events import DomainEvent
from tianmen_events.errors import Conflict
from tianmen_events.registry.machines import MachineKind
from tianmen_runtime.event_store import Recorded
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import campaign_rows, case_rows, inspection_rows
from tianmen_safety.domain import accidents, campaigns, inspections
from tianmen_safety.service_layer import campaign_scope
from tianmen_safety.service_layer.orders import to_docket


@dataclass(frozen=True)
class File:
    filed: Any
    actor: str
    machine_kind: MachineKind | None = None
    """A test's machine kind, as filed: checked against a campaign's scope."""


Record = Callable[..., DomainEvent]
OnFile = Callable[[Connection, str], object]
KINDS: dict[type, tuple[Record, str, OnFile]] = {
    inspections.SelfInspection: (inspections.record_self, "inspection_id", inspection_rows.load),
    inspections.SpotCheck: (inspections.record_spot_check, "inspection_id", inspection_rows.load),
    inspections.ThirdPartyTest: (inspections.record_test, "test_id", inspection_rows.load),
    campaigns.Campaign: (campaigns.launch, "campaign_id", campaign_rows.campaign),
    accidents.Accident: (accidents.record, "accident_id", campaign_rows.accident),
}


def file(cmd: File, uow: UnitOfWork, now: datetime) -> Recorded:
    record, subject, on_file = KINDS[type(cmd.filed)]
    event = record(cmd.filed, actor=cmd.actor)
    campaign_scope.check(uow.conn, event, cmd.machine_kind)
    key: str = getattr(event, subject)
    docket: str = event.docket_id  # type: ignore[attr-defined]
    if on_file(uow.conn, key) is not None or any(
        getattr(e, subject, None) == key for e in case_rows.in_flight(uow.conn, docket)
    ):
        raise Conflict(f"{key} is already on file")
    return to_docket(uow, event, now, key)
