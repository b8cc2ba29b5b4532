"""Helpers for the fault tests: a seeded RNG that says its seed, and a background supervisor.
(Waiting until every consumer group has drained: `tianmen_devkit.lag.wait_drained`.)"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tianmen_devkit.supervisor import Suite

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
