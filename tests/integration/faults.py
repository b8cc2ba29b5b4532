"""Helpers for the fault tests: a seeded RNG that says its seed, a background supervisor, and
waiting until every consumer group has drained (lag 0 against the broker's end offsets)."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from kafka import KafkaAdminClient, KafkaConsumer
from tianmen_devkit.supervisor import Suite

CONSUMER_GROUPS = ("telemetry", "safety", "credit")
FULL = os.environ.get("TIANMEN_FAULTS") == "full"
"""`make test-faults` sets TIANMEN_FAULTS=full: more rounds, more kills; `make test` runs few."""


def seeded_rng(test: str) -> random.Random:
    """Fault timing is random but reproducible: TIANMEN_FAULT_SEED=<seed> repeats a run."""
    seed = int(os.environ.get("TIANMEN_FAULT_SEED", str(random.SystemRandom().randrange(10**6))))
    print(f"{test}: fault seed {seed} (repeat with TIANMEN_FAULT_SEED={seed})")
    return random.Random(seed)


@contextmanager
def supervising(suite: Suite, every_s: float = 0.3) -> Iterator[None]:
    """What `make run` does in the background: restart any service that died, with backoff."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            suite.supervise()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def group_lag(bootstrap_servers: str, group: str) -> int | None:
    """Messages the group has not committed yet, or None before it committed anything."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap_servers, client_id="faults-lag")
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers, client_id="faults-lag")
    try:
        committed = admin.list_consumer_group_offsets(group)
        if not committed:
            return None
        ends = consumer.end_offsets(list(committed))
        return int(sum(max(0, ends[tp] - meta.offset) for tp, meta in committed.items()))
    finally:
        consumer.close()
        admin.close()


def wait_drained(bootstrap_servers: str, timeout: float = 180) -> None:
    """Until every consumer group's lag is 0 twice in a row (nothing left in flight)."""
    deadline, zero_in_a_row = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        lags = [group_lag(bootstrap_servers, group) for group in CONSUMER_GROUPS]
        zero_in_a_row = zero_in_a_row + 1 if all(lag == 0 for lag in lags) else 0
        if zero_in_a_row >= 2:
            return
        time.sleep(1.0)
    raise AssertionError(f"consumer groups not drained in {timeout}s: {lags}")
