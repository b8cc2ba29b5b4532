"""The live ledger's facts: written once per event id (a redelivery adds nothing: the
projection knows the enterprise's facts), read per enterprise in event-time order. The live
store has one time axis (event time); the recorded axis is the log's, which the audit reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from tianmen_credit.adapters.orm import facts
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import in_order


def load_facts(conn: Connection, enterprise_id: str) -> list[Fact]:
    return load_facts_of(conn, {enterprise_id}).get(enterprise_id, [])


def load_facts_of(conn: Connection, enterprise_ids: set[str]) -> dict[str, list[Fact]]:
    """Each enterprise's facts in event-time order (ties by id), in one query."""
    query = select(facts).where(facts.c.enterprise_id.in_(sorted(enterprise_ids)))
    found: dict[str, list[Fact]] = {}
    for r in conn.execute(query):
        fact = _fact(r._mapping)
        found.setdefault(fact.enterprise_id, []).append(fact)
    return {e: in_order(mine) for e, mine in found.items()}


def fact_row(f: Fact) -> dict[str, object]:
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
