"""The events that tell a live row's step: a score change naming every effect that began or
ended between two standings, and the procurement restriction imposed or lifted at the event
time the grade crossed the line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tianmen_events import DomainEvent
from tianmen_events.credit import (
    CreditReason,
    CreditScoreChanged,
    ProcurementRestrictionChanged,
)

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import Contribution, changes, explain

if TYPE_CHECKING:
    from datetime import datetime

    from tianmen_credit.domain.live import Scored


def in_force(ledger: Ledger, model: ModelSpec, at: datetime, start: int = 0) -> list[Contribution]:
    """`standing(ledger, model, at).in_force`, as a set: what the reasons compare (of the
    items from `start` on)."""
    return [explain(i, model, at) for i in ledger.since(start) if i.in_force(at)]


def score_changed(row: Scored, now: Scored, reasons: tuple[CreditReason, ...]) -> DomainEvent:
    return CreditScoreChanged(
        enterprise_id=row.enterprise_id,
        score_before=row.score,
        score=now.score,
        grade_before=row.grade,
        grade=now.grade,
        procurement_restricted=now.restricted,
        model_version=now.model_version,
        reasons=reasons,
    )


def reasons_between(
    then: Sequence[Contribution],
    now: Sequence[Contribution],
    new: Sequence[Fact],
    cause_type: str,
) -> tuple[CreditReason, ...]:
    """Effects that began (+effect) or ended (-effect) between the two standings."""
    before = {(c.event_id, c.effect): c for c in then}
    after = {(c.event_id, c.effect): c for c in now}
    mine = {f.event_id for f in new}
    began = [
        _reason(c, c.effect, "", mine, cause_type) for k, c in after.items() if k not in before
    ]
    ended = [
        _reason(c, -c.effect, _ended(c), mine, cause_type)
        for k, c in before.items()
        if k not in after
    ]
    return tuple(began + ended)


def _ended(c: Contribution) -> str:
    if c.repaired_by:
        return f"; 信用修复 / repaired by {c.repaired_by}"
    return f"; 已到期 / expired {c.expires_at.isoformat()}"


def _reason(
    c: Contribution, delta: int, ended: str, mine: set[str], cause_type: str
) -> CreditReason:
    described = f"{c.zh} / {c.en} ({c.effect:+d}, until {c.expires_at.isoformat()}){ended}"
    return CreditReason(
        event_id=c.event_id,
        event_type=cause_type if c.event_id in mine else f"credit.{c.kind}",
        description=described,
        delta=delta,
    )


def restriction(
    ledger: Ledger, model: ModelSpec, now: Scored, new: Sequence[Fact]
) -> ProcurementRestrictionChanged:
    """At the event time the grade last crossed the line to where it is now (a late fact may
    have moved it into the past); the watermark when the history holds no such crossing."""
    assert now.watermark is not None
    crossed = [
        c
        for c in changes(ledger, model, now.watermark)
        if c.restricted == now.restricted and c.restricted_before != now.restricted
    ]
    fallback = new[0].event_id if new else ""
    at, cause = (crossed[-1].at, crossed[-1].cause) if crossed else (now.watermark, fallback)
    return ProcurementRestrictionChanged(
        enterprise_id=now.enterprise_id,
        restricted=now.restricted,
        grade=now.grade,
        score=now.score,
        at=at,
        model_version=now.model_version,
        cause_event_id=cause,
    )
