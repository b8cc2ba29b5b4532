"""Read side: an enterprise's score with its latest change, and every change with reasons, paged."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Row, func, select
from tianmen_runtime.pages import Key, after, page_of

from tianmen_credit.adapters.orm import history, scores
from tianmen_credit.domain.live import unscored
from tianmen_credit.domain.spec import ModelSpec

View = dict[str, Any]
ORDER = (history.c.sequence, history.c.event_id)


def score_view(conn: Connection, enterprise_id: str, model: ModelSpec) -> View:
    """The live score (the standing at the enterprise's latest event time); an enterprise
    never scored has the model's base score."""
    row = conn.execute(select(scores).where(scores.c.enterprise_id == enterprise_id)).first()
    if row is None:
        base = unscored(enterprise_id, model)
        head: View = {
            "enterprise_id": enterprise_id,
            "score": base.score,
            "grade": base.grade,
            "procurement_restricted": base.restricted,
            "model_version": base.model_version,
        }
    else:
        head = {k: v for k, v in row._mapping.items() if k != "updated_at"}
    mine = history.c.enterprise_id == enterprise_id
    count = conn.execute(select(func.count()).where(mine)).scalar_one()
    latest = conn.execute(
        select(history).where(mine).order_by(*(c.desc() for c in ORDER)).limit(1)
    ).first()
    return {**head, "change_count": count, "latest_change": latest and _change(latest)}


def history_page(
    conn: Connection, enterprise_id: str, cursor: Key | None, limit: int
) -> tuple[list[View], str | None]:
    """Score changes in recorded order, after `cursor` (sequence, event_id)."""
    query = (
        select(history)
        .where(history.c.enterprise_id == enterprise_id, after(ORDER, cursor))
        .order_by(*ORDER)
        .limit(limit + 1)
    )
    rows = conn.execute(query).all()
    kept, next_cursor = page_of(rows, limit, lambda r: (r.sequence, r.event_id))
    return [_change(r) for r in kept], next_cursor


def _change(r: Row[Any]) -> View:
    return {
        "event_id": r.event_id,
        "time": r.time,
        "score_before": r.score_before,
        "score": r.score,
        "grade_before": r.grade_before,
        "grade": r.grade,
        "model_version": r.model_version,
        "reasons": json.loads(r.reasons),
    }
