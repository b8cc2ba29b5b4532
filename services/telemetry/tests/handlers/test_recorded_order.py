"""Property: a report is judged against the registry's word the log recorded before it, so
every interleaving of a zone declaration, a stop-use order and the reports that applies each
report after what was recorded before it (the consumer's hold guarantees that much, live and in
a replay) gives the same alerts and digest, however early a declaration recorded later than a
report is applied (decision 78: replay = live whatever the arrival order)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.registry import MachineSuspended, RestrictedZoneDeclared, ZoneKind
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts
from tianmen_telemetry.config import Settings

from ..helpers import ENTERPRISE, MACHINE, at, bound, box, meta_for, registered, reported

NOON = at("2026-05-11T12:00:00")
DECLARED = at("2026-05-11T08:00:00")  # both declarations are dated before every report
STAMP = 1_778_500_000_000  # ms: the log's times, one second apart
REPORTS = 3


ZONE = RestrictedZoneDeclared(
    zone_id="zone-1",
    name="实验小学",
    kind=ZoneKind.SCHOOL,
    jurisdiction_code="429006101",
    boundary=box(30.6531, 113.1661, 0.001),
)
SUSPENDED = MachineSuspended(machine_id=MACHINE, enterprise_id=ENTERPRISE, reason="unsafe")


def _record(event: DomainEvent, name: str, offset: int, stamp: int) -> Record:
    """`event` as the log recorded it at `stamp` (ms), dated DECLARED."""
    return record_of(event, meta_for(event, name, DECLARED), offset=offset, timestamp=stamp)


def _reports() -> list[Record]:
    return [
        _record(reported(NOON + timedelta(minutes=n)), f"report-{n}", n, STAMP + 1000 * (n + 1))
        for n in range(REPORTS)
    ]


def _interleavings(zone: Record, z_slot: int, stop: Record, s_slot: int) -> Iterator[list[Record]]:
    """Every order the consumer may apply them in: the reports in their partition's order, each
    declaration (another topic) anywhere before the first report recorded after it."""
    for z, s in itertools.product(range(z_slot + 1), range(s_slot + 1)):
        applied = _reports()
        applied.insert(z, zone)
        applied.insert(s + (s >= z), stop)  # anywhere, before or after the zone
        yield applied


def _run(records: list[Record], directory: Path) -> tuple[str, tuple[tuple[str, str], ...]]:
    directory.mkdir()
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    given = [_record(registered(), "m-1", 0, STAMP), _record(bound(), "b-1", 1, STAMP)]
    assert service.subscription is not None
    for record in [*given, *records]:  # one at a time: each its own transaction
        assert apply_batch(service.engine, service.subscription, [record]) == ["applied"]
    with service.engine.connect() as conn:
        rows = conn.execute(select(alerts.c.rule, alerts.c.evidence)).all()
    return service.digest(), tuple(sorted((r.rule, str(r.evidence)) for r in rows))


# (zone, stop-use order) recorded before every report, between them, after every one.
@pytest.mark.parametrize("zone_slot,stop_slot", [(0, 0), (1, 2), (2, 0), (3, 3), (3, 1)])
def test_any_interleaving_gives_the_alerts_of_the_recorded_order(
    zone_slot: int, stop_slot: int, tmp_path: Path
) -> None:
    zone = _record(ZONE, "zone", 0, STAMP + 1000 * zone_slot + 500)
    stop = _record(SUSPENDED, "stop", 2, STAMP + 1000 * stop_slot + 500)
    results = {
        _run(order, tmp_path / str(n))
        for n, order in enumerate(_interleavings(zone, zone_slot, stop, stop_slot))
    }
    assert len(results) == 1, "the order records were applied in changed what was derived"
    [(_, raised)] = results
    # Each declaration governs from the first report the log recorded after it, if any.
    evidence = {rule: report for rule, report in raised}
    for rule, slot in (
        ("work_in_restricted_zone", zone_slot),
        ("stopped_machine_working", stop_slot),
    ):
        if slot < REPORTS:
            assert reported(NOON + timedelta(minutes=slot)).report_id in evidence[rule]
        else:
            assert rule not in evidence
