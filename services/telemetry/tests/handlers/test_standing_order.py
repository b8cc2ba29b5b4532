"""A machine's standing is folded from what was said of it in event-time order, not in the
order it arrived: a stop-use order (`registry.machine`) and a lapsed third-party test
(`safety.enterprise`, dated when it ran out, earlier) give the same alerts and digest whichever
the consumer applied first (decision 82)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from tianmen_events import DomainEvent
from tianmen_events.registry import MachineKind, MachineRegistered, MachineSuspended
from tianmen_events.safety import ThirdPartyTestExpired
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.testing import Record, record_of
from tianmen_telemetry import bootstrap
from tianmen_telemetry.adapters.orm import alerts
from tianmen_telemetry.config import Settings

from ..helpers import ENTERPRISE, MACHINE, at, bound, meta_for, reported

STAMP = 1_778_500_000_000  # ms: the word is recorded before every report
EXPIRED, SUSPENDED = at("2026-05-11T09:00:00"), at("2026-05-11T10:00:00")
CRANE = MachineRegistered(
    machine_id=MACHINE,
    enterprise_id=ENTERPRISE,
    kind=MachineKind.TRUCK_CRANE,
    brand="XCMG",
    model="QY25K",
    serial_number="S1",
    jurisdiction_code="429006101",
    high_risk=True,
)


def _record(event: DomainEvent, name: str, when: datetime, offset: int, stamp: int) -> Record:
    return record_of(event, meta_for(event, name, when), offset=offset, timestamp=stamp)


STOP = _record(
    MachineSuspended(machine_id=MACHINE, enterprise_id=ENTERPRISE, reason="unsafe"),
    "stop",
    SUSPENDED,
    2,
    STAMP + 2,
)
LAPSE = _record(
    ThirdPartyTestExpired(
        enterprise_id=ENTERPRISE, machine_id=MACHINE, test_id="t-1", expired_at=EXPIRED
    ),
    "lapse",
    at("2026-05-11T10:30:00"),  # safety noticed it later
    0,
    STAMP + 3,
)


def _run(word: list[Record], directory: Path) -> tuple[str, tuple[tuple[str, str], ...]]:
    directory.mkdir()
    service = bootstrap.build(Settings(database_url=f"sqlite:///{directory / 't.db'}"))
    assert service.subscription is not None
    given = [
        _record(CRANE, "m-1", at("2026-05-01T08:00:00"), 0, STAMP),
        _record(bound(), "b-1", at("2026-05-01T08:00:00"), 1, STAMP + 1),
    ]
    reports = [
        _record(
            reported(at(f"2026-05-11T{hhmm}:00")),
            f"r-{n}",
            at(f"2026-05-11T{hhmm}:00"),
            n,
            STAMP + 10 + n,
        )
        for n, hhmm in enumerate(("09:30", "10:30"))
    ]
    for record in [*given, *word, *reports]:
        assert apply_batch(service.engine, service.subscription, [record]) == ["applied"]
    with service.engine.connect() as conn:
        rows = conn.execute(select(alerts.c.detail, alerts.c.evidence)).all()
    return service.digest(), tuple(sorted((r.evidence[0]["report_id"], r.detail) for r in rows))


def test_a_stop_use_order_and_an_earlier_lapse_give_one_standing_in_either_order(
    tmp_path: Path,
) -> None:
    results = {
        _run(word, tmp_path / str(n)) for n, word in enumerate([[STOP, LAPSE], [LAPSE, STOP]])
    }
    assert len(results) == 1, "the order the standing's events arrived in changed the alerts"
    [(_, raised)] = results
    # 09:30: the test had run out (not yet stopped); 10:30: stopped (a new episode).
    details = dict(raised)
    assert len(details) == 2
    assert "test" in details[reported(at("2026-05-11T09:30:00")).report_id]
    assert "suspended" in details[reported(at("2026-05-11T10:30:00")).report_id]
