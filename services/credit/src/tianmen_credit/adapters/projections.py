"""Credit's rows within one consumer transaction: each touched enterprise's score row and its
facts read once, its ledger kept in memory while the transaction's events join it, and every
row written together at flush (so the rows are the snapshot a replay rebuilds).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from tianmen_events import EventMeta
from tianmen_events.credit import CreditScoreChanged
from tianmen_runtime.event_store import Recorded

from tianmen_credit.adapters.fact_rows import fact_row, load_facts_of
from tianmen_credit.adapters.orm import facts, history, scores
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, evolve, in_order, ledger_of
from tianmen_credit.domain.live import Scored, unscored
from tianmen_credit.domain.spec import ModelSpec

# Built once: they run for every transaction.
_SCORES = select(scores).where(scores.c.enterprise_id.in_(bindparam("ids", expanding=True)))
_INSERT_FACTS = insert(facts)
_INSERT_HISTORY = insert(history)
_INSERT_SCORE = insert(scores)
_UPDATE_SCORE = update(scores).where(scores.c.enterprise_id == bindparam("key"))


def load_scores(conn: Connection, ids: set[str], model: ModelSpec) -> dict[str, Scored]:
    """The rows as stored; an enterprise without one is at the model's base score."""
    found = {enterprise_id: unscored(enterprise_id, model) for enterprise_id in ids}
    for r in conn.execute(_SCORES, {"ids": sorted(ids)}):
        found[r.enterprise_id] = Scored(
            r.enterprise_id,
            r.score,
            r.grade,
            r.procurement_restricted,
            r.model_version,
            datetime.fromisoformat(r.updated_at),
        )
    return found


class CreditRows:
    def __init__(self, conn: Connection, model: ModelSpec) -> None:
        self.conn = conn
        self.model = model
        self.rows: dict[str, Scored] = {}
        self.facts: dict[str, list[Fact]] = {}  # in event-time order
        self.ledgers: dict[str, Ledger] = {}
        self.changed: set[str] = set()
        self.new_facts: list[dict[str, object]] = []
        self.history: list[dict[str, object]] = []

    def read(self, enterprise_ids: set[str]) -> None:
        """Read what a batch's enterprises will need: rows and facts, in two queries."""
        missing = enterprise_ids - self.rows.keys()
        if not missing:
            return
        self.rows |= load_scores(self.conn, missing, self.model)
        found = load_facts_of(self.conn, missing)
        for enterprise_id in missing:
            mine = found.get(enterprise_id, [])
            self.facts[enterprise_id] = mine
            self.ledgers[enterprise_id] = ledger_of(enterprise_id, mine, self.model)

    def add(self, enterprise_id: str, found: Sequence[Fact]) -> tuple[Scored, Ledger, list[Fact]]:
        """Join one event's facts to the ledger: (row, ledger before, the facts that are new)."""
        self.read({enterprise_id})
        mine, before = self.facts[enterprise_id], self.ledgers[enterprise_id]
        known = {f.event_id for f in mine}
        new = [f for f in found if f.event_id not in known]
        if new:
            self.new_facts += [fact_row(f) for f in new]
            self.ledgers[enterprise_id] = self._joined(enterprise_id, mine, new)
        return self.rows[enterprise_id], before, new

    def ledger(self, enterprise_id: str) -> Ledger:
        return self.ledgers[enterprise_id]

    def _joined(self, enterprise_id: str, mine: list[Fact], new: list[Fact]) -> Ledger:
        """Facts after every known one extend the ledger; a late one refolds it in order."""
        key = (mine[-1].at, mine[-1].event_id) if mine else None
        ordered = in_order(new)
        mine += ordered
        if key is None or (ordered[0].at, ordered[0].event_id) > key:
            ledger = self.ledgers[enterprise_id]
            for fact in ordered:
                ledger = evolve(ledger, fact, self.model)
            return ledger
        mine.sort(key=lambda f: (f.at, f.event_id))
        return ledger_of(enterprise_id, mine, self.model)

    def project(self, row: Scored, recorded: Sequence[Recorded]) -> None:
        self.rows[row.enterprise_id] = row
        self.changed.add(row.enterprise_id)
        for item in recorded:
            if isinstance(item.event, CreditScoreChanged):
                self.history.append(_history_row(item.event, item.meta))

    def flush(self) -> None:
        if self.new_facts:
            self.conn.execute(_INSERT_FACTS, self.new_facts)
        if self.history:
            self.conn.execute(_INSERT_HISTORY, self.history)
        for enterprise_id in sorted(self.changed):
            row = _score_row(self.rows[enterprise_id])
            if self.conn.execute(_UPDATE_SCORE, {"key": enterprise_id, **row}).rowcount == 0:
                self.conn.execute(_INSERT_SCORE, {"enterprise_id": enterprise_id, **row})
        self.new_facts, self.history, self.changed = [], [], set()


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


def _score_row(row: Scored) -> dict[str, object]:
    assert row.watermark is not None
    return {
        "score": row.score,
        "grade": row.grade,
        "procurement_restricted": row.restricted,
        "model_version": row.model_version,
        "updated_at": row.watermark.isoformat(),
    }
