"""Event handlers: safety facts become credit score changes that name them as their reasons.

Everything here is derived from the triggering event (its time, its id as causation and as the
reason's event id), so replaying the safety topic into a fresh store rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Sequence

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.safety import BiddingSuspended, KeySupervisionListed, ViolationRecorded
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Prepare
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_credit.adapters.fact_rows import FactRows
from tianmen_credit.adapters.projections import CreditRows
from tianmen_credit.domain import facts, score
from tianmen_credit.domain.model import ScoringModel

SafetyFact = ViolationRecorded | BiddingSuspended | KeySupervisionListed


def rescore(fact: SafetyFact, meta: EventMeta, uow: UnitOfWork, *, model: ScoringModel) -> None:
    """Decide on the score's row (not its history), so the cost per fact stays flat."""
    rows = uow.part(CreditRows, CreditRows)
    state = rows.score(fact.enterprise_id, model)
    new = score.decide(state, meta.id, fact, counted=rows, model=model)
    if not new:
        return
    version = uow.events.version(fact.enterprise_id)
    recorded = uow.events.append_caused_by(meta, fact.enterprise_id, new, expected_version=version)
    rows.project(recorded, score.fold(fact.enterprise_id, new, model, state))


def read_ahead_for(model: ScoringModel) -> Prepare:
    def read_ahead(uow: UnitOfWork, batch: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
        """What a transaction's facts will ask for (scores, counted events, the versions of
        the enterprises' streams), read in three queries instead of three per fact."""
        facts = [(event, meta) for event, meta in batch if model.assess(event) is not None]
        enterprise_ids = {meta.subject for _, meta in facts}
        if facts:
            rows = uow.part(CreditRows, CreditRows)
            rows.read(enterprise_ids, {meta.id for _, meta in facts}, model)
            uow.events.read_versions(enterprise_ids)

    return read_ahead


def when_counted_record_facts(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
    """Keep what the model as data counts, at its event time, for the live standing."""
    found = facts.fact_of(event, meta.id, meta.time, meta.time)
    if found:
        uow.part(FactRows, FactRows).add(found)


def event_handlers(model: ScoringModel) -> EventHandlers:
    """The subscription's table: which handlers run for which consumed event.

    PointsDeducted is not here: it is the same fact as its violation, already counted.
    """

    def when_safety_fact_rescore(fact: SafetyFact, meta: EventMeta, uow: UnitOfWork) -> None:
        rescore(fact, meta, uow, model=model)

    handlers = (
        EventHandlers()
        .on(ViolationRecorded, when_safety_fact_rescore)
        .on(BiddingSuspended, when_safety_fact_rescore)
        .on(KeySupervisionListed, when_safety_fact_rescore)
    )
    for counted in facts.COUNTED:
        handlers = handlers.on(counted, when_counted_record_facts)
    return handlers
