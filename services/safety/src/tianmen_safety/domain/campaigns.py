"""Campaigns (专项整治): a drive with a scope (jurisdictions, machine kinds), a period and a
checklist version; inspections and hazards filed under it; its findings report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent, derive_id
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


TIME_FIELDS = ("found_at", "inspected_at", "tested_at")
"""When a finding, an inspection or a test took place, as each names it."""


def within(code: str, covered: str) -> bool:
    """Whether division `code` lies in `covered`: the same, or under it by the code's prefix (a
    township 429006001 under the city 429006; a station covers only what names it)."""
    return code == covered or (covered.isdigit() and code.startswith(covered))


def check_scope(
    campaign: CampaignLaunched, filed: DomainEvent, machine_kind: MachineKind | None
) -> None:
    """Refuse (naming the field) what is filed under `campaign` but outside its scope: dated
    outside its period, in no jurisdiction it covers, of a machine kind it does not cover.
    A filing about one machine (a hazard, a test) names the machine's kind."""
    name = next(field for field in TIME_FIELDS if hasattr(filed, field))
    at: datetime = getattr(filed, name)
    if not campaign.starts_at <= at <= campaign.ends_at:
        raise DomainError(f"outside the campaign's period {_period(campaign)}", field=name)
    if hasattr(filed, "jurisdiction"):
        where: str | None = filed.jurisdiction
        if where is None or not any(within(where, c) for c in campaign.jurisdictions):
            covered = ", ".join(campaign.jurisdictions)
            raise DomainError(f"the campaign covers {covered}", field="jurisdiction")
    if hasattr(filed, "machine_id") and machine_kind not in campaign.categories:
        kinds = ", ".join(campaign.categories)
        raise DomainError(f"the campaign covers machines of kind {kinds}", field="machine_kind")


def _period(campaign: CampaignLaunched) -> str:
    return f"{campaign.starts_at.isoformat()} to {campaign.ends_at.isoformat()}"


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
    hazard_machines: int
    major_hazard_machines: int
    stop_use_orders: int
    rectified_on_time: int
    rectified_late: int
    open_orders: int
    key_supervision_enterprises: int


def report(inspected: set[str], filed: list[FiledOrder], listed: set[str]) -> Report:
    """The findings: machines checked (inspected under the campaign, or with a hazard filed
    under it), machines with hazards, hazards by severity, stop-use orders, orders closed before
    their deadline, and the enterprises it reached that were `listed` for key supervision (their
    points cleared) during its period."""
    by_severity: dict[str, int] = {}
    for order in filed:
        by_severity[order.severity] = by_severity.get(order.severity, 0) + 1
    return Report(
        machines_checked=len(inspected | {order.machine_id for order in filed}),
        hazards=len(filed),
        hazards_by_severity=dict(sorted(by_severity.items())),
        hazard_machines=len({order.machine_id for order in filed}),
        major_hazard_machines=len({o.machine_id for o in filed if o.kind == "stop_use"}),
        stop_use_orders=sum(order.kind == "stop_use" for order in filed),
        rectified_on_time=sum(order.closed and not order.overdue for order in filed),
        rectified_late=sum(order.closed and order.overdue for order in filed),
        open_orders=sum(not order.closed for order in filed),
        key_supervision_enterprises=len(listed),
    )
