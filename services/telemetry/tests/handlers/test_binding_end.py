"""A terminal taken off a machine mid-episode ends the machine's open alerts (decision 99; issue
8): given a machine working at night, for over four hours, outside its enterprise's sites and
with a tamper alarm set (four alerts open), when its terminal is unbound or bound to another
machine, then the first machine's alerts clear at the binding's end, the registry's event as
their evidence, once a report of its partition recorded after the end is applied (every report
of the machine recorded before it is in by then, live and in a replay alike).

The log's records are applied in transactions of 1, 3 and the whole log, and with the registry's
word first (as a replay applies it: every bind before the reports recorded before it): the same
alerts, clearings and digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.registry import Hours, TerminalUnbound, WorkSiteRegistered
from tianmen_events.telemetry import AlertCleared, TerminalAlarm
from tianmen_runtime.db import events
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry.adapters.orm import alerts, open_alerts

from ..helpers import (
    ENTERPRISE,
    MACHINE,
    TERMINAL,
    applied,
    at,
    bound,
    box,
    meta_for,
    registered,
    reported,
)

OTHER, OTHER_TERMINAL, SPARE_TERMINAL = "machine-2", "13800000002", "13800000003"
STAMP = 1_778_500_000_000  # ms: the log's times
ENDED_AT = at("2026-05-11T23:45:00")
FOUR = {"night_work", "continuous_work", "work_outside_site", "tamper_alarm"}


class Log:
    """Records in log order, each stamped a second after the one before; reports on partition
    0 unless said (the registry's word on partition 0 of its own topics)."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.add(registered(), at("2026-05-01T09:00:00"))
        self.add(registered(OTHER), at("2026-05-01T09:00:00"))
        self.add(bound(), at("2026-05-01T09:00:00"))
        self.add(bound(OTHER_TERMINAL, OTHER), at("2026-05-01T09:00:00"))
        self.add(_far_site(), at("2026-05-01T09:00:00"))

    def add(self, event: DomainEvent, when: datetime, partition: int = 0) -> str:
        n = len(self.records)
        meta = meta_for(event, f"e-{n}", when)
        record = record_of(event, meta, offset=n, partition=partition, timestamp=STAMP + 1000 * n)
        self.records.append(record)
        return meta.id

    def report(self, when: datetime, *, partition: int = 0, **changes: Any) -> None:
        self.add(reported(when, **changes), when, partition)

    def an_evening_of_work(self) -> None:
        """19:00 to 23:39 working every 9 minutes (a run of over four hours), the last at
        night with the terminal's power cut: four alerts open."""
        start = at("2026-05-11T19:00:00")
        for n in range(32):
            alarms = (TerminalAlarm.POWER_CUT,) if n == 31 else ()
            self.report(start + timedelta(minutes=9 * n), alarms=alarms)

    def other_machine_reports(self, when: datetime, partition: int = 0) -> None:
        """A report of the other machine through its own terminal (on the same partition)."""
        changes = {"machine_id": OTHER, "terminal_id": OTHER_TERMINAL}
        self.report(when, partition=partition, working=False, **changes)

    def word_first(self) -> list[Record]:
        """As a replay applies the log: each of the registry's records before the reports
        recorded before it (the hold only keeps a report after the word recorded before it)."""
        word = [r for r in self.records if r.topic != "telemetry.report"]
        reports = [r for r in self.records if r.topic == "telemetry.report"]
        return [*word, *reports]


def _far_site() -> WorkSiteRegistered:
    """The enterprise's only site, far from where the machine works."""
    return WorkSiteRegistered(
        site_id="site-far",
        enterprise_id=ENTERPRISE,
        name="西湖工地",
        jurisdiction_code="429006101",
        boundary=box(30.70, 113.00, 0.002),
        permitted_hours=(Hours(start="06:00", end="22:00"),),
    )


def _unbound() -> TerminalUnbound:
    return TerminalUnbound(
        machine_id=MACHINE, enterprise_id=ENTERPRISE, terminal_id=TERMINAL, reason="unbound"
    )


Alert = tuple[str, str, str, datetime | None]  # machine, rule, alert id, cleared at


def _alerts(service: Service) -> list[Alert]:
    with service.engine.connect() as conn:
        rows = conn.execute(
            select(
                alerts.c.machine_id, alerts.c.rule, alerts.c.alert_id, alerts.c.cleared_at
            ).order_by(alerts.c.machine_id, alerts.c.rule, alerts.c.observed_at)
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _open(service: Service, machine: str = MACHINE) -> set[str]:
    with service.engine.connect() as conn:
        query = select(open_alerts.c.rule).where(open_alerts.c.machine_id == machine)
        return set(conn.execute(query).scalars())


def _clearings(service: Service) -> list[AlertCleared]:
    with service.engine.connect() as conn:
        query = select(events.c.payload).where(events.c.type == AlertCleared.type)
        payloads = conn.execute(query.order_by(events.c.position)).scalars().all()
    return [AlertCleared.model_validate(json.loads(p)) for p in payloads]


def _run(tmp_path: Path, *orders: list[Record]) -> Service:
    """Each order applied one record a transaction, three, and all at once: one history."""
    services = [
        applied(records, size, tmp_path / f"{n}-{size}")
        for n, records in enumerate(orders)
        for size in (1, 3, 100)
    ]
    first = services[0]
    for other in services[1:]:
        assert _alerts(other) == _alerts(first)
        assert other.digest() == first.digest()
    return first


def _cleared_by_the_end(service: Service, event_id: str, to: str | None) -> None:
    """Machine-1's four alerts cleared at the end, once each, the registry's event as evidence."""
    mine = [a for a in _alerts(service) if a[0] == MACHINE]
    assert {rule for _, rule, _, _ in mine} == FOUR
    assert {cleared for _, _, _, cleared in mine} == {ENDED_AT.astimezone(UTC)}
    by_end = [c for c in _clearings(service) if c.binding is not None]
    assert sorted(c.rule for c in by_end) == sorted(FOUR)
    assert len({c.alert_id for c in by_end}) == 4
    for cleared in by_end:
        assert cleared.machine_id == MACHINE
        assert cleared.cleared_at == ENDED_AT
        assert cleared.evidence == ()
        assert cleared.binding is not None
        assert cleared.binding.event_id == event_id
        assert cleared.binding.ended_at == ENDED_AT
        assert cleared.binding.terminal_id == TERMINAL
        assert cleared.binding.to_machine_id == to
    assert _open(service) == set()


def test_an_unbind_mid_episode_clears_the_machines_alerts(tmp_path: Path) -> None:
    """Given machine-1's four alerts open, when its terminal is unbound at 23:45 and a report
    of its partition (machine-2's) is recorded after, then the four clear at 23:45, the unbind
    as evidence, whether the unbind was applied before machine-1's reports or after them."""
    log = Log()
    log.an_evening_of_work()
    unbind = log.add(_unbound(), ENDED_AT)
    log.other_machine_reports(at("2026-05-11T23:50:00"))
    service = _run(tmp_path, log.records, log.word_first())
    _cleared_by_the_end(service, unbind, None)


def test_a_terminal_bound_to_another_machine_clears_the_first_machines_alerts(
    tmp_path: Path,
) -> None:
    """Given machine-1's four alerts open, when its terminal is bound to machine-2 at 23:45
    and reports work at night for machine-2, then machine-1's four clear at 23:45, the bind as
    evidence, and machine-2's reports neither close nor continue them: machine-2 raises its own
    night work (and keeps it open)."""
    log = Log()
    log.an_evening_of_work()
    moved = log.add(bound(TERMINAL, OTHER), ENDED_AT)
    log.report(at("2026-05-11T23:55:00"), machine_id=OTHER)
    log.report(at("2026-05-12T00:10:00"), machine_id=OTHER)
    service = _run(tmp_path, log.records, log.word_first())
    _cleared_by_the_end(service, moved, OTHER)
    assert "night_work" in _open(service, OTHER)
    theirs = [a for a in _alerts(service) if a[0] == OTHER and a[1] == "night_work"]
    assert len(theirs) == 1 and theirs[0][3] is None


def test_a_buffered_report_from_before_the_move_is_the_first_machines_and_reopens_nothing(
    tmp_path: Path,
) -> None:
    """Given machine-1's alerts cleared by the move at 23:45, when a report it buffered at
    23:42 (working at night, outside the sites) arrives after, then it is machine-1's and
    raises nothing again (its episodes are raised already); one with a new alarm (antenna
    cut: a new tamper episode) raises that alert and clears it at the move at once."""
    log = Log()
    log.an_evening_of_work()
    moved = log.add(bound(TERMINAL, OTHER), ENDED_AT)
    log.other_machine_reports(at("2026-05-11T23:50:00"))
    log.report(at("2026-05-11T23:42:00"))
    log.report(at("2026-05-11T23:43:00"), alarms=(TerminalAlarm.ANTENNA_CUT,))
    service = _run(tmp_path, log.records, log.word_first())
    mine = [a for a in _alerts(service) if a[0] == MACHINE]
    assert sorted(rule for _, rule, _, _ in mine) == sorted([*FOUR, "tamper_alarm"])
    assert {cleared for _, _, _, cleared in mine} == {ENDED_AT.astimezone(UTC)}
    assert _open(service) == set()
    by_end = [c for c in _clearings(service) if c.binding is not None]
    assert len(by_end) == 5 and {c.binding and c.binding.event_id for c in by_end} == {moved}


def test_the_end_waits_for_a_report_of_the_machines_partition_recorded_after_it(
    tmp_path: Path,
) -> None:
    """Given machine-1's alerts open and its terminal unbound, when only a report of another
    partition is recorded after (it says nothing of how far machine-1's reports got), then the
    alerts stay open; the next report of machine-1's partition clears them at the unbind."""
    log = Log()
    log.an_evening_of_work()
    unbind = log.add(_unbound(), ENDED_AT)
    log.other_machine_reports(at("2026-05-11T23:50:00"), partition=1)
    waiting = _run(tmp_path / "a", log.records, log.word_first())
    assert _open(waiting) == FOUR
    log.other_machine_reports(at("2026-05-11T23:55:00"))
    service = _run(tmp_path / "b", log.records, log.word_first())
    _cleared_by_the_end(service, unbind, None)


def test_a_machine_given_another_terminal_keeps_its_alerts_when_the_old_one_moves(
    tmp_path: Path,
) -> None:
    """Given machine-1's alerts open, when it is given a second terminal at 23:40 (which frees
    the first: a machine has one) and the first is bound to machine-2 at 23:45, then nothing of
    machine-1 ends: it is still heard, through the new terminal, whose reports go on with its
    episodes (night work, the run) and clear what no longer holds."""
    log = Log()
    log.an_evening_of_work()
    log.add(bound(SPARE_TERMINAL, MACHINE), at("2026-05-11T23:40:00"))
    log.add(bound(TERMINAL, OTHER), ENDED_AT)
    log.other_machine_reports(at("2026-05-11T23:46:00"))
    log.report(at("2026-05-11T23:48:00"), terminal_id=SPARE_TERMINAL)
    service = _run(tmp_path, log.records, log.word_first())
    assert [c for c in _clearings(service) if c.binding is not None] == []
    assert _open(service) == {"night_work", "continuous_work", "work_outside_site"}
