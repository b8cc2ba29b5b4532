"""Replay of the desk: a fresh store fed the same topics (alerts, and the docket as the live
store published it) in another interleaving ends with the live store's digest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tianmen_events import DomainEvent, EventMeta, decode
from tianmen_events.telemetry import AlertRaised
from tianmen_events.topics import SAFETY_CASE
from tianmen_runtime.projection import apply_batch, apply_record
from tianmen_runtime.service import Service
from tianmen_runtime.testing import Record, TopicLog, stored_events
from tianmen_safety.entrypoints.api import build_api

from ..conftest import Logs, alert_meta, published_docket
from ..vouching import As, verifying

SHANGHAI = timezone(timedelta(hours=8))
MORNING = datetime(2026, 4, 2, 9, 0, tzinfo=SHANGHAI)


def test_replaying_alerts_and_the_published_docket_in_another_order_gives_the_live_digest(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., AlertRaised],
    deliver: Callable[..., str],
    settle: Callable[[Service], list[str]],
    tmp_path: Path,
) -> None:
    live, alerts = _decided_desk(service_factory, make_alert, deliver, settle, tmp_path)
    replayed = service_factory("replayed")
    assert replayed.subscription is not None
    alert_log = TopicLog()
    alert_records = [alert_log.record(a, alert_meta(a)) for a in alerts]
    apply_batch(replayed.engine, replayed.subscription, alert_records)  # all alerts first
    apply_batch(replayed.engine, replayed.subscription, published_docket(live))
    assert replayed.digest() == live.digest()


@pytest.mark.parametrize("poll", [1, 2, 3, 7])
def test_the_docket_in_polls_of_any_size_moves_the_case_rows_as_one_record_a_transaction_does(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., AlertRaised],
    deliver: Callable[..., str],
    settle: Callable[[Service], list[str]],
    tmp_path: Path,
    poll: int,
) -> None:
    """A batch's case rows are kept in memory and written once at its end (`case_map`): a case
    opened in one poll and moved by several events of the next (acknowledged, confirmed,
    appealed, escalated) ends in the rows one record a transaction leaves."""
    live, alerts = _decided_desk(service_factory, make_alert, deliver, settle, tmp_path)
    replayed = service_factory("replayed")
    assert replayed.subscription is not None
    alert_log = TopicLog(partitions=1)
    records = [*published_docket(live), *(alert_log.record(a, alert_meta(a)) for a in alerts)]
    for at in range(0, len(records), poll):
        outcomes = apply_batch(replayed.engine, replayed.subscription, records[at : at + poll])
        assert outcomes == ["applied"] * len(records[at : at + poll])
    assert replayed.digest() == live.digest()


def _decided_desk(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., AlertRaised],
    deliver: Callable[..., str],
    settle: Callable[[Service], list[str]],
    tmp_path: Path,
) -> tuple[Service, list[AlertRaised]]:
    """A live store whose cases were confirmed, dismissed, appealed and escalated, one record
    a transaction; and the alerts it was fed."""
    live = service_factory("live")
    app = build_api(live, clock=lambda: datetime(2026, 4, 3, tzinfo=UTC))
    client = TestClient(verifying(app, tmp_path / "id.pem"))
    client.auth = As(tmp_path / "id.pem", "s1")
    alerts = [
        make_alert(
            f"a{n}", MORNING + timedelta(hours=5 * n), enterprise_id=f"ent-{n % 3}", rule=rule
        )
        for n, rule in enumerate(["continuous_work", "night_work", "continuous_work"] * 4)
    ]
    for alert in alerts[:6]:
        deliver(live, alert)
    pending = _cases(client, "open")
    _decide(client, pending[2], "acknowledge")
    _decide(client, pending[0], "confirm")
    _decide(client, pending[1], "dismiss", reason="break not reported by the terminal")
    settle(live)
    _decide(client, pending[0], "appeal", reason="the break was logged on paper")
    for alert in alerts[6:]:  # later events: the remaining open case goes up a tier
        deliver(live, alert)
    assert any(case["escalations"] for case in _cases(client, "open", "acknowledged"))
    return live, alerts


def _cases(client: TestClient, *states: str) -> list[dict[str, Any]]:
    return list(client.get("/cases", params={"state": list(states)}).json()["items"])


def _decide(client: TestClient, case: dict[str, Any], decision: str, reason: str = "") -> None:
    response = client.post(f"/cases/{case['case_id']}/{decision}", json={"reason": reason})
    assert response.status_code == 202, response.text


def test_one_batch_files_cases_as_one_record_a_transaction_does(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., AlertRaised],
    deliver: Callable[..., str],
) -> None:
    """A polled batch (one transaction) that projects cases' rows from `safety.case` and then
    meets the alerts that opened them files and skips exactly the cases that the same records
    applied one per transaction do; an alert again under a new event id in the same batch
    files nothing more."""
    live = service_factory("live")
    alerts = [
        make_alert(f"a{n}", MORNING + timedelta(hours=5 * n), enterprise_id=f"ent-{n % 2}")
        for n in range(4)
    ]
    for alert in alerts[:2]:
        deliver(live, alert)
    docket = published_docket(live)
    assert docket
    alert_log = TopicLog(partitions=1)
    records = [*docket, *(alert_log.record(a, alert_meta(a)) for a in alerts)]
    again = alert_log.record(alerts[3], alert_meta(alerts[3], event_id="ce-again"))
    batched, one_by_one = service_factory("batched"), service_factory("one_by_one")
    assert batched.subscription is not None and one_by_one.subscription is not None
    outcomes = apply_batch(batched.engine, batched.subscription, [*records, again])
    singly = [apply_record(one_by_one.engine, one_by_one.subscription, r) for r in records]
    assert outcomes == [*singly, "applied"] == ["applied"] * (len(records) + 1)
    assert stored_events(batched.engine) == stored_events(one_by_one.engine)
    opened = [e for e in stored_events(batched.engine) if e[2].endswith("case_opened")]
    assert len(opened) == 2  # a2's and a3's; a0's and a1's came with the docket
    assert batched.digest() == one_by_one.digest()


def test_a_docket_delivered_again_under_new_event_ids_changes_nothing(
    service_factory: Callable[[str], Service],
    make_alert: Callable[..., AlertRaised],
    deliver: Callable[..., str],
    logs: Logs,
) -> None:
    """Past the duplicate guard (other event ids, later offsets): an opening finds its case's
    row and leaves it, a confirmation finds its violation recorded and records nothing."""
    live = service_factory("live")
    for n in range(3):
        deliver(live, make_alert(f"a{n}", MORNING + timedelta(hours=5 * n), enterprise_id="e-1"))
    before, docket = live.digest(), published_docket(live)
    assert live.subscription is not None and len(docket) == 6
    log = logs[(id(live), SAFETY_CASE.name)]  # the topic's next offsets
    again = [
        log.record(event, replace(meta, id=f"again-{meta.id}")) for event, meta in _read(docket)
    ]
    assert apply_batch(live.engine, live.subscription, again) == ["applied"] * len(docket)
    assert live.digest() == before


def _read(records: list[Record]) -> list[tuple[DomainEvent, EventMeta]]:
    return [decode(r.headers, r.value) for r in records]
