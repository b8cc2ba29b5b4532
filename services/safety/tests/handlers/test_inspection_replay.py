"""Property: whatever third-party tests are filed (as they happen) and however time moves on,
each test that ran out before it was renewed is announced to telemetry exactly once, at its
`valid_until`, and a replay of the alerts and the published docket gives the live digest."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tianmen_events import decode
from tianmen_events.safety import ThirdPartyTestExpired
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.commands import run_command
from tianmen_runtime.db import outbox
from tianmen_runtime.projection import apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import TopicLog
from tianmen_safety.bootstrap import build
from tianmen_safety.config import Settings
from tianmen_safety.domain.inspections import ThirdPartyTest
from tianmen_safety.service_layer.filings import File, file

from ..conftest import Logs, _unpublished_docket, alert_meta, replayed_digest

SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 1, 5, 9, 0, tzinfo=SHANGHAI)
filed = st.tuples(
    st.sampled_from(["m-1", "m-2"]),
    st.integers(0, 60),  # tested on day
    st.integers(1, 60),  # valid for days
    st.booleans(),  # passed
)


def _tick(service: Service, logs: Logs, day: int, name: str = "") -> AlertRaised:
    when = START + timedelta(days=day, hours=1)
    alert = AlertRaised(
        alert_id=f"tick-{day}{name}",
        enterprise_id="ent-9",
        machine_id="m-9",
        terminal_id="13800000009",
        rule="implausible_movement",  # data quality: no case, the clock only
        rule_version="t/1",
        observed_at=when,
        latitude=30.0,
        longitude=113.0,
        detail="",
    )
    assert service.subscription is not None
    log = logs.setdefault((id(service), alert.topic), TopicLog())
    apply_record(service.engine, service.subscription, log.record(alert, alert_meta(alert)))
    return alert


def _settle(service: Service, logs: Logs) -> int:
    """Let the docket's events come back; how many came."""
    assert service.subscription is not None
    came = 0
    while records := _unpublished_docket(service, logs):
        came += len(records)
        for record in records:
            apply_record(service.engine, service.subscription, record)
    return came


def _expired(service: Service) -> list[ThirdPartyTestExpired]:
    query = select(outbox).where(outbox.c.topic == "safety.enterprise")
    with service.engine.connect() as conn:
        rows = conn.execute(query.order_by(outbox.c.position)).all()
    events = [decode([(k, v.encode()) for k, v in json.loads(r.headers)], r.value) for r in rows]
    return [event for event, _ in events if isinstance(event, ThirdPartyTestExpired)]


# renewed at the very moment it runs out: too late, the test lapses (decision 87's tie)
@example([("m-1", 0, 1, True), ("m-1", 1, 30, True)], 0)
# the lapse at day 28 waits for the one at day 21 to come back, and the renewal filed for day 55
# comes back first: it must not swallow a lapse that happened before it
@example(
    [("m-1", 2, 19, True), ("m-1", 27, 1, True), ("m-2", 33, 26, True), ("m-1", 55, 37, True)], 7
)
@settings(max_examples=10, deadline=None)
@given(st.lists(filed, max_size=6, unique_by=lambda f: (f[0], f[1])), st.integers(0, 130))
def test_each_uncovered_lapse_is_announced_once_and_replay_agrees(
    tests: list[tuple[str, int, int, bool]], last_day: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:

        def make(name: str) -> Service:
            return build(Settings(database_url=f"sqlite:///{Path(folder) / name}.db"))

        live, alerts = make("live"), []
        logs: Logs = {}
        tests = sorted(tests, key=lambda t: t[1])  # filed as they happen: each filing ticks
        for machine, day, valid, passed in tests:
            test = ThirdPartyTest(
                "ent-1", machine, "lab", passed, f"TC-{machine}-{day}",
                START + timedelta(days=day), START + timedelta(days=day + valid),
            )  # fmt: skip
            run_command(live.engine, live.source, file, File(test, "inspector-1"), test.tested_at)
        _settle(live, logs)
        for day in range(0, last_day + 1, 7):
            alerts.append(_tick(live, logs, day))
            _settle(live, logs)

        days = [day for _, day, _, _ in tests] + list(range(0, last_day + 1, 7))
        final = START + timedelta(days=max(days), hours=1)
        # Time moves on at the last moment until nothing more is due. A derivation about a
        # docket waits while an earlier event of that docket is on its way back (decision 87),
        # so live makes it at the next event after that one came back; here each record comes
        # back alone, dated in the past, and moves no clock. Two lapses on one docket: one a turn.
        for turn in range(len(tests) + 1):
            alerts.append(_tick(live, logs, max(days), f"-last-{turn}"))
            if not _settle(live, logs):
                break
        wanted = sorted(
            (machine, START + timedelta(days=day + valid))
            for machine, day, valid, passed in tests
            if passed
            and START + timedelta(days=day + valid) <= final
            # renewed before it ran out: superseded, never lapses
            and not any(m == machine and day < d < day + valid and p for m, d, _, p in tests)
        )
        heard = sorted((e.machine_id, e.expired_at) for e in _expired(live))
        assert heard == wanted
        assert replayed_digest(make, alerts, live) == live.digest()
