"""Expiries on time over the real broker: credit's own worker and relay restrict an enterprise,
and lift the restriction when event time (another enterprise's fact) passes the deduction's
expiry, with no new fact about that enterprise; one enterprise's event dated far ahead does not
move it alone (decision 69); a replay of the log ends in the same state.

It runs on a broker of its own: its year-old and later events would move the suite's credit's
clock (the latest event time it has seen) and other tests' expectations with it."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import create_engine, text
from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.kafka_config import free_ports
from tianmen_events import DomainEvent, EventMeta, decode, encode
from tianmen_events.credit import ProcurementRestrictionChanged
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed
from tianmen_events.topics import (
    CREDIT_ENTERPRISE,
    CREDIT_REPAIR,
    REGISTRY_MACHINE,
    REPORTS_TIP,
    SAFETY_ENTERPRISE,
)
from tianmen_runtime.kafka_io import ensure_topics

from tests.integration.helpers import eventually
from tests.integration.test_audit_credit import _violation

SH = timezone(timedelta(hours=8))
LISTED = datetime(2025, 7, 1, 10, tzinfo=SH)
DUST = datetime(2025, 7, 3, 10, tzinfo=SH)  # minor: 180 days, to 2025-12-30
LATER = datetime(2026, 1, 15, 10, tzinfo=SH)  # another enterprise's fact: past the expiry
TYPO = datetime(2099, 1, 15, 10, tzinfo=SH)  # an event dated decades ahead


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[str]:
    with LocalKafka(tmp_path / "kafka") as kafka:
        ensure_topics(
            kafka.bootstrap_servers,
            [SAFETY_ENTERPRISE, REPORTS_TIP, REGISTRY_MACHINE, CREDIT_REPAIR, CREDIT_ENTERPRISE],
        )
        yield kafka.bootstrap_servers


def _restricting(ent: str) -> list[tuple[DomainEvent, datetime]]:
    """-20 and -10 from 1 July 2025 (365 days), -10 from 3 July (dust, minor): 60, grade D."""
    listed = KeySupervisionListed(enterprise_id=ent, cycle_year=2025, rule_version="s")
    suspended = BiddingSuspended(
        enterprise_id=ent, cycle_year=2025, balance=50, threshold=60, rule_version="s"
    )
    return [
        (listed, LISTED),
        (suspended, LISTED),
        (_violation(ent, "construction_dust", 10, DUST), DUST),
    ]


def _publish(bootstrap: str, events: list[tuple[DomainEvent, datetime]]) -> None:
    producer = KafkaProducer(
        bootstrap_servers=bootstrap, acks="all", max_block_ms=60_000, request_timeout_ms=60_000
    )
    for event, at in events:
        event_id = str(uuid.uuid4())
        meta = EventMeta(event_id, "/tianmen/test", at, event.subject_id(), 1, f"corr-{event_id}")
        message = encode(event, meta)
        producer.send(message.topic, key=message.key, value=message.value, headers=message.headers)
    producer.flush()
    producer.close()


def _restrictions(bootstrap: str, ent: str) -> list[ProcurementRestrictionChanged]:
    """What credit published on credit.enterprise about `ent`, from the beginning."""
    reader = KafkaConsumer(
        CREDIT_ENTERPRISE.name,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=3_000,
    )
    found = []
    for record in reader:
        event, _ = decode(record.headers, record.value)
        if isinstance(event, ProcurementRestrictionChanged) and event.enterprise_id == ent:
            found.append(event)
    reader.close()
    return found


def _row(store: Path, ent: str) -> tuple[int, str, int, str] | None:
    engine = create_engine(f"sqlite:///{store}")
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT score, grade, procurement_restricted, updated_at FROM credit_scores"
                " WHERE enterprise_id = :e"
            ),
            {"e": ent},
        ).first()
    engine.dispose()
    return None if row is None else (row[0], row[1], row[2], row[3])


@pytest.fixture
def credit(own_broker: str, tmp_path: Path) -> Iterator[Path]:
    """Credit (its consumer, relay and API in one process) on the broker, with its store."""
    store = tmp_path / "credit.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{store}",
        "KAFKA_BOOTSTRAP_SERVERS": own_broker,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(free_ports(1)[0]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tianmen_credit", "serve"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield store
    finally:
        process.terminate()
        process.wait(timeout=30)


def _digest(bootstrap: str, *args: str, store: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tianmen_credit", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "DATABASE_URL": f"sqlite:///{store}",
        },
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1].removeprefix("digest: ")


def test_an_idle_enterprise_is_lifted_when_event_time_passes_its_deduction(
    own_broker: str, credit: Path, tmp_path: Path
) -> None:
    idle, other, typo = (f"ent-{x}-{uuid.uuid4().hex[:8]}" for x in ("idle", "other", "typo"))
    _publish(own_broker, _restricting(idle))
    imposed = eventually(
        lambda: _restrictions(own_broker, idle) or None, timeout=120, what="restricted"
    )
    assert [(r.restricted, r.at) for r in imposed] == [(True, DUST)]
    assert _row(credit, idle) == (60, "D", 1, DUST.isoformat())

    _publish(own_broker, [(_violation(typo, "construction_dust", 1, TYPO), TYPO)])
    eventually(lambda: _row(credit, typo), timeout=120, what="the far-dated event applied")
    assert _row(credit, idle) == (60, "D", 1, DUST.isoformat())  # its clock did not follow

    _publish(own_broker, [(_violation(other, "implausible_position_data", 0, LATER), LATER)])
    lifted = eventually(
        lambda: (found := _restrictions(own_broker, idle))[1:] and found,
        timeout=120,
        what="the restriction lifted",
    )
    expired = DUST + timedelta(days=180)
    assert [(r.restricted, r.at, r.score) for r in lifted] == [
        (True, DUST, 60),
        (False, expired, 70),
    ]
    assert lifted[1].cause_event_id.endswith("#expired")
    assert _row(credit, idle) == (70, "C", 0, expired.isoformat())

    replayed = _digest(
        own_broker, "replay", "--database-url", f"sqlite:///{tmp_path / 'r.db'}", store=credit
    )
    assert replayed == _digest(own_broker, "digest", store=credit)
