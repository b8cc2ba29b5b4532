"""What time makes happen (an escalation, an overdue rectification, a missed self-inspection,
a lapsed test, a rectification period passed) goes on the docket dated when it became true and
correlated by what it is about, not by the batch whose latest event noticed it: live runs
polling differently, and a replay's own derivations, say the same (`docs/decisions.md` 79)."""

from __future__ import annotations

from datetime import datetime

from tianmen_events import DomainEvent, derive_id
from tianmen_runtime.unit_of_work import UnitOfWork

from tianmen_safety.adapters.positions import docket_version


def to_docket(uow: UnitOfWork, event: DomainEvent, at: datetime, *about: str) -> None:
    """On its docket, dated `at`, correlated by `about` and `at`, caused by no event."""
    docket: str = event.docket_id  # type: ignore[attr-defined]
    uow.events.append(
        docket,
        [event],
        expected_version=docket_version(uow, docket),
        time=at,
        correlation_id=derive_id(*about, at.isoformat()),
    )
