"""Event handlers: every fact the model as data counts joins its enterprise's ledger, and the
live row becomes the ledger's standing at the enterprise's watermark (`domain/live.py`).

Everything here is derived from the triggering event (its time, its id as causation and as the
reason's event id), so replaying the topics into a fresh store rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.frozen import assembled
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.projection import Prepare
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_credit.adapters.clock import Clock
from tianmen_credit.adapters.memory import Ledgers
from tianmen_credit.adapters.projections import CreditRows
from tianmen_credit.domain import facts
from tianmen_credit.domain.facts import Fact
from tianmen_credit.domain.live import Step, rescore_kept
from tianmen_credit.domain.spec import ModelSpec
from tianmen_credit.service_layer.expiries import expire_due


def facts_in(
    event: DomainEvent, meta: EventMeta, model: ModelSpec, read: dict[str, list[Fact]]
) -> list[Fact]:
    """The event's facts (as the read-ahead found them, if it did); a violation the model
    cannot weigh is refused (to the DLQ)."""
    found = read.pop(meta.id, None)
    if found is None:
        found = facts.fact_of(event, meta.id, meta.time, meta.time)
    for fact in found:
        if fact.kind == "violation":
            model.violation_rule(fact.code, fact.points, fact.severity)
    return found


def count(
    event: DomainEvent, meta: EventMeta, uow: UnitOfWork, model: ModelSpec, memory: Ledgers
) -> None:
    """Join the event's facts to the ledger; record the score change and restriction events
    they cause; the row moves to the new watermark either way."""
    rows = _rows(uow, model, memory)
    found = facts_in(event, meta, model, rows.read_ahead)
    if not found:
        return
    enterprise_id = found[0].enterprise_id
    row, before, new = rows.add(enterprise_id, found)
    if not new:
        return
    clock = uow.parts.get(Clock)
    at = clock.at if isinstance(clock, Clock) else None
    tally = rows.tally(enterprise_id)
    ledger = rows.ledger(enterprise_id)
    step: Step = assembled(  # once a fact: every field, in order (`tianmen_events.frozen`)
        Step,
        {"row": row, "before": before, "after": ledger, "new": new, "cause_type": event.type},
    )
    after, caused, kept = rescore_kept(step, model, at, tally)
    recorded = []
    if caused:
        version = uow.events.version(enterprise_id)
        recorded = uow.events.append_caused_by(
            meta, enterprise_id, caused, expected_version=version
        )
    rows.project(after, recorded, kept)


def _rows(uow: UnitOfWork, model: ModelSpec, memory: Ledgers) -> CreditRows:
    return uow.part(CreditRows, lambda conn: CreditRows(conn, model, memory))


def read_ahead_for(model: ModelSpec, memory: Ledgers) -> Prepare:
    def read_ahead(uow: UnitOfWork, batch: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
        """The clock advanced by the batch's event times (`domain/vouched.py`); the rows, facts
        and event-store versions of every enterprise the transaction's events touch, read in
        three queries instead of three per event. The clock is the first part, so its flush (the expiries the clock passed) runs
        before the rows are written."""
        clock = uow.part(Clock, lambda conn: Clock(conn, partial(_expire, uow)))
        clock.advance((m.subject, m.time) for _, m in batch)
        rows = _rows(uow, model, memory)
        for event, meta in batch:
            rows.read_ahead[meta.id] = facts.fact_of(event, meta.id, meta.time, meta.time)
        ids = {f.enterprise_id for found in rows.read_ahead.values() for f in found}
        if ids:
            rows.read(ids)
            uow.events.read_versions(ids)  # a score change appends: one query, not one each

    def _expire(uow: UnitOfWork, due: set[str], at: datetime) -> None:
        expire_due(uow, _rows(uow, model, memory), due, at)

    return read_ahead


def event_handlers(model: ModelSpec, memory: Ledgers) -> EventHandlers:
    """The subscription's table: which handlers run for which consumed event.

    PointsDeducted is not here: it is the same fact as its violation, already counted.
    """

    def when_counted(event: DomainEvent, meta: EventMeta, uow: UnitOfWork) -> None:
        count(event, meta, uow, model, memory)

    handlers = EventHandlers()
    for counted in facts.COUNTED:
        handlers = handlers.on(counted, when_counted)
    return handlers
