"""An enterprise's credit score: state folded from its own score changes, and `decide`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import singledispatch

from tianmen_events import DomainEvent
from tianmen_events.credit import CreditReason, CreditScoreChanged

from tianmen_credit.domain.model import ScoringModel


@dataclass(frozen=True)
class CreditScore:
    enterprise_id: str
    score: int
    grade: str
    counted: frozenset[str] = frozenset()  # ids of the events already counted


def initial(enterprise_id: str, model: ScoringModel) -> CreditScore:
    return CreditScore(enterprise_id, model.base_score, model.grade(model.base_score))


def evolve(state: CreditScore, event: DomainEvent) -> CreditScore:
    """Apply one of the score's own events; never raises (unknown events change nothing)."""
    return _evolve(event, state)


@singledispatch
def _evolve(event: DomainEvent, state: CreditScore) -> CreditScore:
    return state


@_evolve.register
def _score_changed(event: CreditScoreChanged, state: CreditScore) -> CreditScore:
    counted = state.counted | {reason.event_id for reason in event.reasons}
    return CreditScore(state.enterprise_id, event.score, event.grade, counted)


def fold(enterprise_id: str, events: Iterable[DomainEvent], model: ScoringModel) -> CreditScore:
    state = initial(enterprise_id, model)
    for event in events:
        state = evolve(state, event)
    return state


def decide(
    state: CreditScore, event_id: str, event: DomainEvent, *, model: ScoringModel
) -> list[DomainEvent]:
    """The score change `event` (with id `event_id`) causes: none if not counted or counted."""
    assessment = model.assess(event)
    if assessment is None or event_id in state.counted:
        return []
    score = max(0, state.score + assessment.delta)
    grade = model.grade(score)
    reason = CreditReason(
        event_id=event_id,
        event_type=event.type,
        description=_described(assessment.description, score - state.score, assessment.delta),
        delta=score - state.score,
    )
    return [
        CreditScoreChanged(
            enterprise_id=state.enterprise_id,
            score_before=state.score,
            score=score,
            grade_before=state.grade,
            grade=grade,
            procurement_restricted=model.procurement_restricted(grade),
            model_version=model.version,
            reasons=(reason,),
        )
    ]


def _described(description: str, applied: int, modelled: int) -> str:
    """The model's description; when the floor cut the change short, it says so."""
    if applied == modelled:
        return description
    change = f"changed by {applied:+d}" if applied else "did not change"
    return f"{description}; the score is floored at 0, so it {change}"
