"""The score's rows: read as the state `decide` starts from, brought up to date with the score
changes just recorded, in the same transaction (so they are its snapshot, rebuilt by replay).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, insert, select, update
from tianmen_events import EventMeta
from tianmen_events.credit import CreditScoreChanged
from tianmen_runtime.event_store import Recorded

from tianmen_credit.adapters.orm import counted, history, scores
from tianmen_credit.domain.model import ScoringModel
from tianmen_credit.domain.score import CreditScore, initial

# Built once: they run for every safety fact.
_SCORE = select(scores.c.score, scores.c.grade).where(
    scores.c.enterprise_id == bindparam("enterprise_id")
)
_INSERT_COUNTED = insert(counted)
_INSERT_HISTORY = insert(history)
_INSERT_SCORE = insert(scores)
_UPDATE_SCORE = update(scores).where(scores.c.enterprise_id == bindparam("key"))
_COUNTED = select(counted.c.event_id).where(counted.c.event_id == bindparam("event_id"))


def load_score(conn: Connection, enterprise_id: str, model: ScoringModel) -> CreditScore:
    """The enterprise's score as its row holds it; the model's base score before any change."""
    row = conn.execute(_SCORE, {"enterprise_id": enterprise_id}).first()
    if row is None:
        return initial(enterprise_id, model)
    return CreditScore(enterprise_id, row.score, row.grade)


class CountedEvents:
    """The events already counted, as a container of event ids the domain can ask."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __contains__(self, event_id: object) -> bool:
        return self.conn.execute(_COUNTED, {"event_id": str(event_id)}).first() is not None


def project(conn: Connection, recorded: Sequence[Recorded]) -> None:
    for item in recorded:
        if isinstance(item.event, CreditScoreChanged):
            _insert_history(conn, item.event, item.meta)
            _write_score(conn, item.event, item.meta)
            _insert_counted(conn, item.event, item.meta)


def _insert_counted(conn: Connection, event: CreditScoreChanged, meta: EventMeta) -> None:
    rows = [
        {"event_id": r.event_id, "enterprise_id": event.enterprise_id, "change_event_id": meta.id}
        for r in event.reasons
    ]
    conn.execute(_INSERT_COUNTED, rows)


def _insert_history(conn: Connection, event: CreditScoreChanged, meta: EventMeta) -> None:
    reasons = [reason.model_dump() for reason in event.reasons]
    row = {
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "sequence": meta.sequence,
        "time": meta.time.isoformat(),
        "score_before": event.score_before,
        "score": event.score,
        "grade_before": event.grade_before,
        "grade": event.grade,
        "model_version": event.model_version,
        "reasons": json.dumps(reasons, ensure_ascii=False, sort_keys=True),
    }
    conn.execute(_INSERT_HISTORY, row)


def _write_score(conn: Connection, event: CreditScoreChanged, meta: EventMeta) -> None:
    row = {
        "score": event.score,
        "grade": event.grade,
        "procurement_restricted": event.procurement_restricted,
        "model_version": event.model_version,
        "updated_at": meta.time.isoformat(),
    }
    if conn.execute(_UPDATE_SCORE, {"key": event.enterprise_id, **row}).rowcount == 0:
        conn.execute(_INSERT_SCORE, {"enterprise_id": event.enterprise_id, **row})
