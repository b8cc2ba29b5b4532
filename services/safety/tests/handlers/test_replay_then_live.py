"""Decision 79's open suspicion: a store rebuilt by replay that then runs live must give what it
appends to a docket places (and so ids: `derive_id(source, docket, sequence)`) after the
docket's events already on the log, not ids the log already holds for other events.

Live, commands (a third-party test filed, a hazard filed) and alerts put events on two dockets;
a replay of the log (the alerts, then the docket as live published it) rebuilds a fresh store,
which then runs live: a new alert on each docket and ticks of the clock past the test's
validity and the rectification's deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tianmen_events import decode
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.projection import Applying, apply_batch
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog

from ..conftest import Logs, _unpublished_docket, alert, alert_meta
from .test_tick_batches import SHANGHAI, file_test_and_hazard

ENTERPRISES = ("ent-000", "ent-001")


def _alerts(log: TopicLog, name: str, at: datetime) -> list[Record]:
    alerts = [
        alert(f"{name}-{n}-{e}", at + timedelta(minutes=n), enterprise_id=e)
        for n in range(3)
        for e in ENTERPRISES
    ]
    return [log.record(a, alert_meta(a)) for a in alerts]


def _run(service: Service, records: list[Record], logs: Logs) -> list[Record]:
    """Live: the records in one poll, then the docket's events back until none are left; what
    the store published on the docket."""
    assert service.subscription is not None
    published: list[Record] = []
    batch = records
    while batch:
        apply_batch(service.engine, service.subscription, batch)
        batch = _unpublished_docket(service, logs)
        published += batch
    return published


def _ids(records: list[Record]) -> list[tuple[str, int, str]]:
    """(docket, place, id) of each docket event."""
    found = [decode(r.headers, r.value)[1] for r in records]
    return [(meta.subject, meta.sequence, meta.id) for meta in found]


def _replay(service: Service, records: list[Record]) -> None:
    """As `replay` applies a log: polls of 4 records, its own guard, nothing to the outbox."""
    subscription = service.subscription
    assert subscription is not None
    window = ReplayWindow(subscription.name, subscription.duplicate_window)
    how = Applying(window, outbox=False, timed=False)
    for at in range(0, len(records), 4):
        apply_batch(service.engine, subscription, records[at : at + 4], how)
    with service.engine.begin() as conn:
        window.write(conn)


def test_a_replayed_store_taken_live_appends_after_the_docket_on_the_log(
    service_factory: Callable[[str], Service],
) -> None:
    live, replayed = service_factory("live"), service_factory("replayed")
    inputs, logs = TopicLog(), Logs()
    june = _alerts(inputs, "june", datetime(2026, 6, 10, 23, 0, tzinfo=SHANGHAI))
    file_test_and_hazard(live)
    docket = _run(live, june, logs)
    on_the_log = _ids(docket)
    assert {place[0] for place in on_the_log} == {f"docket:{e}" for e in ENTERPRISES}

    _replay(replayed, [*june, *docket])
    assert replayed.digest() == live.digest()
    logs[(id(replayed), SAFETY_CASE.name)] = logs[(id(live), SAFETY_CASE.name)]  # one topic
    july = _alerts(inputs, "july", datetime(2026, 7, 10, 23, 0, tzinfo=SHANGHAI))
    appended = _ids(_run(replayed, july, logs))

    assert appended, "the July alerts and the clock put nothing on the dockets"
    assert {i for _, _, i in appended} & {i for _, _, i in on_the_log} == set()
    last = {d: max(s for d2, s, _ in on_the_log if d2 == d) for d, _, _ in on_the_log}
    assert [(d, s) for d, s, _ in appended if s <= last[d]] == []
    assert appended == _ids(_run(live, july, logs))  # as the store it replaces would
