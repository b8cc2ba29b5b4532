"""Figures per period and jurisdiction, as of any moment, from the tips' own events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent

from tianmen_reports.domain.tip import Tip, fold


@dataclass(frozen=True)
class Query:
    start: datetime  # tips submitted from here (inclusive) …
    end: datetime  # … to here (exclusive)
    as_of: datetime  # events recorded after this are not yet known
    jurisdiction: str | None = None  # a code; a county's code covers its townships


@dataclass(frozen=True)
class Figures:
    received: int
    verified: int
    verified_rate: float
    major_hazards: int
    average_hours_to_verify: float | None
    rewards_paid: int
    rewards_paid_yuan: int


Timed = tuple[DomainEvent, datetime]


def tips_as_of(histories: Mapping[str, Sequence[Timed]], as_of: datetime) -> list[Tip]:
    tips = (fold(event for event, at in history if at <= as_of) for history in histories.values())
    return [tip for tip in tips if tip is not None]


def figures(tips: Iterable[Tip], query: Query) -> Figures:
    chosen = [tip for tip in tips if _in(tip, query)]
    verified = [tip for tip in chosen if tip.verified_at is not None]
    hours = [
        (t.verified_at - t.submitted_at).total_seconds() / 3600 for t in verified if t.verified_at
    ]
    paid = [tip.reward_yuan or 0 for tip in chosen if tip.reward_paid_at is not None]
    return Figures(
        received=len(chosen),
        verified=len(verified),
        verified_rate=round(len(verified) / len(chosen), 4) if chosen else 0.0,
        major_hazards=sum(tip.major_hazard for tip in verified),
        average_hours_to_verify=round(sum(hours) / len(hours), 2) if hours else None,
        rewards_paid=len(paid),
        rewards_paid_yuan=sum(paid),
    )


def _in(tip: Tip, query: Query) -> bool:
    if not query.start <= tip.submitted_at < query.end:
        return False
    code = query.jurisdiction
    return code is None or (tip.jurisdiction or "").startswith(code)
