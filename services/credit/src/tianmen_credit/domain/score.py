"""An enterprise's credit score: state folded from its own score changes, and `decide`.

The state is two values whatever the enterprise's history: the service keeps it as a row and
applies each change to it; which events were already counted is a question `decide` asks of a
container (`counted`), answered by an indexed look-up, not a set in memory.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
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
    return CreditScore(state.enterprise_id, event.score, event.grade)


def fold(
    enterprise_id: str,
    events: Iterable[DomainEvent],
    model: ScoringModel,
    state: CreditScore | None = None,
) -> CreditScore:
    """The score after `events`, from `state` (a snapshot) or from the model's base score."""
    state = state or initial(enterprise_id, model)
    for event in events:
        state = evolve(state, event)
    return state


def decide(
    state: CreditScore,
    event_id: str,
    event: DomainEvent,
    *,
    counted: Container[str],
    model: ScoringModel,
) -> list[DomainEvent]:
    """The score change `event` (with id `event_id`) causes: none if the model does not count
    it or `counted` (the ids of the events already counted) holds it."""
    assessment = model.assess(event)
    if assessment is None or event_id in counted:
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
