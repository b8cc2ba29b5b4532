"""The live score: the standing under the versioned model at the enterprise's watermark.

The live row is `standing(ledger, model, watermark)`, the very function as-of and what-if ask,
so "what-if under the current model changes nothing" holds by construction. The watermark is
the latest event time among the enterprise's facts: a deduction expires when event time has
passed its end, seen by a replay exactly as live, never by a wall-clock job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_events.credit import (
    CreditReason,
    CreditScoreChanged,
    ProcurementRestrictionChanged,
)

from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.ledger import Ledger
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.domain.standing import Contribution, changes, explain, score_at


@dataclass(frozen=True)
class Scored:
    """An enterprise's live row: its standing at `watermark` (None before its first fact)."""

    enterprise_id: str
    score: int
    grade: str
    restricted: bool
    model_version: str
    watermark: datetime | None = None


def unscored(enterprise_id: str, model: ModelSpec) -> Scored:
    grade = model.grade(model.base_score)
    return Scored(enterprise_id, model.base_score, grade, model.restricted(grade), model.version)


def scored(ledger: Ledger, model: ModelSpec, watermark: datetime) -> Scored:
    """`standing(ledger, model, watermark)`'s score, grade and restriction."""
    score = score_at(ledger, model, watermark)
    grade = model.grade(score)
    return Scored(
        ledger.enterprise_id, score, grade, model.restricted(grade), model.version, watermark
    )


def rescore(
    row: Scored,
    before: Ledger,
    after: Ledger,
    new: Sequence[Fact],
    cause_type: str,
    model: ModelSpec,
) -> tuple[Scored, list[DomainEvent]]:
    """The row after `new` facts (one event's) joined the ledger, and the events that say so:
    a score change naming every effect that began or ended since the last watermark, and the
    procurement restriction imposed or lifted at the event time the grade crossed the line."""
    watermark = (
        max(f.at for f in new)
        if row.watermark is None
        else max(row.watermark, *(f.at for f in new))
    )
    now = scored(after, model, watermark)
    found: list[DomainEvent] = []
    if (now.score, now.grade) != (row.score, row.grade):
        then = [] if row.watermark is None else _in_force(before, model, row.watermark)
        reasons = _reasons(then, _in_force(after, model, watermark), new, cause_type)
        found.append(_score_changed(row, now, reasons))
    if now.restricted != row.restricted:
        found.append(_restriction(after, model, now, new))
    return now, found


def _in_force(ledger: Ledger, model: ModelSpec, at: datetime) -> list[Contribution]:
    """`standing(ledger, model, at).in_force`, as a set: what the reasons compare."""
    return [explain(i, model, at) for i in ledger.items if i.in_force(at)]


def _score_changed(row: Scored, now: Scored, reasons: tuple[CreditReason, ...]) -> DomainEvent:
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


def _reasons(
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


def _restriction(
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
    at, cause = (crossed[-1].at, crossed[-1].cause) if crossed else (now.watermark, new[0].event_id)
    return ProcurementRestrictionChanged(
        enterprise_id=now.enterprise_id,
        restricted=now.restricted,
        grade=now.grade,
        score=now.score,
        at=at,
        model_version=now.model_version,
        cause_event_id=cause,
    )
