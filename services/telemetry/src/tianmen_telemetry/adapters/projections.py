"""Writing telemetry's projections inside the consumer's transaction."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from tianmen_events.codes import AlertRule
from tianmen_events.telemetry import AlertCleared, AlertRaised, TerminalReported

from tianmen_telemetry.adapters.orm import (
    alerts,
    findings,
    live_states,
    machines,
    open_alerts,
    terminal_bindings,
)
from tianmen_telemetry.domain.alerts import OpenAlert
from tianmen_telemetry.domain.live_state import LiveState


def record_machine(conn: Connection, machine_id: str, enterprise_id: str) -> None:
    """Insert the machine, or update its owner, keeping any terminal it has."""
    changed = conn.execute(
        update(machines)
        .where(machines.c.machine_id == machine_id)
        .values(enterprise_id=enterprise_id)
    )
    if changed.rowcount == 0:
        conn.execute(insert(machines).values(machine_id=machine_id, enterprise_id=enterprise_id))


def bind_terminal(
    conn: Connection, machine_id: str, enterprise_id: str, terminal_id: str, at: datetime
) -> None:
    """Bind the terminal to the machine from `at`; it leaves any machine it was on before, and
    a terminal the machine had before is released."""
    previous = conn.execute(
        select(machines.c.terminal_id).where(machines.c.machine_id == machine_id)
    ).scalar()
    if previous is not None and previous != terminal_id:
        add_period(conn, previous, at, None, None)
    add_period(conn, terminal_id, at, machine_id, enterprise_id)
    conn.execute(
        update(machines)
        .where(machines.c.terminal_id == terminal_id, machines.c.machine_id != machine_id)
        .values(terminal_id=None)
    )
    record_machine(conn, machine_id, enterprise_id)
    conn.execute(
        update(machines).where(machines.c.machine_id == machine_id).values(terminal_id=terminal_id)
    )


def add_period(
    conn: Connection,
    terminal_id: str,
    at: datetime,
    machine_id: str | None,
    enterprise_id: str | None,
) -> None:
    """Start a period of the terminal's history at `at` (its first one: since ever)."""
    held = select(terminal_bindings).where(terminal_bindings.c.terminal_id == terminal_id)
    rows = conn.execute(held.order_by(terminal_bindings.c.seq.desc())).all()
    if rows and (rows[0].machine_id, rows[0].enterprise_id) == (machine_id, enterprise_id):
        return
    valid_from = at if rows else None
    conn.execute(
        insert(terminal_bindings).values(
            terminal_id=terminal_id,
            seq=len(rows),
            valid_from=valid_from,
            machine_id=machine_id,
            enterprise_id=enterprise_id,
        )
    )


# Built once: these run for every terminal report, the suite's hottest path.
_LOAD_STATE = select(live_states).where(live_states.c.machine_id == bindparam("machine_id"))
_INSERT_STATE = insert(live_states)
_UPDATE_STATE = update(live_states).where(live_states.c.machine_id == bindparam("key"))
_ALERT_RAISED = select(alerts.c.alert_id).where(alerts.c.alert_id == bindparam("alert_id"))
_INSERT_ALERT = insert(alerts)


def load_live_state(conn: Connection, machine_id: str) -> LiveState | None:
    row = conn.execute(_LOAD_STATE, {"machine_id": machine_id}).first()
    return None if row is None else LiveState(**row._mapping)


def save_live_state(conn: Connection, state: LiveState, *, existed: bool) -> None:
    if existed:
        conn.execute(_UPDATE_STATE, {"key": state.machine_id, **asdict(state)})
    else:
        conn.execute(_INSERT_STATE, asdict(state))


class RaisedAlerts:
    """The alerts already raised, as a container of alert ids the domain can ask."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def __contains__(self, alert_id: object) -> bool:
        return self.conn.execute(_ALERT_RAISED, {"alert_id": str(alert_id)}).first() is not None


def record_alert(conn: Connection, alert: AlertRaised) -> None:
    conn.execute(
        _INSERT_ALERT, {**alert.model_dump(), **alert.model_dump(mode="json", include={"evidence"})}
    )


_OPEN_OF = select(open_alerts).where(open_alerts.c.machine_id == bindparam("machine_id"))


def load_open_alerts(conn: Connection, machine_id: str) -> dict[AlertRule, OpenAlert]:
    rows = conn.execute(_OPEN_OF, {"machine_id": machine_id}).all()
    return {AlertRule(r.rule): OpenAlert(r.alert_id, r.enterprise_id, r.jurisdiction) for r in rows}


def open_alert(conn: Connection, alert: AlertRaised) -> None:
    conn.execute(
        insert(open_alerts).values(
            machine_id=alert.machine_id,
            rule=alert.rule,
            alert_id=alert.alert_id,
            enterprise_id=alert.enterprise_id,
            jurisdiction=alert.jurisdiction,
        )
    )


def clear_alert(conn: Connection, cleared: AlertCleared) -> None:
    conn.execute(delete(open_alerts).where(open_alerts.c.alert_id == cleared.alert_id))
    conn.execute(
        update(alerts)
        .where(alerts.c.alert_id == cleared.alert_id)
        .values(cleared_at=cleared.cleared_at)
    )


def record_finding(conn: Connection, report: TerminalReported, finding: str, detail: str) -> None:
    """Keep a report that is not a position (once: a redelivered report changes nothing)."""
    if conn.execute(_FINDING, {"report_id": report.report_id}).first() is not None:
        return
    conn.execute(
        insert(findings).values(
            report_id=report.report_id,
            machine_id=report.machine_id,
            enterprise_id=report.enterprise_id,
            terminal_id=report.terminal_id,
            finding=finding,
            observed_at=report.reported_at,
            latitude=report.latitude,
            longitude=report.longitude,
            detail=detail,
        )
    )


_FINDING = select(findings.c.report_id).where(findings.c.report_id == bindparam("report_id"))
