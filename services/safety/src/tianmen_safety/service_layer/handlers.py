"""Event handlers: telemetry alerts become violations, deductions and ledger actions.

Everything here is derived from the triggering event (its time, its id as causation, ids
derived from it), so replaying the alert topic into a fresh store rebuilds the same state.
"""

from __future__ import annotations

from collections.abc import Sequence

from tianmen_events import DomainEvent, EventMeta
from tianmen_events.telemetry import AlertRaised
from tianmen_runtime.handlers import EventHandlers
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters.projections import SafetyRows
from tianmen_safety.domain import ledger
from tianmen_safety.domain.rules import PointsRules


def record_violation(
    alert: AlertRaised, meta: EventMeta, uow: UnitOfWork, *, rules: PointsRules
) -> None:
    """Decide on the ledger's rows (not its history), so the cost per alert stays flat."""
    rows = uow.part(SafetyRows, SafetyRows)
    state = rows.ledger(alert.enterprise_id)
    new = ledger.decide(state, alert, recorded=rows, source_event_id=meta.id, rules=rules)
    if not new:
        return
    version = uow.events.version(alert.enterprise_id)
    appended = uow.events.append_caused_by(meta, alert.enterprise_id, new, expected_version=version)
    rows.project(appended, ledger.fold(alert.enterprise_id, new, state), rules)


def read_ahead(uow: UnitOfWork, batch: Sequence[tuple[DomainEvent, EventMeta]]) -> None:
    """What a transaction's alerts will ask for (ledgers, recorded violations, the ledgers'
    event versions), read in three queries instead of three per alert."""
    alerts = [event for event, _ in batch if isinstance(event, AlertRaised)]
    enterprise_ids = {alert.enterprise_id for alert in alerts}
    if alerts:
        rows = uow.part(SafetyRows, SafetyRows)
        rows.read(enterprise_ids, {ledger.violation_id_for(alert) for alert in alerts})
        uow.events.read_versions(enterprise_ids)


def event_handlers(rules: PointsRules) -> EventHandlers:
    """The subscription's table: which handlers run for which consumed event."""

    def when_alert_raised_record_violation(
        alert: AlertRaised, meta: EventMeta, uow: UnitOfWork
    ) -> None:
        record_violation(alert, meta, uow, rules=rules)

    return EventHandlers().on(AlertRaised, when_alert_raised_record_violation)
