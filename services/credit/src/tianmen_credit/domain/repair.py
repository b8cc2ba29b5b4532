"""Credit repair: an enterprise applies with evidence of rectification for one deduction; staff
approve or refuse once. The decision is the event the model reads (an approved repair restores
part of the deduction from the decision's time)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tianmen_events import DomainEvent
from tianmen_events.credit import CreditRepairApplied, CreditRepairDecided
from tianmen_events.errors import Conflict, DomainError, NotFound

REPAIRS = uuid.UUID("5f0e6a52-8c1e-4f7e-9a55-6a1d2c0b7e31")


def repair_id_for(enterprise_id: str, target_event_id: str) -> str:
    """One repair per deduction: applying twice is the same repair (and refused)."""
    return str(uuid.uuid5(REPAIRS, f"{enterprise_id}/{target_event_id}"))


@dataclass(frozen=True)
class Repair:
    repair_id: str
    enterprise_id: str
    target_event_id: str
    status: str  # pending | approved | refused
    evidence: tuple[str, ...]


def fold(events: Iterable[DomainEvent]) -> Repair | None:
    state: Repair | None = None
    for event in events:
        if isinstance(event, CreditRepairApplied):
            state = Repair(
                event.repair_id,
                event.enterprise_id,
                event.target_event_id,
                "pending",
                event.evidence,
            )
        elif isinstance(event, CreditRepairDecided) and state is not None:
            state = Repair(
                state.repair_id,
                state.enterprise_id,
                state.target_event_id,
                "approved" if event.approved else "refused",
                state.evidence,
            )
    return state


def apply(
    state: Repair | None,
    enterprise_id: str,
    target_event_id: str,
    evidence: tuple[str, ...],
    now: datetime,
) -> list[DomainEvent]:
    if not any(item.strip() for item in evidence):
        raise DomainError("a repair needs evidence of rectification", field="evidence")
    if state is not None:
        raise Conflict(f"a repair of {target_event_id} was already applied for ({state.status})")
    repair_id = repair_id_for(enterprise_id, target_event_id)
    return [
        CreditRepairApplied(
            enterprise_id=enterprise_id,
            repair_id=repair_id,
            target_event_id=target_event_id,
            evidence=evidence,
            applied_at=now,
        )
    ]


def decide(
    state: Repair | None, approved: bool, decided_by: str, reason: str, now: datetime
) -> list[DomainEvent]:
    if state is None:
        raise NotFound("no such repair application", field="repair_id")
    if state.status != "pending":
        raise Conflict(f"the repair was already {state.status}")
    return [
        CreditRepairDecided(
            enterprise_id=state.enterprise_id,
            repair_id=state.repair_id,
            target_event_id=state.target_event_id,
            approved=approved,
            decided_by=decided_by,
            reason=reason,
            decided_at=now,
        )
    ]
