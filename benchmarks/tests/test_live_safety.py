"""bench-replay's log: what a live safety store published from the inputs, so that a replay
of it rebuilds the live store and derives no docket event the log lacks, however its polls
fall and its topics interleave. The setup it replaced settled when a replay derived no docket
event with an id not yet on the log: on this small log it settles on a docket without the
self-inspections live missed, since a replay's ids name places on its own docket, which other
events hold on the log (what kept the 1,000,000-event run from converging)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from live_safety import BY_ID, published, unpublished
from replay_log import inputs
from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety.inspections import SelfInspectionMissed
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.event_store import EventStore
from tianmen_runtime.projection import Applying, apply_batch
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings

INPUTS, ENTERPRISES = 300, 15
"""A year from June 2025: each enterprise misses its January self-inspections (and those seen
on the docket in June, July's)."""
Docket = list[tuple[DomainEvent, EventMeta]]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> tuple[Service, Docket]:
    service = build(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('live')}/s.db"))
    log = list(published(service, inputs(INPUTS, ENTERPRISES)))
    return service, [(e, m) for e, m, _ in log if e.topic == SAFETY_CASE.name]


def _replayed(folder: Path, name: str, docket: Docket, poll: int) -> Service:
    """A replay into a fresh store: inputs and docket interleaved 20 records at a time (as
    polls of two topics' partitions fall), applied in polls of `poll`."""
    service = build(Settings(database_url=f"sqlite:///{folder / name}.db"))
    subscription = service.subscription
    assert subscription is not None
    logs: dict[str, TopicLog] = {}
    read = [s for s in inputs(INPUTS, ENTERPRISES) if s[0].topic in subscription.topics]
    mine = [logs.setdefault(e.topic, TopicLog()).record(e, m) for e, m, _ in read]
    back = [logs.setdefault(e.topic, TopicLog()).record(e, m) for e, m in docket]
    records: list[Record] = []
    for at in range(0, max(len(mine), len(back)), 20):
        records += mine[at : at + 20] + back[at : at + 20]
    window = ReplayWindow(subscription.name, subscription.duplicate_window)
    how = Applying(window, outbox=False, timed=False, settles=False)  # as `replay` applies
    for at in range(0, len(records), poll):
        apply_batch(service.engine, subscription, records[at : at + poll], how)
    return service


def _derived(service: Service) -> Docket:
    """The docket events the store appended, in event-time order (as the old setup read them)."""
    with service.engine.connect() as conn:
        store = EventStore(conn, service.source)
        found = [r for n in range(ENTERPRISES) for r in store.load(f"docket:ent-{n}")]
    return [(r.event, r.meta) for r in sorted(found, key=lambda r: r.meta.time)]


@pytest.mark.parametrize("poll", [50, 500])
def test_a_replay_of_the_live_log_is_the_live_store(
    live: tuple[Service, Docket], tmp_path: Path, poll: int
) -> None:
    service, docket = live
    missed = [e for e, _ in docket if isinstance(e, SelfInspectionMissed)]
    january = Counter(e.enterprise_id for e in missed if e.deadline.month == 1)
    assert january == Counter(f"ent-{n}" for n in range(ENTERPRISES))  # each missed it once
    replayed = _replayed(tmp_path, "replayed", docket, poll)
    assert _derived(replayed), "the replay derived docket events of its own (else: no check)"
    assert unpublished(replayed, service) == []
    assert replayed.digest() == service.digest()


def test_settling_by_event_id_leaves_out_what_live_published(
    live: tuple[Service, Docket], tmp_path: Path
) -> None:
    """The old setup: replay, publish the derivations whose ids are not on the log, until a
    replay derives none; that log is not live's, and by type and payload it is not settled."""
    service, published_live = live
    docket: Docket = []
    for turn in range(8):
        replayed = _replayed(tmp_path, f"turn-{turn}", docket, 500)
        ids = {m.id for _, m in docket}
        new = [(e, m) for e, m in _derived(replayed) if m.id not in ids]
        if not new:
            break
        docket += new
    assert not new, "settled by event id"
    missed = Counter(e.enterprise_id for e, _ in docket if isinstance(e, SelfInspectionMissed))
    live_missed = Counter(
        e.enterprise_id for e, _ in published_live if isinstance(e, SelfInspectionMissed)
    )
    assert missed < live_missed  # settled without self-inspections live saw missed
    assert unpublished(replayed, service) == []  # what it derived, live published
    assert unpublished(replayed, service, by=BY_ID) == []  # and by id all seems on the log
    assert replayed.digest() != service.digest()
