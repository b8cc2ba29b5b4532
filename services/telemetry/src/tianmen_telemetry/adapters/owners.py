"""Who owned a machine when (decision 91): a report is charged to the owner at its time, as the
registry's `MachineTransferred` said it by then and the log recorded it before the report, not
to the owner its terminal was bound under. Ownership is a function of the transfers alone,
ordered by their event time (then event id), so the order they arrived in changes nothing.

A unit of work's part, batch-shaped like the binds (decision 90): the transfers of a
transaction's machines read ahead in one query, new ones kept in memory and written once."""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, insert, select
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.adapters.among import among, ids_for, per_dialect
from tianmen_telemetry.adapters.orm import machine_transfers
from tianmen_telemetry.adapters.timeline import recorded_before


class Transfer(NamedTuple):
    """From `at` on (`event_id` breaking ties) the machine was `enterprise_id`'s."""

    at: datetime
    event_id: str
    from_enterprise_id: str
    enterprise_id: str
    recorded: int | None = None  # the log's time of the record, ms


def owner_at(transfers: Sequence[Transfer], at: datetime, recorded: int | None, bound: str) -> str:
    """The owner at `at` by the transfers (oldest first) recorded before `recorded`: before the
    first, its seller; none known, `bound` (the owner the terminal was bound under)."""
    owner = None
    for transfer in transfers:
        if not recorded_before(transfer.recorded, recorded):
            continue
        if transfer.at > at:
            return owner or transfer.from_enterprise_id
        owner = transfer.enterprise_id
    return owner or bound


_TRANSFERS_OF = per_dialect(
    lambda d: select(machine_transfers).where(among(machine_transfers.c.machine_id, d))
)


class Owners:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._of: dict[str, list[Transfer]] = {}  # machines read, their transfers oldest first
        self._new: list[dict[str, object]] = []

    def read_ahead(self, machine_ids: Iterable[str]) -> None:
        wanted = set(machine_ids) - self._of.keys()
        if not wanted:
            return
        for machine_id in wanted:
            self._of[machine_id] = []
        dialect = self.conn.dialect.name
        rows = self.conn.execute(_TRANSFERS_OF[dialect], ids_for(dialect, wanted))
        for r in rows.all():
            insort(
                self._of[r.machine_id],
                Transfer(
                    r.transferred_at,
                    r.event_id,
                    r.from_enterprise_id,
                    r.enterprise_id,
                    r.recorded_ms,
                ),
            )

    def record(self, machine_id: str, transfer: Transfer) -> None:
        """Kept once per event (a redelivered one is known already)."""
        self.read_ahead((machine_id,))
        kept = self._of[machine_id]
        if any(t.event_id == transfer.event_id for t in kept):
            return
        insort(kept, transfer)
        self._new.append({"machine_id": machine_id, **_row(transfer)})

    def enterprises(self) -> set[str]:
        """Every owner the machines read had."""
        return {e for kept in self._of.values() for t in kept for e in t[2:4]}

    def latest(self, machine_id: str) -> str | None:
        """The owner by the latest transfer of the machine, by event time (None: never sold)."""
        self.read_ahead((machine_id,))
        kept = self._of[machine_id]
        return kept[-1].enterprise_id if kept else None

    def charged(self, report: TerminalReported, recorded: int | None) -> TerminalReported:
        """The report as charged to the machine's owner at its time (itself, nearly always)."""
        if report.machine_id not in self._of:  # not read ahead (no `prepare` ran)
            self.read_ahead((report.machine_id,))
        transfers = self._of[report.machine_id]
        if not transfers:
            return report
        owner = owner_at(transfers, report.reported_at, recorded, report.enterprise_id)
        if owner == report.enterprise_id:
            return report
        return report.model_copy(update={"enterprise_id": owner})

    def flush(self) -> None:
        if self._new:
            self.conn.execute(insert(machine_transfers), self._new)
            self._new.clear()


def _row(transfer: Transfer) -> dict[str, object]:
    return {
        "event_id": transfer.event_id,
        "transferred_at": transfer.at,
        "from_enterprise_id": transfer.from_enterprise_id,
        "enterprise_id": transfer.enterprise_id,
        "recorded_ms": transfer.recorded,
    }
