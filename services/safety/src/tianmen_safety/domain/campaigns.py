"""Campaigns (专项整治): a drive with a scope (jurisdictions, machine kinds), a period and a
checklist version; inspections and hazards filed under it; its findings report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events import derive_id
from tianmen_events.errors import DomainError
from tianmen_events.registry.machines import MachineKind
from tianmen_events.safety.inspections import CampaignLaunched, campaign_docket

from tianmen_safety.domain.checklists import CHECKLISTS


@dataclass(frozen=True)
class Campaign:
    title: str
    jurisdictions: tuple[str, ...]
    categories: tuple[MachineKind, ...]
    starts_at: datetime
    ends_at: datetime
    checklist_version: str


def launch(campaign: Campaign, *, actor: str) -> CampaignLaunched:
    """The campaign, its id derived from its title and start (the same drive twice is one)."""
    if not campaign.title.strip():
        raise DomainError("name the campaign", field="title")
    if not campaign.jurisdictions:
        raise DomainError("a campaign covers at least one jurisdiction", field="jurisdictions")
    if campaign.ends_at <= campaign.starts_at:
        raise DomainError("a campaign ends after it starts", field="ends_at")
    if campaign.checklist_version not in CHECKLISTS:
        raise DomainError(f"no checklist {campaign.checklist_version}", field="checklist_version")
    campaign_id = derive_id("campaign", campaign.title.strip(), campaign.starts_at.isoformat())
    return CampaignLaunched(
        docket_id=campaign_docket(campaign_id),
        campaign_id=campaign_id,
        title=campaign.title.strip(),
        jurisdictions=sorted(set(campaign.jurisdictions)),
        categories=sorted(set(campaign.categories)),
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        checklist_version=campaign.checklist_version,
        actor=actor,
    )


@dataclass(frozen=True)
class FiledOrder:
    """What the report needs of an order filed under the campaign."""

    machine_id: str
    severity: str
    kind: str
    closed: bool
    overdue: bool


@dataclass(frozen=True)
class Report:
    machines_checked: int
    hazards: int
    hazards_by_severity: dict[str, int]
    major_hazard_machines: int
    stop_use_orders: int
    rectified_on_time: int
    rectified_late: int
    open_orders: int


def report(inspected: set[str], filed: list[FiledOrder]) -> Report:
    """The findings: machines checked (inspected under the campaign, or with a hazard filed
    under it), hazards by severity, stop-use orders, orders closed before their deadline."""
    by_severity: dict[str, int] = {}
    for order in filed:
        by_severity[order.severity] = by_severity.get(order.severity, 0) + 1
    return Report(
        machines_checked=len(inspected | {order.machine_id for order in filed}),
        hazards=len(filed),
        hazards_by_severity=dict(sorted(by_severity.items())),
        major_hazard_machines=len({o.machine_id for o in filed if o.kind == "stop_use"}),
        stop_use_orders=sum(order.kind == "stop_use" for order in filed),
        rectified_on_time=sum(order.closed and not order.overdue for order in filed),
        rectified_late=sum(order.closed and order.overdue for order in filed),
        open_orders=sum(not order.closed for order in filed),
    )
