"""Issue 10, determinism: safety's time-driven tick runs once a consumed batch, so where the
polls fall must not show. More enterprises than one tick handles (`PER_TICK`) pass the 1 July
self-inspection deadline, a third-party test runs out, a rectification's deadline passes, a
case nobody decides escalates and a listed enterprise's rectification period passes, while the
clock moves on event time.

- A live store consuming the inputs in polls of a given size (its docket's events coming back
  as its relay publishes them) ends with the digest of any replay of that log (the inputs and
  the docket as live wrote it), however the replay's polls are cut; nothing is applied twice:
  one `SelfInspectionMissed` per enterprise and deadline, one `ThirdPartyTestExpired`, one
  deduction per violation.
- What time makes happen is a function of what it is about, not of the batch that noticed:
  live runs polling differently derive the same time-driven events, at the same event times.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from tianmen_events import DomainEvent, EventMeta, decode
from tianmen_events.codes import Severity
from tianmen_events.safety import KeySupervisionDelisted, PointsDeducted, ThirdPartyTestExpired
from tianmen_events.safety.cases import CaseEscalated
from tianmen_events.safety.inspections import (
    KeySupervisionPeriodPassed,
    SelfInspectionMissed,
    ThirdPartyTestLapsed,
)
from tianmen_events.safety.orders import OrderKind, RectificationOverdue
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.commands import run_command
from tianmen_runtime.db import outbox
from tianmen_runtime.projection import apply_batch
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_safety.domain.inspections import ThirdPartyTest
from tianmen_safety.domain.orders import Hazard
from tianmen_safety.service_layer.filings import File, file
from tianmen_safety.service_layer.inspections import PER_TICK
from tianmen_safety.service_layer.orders import FileHazard, file_hazard

from ..conftest import Logs, _unpublished_docket, alert, alert_meta

SHANGHAI = timezone(timedelta(hours=8))
ENTERPRISES = PER_TICK + 30
LISTED = 19
"""ent-003's night-work violations besides its first: 20 x 5 points, on the list in June."""
JULY = datetime(2026, 7, 1, tzinfo=SHANGHAI)
VALID_UNTIL = datetime(2026, 7, 6, 9, 0, tzinfo=SHANGHAI)
DUE = datetime(2026, 7, 3, 10, 0, tzinfo=SHANGHAI)
CLOCK = {"enterprise_id": "ent-clock", "rule": "implausible_movement"}
"""Data quality: no case, the clock only."""
Derived = tuple[str, str, datetime, datetime, str, str | None]


def _inputs() -> list[Record]:
    """A night-work alert for each enterprise in June (a case confirmed by rule: the docket
    sees it, one deduction), a case that waits for a person, 19 more for ent-003 (listed), then
    the clock every 6 h in July and daily after."""
    june = datetime(2026, 6, 10, 23, 0, tzinfo=SHANGHAI)
    alerts = [
        alert(f"june-{n}", june + timedelta(minutes=n), enterprise_id=f"ent-{n:03}")
        for n in range(ENTERPRISES)
    ]
    alerts.append(
        alert("waits", june + timedelta(hours=1), enterprise_id="ent-002", rule="continuous_work")
    )
    alerts += [
        alert(f"again-{n}", june + timedelta(days=1, minutes=n), enterprise_id="ent-003")
        for n in range(LISTED)
    ]
    alerts += [alert(f"clock-{h}", JULY + timedelta(hours=6 * h), **CLOCK) for h in range(1, 100)]
    alerts += [  # then daily, past the end of ent-003's 90-day period
        alert(f"daily-{d}", JULY + timedelta(days=d, hours=3), **CLOCK) for d in range(25, 100)
    ]
    log = TopicLog()
    return [log.record(alert, alert_meta(alert)) for alert in alerts]


def _lab_test() -> ThirdPartyTest:
    """ent-000's machine's third-party test, a year old, valid until `VALID_UNTIL`."""
    return ThirdPartyTest(
        "ent-000", "machine-of-ent-000", "lab", True, "TC-1",
        VALID_UNTIL - timedelta(days=365), VALID_UNTIL,
    )  # fmt: skip


def file_test_and_hazard(service: Service) -> None:
    """Commands on 1 June (the dockets' first words on ent-000 and ent-001): a third-party
    test valid until `VALID_UNTIL`, a hazard to rectify by `DUE`."""
    test = _lab_test()
    filed_on = datetime(2026, 6, 1, tzinfo=SHANGHAI)
    run_command(service.engine, service.source, file, File(test, "agency-1"), filed_on)
    hazard = Hazard(
        "ent-001", "machine-of-ent-001", Severity.SERIOUS, False, "guard rail missing",
        filed_on, OrderKind.RECTIFY, due_at=DUE,
    )  # fmt: skip
    run_command(service.engine, service.source, file_hazard, FileHazard(hazard, "i-1"), filed_on)


def _live(service: Service, inputs: list[Record], poll: int) -> list[Record]:
    """Consume the inputs in polls of `poll` records, the docket's published events first
    (they were on the topic before the next inputs), until nothing is left: the docket as
    this live store published it."""
    assert service.subscription is not None
    file_test_and_hazard(service)
    logs: Logs = {}
    waiting, rest = _unpublished_docket(service, logs), list(inputs)
    published = list(waiting)
    while waiting or rest:
        batch = (waiting + rest)[:poll]
        taken = min(len(waiting), poll)
        waiting, rest = waiting[taken:], rest[poll - taken :]
        apply_batch(service.engine, service.subscription, batch)
        new = _unpublished_docket(service, logs)
        waiting += new
        published += new
    return published


def _outbox(service: Service, topic: str) -> list[tuple[DomainEvent, EventMeta]]:
    query = select(outbox).where(outbox.c.topic == topic).order_by(outbox.c.position)
    with service.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]


def _time_driven(service: Service) -> list[Derived]:
    """What time made happen on the docket and what it announced: (type, about, when it
    says, its event time, correlation, causation). The announcement's cause is the lapse's
    place on the docket (an id the topic fixes): left out."""
    found: list[Derived] = []
    for event, meta in _outbox(service, SAFETY_CASE.name) + _outbox(service, "safety.enterprise"):
        trace = (meta.time, meta.correlation_id, meta.causation_id)
        if isinstance(event, SelfInspectionMissed):
            found.append((event.type, event.enterprise_id, event.deadline, *trace))
        elif isinstance(event, ThirdPartyTestLapsed):
            found.append((event.type, event.test_id, event.valid_until, *trace))
        elif isinstance(event, ThirdPartyTestExpired):
            found.append((event.type, event.test_id, event.expired_at, *trace[:2], None))
        elif isinstance(event, RectificationOverdue):
            found.append((event.type, event.order_id, event.due_at, *trace))
        elif isinstance(event, CaseEscalated):
            found.append((event.type, event.case_id, event.at, *trace))
        elif isinstance(event, KeySupervisionPeriodPassed):
            found.append((event.type, event.enterprise_id, event.ended_at, *trace))
        elif isinstance(event, KeySupervisionDelisted):
            assert event.delisted_at is not None  # a delisting by the period, not an appeal
            found.append((event.type, event.enterprise_id, event.delisted_at, *trace[:2], None))
    return sorted(found, key=repr)


@pytest.fixture(scope="module")
def lives(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Service, list[Record]]]:
    from tianmen_safety.bootstrap import build
    from tianmen_safety.config import Settings

    folder = tmp_path_factory.mktemp("tick")
    inputs = _inputs()
    result = {}
    for poll in (5, 40):
        live = build(Settings(database_url=f"sqlite:///{folder / f'live-{poll}'}.db"))
        result[poll] = (live, _live(live, inputs, poll))
    return result


@pytest.mark.parametrize("poll", [5, 40])
def test_live_applies_each_time_driven_fact_once(
    lives: dict[int, tuple[Service, list[Record]]], poll: int
) -> None:
    live, _ = lives[poll]
    docket = [event for event, _ in _outbox(live, SAFETY_CASE.name)]
    missed = Counter(
        (e.enterprise_id, e.deadline) for e in docket if type(e) is SelfInspectionMissed
    )
    assert missed == Counter({(f"ent-{n:03}", JULY): 1 for n in range(ENTERPRISES)})
    ledger = [event for event, _ in _outbox(live, "safety.enterprise")]
    assert [e.machine_id for e in ledger if type(e) is ThirdPartyTestExpired] == [
        "machine-of-ent-000"
    ]
    deducted = Counter(e.violation_id for e in ledger if type(e) is PointsDeducted)
    assert len(deducted) == ENTERPRISES + LISTED and set(deducted.values()) == {1}


@pytest.mark.parametrize("poll", [5, 40])
@pytest.mark.parametrize("cut", [3, 64, 100_000])
def test_a_replay_of_the_log_cut_into_any_polls_gives_the_live_digest(
    lives: dict[int, tuple[Service, list[Record]]],
    service_factory: Callable[[str], Service],
    poll: int,
    cut: int,
) -> None:
    live, docket = lives[poll]
    replayed = service_factory(f"replayed-{poll}-{cut}")
    assert replayed.subscription is not None
    records = [*docket, *_inputs()] if cut > 64 else [*_inputs(), *docket]
    for at in range(0, len(records), cut):
        apply_batch(replayed.engine, replayed.subscription, records[at : at + cut])
    assert replayed.digest() == live.digest()


def test_live_runs_polling_differently_derive_the_same_time_driven_events(
    lives: dict[int, tuple[Service, list[Record]]],
) -> None:
    """Each dated when it became true (the deadline, `valid_until`, `due_at`, the case's
    deadline), not when a poll noticed."""
    [(few, _), (many, _)] = lives.values()
    derived = _time_driven(few)
    assert derived == _time_driven(many)
    kinds = Counter(d[0] for d in derived)
    assert kinds[SelfInspectionMissed.type] == ENTERPRISES
    assert kinds[ThirdPartyTestLapsed.type] == kinds[ThirdPartyTestExpired.type] == 1
    assert kinds[RectificationOverdue.type] == 1 and kinds[CaseEscalated.type] >= 1
    assert kinds[KeySupervisionPeriodPassed.type] == kinds[KeySupervisionDelisted.type] == 1
    assert [d for d in derived if d[2] != d[3]] == []


def test_a_batch_that_brings_a_test_and_a_later_filing_lapses_the_test_itself(
    service_factory: Callable[[str], Service],
) -> None:
    """A quiet docket: a test that ran out and, after its `valid_until`, a hazard, come back
    from the topic in one poll, and nothing follows. The batch's tick before its handlers stops
    at the test's filing (decision 87), so the tick after them lapses it: announced once."""
    service = service_factory("one-poll")
    assert service.subscription is not None
    test = _lab_test()
    june = datetime(2026, 6, 1, tzinfo=SHANGHAI)
    run_command(service.engine, service.source, file, File(test, "agency-1"), june)
    later = VALID_UNTIL + timedelta(days=14)
    hazard = Hazard(
        "ent-000", "machine-of-ent-000", Severity.SERIOUS, False, "guard rail missing",
        later, OrderKind.RECTIFY, due_at=later + timedelta(days=30),
    )  # fmt: skip
    run_command(service.engine, service.source, file_hazard, FileHazard(hazard, "i-1"), later)
    logs: Logs = {}
    poll = _unpublished_docket(service, logs)
    assert len(poll) == 2
    while poll:  # the one poll, then whatever its batch put on the docket coming back
        apply_batch(service.engine, service.subscription, poll)
        poll = _unpublished_docket(service, logs)
    expired = [
        e for e, _ in _outbox(service, "safety.enterprise") if type(e) is ThirdPartyTestExpired
    ]
    assert [(e.machine_id, e.expired_at) for e in expired] == [("machine-of-ent-000", VALID_UNTIL)]
