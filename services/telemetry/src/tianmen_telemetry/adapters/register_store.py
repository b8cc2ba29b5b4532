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
from tianmen_telemetry.domain.standings import Said


def record_standing(conn: Connection, machine_id: str, said: Said, recorded: int | None) -> None:
    """Keep what was said of the machine's standing (once per event), as recorded by the log
    at `recorded` (ms; see `tianmen_runtime.recorded`)."""
    key = {"machine_id": machine_id, "event_id": said.event_id}
    if conn.execute(_STANDING, key).first() is None:
        conn.execute(
            insert(machine_standings).values(
                **key, valid_from=said.at, status=said.status, recorded_ms=recorded
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


_STANDING = select(machine_standings.c.event_id).where(
    machine_standings.c.machine_id == bindparam("machine_id"),
    machine_standings.c.event_id == bindparam("event_id"),
)
_SITE = select(work_sites.c.site_id).where(work_sites.c.site_id == bindparam("id"))
_PERMIT = select(night_permits.c.permit_id).where(night_permits.c.permit_id == bindparam("id"))
_ZONE = select(restricted_zones.c.zone_id).where(restricted_zones.c.zone_id == bindparam("id"))
