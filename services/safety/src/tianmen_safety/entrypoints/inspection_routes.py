"""HTTP: file inspections (self, spot check, third-party test), campaigns and accidents on the
docket (the actor is the vouched caller); read them back, paged; a campaign's report and the
accident count year on year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel
from tianmen_events.errors import NotFound
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, problems
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_safety.adapters import inspection_queries, inspection_rows
from tianmen_safety.domain import accidents, campaigns, inspections
from tianmen_safety.entrypoints.inspection_schemas import (
    AccidentIn,
    CampaignIn,
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
        fields = {k: getattr(body, k) for k in type(body).model_fields if k != "machine_kind"}
        filed = FILED[type(body)](
            **{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
        )
        cmd = File(filed, who(), getattr(body, "machine_kind", None))
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
        agency: Many = None,
        cursor: Cursor = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> dict[str, Any]:
        """Inspections of all three kinds by when they took place, oldest first (`agency`: the
        third-party tests that agency filed)."""
        asked = filters(kind=kind, enterprise_id=enterprise_id, jurisdiction=jurisdiction)
        asked |= filters(campaign_id=campaign_id, machine_id=machine_id, agency=agency)
        key = decode_cursor(cursor, PAIR) if cursor else None
        with service.engine.connect() as conn:
            items, after = inspection_queries.page(conn, asked, key, limit)
        return {"items": items, "next_cursor": after}

    @router.get("/inspections/{inspection_id}", responses=problems(404))
    def get_inspection(inspection_id: str) -> InspectionView:
        """One inspection or third-party test (its id is the `test_id`)."""
        with service.engine.connect() as conn:
            found = inspection_rows.load(conn, inspection_id)
        if found is None:
            raise NotFound(f"no inspection {inspection_id}", field="inspection_id")
        return InspectionView.model_validate(inspection_queries.view(dict(found._mapping)))

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
