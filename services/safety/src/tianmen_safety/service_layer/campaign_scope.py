"""What is filed under a campaign stays in its scope: the campaign as the desk has it (applied,
or launched and still in flight on its docket), and the domain's check of the filing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection
from tianmen_events import DomainEvent
from tianmen_events.errors import DomainError
from tianmen_events.registry.machines import MachineKind
from tianmen_events.safety.inspections import CampaignLaunched, campaign_docket

from tianmen_safety.adapters import campaign_rows, case_rows
from tianmen_safety.domain import campaigns


def campaign_of(conn: Connection, campaign_id: str) -> CampaignLaunched | None:
    """In flight first, then applied: on PostgreSQL (read committed) each read sees what was
    committed before it, so a campaign the worker applies between the two is seen by the second
    (read the other way round, it was in neither: a 422 `no campaign`)."""
    flying = case_rows.in_flight(conn, campaign_docket(campaign_id))
    launched = next((e for e in flying if isinstance(e, CampaignLaunched)), None)
    row = None if launched else campaign_rows.campaign(conn, campaign_id)
    if row is None:
        return launched
    times = {k: datetime.fromisoformat(row[k]) for k in ("starts_at", "ends_at")}
    kept = {k: row[k] for k in ("title", "jurisdictions", "categories", "checklist_version")}
    return CampaignLaunched(
        docket_id=campaign_docket(campaign_id),
        campaign_id=campaign_id,
        **kept,
        **times,
        actor=row["launched_by"],
    )


def check(conn: Connection, filed: DomainEvent, machine_kind: MachineKind | None) -> None:
    """Nothing to check outside a campaign; an unknown campaign is refused (`campaign_id`)."""
    campaign_id: str | None = getattr(filed, "campaign_id", None)
    if campaign_id is None or isinstance(filed, CampaignLaunched):
        return
    campaign = campaign_of(conn, campaign_id)
    if campaign is None:
        raise DomainError(f"no campaign {campaign_id}", field="campaign_id")
    campaigns.check_scope(campaign, filed, machine_kind)
