"""Whether a soak's samples show flat memory and bounded lag (pure, so it can be tested).

Memory is flat when every process's RSS over the last third of the run stays within 20 % of
its level in the first third (after warm-up); lag is bounded when the largest lag of the last
third is no more than 1.5 × that of the first third plus one second of input."""

from __future__ import annotations

from dataclasses import dataclass

GROWTH = 1.20
LAG_GROWTH = 1.5


@dataclass(frozen=True)
class Sample:
    at: float
    rss_kib: dict[str, int]
    lag: dict[str, int]

    def line(self) -> str:
        rss = " ".join(f"{k}={v / 1024:.0f}M" for k, v in sorted(self.rss_kib.items()))
        lag = " ".join(f"{k}={v}" for k, v in sorted(self.lag.items()))
        return f"rss: {rss} | lag: {lag}"


def verdict(samples: list[Sample], per_second: int = 0) -> tuple[bool, list[str]]:
    if len(samples) < 3:
        return False, ["too few samples for a verdict (need 3 or more)"]
    third = max(1, len(samples) // 3)
    first, last = samples[:third], samples[-third:]
    lines, ok = [], True
    for name in sorted(samples[0].rss_kib):
        early = max(s.rss_kib.get(name, 0) for s in first)
        late = max(s.rss_kib.get(name, 0) for s in last)
        flat = late <= early * GROWTH
        ok &= flat
        lines.append(
            f"memory {name}: {early / 1024:.0f} → {late / 1024:.0f} MiB: "
            f"{'flat' if flat else 'GROWING'}"
        )
    for group in sorted(samples[0].lag):
        early = max(s.lag.get(group, 0) for s in first)
        late = max(s.lag.get(group, 0) for s in last)
        bounded = late <= early * LAG_GROWTH + per_second
        ok &= bounded
        lines.append(f"lag {group}: {early} → {late}: {'bounded' if bounded else 'GROWING'}")
    lines.append("verdict: memory flat and lag bounded" if ok else "verdict: NOT steady")
    return ok, lines
