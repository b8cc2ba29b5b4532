"""A machine's own fuel-use baseline: level points used per engine hour, learnt from itself.

Use is measured over legs of at least `LEG_HOURS` on the hour meter (one report's step is
too short for a level in whole percent). A leg that ends is folded into the baseline (an
exponential average, `ALPHA`) unless it is an anomaly, so a thief does not teach the machine
that theft is normal. A refuel (the level rising) starts a new leg. Everything is derived from
reports in order, so a replay learns the same baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

LEG_HOURS = 1.0  # engine hours a leg spans at least
ALPHA = 0.2  # weight of the newest leg in the baseline
MIN_LEGS = 5  # legs learnt before the machine's use is judged
FACTOR = 2.0  # anomalous: more than FACTOR times the baseline ...
MIN_EXCESS = 5.0  # ... and at least this many points per hour above it


@dataclass(frozen=True)
class FuelBaseline:
    leg_hours: float | None = None  # hour meter at the leg's start
    leg_pct: float | None = None  # level at the leg's start
    rate: float | None = None  # baseline, points per engine hour
    legs: int = 0  # legs learnt


def leg_rate(held: FuelBaseline, engine_hours: float | None, pct: float | None) -> float | None:
    """The use over the leg this reading ends, or None while it runs (or cannot be measured)."""
    if held.leg_hours is None or held.leg_pct is None or engine_hours is None or pct is None:
        return None
    hours = engine_hours - held.leg_hours
    if hours < LEG_HOURS or pct > held.leg_pct:
        return None
    return (held.leg_pct - pct) / hours


def is_anomalous(held: FuelBaseline, rate: float) -> bool:
    if held.rate is None or held.legs < MIN_LEGS:
        return False
    return rate > FACTOR * held.rate and rate - held.rate >= MIN_EXCESS


def learn(held: FuelBaseline, engine_hours: float | None, pct: float | None) -> FuelBaseline:
    """The baseline after a reading in order."""
    if engine_hours is None or pct is None:
        return held
    restart = FuelBaseline(engine_hours, pct, held.rate, held.legs)
    if held.leg_pct is None or held.leg_hours is None or pct > held.leg_pct:
        return restart  # first reading, or refuelled: a new leg
    if engine_hours < held.leg_hours:
        return restart  # the hour meter was reset or replaced
    rate = leg_rate(held, engine_hours, pct)
    if rate is None:
        return held
    if is_anomalous(held, rate):
        return restart
    learnt = rate if held.rate is None else held.rate + ALPHA * (rate - held.rate)
    return FuelBaseline(engine_hours, pct, learnt, held.legs + 1)
