"""Telemetry track points kept for evidence: written by the consumer, read by time window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, insert, select
from tianmen_events.telemetry import TerminalReported

from tianmen_reports.adapters.orm import track_points
from tianmen_reports.domain.evidence import TrackPoint


def add_point(conn: Connection, report: TerminalReported) -> None:
    conn.execute(
        insert(track_points).values(
            report_id=report.report_id,
            machine_id=report.machine_id,
            enterprise_id=report.enterprise_id,
            reported_at=_utc(report.reported_at),
            latitude=report.latitude,
            longitude=report.longitude,
            working=report.working,
        )
    )


def points_around(conn: Connection, at: datetime, window: timedelta) -> list[TrackPoint]:
    rows = conn.execute(
        select(track_points).where(
            track_points.c.reported_at >= _utc(at - window),
            track_points.c.reported_at <= _utc(at + window),
        )
    )
    return [
        TrackPoint(
            r.machine_id,
            r.enterprise_id,
            datetime.fromisoformat(r.reported_at),
            r.latitude,
            r.longitude,
            r.working,
        )
        for r in rows
    ]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
