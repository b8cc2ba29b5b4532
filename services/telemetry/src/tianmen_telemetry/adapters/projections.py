"""Writing telemetry's projections inside the consumer's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from tianmen_events.telemetry import AlertCleared, AlertRaised, TerminalReported

from tianmen_telemetry.adapters.orm import (
    alerts,
    findings,
    machines,
    open_alerts,
)


def record_machine(conn: Connection, machine_id: str, enterprise_id: str) -> None:
    """Insert the machine, or update its owner, keeping any terminal it has."""
    changed = conn.execute(
        update(machines)
        .where(machines.c.machine_id == machine_id)
        .values(enterprise_id=enterprise_id)
    )
    if changed.rowcount == 0:
        conn.execute(insert(machines).values(machine_id=machine_id, enterprise_id=enterprise_id))


_INSERT_ALERT = insert(alerts)


def record_alert(conn: Connection, alert: AlertRaised) -> None:
    conn.execute(
        _INSERT_ALERT, {**alert.model_dump(), **alert.model_dump(mode="json", include={"evidence"})}
    )


# Built once with their parameters: an alert opened or cleared built and keyed its statements
# anew each time, most of the cost of a statement of one row.
_OPEN_ALERT = insert(open_alerts)
_CLOSE_ALERT = delete(open_alerts).where(open_alerts.c.alert_id == bindparam("b_alert_id"))
_CLEARED_AT = (
    update(alerts)
    .where(alerts.c.alert_id == bindparam("b_alert_id"))
    .values(cleared_at=bindparam("b_cleared_at", type_=alerts.c.cleared_at.type))
)


def open_alert(conn: Connection, alert: AlertRaised) -> None:
    conn.execute(
        _OPEN_ALERT,
        {
            "machine_id": alert.machine_id,
            "rule": alert.rule,
            "alert_id": alert.alert_id,
            "enterprise_id": alert.enterprise_id,
            "jurisdiction": alert.jurisdiction,
        },
    )


def clear_alert(conn: Connection, cleared: AlertCleared) -> None:
    conn.execute(_CLOSE_ALERT, {"b_alert_id": cleared.alert_id})
    conn.execute(_CLEARED_AT, {"b_alert_id": cleared.alert_id, "b_cleared_at": cleared.cleared_at})


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
