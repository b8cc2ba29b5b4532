"""Helpers for the fault tests: a seeded RNG that says its seed, and a background supervisor.
(Waiting until every consumer group has drained: `tianmen_devkit.lag.wait_drained`.)"""

from __future__ import annotations

import os
import random
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData
from tianmen_devkit.supervisor import Suite
from tianmen_events import EventMeta
from tianmen_events.registry import EnterpriseRegistered
from tianmen_runtime.db import make_engine

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


def store_for(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, metadata: MetaData
) -> Engine:
    """A fresh store of the backend under test, with `metadata`'s tables."""
    if backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'faults.db'}", metadata)
    create: Callable[[str], str] = request.getfixturevalue("new_postgres_database")
    return make_engine(create("tianmen_faults"), metadata)


def enterprise_registered(
    number: int, division_code: str = "429006"
) -> tuple[EnterpriseRegistered, EventMeta]:
    """A registration event of a new enterprise, with its envelope (time from `number`)."""
    enterprise_id = str(uuid.uuid4())
    event = EnterpriseRegistered(
        enterprise_id=enterprise_id,
        uscc=f"91{division_code}MA{number:07d}X",
        name=f"天门故障测试 {number}",
        division_code=division_code,
    )
    meta = EventMeta(
        id=str(uuid.uuid4()),
        source="/tianmen/registry",
        time=datetime(2026, 5, 12, 8, number % 60, tzinfo=UTC),
        subject=enterprise_id,
        sequence=1,
        correlation_id=enterprise_id,
        type=event.type,
        schema_version=event.version,
    )
    return event, meta
