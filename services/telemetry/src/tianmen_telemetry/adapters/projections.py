"""Writing telemetry's projections inside the consumer's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, insert, select, update
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.adapters.orm import (
    findings,
    machines,
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
