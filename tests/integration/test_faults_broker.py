"""The broker killed: answers stay true and everything recovers on its own.

Producer: records sent while the broker is SIGKILLed each settle (acknowledged or failed)
within the delivery timeout, so an HTTP answer is never overtaken by a silent retry; every
acknowledged record is on the topic exactly once, and every failed one, sent again once the
broker is back, is on it too (perhaps twice: "failed" means "may not have been written").

The suite (`make run`'s own broker, restarted by its watcher): /readyz turns unready, a report
is answered 503 well before the gateway's timeout, and after the restart the same report is
accepted and becomes exactly one violation.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kafka.errors import KafkaError
from tianmen_devkit.kafka import LocalKafka
from tianmen_devkit.kafka_config import free_ports
from tianmen_devkit.restarts import Restarts
from tianmen_devkit.run import watch_broker
from tianmen_devkit.supervisor import SERVICES, Suite
from tianmen_events.topics import Topic
from tianmen_runtime.kafka_io import DELIVERY_TIMEOUT_S, MAX_BLOCK_MS, ensure_topics, make_producer

from tests.integration.faults import FULL, read_topic, seeded_rng
from tests.integration.helpers import (
    NIGHT_REPORT,
    DemoLogin,
    bind_new_machine,
    eventually,
    every_page,
    register_enterprise,
)

pytestmark = pytest.mark.integration
SETTLED_WITHIN_S = DELIVERY_TIMEOUT_S + MAX_BLOCK_MS / 1000 + 2  # margin for a busy machine
RECORDS = 400 if FULL else 150


@pytest.fixture
def own_broker(tmp_path: Path) -> Iterator[LocalKafka]:
    with LocalKafka(tmp_path / "kafka") as kafka:
        yield kafka


def _kill(kafka: LocalKafka) -> None:
    assert kafka.pid is not None
    os.killpg(kafka.pid, signal.SIGKILL)
    kafka.wait(30)


def _topic_ids(bootstrap_servers: str, topic: str) -> Counter[bytes]:
    return Counter(record.value for record in read_topic(bootstrap_servers, topic))


def _send(producer: object, topic: str, value: bytes) -> tuple[bool, float]:
    started = time.monotonic()
    try:
        future = producer.send(topic, key=value[-4:], value=value)  # type: ignore[attr-defined]
        future.get(timeout=60)
        return True, time.monotonic() - started
    except KafkaError:
        return False, time.monotonic() - started


def test_records_sent_through_a_broker_kill_are_acknowledged_once_or_reported_failed(
    own_broker: LocalKafka,
) -> None:
    rng = seeded_rng("broker kill mid-produce")
    topic = Topic(f"faults.produce-{uuid.uuid4().hex[:8]}", "id", partitions=3)
    ensure_topics(own_broker.bootstrap_servers, [topic])
    producer = make_producer(own_broker.bootstrap_servers, "faults-produce")
    kill_at = rng.randrange(RECORDS // 4, RECORDS // 2)
    back_at = kill_at + rng.randrange(2, 5)  # each send meanwhile waits out its timeout
    acked: list[bytes] = []
    failed: list[bytes] = []
    slowest = 0.0
    for number in range(RECORDS):
        if number == kill_at:
            _kill(own_broker)
        if number == back_at:
            own_broker.start()
        value = f"record-{number:05d}".encode()
        ok, took = _send(producer, topic.name, value)
        (acked if ok else failed).append(value)
        slowest = max(slowest, took)
    own_broker.wait_ready()
    resent = 0
    for value in failed:
        while not _send(producer, topic.name, value)[0]:
            resent += 1
    producer.close()

    seen = _topic_ids(own_broker.bootstrap_servers, topic.name)
    print(
        f"killed at {kill_at}, back at {back_at}: {len(acked)} acknowledged, "
        f"{len(failed)} failed (written anyway: {len([v for v in failed if seen[v] > 1])}), "
        f"slowest answer {slowest:.1f}s"
    )
    assert failed, "the kill should have failed some sends"
    assert slowest <= SETTLED_WITHIN_S
    assert all(seen[value] == 1 for value in acked)
    assert all(seen[value] >= 1 for value in failed)
    assert set(seen) == set(acked) | set(failed)


@pytest.fixture
def own_suite(own_broker: LocalKafka, tmp_path: Path) -> Iterator[Suite]:
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    with Suite(tmp_path / "var", own_broker.bootstrap_servers, ports).running() as suite:
        yield suite


def _unready(readyz: str) -> Callable[[], bool]:
    def check() -> bool:
        return httpx.get(readyz, timeout=5).status_code == 503

    return check


@pytest.mark.faults_full  # a suite of its own on a broker of its own: ~3 min on 2 cores
def test_a_killed_broker_turns_readiness_off_answers_503_and_everything_recovers(
    own_broker: LocalKafka, own_suite: Suite
) -> None:
    url = own_suite.url("gateway")
    api = httpx.Client(base_url=f"{url}/api/v1", timeout=30, auth=DemoLogin(url))
    enterprise_id = register_enterprise(api)
    terminal = bind_new_machine(api, enterprise_id)["terminal_id"]
    report = {**NIGHT_REPORT, "terminal_id": terminal}

    restarts, stop = Restarts(initial_s=0.5), threading.Event()
    restarts.started("kafka")

    def supervise() -> None:  # what `make run` does; started once the outage was observed
        while not stop.wait(0.3):
            own_suite.supervise()
            watch_broker(own_broker, restarts)

    watcher = threading.Thread(target=supervise, daemon=True)
    try:
        _kill(own_broker)
        for service in ("telemetry", "safety", "credit", "registry"):
            eventually(_unready(f"{own_suite.url(service)}/readyz"), timeout=15, what=service)
        started = time.monotonic()
        refused = api.post("/telemetry/reports", json={"reports": [report]})
        answered_in = time.monotonic() - started
        print(f"report answered {refused.status_code} in {answered_in:.1f}s, broker down")
        assert refused.status_code == 503, refused.text
        assert answered_in < SETTLED_WITHIN_S
        assert "retry" in refused.json()["detail"]

        watcher.start()  # the broker comes back
        own_suite.wait_ready(timeout=90)
        accepted = eventually(
            lambda: api.post("/telemetry/reports", json={"reports": [report]}).status_code == 202,
            timeout=60,
            what="the report to be accepted after the broker came back",
        )
        assert accepted
        view = eventually(
            lambda: _with_violations(api, enterprise_id),
            timeout=90,
            what="the violation after recovery",
        )
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join(5)
    assert len(every_page(api, view["links"]["violations"])) == 1


def _with_violations(api: httpx.Client, enterprise_id: str) -> dict[str, Any] | None:
    view: dict[str, Any] = api.get(f"/enterprises/{enterprise_id}").json()
    return view if view["safety"]["violation_count"] else None
