"""HTTP queries: an enterprise's credit standing, its explained history (paged), the digest."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import FastAPI, Query
from tianmen_runtime.http import Clock, create_app, problems, wall_clock
from tianmen_runtime.pages import DEFAULT_LIMIT, Cursor, Limit, Page, decode_cursor
from tianmen_runtime.service import Service

from tianmen_credit.adapters import queries
from tianmen_credit.adapters.fact_rows import load_facts
from tianmen_credit.adapters.models import current_model
from tianmen_credit.audit.views import standing_view
from tianmen_credit.domain.ledger import ledger_of
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import standing
from tianmen_credit.entrypoints.audit_routes import audit_router
from tianmen_credit.entrypoints.audit_schemas import StandingView
from tianmen_credit.entrypoints.repair_routes import repair_router
from tianmen_credit.entrypoints.schemas import ChangeView, ScoreView

Moment = Annotated[datetime | None, Query(description="Default: now")]


def build_api(
    service: Service, *, model: ModelSpec | None = None, clock: Clock = wall_clock
) -> FastAPI:
    app = create_app("Tianmen credit", ready=service.ready.is_set, digest=service.digest)
    app.include_router(repair_router(service, clock))
    app.include_router(audit_router(service))
    spec = model or current_model()

    @app.get("/enterprises/{enterprise_id}/score")
    def get_score(enterprise_id: str) -> ScoreView:
        """The score, grade and procurement restriction, with the latest change and its reasons."""
        with service.engine.connect() as conn:
            view = queries.score_view(conn, enterprise_id, spec)
        return ScoreView.model_validate(view)

    @app.get("/enterprises/{enterprise_id}/history", responses=problems(422))
    def list_history(
        enterprise_id: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
    ) -> Page[ChangeView]:
        """Every score change in recorded order with the events that caused it, a page at a time."""
        key = decode_cursor(cursor, (int, str)) if cursor else None
        with service.engine.connect() as conn:
            items, next_cursor = queries.history_page(conn, enterprise_id, key, limit)
        return Page[ChangeView].model_validate({"items": items, "next_cursor": next_cursor})

    @app.get("/enterprises/{enterprise_id}/standing", responses=problems(422))
    def get_standing(enterprise_id: str, at: Moment = None) -> StandingView:
        """The standing under the model as data at a moment (default: now), every contribution
        explained: in force or expired, its effect and expiry, in Chinese and English."""
        with service.engine.connect() as conn:
            ledger = ledger_of(enterprise_id, load_facts(conn, enterprise_id), spec)
        return StandingView.model_validate(standing_view(standing(ledger, spec, at or clock())))

    return app
