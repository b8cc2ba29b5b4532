"""The enforcement desk over the real broker and all six services: a year of alerts and a
verified tip for a few enterprises, cases confirmed, dismissed, escalated and revoked on appeal,
a new cycle; then the ledgers, and a replay of safety from offset 0 with the live digest."""

from __future__ import annotations

import subprocess
import sys
import uuid
from copy import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from tianmen_devkit.supervisor import Suite
from tianmen_events import DomainEvent, EventMeta, derive_id, encode
from tianmen_events.reports import TipVerified
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime import identity
from tianmen_runtime.kafka_io import make_producer

from tests.integration.drain import wait_until_drained
from tests.integration.helpers import Vouched, env_with, eventually

pytestmark = pytest.mark.integration
SHANGHAI = timezone(timedelta(hours=8))
# Staff decisions carry the time they are made, and every event's time ticks the desk's clock:
# the scenario starts 30 hours ago, so the first decision is past a township's 24-hour deadline.
DAY = (datetime.now(SHANGHAI) - timedelta(hours=30)).replace(microsecond=0)
YEAR = DAY.year
TOWNSHIP = "429006100"


def _alert(enterprise_id: str, n: int, rule: str, at: datetime) -> AlertRaised:
    return AlertRaised(
        alert_id=f"{enterprise_id}-alert-{n}",
        enterprise_id=enterprise_id,
        machine_id=f"{enterprise_id}-m1",
        terminal_id="13900000000",
        rule=rule,
        rule_version="telemetry-rules/2026.1",
        observed_at=at,
        latitude=30.65,
        longitude=113.17,
        detail="sent by the desk's integration test",
        jurisdiction=TOWNSHIP,
    )


def _tip(enterprise_id: str, at: datetime) -> TipVerified:
    return TipVerified(
        tip_id=f"{enterprise_id}-tip",
        category="unsafe_hoisting",
        violation_code="unsafe_hoisting_machinery",
        enterprise_id=enterprise_id,
        major_hazard=True,
        jurisdiction=TOWNSHIP,
        latitude=30.65,
        longitude=113.17,
        observed_at=at,
        verified_at=at + timedelta(days=1),
        verifier="inspector-7",
    )


def _publish(bootstrap_servers: str, *events: DomainEvent) -> None:
    """As telemetry and reports would: CloudEvents in binary mode, keyed by their aggregate."""
    producer = make_producer(bootstrap_servers, "desk-test")
    try:
        for event in events:
            time = event.verified_at if isinstance(event, TipVerified) else event.observed_at  # type: ignore[attr-defined]
            meta = EventMeta(
                id=derive_id("desk-test", event.type, _id_of(event)),
                source="/tianmen/test",
                time=time,
                subject=event.subject_id(),
                sequence=1,
                correlation_id="desk-test",
            )
            message = encode(event, meta)
            producer.send(message.topic, message.value, message.key, message.headers).get(30)
    finally:
        producer.close()


def _id_of(event: DomainEvent) -> str:
    return event.tip_id if isinstance(event, TipVerified) else event.alert_id  # type: ignore[attr-defined]


def _cases(safety: httpx.Client, enterprise_id: str, **params: Any) -> list[dict[str, Any]]:
    body = safety.get("/cases", params={"enterprise_id": enterprise_id, **params}).json()
    return list(body["items"])


def _one_case(safety: httpx.Client, enterprise_id: str, code: str, state: str) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        return next(
            (c for c in _cases(safety, enterprise_id) if (c["code"], c["state"]) == (code, state)),
            None,
        )

    return eventually(found, what=f"a {state} {code} case of {enterprise_id}")


def _decide(
    safety: httpx.Client, case_id: str, decision: str, actor: str, reason: str = ""
) -> None:
    gateway = safety.auth
    assert isinstance(gateway, Vouched)
    vouched = copy(gateway)  # the same gateway's signature, for the one who decides
    vouched.who = identity.Actor(actor, "county_staff")
    answer = safety.post(f"/cases/{case_id}/{decision}", json={"reason": reason}, auth=vouched)
    assert answer.status_code == 202, answer.text


def _ledger(safety: httpx.Client, enterprise_id: str, year: int) -> dict[str, Any]:
    return dict(safety.get(f"/enterprises/{enterprise_id}/ledger", params={"year": year}).json())


def test_a_year_on_the_desk_gives_the_expected_ledgers_and_replays_to_the_live_digest(
    suite: Suite, bootstrap_servers: str
) -> None:
    first, second = f"ent-{uuid.uuid4().hex[:8]}", f"ent-{uuid.uuid4().hex[:8]}"
    auth = Vouched(suite.identity_key_file)
    with httpx.Client(base_url=suite.url("safety"), timeout=10, auth=auth) as safety:
        _publish(
            bootstrap_servers,
            _alert(first, 1, "night_work", DAY),  # self-evident: -5 with no one looking
            _alert(first, 2, "continuous_work", DAY + timedelta(hours=1)),
            _alert(first, 3, "continuous_work", DAY + timedelta(hours=2)),
            _alert(first, 4, "implausible_movement", DAY + timedelta(hours=3)),  # no case
            _alert(second, 1, "continuous_work", DAY),
        )
        overlong = _one_case(safety, first, "continuous_work_beyond_limit", "open")
        assert (overlong["tier"], overlong["jurisdiction"]) == ("township", TOWNSHIP)
        ignored = _one_case(safety, second, "continuous_work_beyond_limit", "open")
        pending = eventually(
            lambda: _cases(safety, first, state=["open"])[1:] and _cases(safety, first),
            what="both overlong-work cases of the first enterprise",
        )
        confirm_me, dismiss_me = sorted(
            (c for c in pending if c["state"] == "open"), key=lambda c: c["occurred_at"]
        )
        _decide(safety, confirm_me["case_id"], "acknowledge", "liaison-1")
        _decide(safety, confirm_me["case_id"], "confirm", "station-2")
        _decide(
            safety, dismiss_me["case_id"], "dismiss", "liaison-1", "a break the terminal missed"
        )
        # The decisions' time (now) is past the deadline of the case nobody handled, which goes
        # up to the station. A tip verified a day after it was sent (-12, confirmed by its
        # verifier) and a grave alert at the second enterprise (-12 at once) come before the
        # station's deadline.
        _publish(bootstrap_servers, _tip(first, DAY))
        _publish(
            bootstrap_servers,
            _alert(second, 2, "stopped_machine_working", DAY + timedelta(days=1, hours=1)),
        )
        _one_case(safety, first, "continuous_work_beyond_limit", "confirmed")
        station = eventually(
            lambda: _cases(safety, second, tier="station") or None, what="the escalation"
        )
        assert [(c["case_id"], c["escalations"]) for c in station] == [(ignored["case_id"], 1)]
        _decide(safety, confirm_me["case_id"], "appeal", "city-1", "the break was logged on paper")
        _publish(
            bootstrap_servers, _alert(first, 5, "night_work", DAY.replace(year=YEAR + 1))
        )  # a new cycle

        wait_until_drained(suite)
        assert _ledger(safety, first, YEAR)["balance"] == 100 - 5 - 12  # the 2 came back on appeal
        assert _ledger(safety, first, YEAR)["violation_count"] == 3
        assert _ledger(safety, first, YEAR + 1)["balance"] == 95
        assert _ledger(safety, second, YEAR)["balance"] == 88
        escalated = safety.get(f"/cases/{ignored['case_id']}").json()
        # The new cycle's alert is past the station's deadline too: the city holds it now.
        assert (escalated["tier"], escalated["escalations"], escalated["state"]) == (
            "city",
            2,
            "open",
        )
        states = sorted(c["state"] for c in _cases(safety, first))
        assert states == ["confirmed", "confirmed", "confirmed", "dismissed", "revoked"]
        [restored] = safety.get(f"/enterprises/{first}/restorations", params={"year": YEAR}).json()[
            "items"
        ]
        assert (restored["violation_id"], restored["points"]) == (confirm_me["violation_id"], 2)
        replay_matches_live(safety, bootstrap_servers)


def replay_matches_live(safety: httpx.Client, bootstrap_servers: str) -> None:
    """Once the live store has settled, `replay` into a fresh store gives its digest."""

    def settled() -> tuple[str, str] | None:
        live = safety.get("/digest").json()["digest"]
        replayed = _replayed_digest(bootstrap_servers)
        return (live, replayed) if live == replayed else None

    live, replayed = eventually(settled, timeout=240, what="safety's replay to match live")
    assert live == replayed


def _replayed_digest(bootstrap_servers: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tianmen_safety", "replay"],
        env=env_with(bootstrap_servers),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    return lines["digest"]
