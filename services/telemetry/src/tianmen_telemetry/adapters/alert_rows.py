"""A transaction's alert rows (`alerts`, `open_alerts`), kept until it is flushed and then
written in at most four statements, one of each kind, instead of two one-row statements each
time an alert is raised or cleared (a round trip each on PostgreSQL: decision 117).

What is written is what the one-row statements left: an alert raised and cleared in the same
transaction is inserted with its `cleared_at`, and its open row is never written; the open
rows of alerts cleared are deleted before those raised are inserted (a machine's rule holds
one open alert). Whatever reads these tables inside the transaction (`BindingEnds.held_before`)
asks for `flush` first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, update
from tianmen_events.telemetry import AlertCleared, AlertRaised

from tianmen_telemetry.adapters.orm import alerts, open_alerts

_INSERT_ALERTS = insert(alerts)
_OPEN_ALERTS = insert(open_alerts)
_CLOSE_ALERTS = delete(open_alerts).where(open_alerts.c.alert_id == bindparam("b_alert_id"))
_CLEARED_AT = (
    update(alerts)
    .where(alerts.c.alert_id == bindparam("b_alert_id"))
    .values(cleared_at=bindparam("b_cleared_at", type_=alerts.c.cleared_at.type))
)


class AlertRows:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._raised: dict[str, dict[str, Any]] = {}  # by alert id, in the order raised
        self._opened: dict[str, dict[str, Any]] = {}
        self._closed: list[str] = []  # open rows written before this transaction
        self._cleared: dict[str, datetime] = {}  # alerts written before this transaction

    def raise_alert(self, alert: AlertRaised, *, hold_open: bool) -> None:
        self._raised[alert.alert_id] = {
            **alert.model_dump(),
            **alert.model_dump(mode="json", include={"evidence"}),
            "cleared_at": None,
        }
        if hold_open:
            self._opened[alert.alert_id] = {
                "machine_id": alert.machine_id,
                "rule": alert.rule,
                "alert_id": alert.alert_id,
                "enterprise_id": alert.enterprise_id,
                "jurisdiction": alert.jurisdiction,
            }

    def clear_alert(self, cleared: AlertCleared) -> None:
        alert_id = cleared.alert_id
        if self._opened.pop(alert_id, None) is None:
            self._closed.append(alert_id)
        raised = self._raised.get(alert_id)
        if raised is None:
            self._cleared[alert_id] = cleared.cleared_at
        else:
            raised["cleared_at"] = cleared.cleared_at

    def flush(self) -> None:
        conn = self.conn
        if self._closed:
            conn.execute(_CLOSE_ALERTS, [{"b_alert_id": a} for a in self._closed])
        if self._raised:
            conn.execute(_INSERT_ALERTS, list(self._raised.values()))
        if self._opened:
            conn.execute(_OPEN_ALERTS, list(self._opened.values()))
        if self._cleared:
            rows = [{"b_alert_id": a, "b_cleared_at": at} for a, at in self._cleared.items()]
            conn.execute(_CLEARED_AT, rows)
        self._raised, self._opened, self._closed, self._cleared = {}, {}, [], {}
