"""The reports HTTP API: submit a tip-off, read its public view."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import FastAPI, Response
from tianmen_events import derive_id
from tianmen_runtime.commands import run_command
from tianmen_runtime.http import Clock, create_app, problems, wall_clock
from tianmen_runtime.service import Service
from tianmen_runtime.unit_of_work import unit_of_work

from tianmen_reports.adapters import jurisdictions
from tianmen_reports.adapters.contacts import pseudonym
from tianmen_reports.adapters.media_store import LocalMediaStore, MediaStore
from tianmen_reports.config import DEV_SECRET
from tianmen_reports.domain.media import MediaLimits
from tianmen_reports.domain.rules import TipRules
from tianmen_reports.domain.workflow import WorkflowRules
from tianmen_reports.entrypoints.media_routes import check_media_exist, media_router
from tianmen_reports.entrypoints.open311_routes import mine, open311_router
from tianmen_reports.entrypoints.queue_routes import queue_router
from tianmen_reports.entrypoints.reporter_routes import reporter_router
from tianmen_reports.entrypoints.schemas import (
    IdempotencyKey,
    ReporterId,
    TipIn,
    TipReceipt,
    TipView,
)
from tianmen_reports.entrypoints.staff_routes import staff_router
from tianmen_reports.entrypoints.statistics_routes import statistics_router
from tianmen_reports.entrypoints.tip_media_routes import tip_media_router
from tianmen_reports.entrypoints.workflow_routes import workflow_router
from tianmen_reports.service_layer.handlers import Intake, get_tip, submit_tip


def build_api(
    service: Service,
    *,
    rules: TipRules | None = None,
    clock: Clock = wall_clock,
    media: MediaStore | None = None,
    pseudonym_secret: bytes = DEV_SECRET.encode(),
    jurisdictions_file: Path | None = None,
) -> FastAPI:
    app = create_app("Tianmen reports", ready=service.ready.is_set)
    intake = Intake(rules=rules or TipRules(), jurisdictions=jurisdictions.load(jurisdictions_file))
    store = media or LocalMediaStore(Path("var/media"))
    app.include_router(media_router(store, MediaLimits()))
    app.include_router(tip_media_router(service, store))
    app.include_router(staff_router(service, clock))
    app.include_router(workflow_router(service, clock, WorkflowRules()))
    app.include_router(queue_router(service))
    app.include_router(reporter_router(service, pseudonym_secret))
    app.include_router(statistics_router(service, clock))
    app.include_router(open311_router(service, clock, intake, pseudonym_secret))

    @app.post(
        "/tips",
        status_code=201,
        summary="Submit a tip-off (随手拍)",
        responses={
            200: {"model": TipReceipt, "description": "A retry: the tip already exists"},
            **problems(422),
        },
    )
    def post_tip(
        body: TipIn, response: Response, key: IdempotencyKey = None, who: ReporterId = None
    ) -> TipReceipt:
        tip_id = derive_id("tip", key) if key else str(uuid.uuid4())
        cmd = body.to_command(tip_id, pseudonym(pseudonym_secret, who or f"tip:{tip_id}"))
        check_media_exist(store, cmd.media_ids)
        # A concurrent retry with the same key that wins the race is answered from its tip.
        submitted = run_command(service.engine, service.source, submit_tip, cmd, clock(), intake)
        if not submitted.created:
            response.status_code = 200
        return TipReceipt.of(submitted.tip, submitted.similar)

    @app.get(
        "/tips/{tip_id}",
        summary="A tip's public view (never the reporter's contact)",
        responses=problems(404),
    )
    def read_tip(tip_id: str, who: ReporterId = None) -> TipView:
        """With `X-Reporter-Id` (the gateway, for a citizen): that reporter's own tip only;
        anyone else's is 404, as if it did not exist."""
        with unit_of_work(service.engine, service.source) as uow:
            tip = get_tip(tip_id, uow)
        return TipView.of(mine(tip, who, pseudonym_secret))

    return app
