"""One transaction's terminal reports: the rows they read (live states, open alerts, the
registry's word), read ahead for all their machines in a few queries, and the rows they write
often (track points, live states), written once before the commit, one statement each; so are
its alerts, at most one statement of each kind (`alert_rows`, decision 117).

A unit of work's part (`uow.part(ReportBatch, ReportBatch)`): it lives and dies with the
transaction, so a rolled-back batch leaves nothing behind in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import UTC, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from tianmen_events.codes import AlertRule
from tianmen_events.frozen import assembled
from tianmen_events.telemetry import AlertCleared, AlertRaised, TerminalReported
from tianmen_runtime.driver_sql import execute_columns

from tianmen_telemetry.adapters import tracks
from tianmen_telemetry.adapters.alert_rows import AlertRows
from tianmen_telemetry.adapters.among import among, ids_for, per_dialect
from tianmen_telemetry.adapters.orm import alerts, live_states, open_alerts
from tianmen_telemetry.adapters.register_book import RegisterBook, read_book
from tianmen_telemetry.domain.alerts import OpenAlert
from tianmen_telemetry.domain.live_state import LiveState
from tianmen_telemetry.domain.register import Register

_STATE_FIELDS = tuple(f.name for f in fields(LiveState))
_STATES_OF = per_dialect(  # LiveState(*row)
    lambda d: select(*(live_states.c[name] for name in _STATE_FIELDS)).where(
        among(live_states.c.machine_id, d)
    )
)
_OPEN_OF = per_dialect(lambda d: select(open_alerts).where(among(open_alerts.c.machine_id, d)))
_SAVE_STATE = {
    name: (upsert := dialect.insert(live_states)).on_conflict_do_update(
        index_elements=[live_states.c.machine_id],
        set_={field: upsert.excluded[field] for field in _STATE_FIELDS if field != "machine_id"},
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_ZERO = timedelta(0)
_RAISED = select(alerts.c.enterprise_id).where(alerts.c.alert_id == bindparam("alert_id"))


class RaisedAlerts:
    """Alert ids ever raised and the enterprise each was raised against (`alerts.Raised`):
    those known to this transaction (its machines' open alerts, what it raised) without a
    query, any other from the store."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.known: dict[str, str] = {}

    def get(self, alert_id: str, /) -> str | None:
        known = self.known.get(alert_id)
        if known is None:
            known = self.conn.execute(_RAISED, {"alert_id": alert_id}).scalar()
            if known is not None:  # raised against whom never changes: asked once
                self.known[alert_id] = known
        return known


class ReportBatch:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.raised = RaisedAlerts(conn)
        self._states: dict[str, LiveState | None] = {}
        self._changed: dict[str, LiveState] = {}
        self._open: dict[str, dict[AlertRule, OpenAlert]] = {}
        self._points: dict[tuple[str, object], TerminalReported] = {}
        self._enterprises: set[str] = set()
        self._book: RegisterBook | None = None
        self._alerts = AlertRows(conn)

    def read_ahead(self, reports: Iterable[TerminalReported], owners: Iterable[str] = ()) -> None:
        """Live states and open alerts of the reports' machines not read yet, in two queries;
        the registry's word will be read for their enterprises and the machines' `owners`."""
        reports = list(reports)
        self._enterprises |= {r.enterprise_id for r in reports}
        self._enterprises.update(owners)
        new = {r.machine_id for r in reports} - self._states.keys()
        if not new:
            return
        for machine_id in new:
            self._states[machine_id], self._open[machine_id] = None, {}
        dialect = self.conn.dialect.name
        ids = ids_for(dialect, new)
        for row in self.conn.execute(_STATES_OF[dialect], ids).all():  # one fetchall
            state = _state_of(row)
            self._states[state.machine_id] = state
        for row in self.conn.execute(_OPEN_OF[dialect], ids).all():
            held = OpenAlert(row.alert_id, row.enterprise_id, row.jurisdiction)
            self._open[row.machine_id][AlertRule(row.rule)] = held
            self.raised.known[row.alert_id] = row.enterprise_id

    def live_state(self, report: TerminalReported) -> LiveState | None:
        if report.machine_id not in self._states:  # not read ahead (no `prepare` ran)
            self.read_ahead((report,))
        return self._states[report.machine_id]

    def keep_state(self, state: LiveState) -> None:
        """Kept as the store gives it back (instants in UTC), so the reports after it in this
        transaction see what they would see in the next one."""
        stored = _as_stored(state)
        self._states[state.machine_id] = self._changed[state.machine_id] = stored

    def keep_point(self, report: TerminalReported) -> None:
        """Once per machine and instant (the first report of it, as the table keeps)."""
        self._points.setdefault((report.machine_id, report.reported_at), report)

    def open_alerts(self, machine_id: str) -> Mapping[AlertRule, OpenAlert]:
        """The machine's open alerts, not a copy: read by `decide` before any changes them."""
        return self._open[machine_id]

    def has_register_for(self, report: TerminalReported) -> bool:
        """Whether the registry's word for the report is read already (else `register_for`
        reads it)."""
        return self._book is not None and self._book.covers(report)

    def register_for(self, report: TerminalReported, recorded: int | None) -> Register:
        book = self._book
        if book is None or not book.covers(report):
            self.read_ahead((report,))
            book = self._book = read_book(self.conn, self._states.keys(), self._enterprises)
        return book.register_for(report, recorded)

    def forget_register(self) -> None:
        """The registry's word changed in this transaction: read it again when next needed."""
        self._book = None

    def raise_alert(self, alert: AlertRaised, *, hold_open: bool) -> None:
        self._alerts.raise_alert(alert, hold_open=hold_open)
        self.raised.known[alert.alert_id] = alert.enterprise_id
        if hold_open:
            held = OpenAlert(alert.alert_id, alert.enterprise_id, alert.jurisdiction)
            self._open[alert.machine_id][alert.rule] = held

    def clear_alert(self, cleared: AlertCleared) -> None:
        self._alerts.clear_alert(cleared)
        self._open.get(cleared.machine_id, {}).pop(cleared.rule, None)  # read or not

    def write_alerts(self) -> None:
        """The alerts raised and cleared so far written, for a read of the store's open ones."""
        self._alerts.flush()

    def flush(self) -> None:
        self._alerts.flush()
        tracks.keep_points(self.conn, list(self._points.values()))
        self._points.clear()
        states = [_row(state) for state in self._changed.values()]
        execute_columns(self.conn, _SAVE_STATE[self.conn.dialect.name], states)
        self._changed.clear()


def _as_stored(state: LiveState) -> LiveState:
    """`UtcDateTime` gives instants back in UTC: an instant's offset (+08:00 from a terminal)
    would otherwise show in what is derived from it, say an alert id, only within a batch."""
    since, at = state.working_since, state.last_report_at
    if at.utcoffset() == _ZERO and (since is None or since.utcoffset() == _ZERO):
        return state
    # As `dataclasses.replace` would, without the frozen constructor (most of the cost, once a
    # report from a terminal's +08:00): the same fields in the same order.
    return assembled(
        LiveState,
        vars(state)
        | {
            "last_report_at": at.astimezone(UTC),
            "working_since": None if since is None else since.astimezone(UTC),
        },
    )


def _state_of(row: Iterable[Any]) -> LiveState:
    """`LiveState(*row)` without the frozen constructor (as `live_state.evolve` builds one):
    the same fields in the same order, so the same state."""
    return assembled(LiveState, zip(_STATE_FIELDS, row, strict=True))


def _row(state: LiveState) -> Mapping[str, Any]:
    """The state's fields by name, in order: a dataclass's own `__dict__`, not a copy (it holds
    exactly its fields; `execute_rows` only reads it)."""
    return MappingProxyType(vars(state))
