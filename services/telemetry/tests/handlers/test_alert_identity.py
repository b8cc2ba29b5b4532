"""One alert per machine, rule, episode and owner (decision 95): an episode that runs across a
sale is split at the sale, the seller's alert cleared by the first of the buyer's reports on
which the rule still fires, the buyer's raised there; each enterprise answers for its own
reports (decision 91 charges each to the owner at its time). The id of the first owner's alert
is the one a rule always derived (machine, rule, episode), so nothing already on the log is
derived under another id; a later owner's is that id qualified by the owner.

A terminal moved to another machine mid-episode is another machine's episode: the second raises
its own, and the first machine's clears at the move (decision 99, `test_binding_end.py`)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tianmen_events import DomainEvent, derive_id
from tianmen_events.registry import MachineTransferred
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry.adapters.orm import alerts, open_alerts
from tianmen_telemetry.domain.rules import NIGHT_WORK

from ..helpers import ENTERPRISE, MACHINE, applied, at, bound, meta_for, registered, reported

SELLER, BUYER = ENTERPRISE, "enterprise-2"
STAMP = 1_778_500_000_000  # ms: the log's times
NIGHT = at("2026-05-11T22:00:00").date()
SOLD_AT = at("2026-05-11T23:45:00")


def _night_id(machine: str = MACHINE) -> str:
    """What night work always derived: the machine and the night, no owner."""
    return derive_id("alert", "night_work", machine, NIGHT)


class Log:
    """Records in log order, each stamped a second after the one before."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self.add(registered(), at("2026-05-01T09:00:00"))
        self.add(bound(), at("2026-05-01T09:00:00"))

    def add(self, event: DomainEvent, when: datetime) -> None:
        n = len(self.records)
        meta = meta_for(event, f"e-{n}", when)
        self.records.append(record_of(event, meta, offset=n, timestamp=STAMP + 1000 * n))

    def report(self, when: datetime, *, working: bool = True, **changes: object) -> None:
        self.add(reported(when, working=working, **changes), when)

    def sale(self) -> None:
        self.add(_sold(), SOLD_AT)


def _sold() -> MachineTransferred:
    return MachineTransferred(
        machine_id=MACHINE, enterprise_id=BUYER, from_enterprise_id=SELLER, application_id="app-1"
    )


def _alerts(service: Service) -> list[tuple[str, str, str, datetime, datetime | None]]:
    """(rule, alert id, enterprise, observed at, cleared at), in the order observed."""
    with service.engine.connect() as conn:
        rows = conn.execute(
            select(
                alerts.c.rule,
                alerts.c.alert_id,
                alerts.c.enterprise_id,
                alerts.c.observed_at,
                alerts.c.cleared_at,
            ).order_by(alerts.c.observed_at)
        ).all()
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def _open(service: Service) -> set[tuple[str, str, str]]:
    with service.engine.connect() as conn:
        rows = conn.execute(
            select(open_alerts.c.machine_id, open_alerts.c.rule, open_alerts.c.enterprise_id)
        ).all()
    return {(r[0], r[1], r[2]) for r in rows}


def _night(service: Service) -> list[tuple[str, str, datetime, datetime | None]]:
    return [(i, e, o, c) for rule, i, e, o, c in _alerts(service) if rule == "night_work"]


def _run(log: Log, tmp_path: Path, sizes: tuple[int, ...] = (1, 3, 100)) -> Service:
    """Applied one record a transaction, and in transactions of 3 and of the whole log: the
    same alerts and digest (as a replay, which batches otherwise, derives)."""
    services = [applied(log.records, size, tmp_path / str(size)) for size in sizes]
    first = services[0]
    for other in services[1:]:
        assert _alerts(other) == _alerts(first)
        assert other.digest() == first.digest()
    return first


def test_a_night_that_runs_across_a_sale_is_the_sellers_until_the_sale_then_the_buyers(
    tmp_path: Path,
) -> None:
    """Given a machine working at night, sold at 23:45, still working at night for the buyer
    (who has no night-work permit) and still at 06:30,
    when its reports are applied,
    then the seller's alert is cleared at the buyer's first report, the buyer's raised there and
    cleared when the night ends: one open at a time, each enterprise its own."""
    log = Log()
    log.report(at("2026-05-11T23:30:00"))
    log.sale()
    log.report(at("2026-05-12T00:30:00"))
    log.report(at("2026-05-12T03:00:00"))
    log.report(at("2026-05-12T06:30:00"))
    service = _run(log, tmp_path)
    night = _night(service)
    assert [(e, o, c) for _, e, o, c in night] == [
        (SELLER, at("2026-05-11T23:30:00"), at("2026-05-12T00:30:00")),
        (BUYER, at("2026-05-12T00:30:00"), at("2026-05-12T06:30:00")),
    ]
    assert night[0][0] == _night_id(), "the seller's id is the one always derived"
    assert night[1][0] == derive_id("alert", _night_id(), "owner", BUYER)
    assert not _open(service)


def test_the_buyers_own_night_work_after_the_sellers_cleared_is_raised(tmp_path: Path) -> None:
    """Given the seller's night-work alert cleared (the machine stopped) before the sale,
    when the buyer works it later that night,
    then the buyer's alert is raised and held open (on main the night's id was taken)."""
    log = Log()
    log.report(at("2026-05-11T22:30:00"))
    log.report(at("2026-05-11T23:00:00"), working=False)
    log.sale()
    log.report(at("2026-05-12T01:00:00"))
    service = _run(log, tmp_path)
    assert [(e, o, c) for _, e, o, c in _night(service)] == [
        (SELLER, at("2026-05-11T22:30:00"), at("2026-05-11T23:00:00")),
        (BUYER, at("2026-05-12T01:00:00"), None),
    ]
    assert _open(service) == {(MACHINE, "night_work", BUYER)}


def test_a_sellers_buffered_report_arriving_after_the_buyers_alert_is_the_sellers(
    tmp_path: Path,
) -> None:
    """Given the buyer's night-work alert raised first (the seller's report from before the sale
    was buffered in the terminal),
    when the seller's report arrives,
    then it raises the seller's alert, not held open (a late report is history), and the
    buyer's alert, first raised, keeps the id the rule always derived."""
    log = Log()
    log.sale()
    log.report(at("2026-05-12T00:30:00"))
    log.report(at("2026-05-11T23:30:00"))  # buffered: sent after the buyer's
    service = _run(log, tmp_path)
    night = _night(service)
    assert [(e, o, c) for _, e, o, c in night] == [
        (SELLER, at("2026-05-11T23:30:00"), None),
        (BUYER, at("2026-05-12T00:30:00"), None),
    ]
    assert night[1][0] == _night_id()
    assert night[0][0] == derive_id("alert", _night_id(), "owner", SELLER)
    assert _open(service) == {(MACHINE, "night_work", BUYER)}


def test_a_run_of_work_across_a_sale_is_split_too(tmp_path: Path) -> None:
    """Continuous work: the seller's alert (over 4 h by 12:30) is cleared at the buyer's first
    report, where the buyer's is raised for the same run; every rule shares the identity."""
    log = Log()
    for minutes in range(0, 6 * 60 + 1, 10):  # 08:00 to 14:00, every 10 minutes
        log.report(at("2026-05-11T08:00:00") + timedelta(minutes=minutes))
        if minutes == 5 * 60:  # sold at 13:00 (dated so; recorded now)
            log.add(_sold(), at("2026-05-11T13:05:00"))
    service = _run(log, tmp_path, (1, 100))
    runs = [(e, o, c) for rule, _, e, o, c in _alerts(service) if rule == "continuous_work"]
    assert runs == [
        (SELLER, at("2026-05-11T12:10:00"), at("2026-05-11T13:10:00")),
        (BUYER, at("2026-05-11T13:10:00"), None),
    ]


def test_a_machine_never_sold_keeps_every_id(tmp_path: Path) -> None:
    """No sale, nothing new: the ids are the ones always derived (the stored-bytes pin holds
    the rest)."""
    log = Log()
    log.report(at("2026-05-11T23:30:00"))
    log.report(at("2026-05-12T06:30:00"))
    service = _run(log, tmp_path, (1,))
    assert [(i, e) for i, e, _, _ in _night(service)] == [(_night_id(), SELLER)]


def test_a_terminal_moved_to_another_machine_mid_night_raises_that_machines_alert(
    tmp_path: Path,
) -> None:
    """Given the terminal moved from machine-1 to machine-2 at 23:45, machine-1's alert open,
    when the terminal reports work at 00:30 (machine-2's now),
    then machine-2's own alert is raised and held open, and machine-1's is cleared at the
    move (decision 99: machine-1 has no terminal, it is no longer heard; on decision 95 it
    stayed open until machine-1 reported again, which without a terminal may be never)."""
    log = Log()
    log.add(registered("machine-2"), at("2026-05-01T09:00:00"))
    log.report(at("2026-05-11T23:30:00"))
    log.add(bound(machine_id="machine-2"), SOLD_AT)
    log.report(at("2026-05-12T00:30:00"), machine_id="machine-2")
    service = _run(log, tmp_path, (1, 100))
    assert [(i, e) for i, e, _, _ in _night(service)] == [
        (_night_id(), ENTERPRISE),
        (_night_id("machine-2"), ENTERPRISE),
    ]
    assert _open(service) == {("machine-2", "night_work", ENTERPRISE)}
    assert [c for _, _, _, c in _night(service)] == [SOLD_AT.astimezone(UTC), None]


START = at("2026-05-11T20:00:00")
steps = st.tuples(st.integers(0, 12 * 60), st.booleans())  # minutes after START, working


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=14), st.integers(0, 14), st.integers(0, 12 * 60))
@example([(200, True), (300, True), (100, True)], 1, 240)
def test_a_sale_anywhere_in_the_log_gives_one_history_whatever_the_batches(
    plan: list[tuple[int, bool]], sold_after: int, sold_minutes: int
) -> None:
    """Property: reports and a sale at any place in the log and any time of the night, applied
    one record a transaction or all in one, give the same alerts and digest; each alert is
    charged to the owner of its report (the buyer's from the sale's time, once the log recorded
    it), at most one is open per machine and rule (the store's key), and every owner that
    worked the machine at night has its night's alert (on main the first owner's took it)."""
    sold = START + timedelta(minutes=sold_minutes)
    log, reports = Log(), []
    for n, (minutes, working) in enumerate(plan):
        if n == sold_after:
            log.add(_sold(), sold)
        log.report(START + timedelta(minutes=minutes), working=working)
        reports.append((START + timedelta(minutes=minutes), n >= sold_after))
    with tempfile.TemporaryDirectory() as folder:
        service = _run(log, Path(folder), (1, 100))
        owners: dict[datetime, set[str]] = {}  # a repeated instant may be charged otherwise
        for when, known in reports:
            owners.setdefault(when, set()).add(BUYER if known and when >= sold else SELLER)
        for _, _, enterprise, observed, _ in _alerts(service):
            assert enterprise in owners[observed]
        nights = {(e, NIGHT_WORK.night_date(o)) for _, e, o, _ in _night(service)}
        for (_, working), (when, known) in zip(plan, reports, strict=True):
            if working and NIGHT_WORK.is_night(when):  # no permit: every owner's night alerted
                owner = BUYER if known and when >= sold else SELLER
                assert (owner, NIGHT_WORK.night_date(when)) in nights
