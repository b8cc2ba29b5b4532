"""The ledger's rows: read as the state `decide` starts from, brought up to date with the events
the ledger just recorded, in the same transaction (so they are its snapshot, rebuilt by replay).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, insert, select, update
from tianmen_events import EventMeta
from tianmen_events.safety import PointsDeducted, ViolationRecorded
from tianmen_runtime.event_store import Recorded

from tianmen_safety.adapters.orm import deductions, ledgers, violations
from tianmen_safety.domain.ledger import Cycle, Ledger
from tianmen_safety.domain.rules import PointsRules

# Built once: they run for every alert.
_CYCLES = select(
    ledgers.c.cycle_year, ledgers.c.balance, ledgers.c.bidding_suspended, ledgers.c.key_supervision
).where(ledgers.c.enterprise_id == bindparam("enterprise_id"))
_INSERT_VIOLATION = insert(violations)
_INSERT_DEDUCTION = insert(deductions)
_INSERT_LEDGER = insert(ledgers)
_UPDATE_LEDGER = update(ledgers).where(
    ledgers.c.enterprise_id == bindparam("key_enterprise_id"),
    ledgers.c.cycle_year == bindparam("key_cycle_year"),
)
_RECORDED = select(violations.c.violation_id).where(
    violations.c.violation_id == bindparam("violation_id")
)


def load_ledger(conn: Connection, enterprise_id: str) -> Ledger:
    """The enterprise's ledger as its rows hold it: one row per cycle, whatever its history."""
    rows = conn.execute(_CYCLES, {"enterprise_id": enterprise_id}).all()
    cycles = (Cycle(r.cycle_year, r.balance, r.bidding_suspended, r.key_supervision) for r in rows)
    return Ledger(enterprise_id, tuple(sorted(cycles, key=lambda c: c.year)))


class RecordedViolations:
    """The violations already recorded, as a container of violation ids the domain can ask."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __contains__(self, violation_id: object) -> bool:
        found = self.conn.execute(_RECORDED, {"violation_id": str(violation_id)}).first()
        return found is not None


def project(
    conn: Connection, recorded: Sequence[Recorded], ledger: Ledger, rules: PointsRules
) -> None:
    """Insert violation and deduction rows; rewrite the ledger rows of the cycles touched."""
    cycle_of = {
        r.event.violation_id: r.event.cycle_year
        for r in recorded
        if isinstance(r.event, PointsDeducted)
    }
    for item in recorded:
        event = item.event
        if isinstance(event, ViolationRecorded):
            year = cycle_of.get(event.violation_id, rules.cycle_year(event.occurred_at))
            _insert_violation(conn, event, item.meta, year)
        elif isinstance(event, PointsDeducted):
            _insert_deduction(conn, event, item.meta)
    for year in sorted(set(cycle_of.values())):
        _write_ledger(conn, ledger, year, rules, recorded[-1].meta.time.isoformat())


def _insert_violation(
    conn: Connection, event: ViolationRecorded, meta: EventMeta, year: int
) -> None:
    row = {
        "violation_id": event.violation_id,
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "cycle_year": year,
        "sequence": meta.sequence,
        "machine_id": event.machine_id,
        "code": event.code,
        "description": event.description,
        "occurred_at": event.occurred_at.isoformat(),
        "points": event.points,
        "source_event_id": event.source_event_id,
        "source_event_type": event.source_event_type,
        "rule_version": event.rule_version,
    }
    conn.execute(_INSERT_VIOLATION, row)


def _insert_deduction(conn: Connection, event: PointsDeducted, meta: EventMeta) -> None:
    row = {
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "cycle_year": event.cycle_year,
        "sequence": meta.sequence,
        "violation_id": event.violation_id,
        "points": event.points,
        "balance_after": event.balance_after,
        "time": meta.time.isoformat(),
        "rule_version": event.rule_version,
    }
    conn.execute(_INSERT_DEDUCTION, row)


def _write_ledger(
    conn: Connection, ledger: Ledger, year: int, rules: PointsRules, time: str
) -> None:
    cycle = ledger.cycle(year)
    assert cycle is not None, f"the ledger has no cycle {year} after a deduction in it"
    row = {
        "initial_points": rules.initial_points,
        "balance": cycle.balance,
        "bidding_suspended": cycle.bidding_suspended,
        "key_supervision": cycle.key_supervision,
        "rule_version": rules.version,
        "updated_at": time,
    }
    key = {"key_enterprise_id": ledger.enterprise_id, "key_cycle_year": year}
    if conn.execute(_UPDATE_LEDGER, {**key, **row}).rowcount == 0:
        conn.execute(
            _INSERT_LEDGER, {"enterprise_id": ledger.enterprise_id, "cycle_year": year, **row}
        )
