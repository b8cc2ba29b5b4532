"""HTTP: file inspections (self, spot check, third-party test), campaigns and accidents on the
docket (the actor is the vouched caller); read them back, paged; a campaign's report and the
accident count year on year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel
from tianmen_events.errors import DomainError, NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import campaign_rows, inspection_rows
from tianmen_safety.domain import accidents, campaigns, inspections
from tianmen_safety.domain.checklists import CHECKLISTS
from tianmen_safety.entrypoints.inspection_schemas import (
    AccidentIn,
    AccidentStatsView,
    AccidentView,
    CampaignIn,
    CampaignReportView,
    CampaignView,
    Filed,
    InspectionView,
    SelfInspectionIn,
    SpotCheckIn,
    ThirdPartyTestIn,
)
from tianmen_safety.entrypoints.order_routes import who
from tianmen_safety.service_layer.filings import File, file

Many = Annotated[list[str] | None, Query(max_length=200)]
Kind = Literal["self", "spot_check", "third_party"]
PAIR = (str, str)
FILED = {
    SelfInspectionIn: inspections.SelfInspection,
    SpotCheckIn: inspections.SpotCheck,
    ThirdPartyTestIn: inspections.ThirdPartyTest,
    CampaignIn: campaigns.Campaign,
    AccidentIn: accidents.Accident,
}


def filters(**asked: Sequence[str] | None) -> dict[str, Any]:
    return {name: tuple(wanted) for name, wanted in asked.items() if wanted}


def inspection_router(service: Service, clock: Clock) -> APIRouter:
    router = APIRouter()

    def accept(body: BaseModel) -> Filed:
        fields = {k: getattr(body, k) for k in type(body).model_fields}
        filed = FILED[type(body)](
            **{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
        )
        cmd = File(filed, who())
        recorded = run_command(service.engine, service.source, file, cmd, clock())
        meta = recorded.meta
        subject = str(recorded.event.__dict__[_subject(recorded.event)])
        return Filed(
            id=subject, event_id=meta.id, event_type=meta.type, actor=cmd.actor, at=meta.time
        )

    for path, schema in (
        ("/inspections/self", SelfInspectionIn),
        ("/inspections/spot-checks", SpotCheckIn),
        ("/inspections/third-party-tests", ThirdPartyTestIn),
        ("/campaigns", CampaignIn),
        ("/accidents", AccidentIn),
    ):
        _post(router, path, schema, accept)

    @router.get("/inspections", response_model=Page[InspectionView], responses=problems(422))
    def list_inspections(
        kind: Annotated[list[Kind] | None, Query()] = None,
        enterprise_id: Many = None,
        jurisdiction: Many = None,
        campaign_id: Many = None,
        machine_id: Many = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Inspections of all three kinds by when they took place, oldest first."""
        asked = filters(kind=kind, enterprise_id=enterprise_id, jurisdiction=jurisdiction)
        asked |= filters(campaign_id=campaign_id, machine_id=machine_id)
        key = decode_cursor(cursor, PAIR) if cursor else None
        with service.engine.connect() as conn:
            items, after = inspection_rows.page(conn, asked, key, limit)
        return {"items": items, "next_cursor": after}

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
        """Machines checked, hazards by severity, stop-use orders, rectified on time."""
        with service.engine.connect() as conn:
            if campaign_rows.campaign(conn, campaign_id) is None:
                raise NotFound(f"no campaign {campaign_id}", field="campaign_id")
            checked, filed = campaign_rows.campaign_findings(conn, campaign_id)
        report = campaigns.report(checked, filed)
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


def _post(router: APIRouter, path: str, schema: type[BaseModel], accept: Any) -> None:
    name = "file_" + path.strip("/").replace("/", "_").replace("-", "_")

    def post(body: BaseModel) -> Filed:
        return accept(body)  # type: ignore[no-any-return]

    post.__annotations__ = {"body": schema, "return": Filed}  # the body each path takes
    post.__doc__ = schema.__doc__
    router.post(path, name=name, status_code=202, responses=problems(409, 422))(post)


def _subject(event: Any) -> str:
    for name in ("test_id", "inspection_id", "campaign_id", "accident_id"):
        if hasattr(event, name):
            return name
    raise AssertionError(type(event))


def _with_checklist(row: dict[str, Any]) -> dict[str, Any]:
    items = CHECKLISTS.get(row["checklist_version"], ())
    return row | {"checklist": [vars(item) for item in items]}
