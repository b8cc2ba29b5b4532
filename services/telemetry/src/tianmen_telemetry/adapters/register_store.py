"""The registry's word as telemetry keeps it: machines' standing over time, sites, night-work
permits and restricted zones, and the `Register` a report is judged against."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select
from tianmen_events.registry import (
    NightWorkPermitIssued,
    RestrictedZoneDeclared,
    WorkSiteRegistered,
)

from tianmen_telemetry.adapters.orm import (
    machine_identities,
    machine_standings,
    machines,
    night_permits,
    restricted_zones,
    work_sites,
)


def record_standing(
    conn: Connection, machine_id: str, status: str, at: datetime, recorded: int | None
) -> None:
    """The machine has `status` from `at` on (a status it already has changes nothing), as
    recorded by the log at `recorded` (ms; see `tianmen_runtime.recorded`)."""
    rows = conn.execute(
        select(machine_standings.c.status)
        .where(machine_standings.c.machine_id == machine_id)
        .order_by(machine_standings.c.seq.desc())
    ).all()
    if rows and rows[0].status == status:
        return
    conn.execute(
        insert(machine_standings).values(
            machine_id=machine_id,
            seq=len(rows),
            valid_from=at,
            status=status,
            recorded_ms=recorded,
        )
    )


def record_identity(
    conn: Connection,
    machine_id: str,
    at: datetime,
    recorded: int | None,
    **said: str | None,
) -> None:
    """From `at` on (the first: since ever) the machine's identity is the last one with what
    was `said` (jurisdiction, engine number) changed, as the log recorded it at `recorded`."""
    rows = conn.execute(
        select(machine_identities)
        .where(machine_identities.c.machine_id == machine_id)
        .order_by(machine_identities.c.seq.desc())
    ).all()
    last = (
        {"jurisdiction": rows[0].jurisdiction, "engine_number": rows[0].engine_number}
        if rows
        else {}
    )
    conn.execute(
        insert(machine_identities).values(
            machine_id=machine_id,
            seq=len(rows),
            valid_from=at if rows else None,
            recorded_ms=recorded,
            **{**last, **said},
        )
    )


def current_status(conn: Connection, machine_id: str) -> str | None:
    return conn.execute(
        select(machine_standings.c.status)
        .where(machine_standings.c.machine_id == machine_id)
        .order_by(machine_standings.c.seq.desc())
        .limit(1)
    ).scalar()


def is_high_risk(conn: Connection, machine_id: str) -> bool:
    query = select(machines.c.high_risk).where(machines.c.machine_id == machine_id)
    return bool(conn.execute(query).scalar())


def record_site(
    conn: Connection, event: WorkSiteRegistered, at: datetime, recorded: int | None
) -> None:
    if conn.execute(_SITE, {"id": event.site_id}).first() is None:
        conn.execute(
            insert(work_sites).values(
                site_id=event.site_id,
                enterprise_id=event.enterprise_id,
                name=event.name,
                boundary=event.boundary,
                registered_at=at,
                recorded_ms=recorded,
            )
        )


def record_permit(conn: Connection, event: NightWorkPermitIssued, recorded: int | None) -> None:
    if conn.execute(_PERMIT, {"id": event.permit_id}).first() is None:
        conn.execute(
            insert(night_permits).values(
                permit_id=event.permit_id,
                site_id=event.site_id,
                enterprise_id=event.enterprise_id,
                starts=event.hours.start,
                ends=event.hours.end,
                valid_from=event.valid_from,
                valid_until=event.valid_until,
                recorded_ms=recorded,
            )
        )


def record_zone(
    conn: Connection, event: RestrictedZoneDeclared, at: datetime, recorded: int | None
) -> None:
    if conn.execute(_ZONE, {"id": event.zone_id}).first() is None:
        conn.execute(
            insert(restricted_zones).values(
                zone_id=event.zone_id,
                name=event.name,
                kind=event.kind,
                boundary=event.boundary,
                declared_at=at,
                recorded_ms=recorded,
            )
        )


_SITE = select(work_sites.c.site_id).where(work_sites.c.site_id == bindparam("id"))
_PERMIT = select(night_permits.c.permit_id).where(night_permits.c.permit_id == bindparam("id"))
_ZONE = select(restricted_zones.c.zone_id).where(restricted_zones.c.zone_id == bindparam("id"))
