"""What a reporter follows: a tip's steps (`/tips/{id}/progress`) and their rewards (`/rewards`).

Through the gateway a citizen's id arrives in `X-Reporter-Id`: a tip of anyone else is missing
to them (404), and their rewards are those of their own tips only.
"""

from __future__ import annotations

from fastapi import APIRouter
from tianmen_events.errors import DomainError
from tianmen_runtime.http import problems
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.adapters import tip_index
from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.entrypoints.open311_routes import MAX_LISTED, mine
from tianmen_reports.entrypoints.schemas import ReporterId
from tianmen_reports.entrypoints.schemas.progress import Progress
from tianmen_reports.entrypoints.schemas.rewards import Rewards
from tianmen_reports.service_layer.workflow import load_tip


def reporter_router(service: Service, secret: bytes) -> APIRouter:
    router = APIRouter()

    @router.get(
        "/tips/{tip_id}/progress",
        summary="Follow a tip: each step and its time",
        responses=problems(404),
    )
    def progress(tip_id: str, who: ReporterId = None) -> Progress:
        with unit_of_work(service.engine, service.source) as uow:
            return Progress.of(mine(load_tip(uow, tip_id)[0], who, secret))

    @router.get(
        "/rewards",
        summary="The reporter's rewards for their verified tips (X-Reporter-Id), newest first",
        responses=problems(422),
    )
    def rewards(who: ReporterId = None) -> Rewards:
        if who is None:
            raise DomainError("rewards are of one reporter's own tips", field="X-Reporter-Id")
        with unit_of_work(service.engine, service.source) as uow:
            ids = tip_index.latest_of(uow.conn, pseudonym(secret, who), MAX_LISTED)
            return Rewards.of([load_tip(uow, tip_id)[0] for tip_id in ids])

    return router
