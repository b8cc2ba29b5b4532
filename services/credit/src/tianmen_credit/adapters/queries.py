"""Read side: an enterprise's score with the history of every change and its reasons."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from tianmen_credit.adapters.orm import history, scores
from tianmen_credit.domain.model import ScoringModel


def score_view(conn: Connection, enterprise_id: str, model: ScoringModel) -> dict[str, Any]:
    """The current score; an enterprise never scored has the model's base score."""
    row = conn.execute(select(scores).where(scores.c.enterprise_id == enterprise_id)).first()
    if row is None:
        grade = model.grade(model.base_score)
        head: dict[str, Any] = {
            "enterprise_id": enterprise_id,
            "score": model.base_score,
            "grade": grade,
            "procurement_restricted": model.procurement_restricted(grade),
            "model_version": model.version,
        }
    else:
        head = {k: v for k, v in row._mapping.items() if k != "updated_at"}
    return {**head, "history": _history(conn, enterprise_id)}


def _history(conn: Connection, enterprise_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(history).where(history.c.enterprise_id == enterprise_id).order_by(history.c.sequence)
    )
    return [
        {
            "event_id": r.event_id,
            "time": r.time,
            "score_before": r.score_before,
            "score": r.score,
            "grade_before": r.grade_before,
            "grade": r.grade,
            "model_version": r.model_version,
            "reasons": json.loads(r.reasons),
        }
        for r in rows
    ]
