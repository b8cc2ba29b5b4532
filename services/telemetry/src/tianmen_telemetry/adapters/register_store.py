"""The registry's word as telemetry keeps it: machines' standing over time, sites, night-work
permits and restricted zones, and the `Register` a report is judged against."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select
from tianmen_events.registry import (
    NightWorkPermitIssued,
    RestrictedZoneDeclared,
    WorkSiteRegistered,
)
from tianmen_runtime.driver_sql import execute_columns, planned_each_time

from tianmen_telemetry.adapters.among import among, ids_for, per_dialect
from tianmen_telemetry.adapters.orm import (
    machine_identities,
    machine_standings,
    machine_tanks,
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


REGISTRATION = "registration"  # the `event_id` of a machine's registered tank


def record_tank(
    conn: Connection,
    machine_id: str,
    event_id: str,
    at: datetime | None,
    litres: float,
    recorded: int | None = None,
) -> None:
    """The machine's tank from `at` on (None: the registered one, since ever), once per event,
    with when the log recorded it (ms)."""
    key = {"machine_id": machine_id, "event_id": event_id}
    if conn.execute(_TANK, key).first() is None:
        row = {**key, "valid_from": at, "litres": litres, "recorded_ms": recorded}
        conn.execute(insert(machine_tanks).values(**row))


class Identities:
    """A transaction's machine identities (decision 90): each machine's last one read ahead for
    all of them in one query, the new ones written in one statement before the commit, or
    before a report of the transaction reads the registry's word (`flush`)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._last: dict[str, tuple[int, dict[str, str | None]]] = {}  # seq, what it said
        self._new: list[dict[str, object]] = []

    def read_ahead(self, machine_ids: Iterable[str]) -> None:
        wanted = set(machine_ids) - self._last.keys()
        if not wanted:
            return
        for machine_id in wanted:
            self._last[machine_id] = (-1, {})
        dialect = self.conn.dialect.name
        with planned_each_time(self.conn) as conn:  # a fresh store fills the table as it goes
            rows = conn.execute(_LAST_IDENTITIES[dialect], ids_for(dialect, wanted)).all()
        for row in rows:
            if row.seq > self._last[row.machine_id][0]:
                said = {"jurisdiction": row.jurisdiction, "engine_number": row.engine_number}
                self._last[row.machine_id] = (row.seq, said)

    def record(
        self, machine_id: str, at: datetime, recorded: int | None, **said: str | None
    ) -> None:
        """From `at` on (the first: since ever) the machine's identity is the last one with
        what was `said` (jurisdiction, engine number) changed, as the log recorded it at
        `recorded`."""
        self.read_ahead((machine_id,))
        seq, last = self._last[machine_id]
        now = {**last, **said}
        self._last[machine_id] = (seq + 1, now)
        row = {"machine_id": machine_id, "seq": seq + 1, "valid_from": at if seq >= 0 else None}
        self._new.append({**row, "recorded_ms": recorded, **now})

    def flush(self) -> None:
        if not self._new:
            return
        for rows in _by_columns(self._new).values():  # on PostgreSQL one statement a set
            execute_columns(self.conn, _INSERT_IDENTITY, rows)
        self._new.clear()


def _by_columns(rows: list[dict[str, object]]) -> dict[tuple[str, ...], list[dict[str, object]]]:
    """Rows by the columns they set, in order (an executemany binds every row alike)."""
    found: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for row in rows:
        found.setdefault(tuple(row), []).append(row)
    return found


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


_TANK = select(machine_tanks.c.event_id).where(
    machine_tanks.c.machine_id == bindparam("machine_id"),
    machine_tanks.c.event_id == bindparam("event_id"),
)
_STANDING = select(machine_standings.c.event_id).where(
    machine_standings.c.machine_id == bindparam("machine_id"),
    machine_standings.c.event_id == bindparam("event_id"),
)
_LAST_IDENTITIES = per_dialect(  # one text whatever the count of ids (an expanded IN was one
    lambda d: select(machine_identities).where(among(machine_identities.c.machine_id, d))
)  # a count, each id bound)
_INSERT_IDENTITY = insert(machine_identities)
_SITE = select(work_sites.c.site_id).where(work_sites.c.site_id == bindparam("id"))
_PERMIT = select(night_permits.c.permit_id).where(night_permits.c.permit_id == bindparam("id"))
_ZONE = select(restricted_zones.c.zone_id).where(restricted_zones.c.zone_id == bindparam("id"))
