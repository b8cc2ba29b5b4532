"""Issue 10 at scale: a replay of what live safety published derives no docket event live did
not, however a consumer fetches the topics (decision 87). A replay fetches its topics unevenly
(by bytes a partition: the inputs run months ahead of the docket, which has twice their
records) and applies polls of 2,000 records spanning months of event time; its tick used to run
to a poll's latest event time while the dockets stood where the poll found them, so a listed
enterprise whose later violations were still in the poll (or not yet back) passed its 90-day
rectification period: `KeySupervisionPeriodPassed` live never derived (the 1,000,000-event
bench-replay's 687 docket events the log lacks). Decision 87 bounded the tick by what a batch
held; a topic fetched whole ahead of another still carried it past the other's unread months
(all tips to December, then the alerts: three `KeySupervisionPeriodPassed`). So a replay now
applies its records in recorded order however it fetched them (`InRecordedOrder`, decision
104), and this module's interleavings go through that merge as `replay` does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from kafka import TopicPartition
from live_safety import published, unpublished
from replay_log import Stamped, inputs
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.projection import Applying, apply_batch
from tianmen_runtime.recorded_order import InRecordedOrder
from tianmen_runtime.replay_window import ReplayWindow
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings

INPUTS, ENTERPRISES = 700, 7
"""A year from June 2025, 100 inputs an enterprise: each on the key-supervision list by the
autumn, its violations going on until the year's end (no period passes within the cycle)."""
REPLAY_POLL = 2000
"""`tianmen_runtime.replay.REPLAY_POLL_RECORDS`."""
POLL = 500
"""A poll spanning four months of the docket here, as the replay's 2,000 records span months of
the bench's 1,000,000-event log (fewer records a day of it than a year holds here)."""
Streams = list[list[Record]]
Chunks = list[tuple[int, int]]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> tuple[Service, Streams]:
    """The live store and what a replay reads: alerts, tips and the docket as live published
    it, each topic in its order, each record stamped as the log recorded it."""
    service = build(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('live')}/s.db"))
    topics = service.subscription.topics if service.subscription else ()
    log = list(published(service, inputs(INPUTS, ENTERPRISES)))
    docket = [s for s in log if s[0].topic == SAFETY_CASE.name]
    read = [s for s in inputs(INPUTS, ENTERPRISES) if s[0].topic in topics]
    streams: dict[str, list[Stamped]] = {}
    for stamped in [*read, *docket]:
        streams.setdefault(stamped[0].topic, []).append(stamped)
    logs = {topic: TopicLog() for topic in streams}
    return service, [
        [replace(logs[t].record(e, m), timestamp=at) for e, m, at in streams[t]]
        for t in sorted(streams)
    ]


def _replayed(folder: Path, streams: Streams, chunks: Chunks, poll: int) -> Service:
    """A fresh store applying what a replay fetched in `chunks` (a stream's index, how many of
    its next records), the rest of each stream after them: what `InRecordedOrder` lets go after each
    fetch, in transactions of `poll` records (a transaction may span fetches: it is not
    bound to them, nor the derivations to where it ends)."""
    service = build(Settings(database_url=f"sqlite:///{folder}/replayed.db"))
    subscription = service.subscription
    assert subscription is not None
    last = {(r.topic, r.partition): r.offset for stream in streams for r in stream}
    merge = InRecordedOrder[Record](map(_tp, sorted(last)), subscription.waits_for)
    taken, ready = [0] * len(streams), list[Record]()
    how = Applying(ReplayWindow(subscription.name, subscription.duplicate_window), outbox=False)
    for stream, count in [*chunks, *((s, len(streams[s])) for s in range(len(streams)))]:
        for record in streams[stream][taken[stream] : taken[stream] + count]:
            merge.add(_tp((record.topic, record.partition)), [record])
            if record.offset == last[record.topic, record.partition]:
                merge.ended(_tp((record.topic, record.partition)))
        taken[stream] = min(len(streams[stream]), taken[stream] + count)
        ready += merge.ready()
        while len(ready) >= poll:
            apply_batch(service.engine, subscription, ready[:poll], how)
            del ready[:poll]
    assert merge.done() and taken == list(map(len, streams))
    if ready:
        apply_batch(service.engine, subscription, ready, how)
    return service


def _tp(at: tuple[str, int]) -> TopicPartition:
    return TopicPartition(*at)


def _docket_index(streams: Streams) -> int:
    return next(i for i, s in enumerate(streams) if s[0].topic == SAFETY_CASE.name)


@pytest.mark.parametrize("docket_first", [False, True])
def test_a_replay_fetching_one_side_ahead_derives_only_what_live_did(
    live: tuple[Service, Streams], tmp_path: Path, docket_first: bool
) -> None:
    """The inputs all read before the docket (as a replay's fetch runs them ahead), or the
    docket before the inputs; in polls spanning months of the docket."""
    service, streams = live
    docket = _docket_index(streams)
    order = [docket] if docket_first else [i for i in range(len(streams)) if i != docket]
    replayed = _replayed(tmp_path, streams, [(i, len(streams[i])) for i in order], POLL)
    assert unpublished(replayed, service) == []
    assert replayed.digest() == service.digest()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chunks=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 900)), max_size=12),
    poll=st.sampled_from([37, POLL, REPLAY_POLL]),
)
@example(chunks=[(1, 262)], poll=37)
def test_any_fetch_interleaving_derives_only_what_live_did(
    live: tuple[Service, Streams], tmp_path_factory: pytest.TempPathFactory, chunks: Chunks,
    poll: int,
) -> None:  # fmt: skip
    service, streams = live
    replayed = _replayed(tmp_path_factory.mktemp("any"), streams, chunks, poll)
    assert unpublished(replayed, service) == []
    assert replayed.digest() == service.digest()
