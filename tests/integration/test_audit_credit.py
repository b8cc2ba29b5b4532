"""Credit audit over the real broker: a year of history for two enterprises, read back from the
log by the auditor's commands. Grades, explanations and the restriction at three past moments;
one violation that arrived late is shown apart; a bundle verifies offline and stops verifying
after one byte changes; a candidate model's what-if and the first divergence of two rebuilds.

It runs on a broker of its own: its year-old safety events on the shared broker would be counted
by the suite's credit and by other tests' replays "as of" a date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaProducer
from sqlalchemy import create_engine, text
from tianmen_credit.adapters.models import current_model
from tianmen_devkit.kafka import LocalKafka
from tianmen_events import DomainEvent, EventMeta, encode
from tianmen_events.credit import CreditRepairDecided
from tianmen_events.registry.lifecycle import AnnualReviewPassed
from tianmen_events.registry.sites import MaintenanceRecorded
from tianmen_events.reports import TipCategory, TipVerified
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded
from tianmen_events.topics import (
    CREDIT_REPAIR,
    REGISTRY_MACHINE,
    REPORTS_TIP,
    SAFETY_ENTERPRISE,
)
from tianmen_runtime.kafka_io import ensure_topics

SH = timezone(timedelta(hours=8))
M1 = datetime(2025, 8, 15, 12, tzinfo=SH)
M2 = datetime(2025, 10, 25, 12, tzinfo=SH)
M3 = datetime(2026, 3, 1, 12, tzinfo=SH)


def _violation(ent: str, code: str, points: int, at: datetime) -> ViolationRecorded:
    return ViolationRecorded(
        enterprise_id=ent,
        violation_id=str(uuid.uuid4()),
        machine_id=None,
        code=code,
        description=code,
        occurred_at=at,
        source_event_id="alert",
        points=points,
        source_event_type="tianmen.telemetry.alert_raised",
        rule_version="safety/2026.1",
    )


def _maintenance(ent: str, day: date, kind: str) -> MaintenanceRecorded:
    return MaintenanceRecorded(
        machine_id=f"mac-{ent}", enterprise_id=ent, performed_on=day, kind=kind, provider="SANY"
    )


def _history(a: str, b: str) -> list[tuple[str, DomainEvent, datetime, datetime]]:
    """(event id, event, event time, recorded time) — recorded a few minutes after the fact,
    except the tampering violation, recorded three months late."""
    v1_at = datetime(2025, 9, 10, 23, 30, tzinfo=SH)
    v2_at = datetime(2025, 10, 20, 23, 0, tzinfo=SH)
    tip_at = datetime(2025, 10, 1, 10, tzinfo=SH)
    on_time = [
        (
            f"{a}-k1",
            BiddingSuspended(
                enterprise_id=a,
                cycle_year=2025,
                balance=58,
                threshold=60,
                rule_version="safety/2026.1",
            ),
            datetime(2025, 7, 1, 10, tzinfo=SH),
        ),
        (
            f"{a}-m1",
            _maintenance(a, date(2025, 8, 1), "routine"),
            datetime(2025, 8, 1, 18, tzinfo=SH),
        ),
        (f"{a}-v1", _violation(a, "night_work_without_permit", 5, v1_at), v1_at),
        (
            f"{a}-t1",
            TipVerified(
                tip_id="tip-1",
                category=TipCategory.DUST_AND_NOISE,
                violation_code="construction_dust",
                enterprise_id=a,
                major_hazard=False,
                jurisdiction="429006",
                latitude=30.65,
                longitude=113.16,
                observed_at=tip_at,
                verified_at=tip_at,
                verifier="inspector-1",
            ),
            tip_at,
        ),
        (
            f"{a}-r1",
            CreditRepairDecided(
                enterprise_id=a,
                repair_id="rep-1",
                target_event_id=f"{a}-v1",
                approved=True,
                decided_by="city-1",
                reason="rectified",
                decided_at=datetime(2025, 11, 15, 9, tzinfo=SH),
            ),
            datetime(2025, 11, 15, 9, tzinfo=SH),
        ),
        (
            f"{a}-a1",
            AnnualReviewPassed(
                machine_id="mac-a",
                enterprise_id=a,
                application_id="app-1",
                next_review_due=date(2027, 2, 1),
            ),
            datetime(2026, 2, 1, 9, tzinfo=SH),
        ),
        (
            f"{b}-m1",
            _maintenance(b, date(2025, 9, 1), "self_inspection"),
            datetime(2025, 9, 1, 18, tzinfo=SH),
        ),
    ]
    late = (
        f"{a}-v2",
        _violation(a, "suspected_terminal_tampering", 3, v2_at),
        v2_at,
        datetime(2026, 1, 15, 10, tzinfo=SH),
    )
    return [(i, e, t, t + timedelta(minutes=5)) for i, e, t in on_time] + [late]


def _publish(bootstrap: str, history: list[tuple[str, DomainEvent, datetime, datetime]]) -> None:
    ensure_topics(bootstrap, [SAFETY_ENTERPRISE, REPORTS_TIP, REGISTRY_MACHINE, CREDIT_REPAIR])
    # Patient where the services' producer is strict: a loaded machine may take seconds to
    # answer the first metadata request of a broker just started.
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_block_ms=60_000, request_timeout_ms=60_000
    )
    sent = []
    for n, (event_id, event, at, recorded) in enumerate(history, start=1):
        meta = EventMeta(event_id, "/tianmen/test", at, event.subject_id(), n, f"corr-{event_id}")
        message = encode(event, meta)
        sent.append(
            producer.send(
                message.topic,
                key=message.key,
                value=message.value,
                headers=message.headers,
                timestamp_ms=int(recorded.timestamp() * 1000),
            )
        )
    producer.flush()
    for future in sent:
        future.get()
    producer.close()


def _credit(bootstrap: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tianmen_credit", "--bootstrap-servers", bootstrap, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _as_of(
    bootstrap: str, ent: str, at: datetime, known_at: datetime | None = None
) -> dict[str, Any]:
    extra = ["--known-at", known_at.isoformat()] if known_at else []
    done = _credit(bootstrap, "as-of", "--enterprise", ent, "--at", at.isoformat(), *extra)
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[str]:
    with LocalKafka(tmp_path / "kafka") as kafka:
        yield kafka.bootstrap_servers


def test_a_year_of_credit_history_as_known_at_three_moments(
    own_broker: str, tmp_path: Path
) -> None:
    bootstrap_servers = own_broker
    a, b = f"ent-a-{uuid.uuid4().hex[:8]}", f"ent-b-{uuid.uuid4().hex[:8]}"
    _publish(bootstrap_servers, _history(a, b))

    first = _as_of(bootstrap_servers, a, M1)["known_then"]
    assert (first["score"], first["grade"], first["procurement_restricted"]) == (91, "A", False)

    second = _as_of(bootstrap_servers, a, M2)
    then, now = second["known_then"], second["now_known"]
    assert (then["score"], then["grade"], then["procurement_restricted"]) == (78, "C", False)
    assert (now["score"], now["grade"], now["procurement_restricted"]) == (69, "D", True)
    assert [f["event_id"] for f in second["late"]] == [f"{a}-v2"]
    violation = next(c for c in then["contributions"] if c["event_id"] == f"{a}-v1")
    assert (violation["effect"], violation["expires_at"][:10], violation["in_force"]) == (
        -10,
        "2026-09-10",
        True,
    )
    assert violation["zh"].startswith("违法违规行为扣分") and violation["en"].startswith(
        "deduction for a violation"
    )
    assert then["model_version"] == "credit/2026.3"

    third = _as_of(bootstrap_servers, a, M3)["known_then"]
    assert (third["score"], third["grade"], third["procurement_restricted"]) == (75, "C", False)
    effects = {c["event_id"]: c["effect"] for c in third["contributions"] if c["in_force"]}
    assert effects == {f"{a}-k1": -10, f"{a}-r1": -5, f"{a}-t1": -3, f"{a}-v2": -9, f"{a}-a1": 2}
    assert _as_of(bootstrap_servers, b, M3)["known_then"]["grade"] == "A"

    bundle = tmp_path / "bundle.jsonl"
    made = _credit(
        bootstrap_servers,
        "bundle",
        "--enterprise",
        a,
        "--from",
        "2025-07-01T00:00:00+08:00",
        "--to",
        M3.isoformat(),
        "--out",
        str(bundle),
    )
    assert made.returncode == 0, made.stderr
    _assert_bundle_verifies_until_a_byte_changes(bundle, a)

    claim = json.loads(bundle.read_text().splitlines()[-1])["body"]
    assert [
        (c["cause"], c["restricted"])
        for c in claim["grade_changes"]
        if c["restricted"] != c["restricted_before"]
    ] == [(f"{a}-v2", True), (f"{a}-r1", False)]
    _assert_what_if_and_divergence(bootstrap_servers, tmp_path, a, b)


def test_the_live_consumer_scores_by_the_model_as_data_and_sees_expiries_by_event_time(
    own_broker: str, tmp_path: Path
) -> None:
    """The service's own consumer (its replay, from offset 0) over the same log: each row is
    the auditor's standing at the row's watermark, and a deduction expiring has lifted the
    restriction by the latest event time in the log. (Which steps a replay publishes depends on
    how it interleaves the partitions against the clock, decision 64; the live consumer lifting
    an idle enterprise's restriction as an event is `test_credit_expiry.py`.)"""
    a, b, c = (f"ent-{x}-{uuid.uuid4().hex[:8]}" for x in "abc")
    _publish(own_broker, _history(a, b) + _expiring(c))
    store = tmp_path / "credit.db"
    done = _credit_env(own_broker, "replay", "--database-url", f"sqlite:///{store}")
    assert done.returncode == 0, done.stderr
    engine = create_engine(f"sqlite:///{store}")
    with engine.connect() as conn:
        rows = {r.enterprise_id: r for r in conn.execute(text("SELECT * FROM credit_scores"))}
    for ent in (a, b, c):
        watermark = datetime.fromisoformat(rows[ent].updated_at)
        now = _as_of(own_broker, ent, watermark, FAR)["now_known"]
        assert (rows[ent].score, rows[ent].grade) == (now["score"], now["grade"]), ent
        assert rows[ent].model_version == "credit/2026.3"
    assert (rows[c].score, rows[c].grade, rows[c].procurement_restricted) == (70, "C", 0)
    restricted = _as_of(own_broker, c, datetime(2025, 12, 29, 12, tzinfo=SH), FAR)["now_known"]
    assert (restricted["grade"], restricted["procurement_restricted"]) == ("D", True)


FAR = datetime(2100, 1, 1, tzinfo=SH)


def _expiring(c: str) -> list[tuple[str, DomainEvent, datetime, datetime]]:
    """All on safety.enterprise (one partition: order kept): C, then D by a minor violation
    (180 days), then a weightless finding months later whose event time passes its expiry."""
    listed = datetime(2025, 7, 1, 10, tzinfo=SH)
    dust = datetime(2025, 7, 3, 10, tzinfo=SH)
    later = datetime(2026, 2, 1, 10, tzinfo=SH)
    found = [
        (
            f"{c}-k1",
            KeySupervisionListed(enterprise_id=c, cycle_year=2025, rule_version="safety/2026.1"),
            listed,
        ),
        (
            f"{c}-b1",
            BiddingSuspended(
                enterprise_id=c, cycle_year=2025, balance=50, threshold=60, rule_version="s"
            ),
            listed,
        ),
        (f"{c}-dust", _violation(c, "construction_dust", 10, dust), dust),
        (f"{c}-q1", _violation(c, "implausible_position_data", 0, later), later),
    ]
    return [(i, e, t, t + timedelta(minutes=5)) for i, e, t in found]


def _credit_env(bootstrap: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tianmen_credit", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "KAFKA_BOOTSTRAP_SERVERS": bootstrap},
    )


def _assert_bundle_verifies_until_a_byte_changes(bundle: Path, ent: str) -> None:
    offline = [sys.executable, "-m", "tianmen_credit", "verify", str(bundle)]
    ok = subprocess.run(
        offline, capture_output=True, text=True, timeout=60, check=False, env={"PATH": ""}
    )
    assert ok.returncode == 0, ok.stderr
    assert f"{ent} 75 C" in ok.stdout
    data = bytearray(bundle.read_bytes())
    at = data.index(b'"points":3')
    data[at + len(b'"points":')] = ord("1")
    bundle.write_bytes(bytes(data))
    bad = subprocess.run(
        offline, capture_output=True, text=True, timeout=60, check=False, env={"PATH": ""}
    )
    assert bad.returncode == 1 and "NOT VERIFIED" in bad.stderr


def _assert_what_if_and_divergence(bootstrap: str, tmp_path: Path, a: str, b: str) -> None:
    body = current_model().to_dict()
    body["version"] = "credit/candidate"
    body["per_violation_point"]["suspected_terminal_tampering"] = -5
    candidate = tmp_path / "candidate.json"
    candidate.write_text(json.dumps(body))
    done = _credit(bootstrap, "what-if", "--model", str(candidate), "--at", M3.isoformat())
    assert done.returncode == 0, done.stderr
    mine = [c for c in json.loads(done.stdout)["changes"] if c["enterprise_id"] in (a, b)]
    assert [(c["enterprise_id"], c["current"]["grade"], c["candidate"]["grade"]) for c in mine] == [
        (a, "C", "D")
    ]
    assert [(w["current"]["effect"], w["candidate"]["effect"]) for w in mine[0]["why"]] == [
        (-9, -15)
    ]

    same = tmp_path / "same.json"
    same.write_text(current_model().to_json())
    unchanged = _credit(bootstrap, "what-if", "--model", str(same), "--at", M3.isoformat())
    assert unchanged.returncode == 0 and json.loads(unchanged.stdout)["changes"] == []
    agree = _credit(bootstrap, "diverge")
    assert agree.returncode == 0 and "agree" in agree.stdout
    parted = _credit(bootstrap, "diverge", "--model", str(same), "--model", str(candidate))
    assert parted.returncode == 1 and f"'{a}-v2'" in parted.stdout
