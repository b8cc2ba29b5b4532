"""The ledger's rows: read as the state `decide` starts from, brought up to date with the events
the ledger just recorded, in the same transaction (so they are its snapshot, rebuilt by replay).
A consumer transaction of many alerts reads each enterprise's rows once and writes them once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from tianmen_events import EventMeta
from tianmen_events.safety import (
    KeySupervisionDelisted,
    PointsDeducted,
    PointsRestored,
    ViolationRecorded,
)
from tianmen_runtime.driver_sql import insert_rows
from tianmen_runtime.event_store import ConcurrencyConflict, Recorded

from tianmen_safety.adapters.case_rows import as_given
from tianmen_safety.adapters.orm import deductions, ledgers, restorations, violations
from tianmen_safety.domain.ledger import Cycle, Ledger
from tianmen_safety.domain.rules import PointsRules

# Built once: they run for every alert.
_CYCLES = select(ledgers).where(ledgers.c.enterprise_id.in_(bindparam("ids", expanding=True)))
_UPDATE_LEDGER = update(ledgers).where(
    ledgers.c.enterprise_id == bindparam("key_enterprise_id"),
    ledgers.c.cycle_year == bindparam("key_cycle_year"),
)
_DEDUCTION = (
    select(deductions, violations.c.revoked)
    .join(violations, violations.c.violation_id == deductions.c.violation_id)
    .where(deductions.c.violation_id == bindparam("violation_id"))
)
_RECORDED = select(violations.c.violation_id).where(
    violations.c.violation_id.in_(bindparam("ids", expanding=True))
)


def load_ledger(conn: Connection, enterprise_id: str) -> Ledger:
    """The enterprise's ledger as its rows hold it: one row per cycle, whatever its history."""
    return load_ledgers(conn, {enterprise_id})[enterprise_id]


def load_ledgers(conn: Connection, enterprise_ids: set[str]) -> dict[str, Ledger]:
    rows = conn.execute(_CYCLES, {"ids": sorted(enterprise_ids)}).all()
    cycles: dict[str, list[Cycle]] = {enterprise_id: [] for enterprise_id in enterprise_ids}
    for r in rows:
        cycles[r.enterprise_id].append(
            Cycle(r.cycle_year, r.balance, r.bidding_suspended, r.key_supervision)
        )
    return {
        enterprise_id: Ledger(enterprise_id, tuple(sorted(found, key=lambda c: c.year)))
        for enterprise_id, found in cycles.items()
    }


class SafetyRows:
    """Safety's rows within one unit of work: each enterprise's ledger read once and written
    once (at flush), the violation and deduction rows of the whole transaction inserted together.
    It is also the container of violation ids already recorded that `decide` asks."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.ledgers: dict[str, Ledger] = {}
        self.touched: dict[tuple[str, int], tuple[str, PointsRules]] = {}
        self.violations: list[dict[str, object]] = []
        self.deductions: list[dict[str, object]] = []
        self.restorations: list[dict[str, object]] = []
        self.recorded: set[str] = set()  # known to be recorded (read, or in this transaction)
        self.asked: set[str] = set()  # known either way
        self.stored: set[tuple[str, int]] = set()  # (enterprise, cycle year) rows that exist

    def read(
        self, enterprise_ids: set[str], violation_ids: set[str], unrecorded: Iterable[str] = ()
    ) -> None:
        """Read the ledgers and recorded violations a batch will ask about, in two queries;
        `unrecorded`: violations the caller knows are not recorded (asked with no query)."""
        if unread := set(enterprise_ids) - set(self.ledgers):
            self._loaded(load_ledgers(self.conn, unread))
        self.asked.update(v for v in unrecorded if v not in self.recorded)
        if violation_ids:
            found = self.conn.execute(_RECORDED, {"ids": sorted(violation_ids)}).scalars()
            self.recorded |= set(found)
            self.asked |= violation_ids

    def ledger(self, enterprise_id: str) -> Ledger:
        if enterprise_id not in self.ledgers:
            self._loaded({enterprise_id: load_ledger(self.conn, enterprise_id)})
        return self.ledgers[enterprise_id]

    def _loaded(self, ledgers: dict[str, Ledger]) -> None:
        self.ledgers |= ledgers
        self.stored |= {(e, c.year) for e, ledger in ledgers.items() for c in ledger.cycles}

    def __contains__(self, violation_id: object) -> bool:
        if violation_id in self.recorded or violation_id in self.asked:
            return violation_id in self.recorded
        self.read(set(), {str(violation_id)})
        return violation_id in self.recorded

    def project(self, recorded: Sequence[Recorded], ledger: Ledger, rules: PointsRules) -> None:
        """Violation and deduction rows for the events just recorded (one append's: they share
        its time); `ledger` is the state after them, written for the cycles they touched when
        the unit of work flushes."""
        self.ledgers[ledger.enterprise_id] = ledger
        cycle_of: dict[str, int] = {}  # violation -> the cycle its deduction or restoration hit
        found: list[Recorded] = []
        years: set[int] = set()
        time = as_given(recorded[0].meta.time) if recorded else ""  # the text once an append
        for item in recorded:  # one pass: a confirmation's events, every confirmation
            event = item.event
            if type(event) is ViolationRecorded:  # exact types: a miss costs no ABCMeta check
                found.append(item)
            elif type(event) is PointsDeducted:
                self.deductions.append(_deduction_row(event, item.meta, time))
                cycle_of[event.violation_id] = event.cycle_year
            elif type(event) is PointsRestored:
                self.restorations.append(_restoration_row(event, item.meta, time))
                cycle_of[event.violation_id] = event.cycle_year
            elif type(event) is KeySupervisionDelisted:
                years.add(event.cycle_year)
        self._violations(found, cycle_of, rules)
        for year in years | set(cycle_of.values()):
            self.touched[(ledger.enterprise_id, year)] = (time, rules)

    def _violations(
        self, found: list[Recorded], cycle_of: dict[str, int], rules: PointsRules
    ) -> None:
        """Their rows, in the cycle their deduction hit (else their own time's)."""
        for item in found:
            event = item.event
            assert type(event) is ViolationRecorded
            year = cycle_of.get(event.violation_id)
            if year is None:
                year = rules.cycle_year(event.occurred_at)
            self.violations.append(_violation_row(event, item.meta, year))
            self.recorded.add(event.violation_id)

    def deduction(self, violation_id: str) -> PointsDeducted | None:
        """The deduction a violation made, unless it was revoked since (pending rows first)."""
        self.flush()
        found = self.conn.execute(_DEDUCTION, {"violation_id": violation_id}).first()
        if found is None or found.revoked:
            return None
        return PointsDeducted(
            enterprise_id=found.enterprise_id,
            violation_id=violation_id,
            points=found.points,
            balance_after=found.balance_after,
            cycle_year=found.cycle_year,
            rule_version=found.rule_version,
        )

    def flush(self) -> None:
        insert_rows(self.conn, violations, self.violations)
        insert_rows(self.conn, deductions, self.deductions)
        insert_rows(self.conn, restorations, self.restorations)
        revoked = [row["violation_id"] for row in self.restorations]
        if revoked:
            self.conn.execute(
                update(violations).where(violations.c.violation_id.in_(revoked)), {"revoked": True}
            )
        self._write_ledgers()
        self.violations, self.deductions, self.restorations, self.touched = [], [], [], {}

    def _write_ledgers(self) -> None:
        """The touched cycles' rows: one update of those that exist, one insert of the new."""
        updates, inserts = [], []
        new = set(self.touched) - self.stored
        for (enterprise_id, year), (time, rules) in sorted(self.touched.items()):
            row = _ledger_row(self.ledgers[enterprise_id], year, rules, time)
            if (enterprise_id, year) not in new:
                updates.append({"key_enterprise_id": enterprise_id, "key_cycle_year": year, **row})
            else:
                inserts.append({"enterprise_id": enterprise_id, "cycle_year": year, **row})
        if updates:
            self.conn.execute(_UPDATE_LEDGER, updates)
        if inserts:
            try:
                insert_rows(self.conn, ledgers, inserts)
            except IntegrityError as exc:
                raise ConcurrencyConflict("another writer started one of these cycles") from exc
            self.stored |= new


def _violation_row(event: ViolationRecorded, meta: EventMeta, year: int) -> dict[str, object]:
    return {
        "violation_id": event.violation_id,
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "cycle_year": year,
        "sequence": meta.sequence,
        "machine_id": event.machine_id,
        "code": event.code,
        "description": event.description,
        "occurred_at": as_given(event.occurred_at),
        "points": event.points,
        "source_event_id": event.source_event_id,
        "source_event_type": event.source_event_type,
        "rule_version": event.rule_version,
        "revoked": False,
    }


def _restoration_row(event: PointsRestored, meta: EventMeta, time: str) -> dict[str, object]:
    return {
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "cycle_year": event.cycle_year,
        "sequence": meta.sequence,
        "violation_id": event.violation_id,
        "points": event.points,
        "balance_after": event.balance_after,
        "reason": event.reason,
        "time": time,
        "rule_version": event.rule_version,
    }


def _deduction_row(event: PointsDeducted, meta: EventMeta, time: str) -> dict[str, object]:
    return {
        "event_id": meta.id,
        "enterprise_id": event.enterprise_id,
        "cycle_year": event.cycle_year,
        "sequence": meta.sequence,
        "violation_id": event.violation_id,
        "points": event.points,
        "balance_after": event.balance_after,
        "time": time,
        "rule_version": event.rule_version,
    }


def _ledger_row(ledger: Ledger, year: int, rules: PointsRules, time: str) -> dict[str, object]:
    cycle = ledger.cycle(year)
    assert cycle is not None, f"the ledger has no cycle {year} after a deduction in it"
    return {
        "initial_points": rules.initial_points,
        "balance": cycle.balance,
        "bidding_suspended": cycle.bidding_suspended,
        "key_supervision": cycle.key_supervision,
        "rule_version": rules.version,
        "updated_at": time,
    }
