"""Annual reviews: a registered machine past its review due date is reported overdue, once per
due date (a passed review sets the next one)."""

from __future__ import annotations

from datetime import date

from tianmen_events import DomainEvent
from tianmen_events.registry import AnnualReviewOverdue

from tianmen_registry.domain.machine_state import Machine, Status

REVIEWED = frozenset({Status.REGISTERED, Status.SUSPENDED})


def decide_review_overdue(machine: Machine | None, *, today: date) -> list[DomainEvent]:
    if machine is None or machine.status not in REVIEWED or machine.next_review_due is None:
        return []
    due = machine.next_review_due
    if today <= due or machine.review_flagged_for == due:
        return []
    return [
        AnnualReviewOverdue(
            machine_id=machine.machine_id, enterprise_id=machine.enterprise_id, due_on=due
        )
    ]
