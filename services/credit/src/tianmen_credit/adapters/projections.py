"""Credit's rows within one consumer transaction: each touched enterprise's score row read
once, its ledger taken from memory (`memory.py`) or folded from its facts, the transaction's
events joining it in memory, and every row written together at flush (so the rows are the
snapshot a replay rebuilds).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection
from tianmen_events.credit import CreditScoreChanged
from tianmen_events.frozen import assembled
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.event_store import Recorded

from tianmen_credit.adapters.fact_rows import fact_row, load_facts_of
from tianmen_credit.adapters.history_rows import history_row
from tianmen_credit.adapters.memory import Kept, Ledgers
from tianmen_credit.adapters.orm import facts, history
from tianmen_credit.adapters.score_rows import load_rows, score_row, store_rows
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger, in_order
from tianmen_credit.domain.live import Scored
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.tally import Tally, tally_of
from tianmen_credit.domain.timeline import Timeline, joined, timeline_of


class CreditRows:
    """One transaction's enterprises: row and timeline (facts, ledger); facts read only when
    no current timeline is kept in memory."""

    def __init__(self, conn: Connection, model: ModelSpec, memory: Ledgers) -> None:
        self.conn = conn
        self.model = model
        self.memory = memory
        self.open: dict[str, Kept] = {}
        self.stored: set[str] = set()  # enterprises whose score row is in the store
        self.pending: dict[str, list[Fact]] = {}  # new facts, not yet written
        self.changed: set[str] = set()
        self.history: list[dict[str, object]] = []
        self.read_ahead: dict[str, list[Fact]] = {}  # each event's facts, by event id

    def read(self, enterprise_ids: set[str]) -> None:
        """Rows (one query), and the facts (one more) of those no current ledger is kept for."""
        missing = enterprise_ids - self.open.keys()
        if not missing:
            return
        rows = load_rows(self.conn, missing, self.model)
        self.stored |= {e for e, (row, _) in rows.items() if row.watermark is not None}
        for row, count in rows.values():
            kept = self.memory.get(row, count)
            if kept is not None:
                self.open[row.enterprise_id] = kept
        self._read_facts({e: rows[e] for e in missing - self.open.keys()})

    def _read_facts(self, rows: dict[str, tuple[Scored, int]]) -> None:
        found = load_facts_of(self.conn, set(rows)) if rows else {}
        for enterprise_id, (row, count) in rows.items():
            mine = found.get(enterprise_id, []) + self.pending.get(enterprise_id, [])
            self.open[enterprise_id] = _kept(row, count, in_order(mine), self.model)

    def add(self, enterprise_id: str, found: Sequence[Fact]) -> tuple[Scored, Ledger, list[Fact]]:
        """Join one event's facts to the ledger: (row, ledger before, the facts that are new).
        A fact out of event-time order folds in from the timeline's checkpoint before it."""
        if enterprise_id not in self.open:  # the read-ahead read it, as a rule
            self.read({enterprise_id})
        kept = self.open[enterprise_id]
        timeline, new = joined(kept.timeline, found, self.model)
        if new:
            self.pending.setdefault(enterprise_id, []).extend(new)
            self.open[enterprise_id] = _kept_as(
                kept.row, kept.count + len(new), timeline, kept.tally
            )
        return kept.row, kept.ledger, new

    def ledger(self, enterprise_id: str) -> Ledger:
        return self.open[enterprise_id].ledger

    def row(self, enterprise_id: str) -> Scored:
        return self.open[enterprise_id].row

    def tally(self, enterprise_id: str) -> Tally | None:
        """The kept tally, if it is the ledger's at the row's watermark."""
        kept = self.open[enterprise_id]
        return kept.tally if kept.tally and kept.tally.at == kept.row.watermark else None

    def project(self, row: Scored, recorded: Sequence[Recorded], tally: Tally | None) -> None:
        kept = self.open[row.enterprise_id]
        self.open[row.enterprise_id] = _kept_as(row, kept.count, kept.timeline, tally)
        self.changed.add(row.enterprise_id)
        for item in recorded:
            if isinstance(item.event, CreditScoreChanged):
                self.history.append(history_row(item.event, item.meta))

    def flush(self) -> None:
        # Handed straight to the driver (strings and integers, nothing to bind): Core's
        # processing of each row's parameters cost more than the insert.
        insert_rows(self.conn, facts, [fact_row(f) for mine in self.pending.values() for f in mine])
        insert_rows(self.conn, history, self.history)
        changed = {}
        for enterprise_id in sorted(self.changed):
            kept = self.open[enterprise_id]
            changed[enterprise_id] = score_row(
                kept.row, kept.count, kept.ledger, self.tally(enterprise_id)
            )
            self.memory.keep(kept)
        store_rows(self.conn, changed, self.stored)
        self.pending, self.history, self.changed, self.read_ahead = {}, [], set(), {}


def _kept_as(row: Scored, count: int, timeline: Timeline, tally: Tally | None) -> Kept:
    """`Kept(row, count, timeline, tally)`, twice a fact: every field, in order
    (`tianmen_events.frozen`)."""
    return assembled(Kept, {"row": row, "count": count, "timeline": timeline, "tally": tally})


def _kept(row: Scored, count: int, facts: list[Fact], model: ModelSpec) -> Kept:
    timeline = timeline_of(row.enterprise_id, facts, model)
    tally = None if row.watermark is None else tally_of(timeline.ledger, row.watermark)
    return Kept(row, count, timeline, tally)
