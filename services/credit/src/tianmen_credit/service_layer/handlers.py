"""Event handlers: safety facts become credit score changes that name them as their reasons.

Everything here is derived from the triggering event (its time, its id as causation and as the
reason's event id), so replaying the safety topic into a fresh store rebuilds the same state.
"""

from __future__ import annotations

from tianmen_events import EventMeta
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_credit.adapters import projections
from tianmen_credit.domain import score
from tianmen_credit.domain.model import ScoringModel

SafetyFact = ViolationRecorded | BiddingSuspended | KeySupervisionListed


def rescore(fact: SafetyFact, meta: EventMeta, uow: UnitOfWork, *, model: ScoringModel) -> None:
    """Decide on the score's row (not its history), so the cost per fact stays flat."""
    state = projections.load_score(uow.conn, fact.enterprise_id, model)
    counted = projections.CountedEvents(uow.conn)
    new = score.decide(state, meta.id, fact, counted=counted, model=model)
    if not new:
        return
    version = uow.events.version(fact.enterprise_id)
    recorded = uow.events.append_caused_by(meta, fact.enterprise_id, new, expected_version=version)
    projections.project(uow.conn, recorded)


def event_handlers(model: ScoringModel) -> EventHandlers:
    """The subscription's table: which handlers run for which consumed event.

    PointsDeducted is not here: it is the same fact as its violation, already counted.
    """

    def when_safety_fact_rescore(fact: SafetyFact, meta: EventMeta, uow: UnitOfWork) -> None:
        rescore(fact, meta, uow, model=model)

    return (
        EventHandlers()
        .on(ViolationRecorded, when_safety_fact_rescore)
        .on(BiddingSuspended, when_safety_fact_rescore)
        .on(KeySupervisionListed, when_safety_fact_rescore)
    )
