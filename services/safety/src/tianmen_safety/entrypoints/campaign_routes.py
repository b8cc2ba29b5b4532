"""HTTP: campaigns (with their checklist) and their findings report; accidents, paged, and
their count year on year."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime
from tianmen_events.errors import DomainError, NotFound
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import campaign_rows
from tianmen_safety.domain import accidents, campaigns
from tianmen_safety.domain.checklists import CHECKLISTS
from tianmen_safety.entrypoints.inspection_routes import PAIR, Many, filters
from tianmen_safety.entrypoints.inspection_schemas import (
    AccidentStatsView,
    AccidentView,
    CampaignReportView,
    CampaignView,
)


def campaign_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter()

    @router.get("/campaigns", response_model=Page[CampaignView], responses=problems(422))
    def list_campaigns(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> dict[str, Any]:
        """Campaigns by start, oldest first, each with its checklist."""
        key = decode_cursor(cursor, PAIR) if cursor else None
        with service.engine.connect() as conn:
            items, after = campaign_rows.page(conn, {}, key, limit)
        return {"items": [_with_checklist(row) for row in items], "next_cursor": after}

    @router.get("/campaigns/{campaign_id}", responses=problems(404))
    def get_campaign(campaign_id: str) -> CampaignView:
        with service.engine.connect() as conn:
            found = campaign_rows.campaign(conn, campaign_id)
        if found is None:
            raise NotFound(f"no campaign {campaign_id}", field="campaign_id")
        return CampaignView.model_validate(_with_checklist(found))

    @router.get("/campaigns/{campaign_id}/report", responses=problems(404))
    def get_campaign_report(campaign_id: str) -> CampaignReportView:
        """Machines checked, with hazards, hazards by severity, stop-use orders, rectified on
        time, enterprises put on the key-supervision list."""
        with service.engine.connect() as conn:
            if (found := campaign_rows.campaign(conn, campaign_id)) is None:
                raise NotFound(f"no campaign {campaign_id}", field="campaign_id")
            checked, filed = campaign_rows.campaign_findings(conn, campaign_id)
            listed = campaign_rows.listed_during(conn, found)
        report = campaigns.report(checked, filed, listed)
        return CampaignReportView(campaign_id=campaign_id, **vars(report))

    @router.get("/accidents", response_model=Page[AccidentView], responses=problems(422))
    def list_accidents(
        enterprise_id: Many = None,
        jurisdiction: Many = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Accidents by when they happened, oldest first."""
        key = decode_cursor(cursor, PAIR) if cursor else None
        asked = filters(enterprise_id=enterprise_id, jurisdiction=jurisdiction)
        with service.engine.connect() as conn:
            items, after = campaign_rows.accident_page(conn, asked, key, limit)
        return {"items": items, "next_cursor": after}

    @router.get("/accident-stats", responses=problems(422))
    def accident_stats(
        start: AwareDatetime | None = None,
        end: AwareDatetime | None = None,
        enterprise_id: Many = None,
        jurisdiction: Many = None,
    ) -> AccidentStatsView:
        """Accidents in [start, end) and in the same period a year earlier (by default the year
        so far, in Asia/Shanghai)."""
        end = end or clock()
        start = start or accidents.year_start(end)
        if end <= start:
            raise DomainError("end after start", field="end")
        asked = filters(enterprise_id=enterprise_id, jurisdiction=jurisdiction)
        earlier = (accidents.year_earlier(start), accidents.year_earlier(end))
        with service.engine.connect() as conn:
            count = campaign_rows.accident_count(conn, start, end, asked)
            previous = campaign_rows.accident_count(conn, *earlier, asked)
        change = accidents.year_on_year(count, previous)
        return AccidentStatsView(
            start=start, end=end, count=count, previous_count=previous, change=change.change
        )

    return router


def _with_checklist(row: dict[str, Any]) -> dict[str, Any]:
    items = CHECKLISTS.get(row["checklist_version"], ())
    return row | {"checklist": [vars(item) for item in items]}
