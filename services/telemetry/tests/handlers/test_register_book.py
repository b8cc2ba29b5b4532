"""The registry's word read ahead for a transaction (`adapters/register_book`): each report gets
the sites and zones said by its own time, each boundary parsed to the polygon it draws."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, insert
from tianmen_runtime.db import make_engine
from tianmen_telemetry.adapters.orm import (
    machine_identities,
    metadata,
    restricted_zones,
    work_sites,
)
from tianmen_telemetry.adapters.register_book import Identity, read_book
from tianmen_telemetry.adapters.timeline import EVER, Dated
from tianmen_telemetry.domain.geometry import polygon_of
from tianmen_telemetry.domain.register import Register, Site, Standing, Zone

from ..helpers import ENTERPRISE, MACHINE, at, reported

SAID = at("2026-05-11T10:00:00")


def _square(west: float) -> dict[str, object]:
    ring = [[west, 30.6], [west + 0.1, 30.6], [west + 0.1, 30.7], [west, 30.7], [west, 30.6]]
    return {"type": "Polygon", "coordinates": [ring]}


def _with_one_site(tmp_path: Path, recorded_ms: int | None = None) -> Engine:
    """A store holding the enterprise's one site, `site-0`, registered at SAID."""
    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    metadata.create_all(engine)
    site = {
        "site_id": "site-0",
        "enterprise_id": ENTERPRISE,
        "name": "site 0",
        "boundary": _square(113.0),
        "registered_at": SAID,
        "recorded_ms": recorded_ms,
    }
    with engine.begin() as conn:
        conn.execute(insert(work_sites), [site])
    return engine


def test_each_report_gets_what_was_said_by_its_own_time(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    metadata.create_all(engine)
    hour = timedelta(hours=1)
    with engine.begin() as conn:
        conn.execute(
            insert(work_sites),
            [
                {
                    "site_id": f"site-{n}",
                    "enterprise_id": ENTERPRISE,
                    "name": f"site {n}",
                    "boundary": _square(113.0 + n),
                    "registered_at": SAID + n * hour,
                }
                for n in range(2)
            ],
        )
        conn.execute(
            insert(restricted_zones),
            [
                {
                    "zone_id": "zone-1",
                    "name": "school",
                    "kind": "school",
                    "boundary": _square(114.0),
                    "declared_at": SAID + hour,
                }
            ],
        )
        book = read_book(conn, [MACHINE], [ENTERPRISE])
    seen = {
        minutes: book.register_for(reported(SAID + timedelta(minutes=minutes)))
        for minutes in (-1, 0, 59, 60, 600)
    }
    assert {m: [s.site_id for s in r.sites] for m, r in seen.items()} == {
        -1: [],
        0: ["site-0"],
        59: ["site-0"],
        60: ["site-0", "site-1"],
        600: ["site-0", "site-1"],
    }
    assert {m: [z.zone_id for z in r.zones] for m, r in seen.items()} == {
        -1: [],
        0: [],
        59: [],
        60: ["zone-1"],
        600: ["zone-1"],
    }
    later = seen[600]
    assert [s.site_id for s in later.sites if s.polygon.contains(30.65, 114.05)] == ["site-1"]
    assert later.zone_at(30.65, 114.05) is not None
    assert later.zone_at(30.65, 113.05) is None


def test_a_register_is_the_one_its_constructor_builds(tmp_path: Path) -> None:
    """`register_for` assembles a report's `Register` without the frozen constructor, and a
    machine nothing was said of shares one `Standing`: equal, the same hash, the same fields in
    the same order as the constructor's."""
    engine = _with_one_site(tmp_path)
    with engine.begin() as conn:
        conn.execute(
            insert(machine_identities),
            [{"machine_id": MACHINE, "seq": 0, "jurisdiction": "429006", "engine_number": "E1"}],
        )
        book = read_book(conn, [MACHINE], [ENTERPRISE])
    got = book.register_for(reported(SAID + timedelta(minutes=1)), None)
    made = Register(
        standing=Standing(),
        sites=got.sites,
        permits=(),
        zones=(),
        jurisdiction="429006",
        engine_number="E1",
    )
    assert [s.site_id for s in got.sites] == ["site-0"]
    assert got == made
    assert hash(got) == hash(made)
    assert list(vars(got).items()) == list(vars(made).items())


def test_identities_are_the_tuples_their_constructors_build(tmp_path: Path) -> None:
    """`read_book` makes each identity row's tuples with `tuple`'s own constructor: the same
    tuples, of the same types, as `Dated(...)` and `Identity(...)`."""
    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(machine_identities),
            [
                {
                    "machine_id": MACHINE,
                    "seq": seq,
                    "valid_from": since,
                    "jurisdiction": jurisdiction,
                    "engine_number": engine_number,
                    "recorded_ms": recorded,
                }
                for seq, since, jurisdiction, engine_number, recorded in (
                    (0, None, "429006", None, None),
                    (1, SAID, "429001", "E1", 7),
                )
            ],
        )
        book = read_book(conn, [MACHINE], [ENTERPRISE])
    made = [
        Dated(EVER, Identity("429006", None), None),
        Dated(SAID, Identity("429001", "E1"), 7),
    ]
    assert book.identities[MACHINE] == made
    assert [(type(d), type(d.item)) for d in book.identities[MACHINE]] == [(Dated, Identity)] * 2
    assert book.register_for(reported(SAID + timedelta(minutes=1)), None).jurisdiction == "429001"


def test_a_site_or_zone_read_again_is_the_one_made_from_its_row(tmp_path: Path) -> None:
    """Every transaction reads its enterprises' sites and the city's zones: each row's `Site`
    or `Zone` is made once (equal to the constructor's, its boundary parsed), and a later read
    gives the same one."""
    engine = _with_one_site(tmp_path, recorded_ms=5)
    with engine.begin() as conn:
        zone = {"zone_id": "zone-1", "name": "school", "kind": "school", "boundary": _square(114.0)}
        conn.execute(insert(restricted_zones), [zone | {"declared_at": SAID}])
    books = []
    for _ in range(2):
        with engine.connect() as conn:
            books.append(read_book(conn, [MACHINE], [ENTERPRISE]))
    site = Site("site-0", "site 0", polygon_of(_square(113.0)))
    assert books[0].sites[ENTERPRISE].dated == [Dated(SAID, site, 5)]
    assert books[0].zones.dated == [
        Dated(SAID, Zone("zone-1", "school", polygon_of(_square(114.0))))
    ]
    sites = [book.sites[ENTERPRISE].dated[0] for book in books]
    zones = [book.zones.dated[0] for book in books]
    assert type(sites[0]) is Dated and type(zones[0]) is Dated
    assert sites[1].item is sites[0].item and zones[1].item is zones[0].item
