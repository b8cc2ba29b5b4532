"""The live ledger's facts: written once per event id (a redelivery adds nothing), read per
enterprise in event-time order. The live store has one time axis (event time); the recorded
axis is the log's, which the audit reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, select
from tianmen_runtime.driver_sql import insert_rows

from tianmen_credit.adapters.orm import facts
from tianmen_credit.domain.facts import Fact

_KNOWN = select(facts.c.event_id).where(facts.c.event_id.in_(bindparam("ids", expanding=True)))


class FactRows:
    """A unit of work's new facts, written at its flush in one look-up and one insert (a
    consumer transaction holds up to thousands: one statement each cost more than the rest
    of the handler)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.new: dict[str, Fact] = {}

    def add(self, new: Sequence[Fact]) -> None:
        for fact in new:
            self.new.setdefault(fact.event_id, fact)

    def flush(self) -> None:
        if self.new:
            record_facts(self.conn, list(self.new.values()))
            self.new.clear()


def record_facts(conn: Connection, new: Sequence[Fact]) -> None:
    ids = [f.event_id for f in new]
    known = set(conn.execute(_KNOWN, {"ids": ids}).scalars())
    insert_rows(conn, facts, [_row(f) for f in new if f.event_id not in known])


def load_facts(conn: Connection, enterprise_id: str) -> list[Fact]:
    query = (
        select(facts)
        .where(facts.c.enterprise_id == enterprise_id)
        .order_by(facts.c.at, facts.c.event_id)
    )
    found = [_fact(r._mapping) for r in conn.execute(query)]
    return sorted(found, key=lambda f: (f.at, f.event_id))  # offsets may differ between events


def _row(f: Fact) -> dict[str, object]:
    return {
        "event_id": f.event_id,
        "enterprise_id": f.enterprise_id,
        "kind": f.kind,
        "at": f.at.isoformat(),
        "code": f.code,
        "severity": f.severity,
        "points": f.points,
        "target": f.target,
    }


def _fact(r: object) -> Fact:
    m = dict(r)  # type: ignore[call-overload]
    at = datetime.fromisoformat(m["at"])
    return Fact(
        m["event_id"],
        m["kind"],
        m["enterprise_id"],
        at,
        at,
        m["code"],
        m["severity"],
        m["points"],
        m["target"],
    )
