"""The registry's word for a transaction's reports, read ahead in five queries for all their
machines and enterprises instead of five per working report; each report still gets the
`Register` of what had been said by its own time (`register_store.register_for`, in memory)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, select
from tianmen_events.frozen import assembled
from tianmen_events.telemetry import TerminalReported

from tianmen_telemetry.adapters.among import among, ids_for, per_dialect
from tianmen_telemetry.adapters.boundaries import as_text, polygon
from tianmen_telemetry.adapters.orm import (
    machine_identities,
    machine_standings,
    night_permits,
    restricted_zones,
    work_sites,
)
from tianmen_telemetry.adapters.timeline import (
    EVER,
    NO_ITEMS,
    Dated,
    Standings,
    Timeline,
    recorded_before,
)
from tianmen_telemetry.domain.register import Permit, Register, Site, Standing, Zone
from tianmen_telemetry.domain.standings import Said

AS_REGISTERED = Standing()  # a machine nothing was said of since (immutable: one for all)
_tuple = tuple.__new__


class Identity(NamedTuple):
    """What the registry said a machine is, from some time on."""

    jurisdiction: str | None = None
    engine_number: str | None = None


@dataclass(frozen=True)
class RegisterBook:
    """What the registry had said, with dates, about `machine_ids` and `enterprise_ids`."""

    machine_ids: frozenset[str]
    enterprise_ids: frozenset[str]
    standings: dict[str, Standings]  # by machine
    identities: dict[str, list[Dated[Identity]]]  # by machine, oldest first
    sites: dict[str, Timeline[Site]]  # by enterprise, by site id
    permits: dict[str, Timeline[Permit]]  # by enterprise, by permit id
    zones: Timeline[Zone]  # by zone id

    def covers(self, report: TerminalReported) -> bool:
        return report.machine_id in self.machine_ids and report.enterprise_id in self.enterprise_ids

    def register_for(self, report: TerminalReported, recorded: int | None = None) -> Register:
        """What had been said by the report's time and recorded by the log before it (at
        `recorded`, ms): the same register live and in a replay (decision 78)."""
        # In UTC itself: a decoded report's instant has pydantic's own tzinfo, and comparing
        # it with another zone's costs ~1 us (0.04 in one zone), twice or more here.
        at = report.reported_at.astimezone(UTC)
        machine, enterprise = report.machine_id, report.enterprise_id
        standings = self.standings.get(machine)
        standing = AS_REGISTERED if standings is None else standings.as_of(at, recorded)
        jurisdiction, engine_number = _said_by(self.identities.get(machine, ()), at, recorded)
        # Once a working report: every field, in order, without the frozen constructor.
        return assembled(
            Register,
            {
                "standing": standing,
                "sites": self.sites.get(enterprise, NO_ITEMS).as_of(at, recorded),
                "permits": self.permits.get(enterprise, NO_ITEMS).as_of(at, recorded),
                "zones": self.zones.as_of(at, recorded),
                "jurisdiction": jurisdiction,
                "engine_number": engine_number,
            },
        )


def read_book(
    conn: Connection, machine_ids: Collection[str], enterprise_ids: Collection[str]
) -> RegisterBook:
    return RegisterBook(
        frozenset(machine_ids),
        frozenset(enterprise_ids),
        _standings(conn, machine_ids),
        _identities(conn, machine_ids),
        _sites(conn, enterprise_ids),
        _permits(conn, enterprise_ids),
        _zones(conn),
    )


_STANDINGS = per_dialect(
    lambda d: (
        select(machine_standings)
        .where(among(machine_standings.c.machine_id, d))
        .order_by(machine_standings.c.machine_id, machine_standings.c.event_id)
    )
)
_IDENTITY = (  # in the order `_identities` unpacks them
    machine_identities.c.machine_id,
    machine_identities.c.valid_from,
    machine_identities.c.jurisdiction,
    machine_identities.c.engine_number,
    machine_identities.c.recorded_ms,
)
_IDENTITIES = per_dialect(
    lambda d: (
        select(*_IDENTITY)
        .where(among(machine_identities.c.machine_id, d))
        .order_by(machine_identities.c.machine_id, machine_identities.c.seq)
    )
)


def _standings(conn: Connection, machine_ids: Collection[str]) -> dict[str, Standings]:
    dialect = conn.dialect.name
    rows = conn.execute(_STANDINGS[dialect], ids_for(dialect, machine_ids))
    found: dict[str, list[Dated[Said]]] = defaultdict(list)
    for r in rows:
        said = Said(r.valid_from, r.status, r.event_id)
        found[r.machine_id].append(Dated(r.valid_from, said, r.recorded_ms))
    return {machine: Standings(Timeline(said)) for machine, said in found.items()}


def _identities(conn: Connection, machine_ids: Collection[str]) -> dict[str, list[Dated[Identity]]]:
    """Nearly always one a machine (as registered): kept as a list, not a `Timeline`, which
    costs more to build than a report's look-up saves. A row for each of a transaction's
    machines: fetched at once and unpacked, not fetched one by one and read by name (that
    was most of the cost, ~5 us a machine on SQLite). Its two tuples are made by `tuple`'s
    own constructor: a NamedTuple's is a Python function, twice the cost (every field is
    given, so the tuples are the same)."""
    dialect = conn.dialect.name
    rows = conn.execute(_IDENTITIES[dialect], ids_for(dialect, machine_ids)).all()
    found: dict[str, list[Dated[Identity]]] = {}
    for machine_id, since, jurisdiction, engine_number, recorded in rows:
        identity: Identity = _tuple(Identity, (jurisdiction, engine_number))
        said: Dated[Identity] = _tuple(Dated, (since or EVER, identity, recorded))
        if machine_id in found:
            found[machine_id].append(said)
        else:
            found[machine_id] = [said]
    return found


def _said_by(dated: Sequence[Dated[Identity]], at: datetime, recorded: int | None) -> Identity:
    """The latest identity in force at `at` and recorded before `recorded`."""
    for d in reversed(dated):
        if d.since <= at and recorded_before(d.recorded, recorded):
            return d.item
    return Identity()


_SITE = (  # in the order `_sites` unpacks them
    work_sites.c.enterprise_id,
    work_sites.c.site_id,
    work_sites.c.name,
    as_text(work_sites.c.boundary),
    work_sites.c.registered_at,
    work_sites.c.recorded_ms,
)
_SITES = per_dialect(
    lambda d: (
        select(*_SITE).where(among(work_sites.c.enterprise_id, d)).order_by(work_sites.c.site_id)
    )
)
_PERMITS = per_dialect(
    lambda d: (
        select(night_permits)
        .where(among(night_permits.c.enterprise_id, d))
        .order_by(night_permits.c.permit_id)
    )
)
_ZONES = select(  # in the order `_zones` unpacks them
    restricted_zones.c.zone_id,
    restricted_zones.c.kind,
    as_text(restricted_zones.c.boundary),
    restricted_zones.c.declared_at,
    restricted_zones.c.recorded_ms,
).order_by(restricted_zones.c.zone_id)


def _sites(conn: Connection, enterprise_ids: Collection[str]) -> dict[str, Timeline[Site]]:
    """The sites of the transaction's enterprises, read by every transaction: fetched at once
    and unpacked, each `Site` made once per stored row (`_site`)."""
    dialect = conn.dialect.name
    rows = conn.execute(_SITES[dialect], ids_for(dialect, enterprise_ids)).all()
    found: dict[str, list[Dated[Site]]] = defaultdict(list)
    for enterprise_id, site_id, name, boundary, registered_at, recorded in rows:
        dated: Dated[Site] = _tuple(
            Dated, (registered_at, _site(site_id, name, boundary), recorded)
        )
        found[enterprise_id].append(dated)
    return {enterprise: Timeline(sites) for enterprise, sites in found.items()}


@lru_cache(maxsize=4096)
def _site(site_id: str, name: str, boundary: str) -> Site:
    """As `polygon` is: the same sites are read by every transaction (a Site is immutable)."""
    return Site(site_id, name, polygon(boundary))


def _permits(conn: Connection, enterprise_ids: Collection[str]) -> dict[str, Timeline[Permit]]:
    """In force from EVER: a permit's own dates are the rules' to weigh (`Permit.covers`)."""
    dialect = conn.dialect.name
    rows = conn.execute(_PERMITS[dialect], ids_for(dialect, enterprise_ids))
    found: dict[str, list[Dated[Permit]]] = defaultdict(list)
    for r in rows:
        starts, ends = time.fromisoformat(r.starts), time.fromisoformat(r.ends)
        permit = Permit(r.permit_id, r.site_id, starts, ends, r.valid_from, r.valid_until)
        found[r.enterprise_id].append(Dated(EVER, permit, r.recorded_ms))
    return {enterprise: Timeline(permits) for enterprise, permits in found.items()}


def _zones(conn: Connection) -> Timeline[Zone]:
    """Every zone of the city, read by every transaction: as the sites are (`_sites`)."""
    rows = conn.execute(_ZONES).all()
    return Timeline(
        [
            _tuple(Dated, (declared_at, _zone(zone_id, kind, boundary), recorded))
            for zone_id, kind, boundary, declared_at, recorded in rows
        ]
    )


@lru_cache(maxsize=4096)
def _zone(zone_id: str, kind: str, boundary: str) -> Zone:
    return Zone(zone_id, kind, polygon(boundary))
