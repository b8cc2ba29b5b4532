"""HTTP queries: an enterprise's credit score with its explained history, and the digest."""

from __future__ import annotations

from fastapi import FastAPI
from tianmen_runtime.http import create_app
from tianmen_runtime.service import Service

from tianmen_credit.adapters import queries
from tianmen_credit.domain.model import MODEL, ScoringModel
from tianmen_credit.entrypoints.schemas import ScoreView


def build_api(service: Service, *, model: ScoringModel = MODEL) -> FastAPI:
    app = create_app("Tianmen credit", ready=service.ready.is_set, digest=service.digest)

    @app.get("/enterprises/{enterprise_id}/score", response_model=ScoreView)
    def get_score(enterprise_id: str) -> ScoreView:
        """The score, grade and procurement restriction, with every change and its reasons."""
        with service.engine.connect() as conn:
            view = queries.score_view(conn, enterprise_id, model)
        return ScoreView.model_validate(view)

    return app
