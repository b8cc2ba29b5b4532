"""Credit's score rows as stored: read with each enterprise's count of facts, written with
the moment time alone next moves them (the first expiry after their watermark), a
transaction's rows in one statement for those stored and one for the new."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from tianmen_credit.adapters.clock import utc_key
from tianmen_credit.adapters.orm import scores
from tianmen_credit.domain.ledger import Ledger
from tianmen_credit.domain.live import Scored, next_expiry, unscored
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.tally import Tally

# Built once: it runs for every transaction.
_SCORES = select(scores).where(scores.c.enterprise_id.in_(bindparam("ids", expanding=True)))
_INSERT_SCORE = insert(scores)
_UPDATE_SCORE = update(scores).where(scores.c.enterprise_id == bindparam("key"))


def load_scores(conn: Connection, ids: set[str], model: ModelSpec) -> dict[str, Scored]:
    """The rows as stored; an enterprise without one is at the model's base score."""
    return {e: row for e, (row, _) in load_rows(conn, ids, model).items()}


def load_rows(conn: Connection, ids: set[str], model: ModelSpec) -> dict[str, tuple[Scored, int]]:
    """Each row with its count of facts."""
    found = {enterprise_id: (unscored(enterprise_id, model), 0) for enterprise_id in ids}
    for r in conn.execute(_SCORES, {"ids": sorted(ids)}):
        watermark = datetime.fromisoformat(r.updated_at)
        row = Scored(
            r.enterprise_id, r.score, r.grade, r.procurement_restricted, r.model_version, watermark
        )
        found[r.enterprise_id] = (row, r.fact_count)
    return found


def score_row(row: Scored, count: int, ledger: Ledger, tally: Tally | None) -> dict[str, object]:
    """The row to store; `tally` (the ledger's at the row's watermark) knows its next expiry."""
    assert row.watermark is not None
    upcoming = next_expiry(ledger, row.watermark) if tally is None else tally.upcoming
    return {
        "fact_count": count,
        "score": row.score,
        "grade": row.grade,
        "procurement_restricted": row.restricted,
        "model_version": row.model_version,
        "updated_at": row.watermark.isoformat(),
        "next_expiry": None if upcoming is None else utc_key(upcoming),
    }


def store_rows(conn: Connection, rows: dict[str, dict[str, object]], stored: set[str]) -> None:
    """Write the rows (`score_row`s by enterprise): an update of those `stored` (as the
    transaction read them) and an insert of the rest, each one executemany; `stored` then
    holds them all."""
    updates = [{"key": e, **row} for e, row in rows.items() if e in stored]
    inserts = [{"enterprise_id": e, **row} for e, row in rows.items() if e not in stored]
    if updates:
        conn.execute(_UPDATE_SCORE, updates)
    if inserts:
        conn.execute(_INSERT_SCORE, inserts)
    stored.update(rows)
