"""Passes over the log run at once, each in a process of its own (used by `bench_replay.py`):
how an operator's rebuild of the suite runs, safety and credit being separate services that
each rebuild their own store from the log.

Each pass is prepared first (its service built, its engine made), then all start together at a
barrier; each notes its start, end (the machine's monotonic clock, one for every process) and
its own CPU seconds. The passes' span is from the earliest start to the latest end: the
operator's rebuild ends when the slower one ends.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from multiprocessing.synchronize import Barrier
from typing import Any

from baseline import decode_only_timed
from tianmen_credit.bootstrap import build as build_credit
from tianmen_credit.config import Settings as CreditSettings
from tianmen_runtime.db import make_engine
from tianmen_runtime.replay import replay
from tianmen_safety.bootstrap import build as build_safety
from tianmen_safety.config import Settings as SafetySettings

Run = Callable[[], dict[str, int]]
"""A prepared pass: runs it, returns its outcomes (records by what became of them)."""
Prepare = Callable[[], Run]


@dataclass(frozen=True)
class Span:
    records: int
    started: float
    ended: float
    cpu_seconds: float
    outcomes: dict[str, int]

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def replay_pass(service: str, bootstrap: str, url: str) -> Run:
    """`service`'s replay of its topics into the store at `url` (a fresh one)."""
    built = (
        build_safety(SafetySettings(database_url=url))
        if service == "safety"
        else build_credit(CreditSettings(database_url=url))
    )
    subscription, engine = built.subscription, make_engine(url, built.metadata)
    assert subscription is not None
    return lambda: replay(engine, subscription, bootstrap).outcomes


def raw_pass(bootstrap: str, topics: tuple[str, ...]) -> Run:
    """A decode-only consume of `topics` (the baseline's pass, in this process)."""
    return lambda: {"decoded": decode_only_timed(bootstrap, topics).records}


def replay_of(service: str, bootstrap: str, url: str) -> Prepare:
    return partial(replay_pass, service, bootstrap, url)


def raw_of(bootstrap: str, topics: tuple[str, ...]) -> Prepare:
    return partial(raw_pass, bootstrap, topics)


def side_by_side(passes: Mapping[str, Prepare]) -> dict[str, Span]:
    """Run `passes` at once, one process each; their spans by name."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no broker threads forked
    barrier, results = context.Barrier(len(passes)), context.Queue()
    processes = [
        context.Process(target=_run, args=(name, prepare, barrier, results), name=name)
        for name, prepare in passes.items()
    ]
    for process in processes:
        process.start()
    try:
        spans: dict[str, Span] = {}
        for _ in processes:
            name, span = _next(results, processes)
            if isinstance(span, str):
                raise RuntimeError(f"{name}'s pass failed:\n{span}")
            spans[name] = span
        return spans
    except BaseException:
        for process in processes:
            process.terminate()  # a sibling may be waiting at the barrier for the dead one
        raise
    finally:
        for process in processes:
            process.join()


def _next(results: Any, processes: list[Any]) -> tuple[str, Span | str]:
    """The next pass's report; a process that died without one (it could not even start)
    stops the run instead of leaving it waiting."""
    while True:
        try:
            found: tuple[str, Span | str] = results.get(timeout=1.0)
            return found
        except queue.Empty:
            dead = [p.name for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"{dead} ended without a report") from None


def _run(name: str, prepare: Prepare, barrier: Barrier, results: Any) -> None:
    try:
        run = prepare()
        barrier.wait()
        started, cpu = time.monotonic(), time.process_time()
        outcomes = run()
        ended, spent = time.monotonic(), time.process_time() - cpu
        results.put((name, Span(sum(outcomes.values()), started, ended, spent, outcomes)))
    except BaseException:
        results.put((name, traceback.format_exc()))  # before the others hear of it
        barrier.abort()
        raise


def span_of(spans: Mapping[str, Span]) -> float:
    """Seconds from the first pass's start to the last one's end."""
    return max(s.ended for s in spans.values()) - min(s.started for s in spans.values())
