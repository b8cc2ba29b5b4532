"""The figures of the report-to-alert latency bench, from the times it noted (pure: no clock).

Each alert is followed by the report's id through four moments on one machine's wall clock:
`sent` (the load generator handed the report to its producer), `outboxed` (the worker's
transaction with the alert's outbox row was seen committed), `published` (the relay's producer
stamped the alert record: `telemetry.alert` keeps the producer's time) and `arrived` (the alert
reader got it). The stages are the differences; the total is `arrived - sent`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Times = Mapping[str, float]  # report id -> seconds on the wall clock

STAGES = (
    ("worker", "sent", "outboxed"),  # fetched, applied, its transaction committed
    ("relay", "outboxed", "published"),  # the relay found the row and handed it to its producer
    ("reader", "published", "arrived"),  # acknowledged by the broker and fetched by the reader
)


@dataclass(frozen=True)
class Spread:
    p50_ms: float
    p99_ms: float
    counted: int


def ranked(latencies: Sequence[float], missing: int) -> list[float]:
    """The latencies in order, each missing one ranked after every one that arrived: an alert
    never read was slower than any that was, so it is never left out silently."""
    return sorted(latencies) + [math.inf] * missing


def percentile_ms(ranked_s: Sequence[float], q: float) -> float:
    """The nearest-rank `q` quantile (0 < q <= 1) in ms; NaN when there is nothing to rank."""
    if not ranked_s:
        return math.nan
    rank = max(1, math.ceil(q * len(ranked_s)))
    return ranked_s[rank - 1] * 1000


def spread(sent: Times, arrived: Times) -> Spread:
    """p50/p99 of `arrived - sent` over every report sent, the missing ranked last."""
    latencies = [arrived[r] - sent[r] for r in sent if r in arrived]
    order = ranked(latencies, len(sent) - len(latencies))
    return Spread(percentile_ms(order, 0.50), percentile_ms(order, 0.99), len(latencies))


def stages(moments: Mapping[str, Times]) -> dict[str, Spread]:
    """Each stage's p50/p99 over the alerts whose both ends were noted (a stage is a part of
    the latency of the alerts that arrived, not a ranking of the missing)."""
    result = {}
    for name, start, end in STAGES:
        begun, ended = moments[start], moments[end]
        spans = sorted(ended[r] - begun[r] for r in begun if r in ended)
        result[name] = Spread(percentile_ms(spans, 0.50), percentile_ms(spans, 0.99), len(spans))
    return result
