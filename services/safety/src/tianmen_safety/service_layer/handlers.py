"""Event handlers: telemetry alerts become violations, deductions and ledger actions.

Everything here is derived from the triggering event (its time, its id as causation, ids
derived from it), so replaying the alert topic into a fresh store rebuilds the same state.
"""

from __future__ import annotations

from tianmen_events import EventMeta
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters import projections
from tianmen_safety.domain import ledger
from tianmen_safety.domain.rules import PointsRules


def record_violation(
    alert: AlertRaised, meta: EventMeta, uow: UnitOfWork, *, rules: PointsRules
) -> None:
    """Decide on the ledger's rows (not its history), so the cost per alert stays flat."""
    state = projections.load_ledger(uow.conn, alert.enterprise_id)
    recorded = projections.RecordedViolations(uow.conn)
    new = ledger.decide(state, alert, recorded=recorded, source_event_id=meta.id, rules=rules)
    if not new:
        return
    version = uow.events.version(alert.enterprise_id)
    appended = uow.events.append_caused_by(meta, alert.enterprise_id, new, expected_version=version)
    projections.project(uow.conn, appended, ledger.fold(alert.enterprise_id, new, state), rules)


def event_handlers(rules: PointsRules) -> EventHandlers:
    """The subscription's table: which handlers run for which consumed event."""

    def when_alert_raised_record_violation(
        alert: AlertRaised, meta: EventMeta, uow: UnitOfWork
    ) -> None:
        record_violation(alert, meta, uow, rules=rules)

    return EventHandlers().on(AlertRaised, when_alert_raised_record_violation)
