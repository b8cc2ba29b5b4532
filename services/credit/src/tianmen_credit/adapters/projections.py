"""The score's rows: read as the state `decide` starts from, brought up to date with the score
changes just recorded, in the same transaction (so they are its snapshot, rebuilt by replay).
A consumer transaction of many facts reads each enterprise's score once and writes it once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, insert, select, update
from tianmen_events import EventMeta
from tianmen_events.credit import CreditScoreChanged
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.event_store import Recorded

from tianmen_credit.adapters.orm import counted, history, scores
from tianmen_credit.domain.model import ScoringModel
from tianmen_credit.domain.score import CreditScore, initial

# Built once: they run for every safety fact.
_SCORES = select(scores.c.enterprise_id, scores.c.score, scores.c.grade).where(
    scores.c.enterprise_id.in_(bindparam("ids", expanding=True))
)
_INSERT_SCORE = insert(scores)
_UPDATE_SCORE = update(scores).where(scores.c.enterprise_id == bindparam("key"))
_COUNTED = select(counted.c.event_id).where(
    counted.c.event_id.in_(bindparam("ids", expanding=True))
)


def load_score(conn: Connection, enterprise_id: str, model: ScoringModel) -> CreditScore:
    """The enterprise's score as its row holds it; the model's base score before any change."""
    return load_scores(conn, {enterprise_id}, model)[enterprise_id]


def load_scores(
    conn: Connection, enterprise_ids: set[str], model: ScoringModel
) -> dict[str, CreditScore]:
    found = {enterprise_id: initial(enterprise_id, model) for enterprise_id in enterprise_ids}
    for row in conn.execute(_SCORES, {"ids": sorted(enterprise_ids)}):
        found[row.enterprise_id] = CreditScore(row.enterprise_id, row.score, row.grade)
    return found


class CreditRows:
    """Credit's rows within one unit of work: each enterprise's score read once and written
    once (at flush), history and counted rows of the whole transaction inserted together.
    It is also the container of event ids already counted that `decide` asks."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.scores: dict[str, CreditScore] = {}
        self.score_rows: dict[str, dict[str, object]] = {}
        self.history: list[dict[str, object]] = []
        self.counted: list[dict[str, object]] = []
        self.counted_ids: set[str] = set()  # known to be counted (read, or in this transaction)
        self.asked: set[str] = set()  # known either way

    def read(self, enterprise_ids: set[str], event_ids: set[str], model: ScoringModel) -> None:
        """Read the scores and counted events a batch will ask about, in two queries."""
        self.scores |= load_scores(self.conn, enterprise_ids - set(self.scores), model)
        self.counted_ids |= set(self.conn.execute(_COUNTED, {"ids": sorted(event_ids)}).scalars())
        self.asked |= event_ids

    def score(self, enterprise_id: str, model: ScoringModel) -> CreditScore:
        if enterprise_id not in self.scores:
            self.scores[enterprise_id] = load_score(self.conn, enterprise_id, model)
        return self.scores[enterprise_id]

    def __contains__(self, event_id: object) -> bool:
        if event_id not in self.counted_ids and event_id not in self.asked:
            found = self.conn.execute(_COUNTED, {"ids": [str(event_id)]}).scalars()
            self.counted_ids |= set(found)
            self.asked.add(str(event_id))
        return event_id in self.counted_ids

    def project(self, recorded: Sequence[Recorded], after: CreditScore) -> None:
        self.scores[after.enterprise_id] = after
        for item in recorded:
            if isinstance(item.event, CreditScoreChanged):
                self.history.append(_history_row(item.event, item.meta))
                self.score_rows[item.event.enterprise_id] = _score_row(item.event, item.meta)
                self.counted += _counted_rows(item.event, item.meta)
                self.counted_ids |= {reason.event_id for reason in item.event.reasons}

    def flush(self) -> None:
        insert_rows(self.conn, history, self.history)  # the driver's executemany: see driver_sql
        insert_rows(self.conn, counted, self.counted)
        for enterprise_id, row in sorted(self.score_rows.items()):
            if self.conn.execute(_UPDATE_SCORE, {"key": enterprise_id, **row}).rowcount == 0:
                self.conn.execute(_INSERT_SCORE, {"enterprise_id": enterprise_id, **row})
        self.history, self.counted, self.score_rows = [], [], {}


def _counted_rows(event: CreditScoreChanged, meta: EventMeta) -> list[dict[str, object]]:
    return [
        {"event_id": r.event_id, "enterprise_id": event.enterprise_id, "change_event_id": meta.id}
        for r in event.reasons
    ]


def _history_row(event: CreditScoreChanged, meta: EventMeta) -> dict[str, object]:
    reasons = [reason.model_dump() for reason in event.reasons]
    return {
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


def _score_row(event: CreditScoreChanged, meta: EventMeta) -> dict[str, object]:
    return {
        "score": event.score,
        "grade": event.grade,
        "procurement_restricted": event.procurement_restricted,
        "model_version": event.model_version,
        "updated_at": meta.time.isoformat(),
    }
