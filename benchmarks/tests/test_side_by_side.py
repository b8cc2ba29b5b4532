"""`side_by_side`: passes start together, one process each, and the span is from the first
start to the last end; a pass that fails stops the run instead of leaving it waiting."""

from __future__ import annotations

import os
import time
from functools import partial

import pytest
from side_by_side import Run, side_by_side, span_of


def _busy(seconds: float, records: int) -> Run:
    def run() -> dict[str, int]:
        until = time.process_time() + seconds
        while time.process_time() < until:
            pass
        return {"applied": records, "pid": os.getpid()}

    return run


def _broken() -> Run:
    raise LookupError("topic safety.case does not exist: nothing to replay from")


def test_passes_run_at_once_in_their_own_processes() -> None:
    spans = side_by_side({"slow": partial(_busy, 0.4, 3), "fast": partial(_busy, 0.1, 2)})
    assert {n: s.outcomes["applied"] for n, s in spans.items()} == {"slow": 3, "fast": 2}
    assert len({s.outcomes["pid"] for s in spans.values()} | {os.getpid()}) == 3
    assert abs(spans["slow"].started - spans["fast"].started) < 0.3  # the barrier
    assert span_of(spans) >= spans["slow"].seconds >= spans["slow"].cpu_seconds * 0.9


def test_a_pass_that_fails_stops_the_run_with_its_reason() -> None:
    with pytest.raises(RuntimeError, match="nothing to replay from"):
        side_by_side({"safety": _broken, "credit": partial(_busy, 0.1, 1)})


def _dies() -> Run:
    os._exit(3)  # as a child that cannot import the bench: no report at all


def test_a_pass_that_dies_without_a_report_stops_the_run() -> None:
    with pytest.raises(RuntimeError, match="without a report"):
        side_by_side({"safety": _dies, "credit": partial(_busy, 0.1, 1)})
