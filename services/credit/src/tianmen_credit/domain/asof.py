"""As known then: a standing on two time axes. `at` picks the period (event time); `known_at`
picks what the system had recorded by then. Facts about the period recorded later are shown
apart, with the standing as now known."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import ledger_of
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import Standing, standing


@dataclass(frozen=True)
class AsOf:
    known_then: Standing
    now_known: Standing
    late: tuple[Fact, ...]  # about the period, recorded after `known_at`


def as_of(
    enterprise_id: str,
    facts: Sequence[Fact],
    model: ModelSpec,
    at: datetime,
    known_at: datetime | None = None,
) -> AsOf:
    known_at = known_at or at
    mine = [f for f in facts if f.enterprise_id == enterprise_id]
    then = [f for f in mine if f.recorded_at <= known_at]
    late = tuple(f for f in mine if f.recorded_at > known_at and f.at <= at)
    return AsOf(
        known_then=standing(ledger_of(enterprise_id, then, model), model, at),
        now_known=standing(ledger_of(enterprise_id, mine, model), model, at),
        late=late,
    )
